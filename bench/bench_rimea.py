"""The RiMEA verification tests at the guideline's numbers (the test suite runs reduced variants).

Runs every test of :mod:`scenarios.validation.rimea_cases` with ``full=True`` where a reduced
variant is the default (test 4: a 10 m x 10 m periodic corridor, 60 s measured; test 8: ten rooms
each side of each corridor; test 9: 20 m x 20 m with 1000 people; test 11: 1000 people; test 12:
150 people; test 13: 100 people; test 15: the full geometry with 500 people; test 16: 60 s
measured) and prints each check, its value, the target and PASS/FAIL, with the wall-clock time of
each test. Run with ``.venv/bin/python bench/bench_rimea.py [test numbers ...]``; takes several
minutes in all. Nothing here is asserted.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence

from scenarios.validation import rimea_cases as cases
from scenarios.validation.registry import Check

TESTS: dict[int, tuple[str, Callable[[], Sequence[Check]]]] = {
    1: ("corridor walking speed", cases.corridor_case),
    2: ("stair walking speed, up", cases.stair_up_case),
    3: ("stair walking speed, down", cases.stair_down_case),
    4: ("fundamental diagram", lambda: cases.fundamental_diagram_checks(full=True)),
    5: ("pre-movement times", cases.premovement_case),
    6: ("movement around a corner", cases.corner_case),
    7: ("demographic walking speeds", cases.demographic_case),
    8: ("parameter study", lambda: cases.parameter_study_checks(full=True)),
    9: ("large public room", lambda: cases.public_room_checks(full=True)),
    10: ("exit assignment", cases.escape_routes_case),
    11: ("exit choice", lambda: cases.exit_choice_checks(full=True)),
    12: ("bottlenecks", lambda: cases.bottleneck_checks(full=True)),
    13: (
        "stair crowd",
        lambda: [*cases.stair_crowd_checks(full=True), *cases.stair_direction_checks(full=True)],
    ),
    14: ("route choice", cases.route_choice_case),
    15: ("large crowd around a corner", lambda: cases.large_corner_checks(full=True)),
    16: ("single-file fundamental diagram", lambda: cases.single_file_checks(full=True)),
}


def main(selected: Sequence[int]) -> None:
    for number in selected:
        title, run = TESTS[number]
        t0 = time.perf_counter()
        checks = run()
        elapsed = time.perf_counter() - t0
        verdict = "PASS" if all(c.passed for c in checks) else "FAIL"
        print(f"RiMEA test {number:2d} {title:<34s} {verdict}  ({elapsed:6.1f} s)", flush=True)
        for c in checks:
            mark = "ok " if c.passed else "BAD"
            print(
                f"    {mark} {c.quantity:<58s} {c.got:10.4g} {c.unit:<4s} "
                + f"target {c.expected_text} ({c.tolerance_text})",
                flush=True,
            )
    extra = cases.measure_large_corner(full=True) if 15 in selected else None
    if extra is not None:
        print(f"    test 15 median exit times: {extra.median_s}")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or sorted(TESTS))
