"""Evacuation speed: hazard-twin's collision-free speed model against JuPedSim's, same inputs.

Both engines get the same geometry (a room plus one small exit box outside each door), the same
agents (positions, desired speeds, radius 0.2 m, each assigned to the exit nearest in a straight
line), the same model parameters (JuPedSim's CollisionFreeSpeedModel defaults) and the same time
step (0.01 s, JuPedSim's default). An agent leaves when its centre enters its exit box, in both.
Steering differs by design: JuPedSim walks agents along its navigation-mesh route to the exit
box's centre; hazard-twin follows the exit's floor field (fast marching, wall-avoiding).

Cases
-----
``rimea9``  RiMEA test 9: a 30 m x 20 m room, four 1 m doors (two on each long side, 1 m from the
            corners), 1000 agents placed uniformly, desired speeds uniform in 1.2-1.4 m/s.
``open10k`` an open 100 m x 100 m yard with a 20 m gate in the middle of each side, 10,000 agents.

``--quick`` shrinks both (300 agents in RiMEA 9; 2,000 agents in a 45 m x 45 m yard with 9 m
gates). ``--engine model`` also runs hazard-twin through the crowd model
(:class:`scenarios.evacuation.model.EvacuationModel`, Mesa, one kernel call per step), which adds
its bookkeeping (states, exit crossing, route updates) to the kernel loop.

The numbers printed are wall-clock time of the whole run (setup excluded, floor fields included
for hazard-twin), agent-steps per second (sum over steps of agents still inside, divided by wall
time), the evacuation time (last agent out) and the ratios. Run with
``.venv/bin/python bench/bench_evacuation.py [--quick]``; nothing is asserted.

Allocator note: numpy's large temporaries (> 128 kB) make glibc return and re-map memory on every
step; ``--malloc-top-pad`` (on by default, ``--no-malloc-top-pad`` to disable) keeps 64 MB of heap
mapped (``mallopt(M_TOP_PAD)``), for the whole process, i.e. for both engines.
"""

from __future__ import annotations

import argparse
import ctypes
import time
from dataclasses import dataclass

import numpy as np
from shapely.geometry import Polygon, box
from shapely.ops import unary_union

from geometry.boundary_segments import boundary_segments
from geometry.grid import Grid2D, rasterise
from solvers.pedestrian import collision_free_speed as cfs
from solvers.pedestrian.floor_field import FloorField, FloorFieldStack, floor_field
from solvers.pedestrian.walls import walls_from_segments

DT_S = 0.01
RADIUS_M = 0.2
EXIT_DEPTH_M = 0.5
CELL_M = 0.1
M_TOP_PAD = -2  # glibc mallopt parameter number


@dataclass(frozen=True)
class Case:
    name: str
    room: Polygon
    exits: list[tuple[tuple[float, float], tuple[float, float]]]  # door segments on the boundary
    positions_m: np.ndarray
    speeds_m_s: np.ndarray
    max_time_s: float

    @property
    def exit_boxes(self) -> list[Polygon]:
        """One box just outside each door, EXIT_DEPTH_M deep."""
        out = []
        cx, cy = self.room.centroid.x, self.room.centroid.y
        for (x0, y0), (x1, y1) in self.exits:
            if y0 == y1:  # horizontal door
                dy = -EXIT_DEPTH_M if y0 < cy else EXIT_DEPTH_M
                out.append(box(min(x0, x1), min(y0, y0 + dy), max(x0, x1), max(y0, y0 + dy)))
            else:
                dx = -EXIT_DEPTH_M if x0 < cx else EXIT_DEPTH_M
                out.append(box(min(x0, x0 + dx), min(y0, y1), max(x0, x0 + dx), max(y0, y1)))
        return out

    @property
    def geometry(self) -> Polygon:
        return unary_union([self.room, *self.exit_boxes])

    def nearest_exit(self) -> np.ndarray:
        centres = np.array([b.centroid.coords[0] for b in self.exit_boxes])
        d = np.linalg.norm(self.positions_m[:, None, :] - centres[None], axis=2)
        return np.asarray(np.argmin(d, axis=1))


def _place(
    rng: np.random.Generator, bounds: tuple[float, float, float, float], n: int
) -> np.ndarray:
    """Uniform random positions, 0.45 m apart at least, 0.3 m clear of the walls."""
    from scipy.spatial import cKDTree

    x0, y0, x1, y1 = bounds
    pts = np.zeros((0, 2))
    while len(pts) < n:
        cand = rng.uniform([x0 + 0.3, y0 + 0.3], [x1 - 0.3, y1 - 0.3], (2 * n, 2))
        allp = np.concatenate([pts, cand])
        pairs = cKDTree(allp).query_pairs(0.45, output_type="ndarray")
        bad = np.zeros(len(allp), dtype=bool)
        # drop the later point of each close pair (keeps all accepted points)
        bad[np.maximum(pairs[:, 0], pairs[:, 1])] = True
        bad[: len(pts)] = False
        keep = allp[~bad]
        pts = keep[:n] if len(keep) >= n else keep
    return pts


def rimea9(n: int, seed: int) -> Case:
    rng = np.random.default_rng(seed)
    room = box(0.0, 0.0, 30.0, 20.0)
    exits = [((1.0, 0.0), (2.0, 0.0)), ((28.0, 0.0), (29.0, 0.0))]
    exits += [((1.0, 20.0), (2.0, 20.0)), ((28.0, 20.0), (29.0, 20.0))]
    pos = _place(rng, room.bounds, n)
    return Case("rimea9", room, exits, pos, rng.uniform(1.2, 1.4, n), 600.0)


def open_yard(n: int, side_m: float, gate_m: float, seed: int) -> Case:
    rng = np.random.default_rng(seed)
    room = box(0.0, 0.0, side_m, side_m)
    a, b = side_m / 2 - gate_m / 2, side_m / 2 + gate_m / 2
    exits = [((a, 0.0), (b, 0.0)), ((a, side_m), (b, side_m))]
    exits += [((0.0, a), (0.0, b)), ((side_m, a), (side_m, b))]
    pos = _place(rng, room.bounds, n)
    return Case(f"open{n // 1000}k", room, exits, pos, rng.uniform(1.2, 1.4, n), 900.0)


@dataclass(frozen=True)
class Run:
    engine: str
    wall_s: float
    agent_steps: int
    evacuation_s: float
    n_out: int


def run_jupedsim(case: Case) -> Run:
    import jupedsim as jps

    sim = jps.Simulation(model=jps.CollisionFreeSpeedModel(), geometry=case.geometry, dt=DT_S)
    stages = []
    for ebox in case.exit_boxes:
        stage = sim.add_exit_stage(ebox)
        stages.append((sim.add_journey(jps.JourneyDescription([stage])), stage))
    for p, v, e in zip(case.positions_m, case.speeds_m_s, case.nearest_exit(), strict=True):
        journey, stage = stages[e]
        sim.add_agent(
            jps.CollisionFreeSpeedModelAgentParameters(
                position=(float(p[0]), float(p[1])),
                desired_speed=float(v),
                radius=RADIUS_M,
                journey_id=journey,
                stage_id=stage,
            )
        )
    agent_steps = 0
    t0 = time.perf_counter()
    while sim.agent_count() > 0 and sim.elapsed_time() < case.max_time_s:
        agent_steps += sim.agent_count()
        sim.iterate()
    wall = time.perf_counter() - t0
    n_out = len(case.positions_m) - sim.agent_count()
    return Run("JuPedSim CFSM", wall, agent_steps, sim.elapsed_time(), n_out)


def _fields(case: Case) -> tuple[list[FloorField], Grid2D]:
    geom = case.geometry
    x0, y0, x1, y1 = geom.bounds
    grid = Grid2D.covering((x0 - CELL_M, y0 - CELL_M, x1 + CELL_M, y1 + CELL_M), CELL_M)
    walkable = rasterise(geom, grid)
    fields = [floor_field(grid, walkable, rasterise(b, grid)) for b in case.exit_boxes]
    return fields, grid


def run_kernel(case: Case) -> Run:
    """hazard-twin: a minimal loop over the CFSM kernel and one floor field per exit."""
    t_setup = time.perf_counter()
    walls = walls_from_segments(boundary_segments(case.geometry))
    fields, _ = _fields(case)
    setup = time.perf_counter() - t_setup
    stack = FloorFieldStack(tuple(fields))
    exit_of = case.nearest_exit()
    pos = case.positions_m.copy()
    speeds = case.speeds_m_s
    own_box = np.array([b.bounds for b in case.exit_boxes])[exit_of]
    n = len(pos)
    active = np.ones(n, dtype=bool)
    neighbours = None
    agent_steps = 0
    t = 0.0
    evacuated_at = 0.0
    t0 = time.perf_counter()
    while active.any() and t < case.max_time_s:
        agent_steps += int(active.sum())
        direction = stack.direction_at(pos, exit_of)
        res = cfs.step(
            pos,
            direction,
            speeds,
            RADIUS_M,
            walls=walls,
            dt_s=DT_S,
            active=active,
            neighbours=neighbours,
        )
        pos, neighbours = res.positions_m, res.neighbours
        t += DT_S
        inside = (
            (pos[:, 0] > own_box[:, 0])
            & (pos[:, 1] > own_box[:, 1])
            & (pos[:, 0] < own_box[:, 2])
            & (pos[:, 1] < own_box[:, 3])
        )
        leaving = active & inside
        if leaving.any():
            active &= ~inside
            evacuated_at = t
    wall = time.perf_counter() - t0
    print(f"    (hazard-twin setup: walls + {len(fields)} floor fields {setup:.2f} s, not timed)")
    return Run("hazard-twin CFSM kernel", wall, agent_steps, evacuated_at, int((~active).sum()))


def run_model(case: Case) -> Run:
    """hazard-twin through the crowd model (scenarios.evacuation.model.EvacuationModel)."""
    from scenarios.evacuation.model import EvacuationModel
    from scenarios.evacuation.population import AgentSpec

    exits = {f"E{k}": [list(a), list(b)] for k, (a, b) in enumerate(case.exits)}
    exit_ids = [f"E{k}" for k in case.nearest_exit()]
    spec = AgentSpec.create(
        case.positions_m, desired_speed_m_s=case.speeds_m_s, radius_m=RADIUS_M, exit_id=exit_ids
    )
    model = EvacuationModel.from_polygons(
        case.room, exits, spec, rng=0, trajectory_interval_s=None, cell_size_m=CELL_M
    )
    t0 = time.perf_counter()
    result = model.run_until_clear(max_time_s=case.max_time_s, dt_s=DT_S)
    wall = time.perf_counter() - t0
    steps = max(1, round(result.end_time_s / DT_S))
    return Run("hazard-twin EvacuationModel", wall, -steps, float(result.rset_s), result.n_out)


def _set_malloc_top_pad(enabled: bool) -> str:
    if not enabled:
        return "glibc defaults"
    try:
        libc = ctypes.CDLL("libc.so.6")
        ok = libc.mallopt(M_TOP_PAD, 64 * 1024 * 1024)
    except OSError:
        return "glibc defaults (libc not found)"
    return "mallopt(M_TOP_PAD, 64 MB)" if ok else "glibc defaults (mallopt refused)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="reduced cases (about a minute)")
    parser.add_argument("--cases", default="rimea9,open", help="comma list: rimea9, open")
    parser.add_argument(
        "--engine", default="kernel", help="hazard-twin engine(s): kernel, model or kernel,model"
    )
    parser.add_argument("--no-jupedsim", action="store_true", help="skip JuPedSim")
    parser.add_argument("--no-malloc-top-pad", action="store_true")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    allocator = _set_malloc_top_pad(not args.no_malloc_top_pad)
    print(f"dt = {DT_S} s for every engine; allocator: {allocator}")
    cases = []
    for name in args.cases.split(","):
        if name == "rimea9":
            cases.append(rimea9(300 if args.quick else 1000, args.seed))
        elif name == "open":
            cases.append(
                open_yard(2000, 45.0, 9.0, args.seed)
                if args.quick
                else open_yard(10000, 100.0, 20.0, args.seed)
            )
    for case in cases:
        print(f"\n== {case.name}: {len(case.positions_m)} agents, {len(case.exits)} exits ==")
        runs: list[Run] = []
        for engine in args.engine.split(","):
            runs.append(run_kernel(case) if engine == "kernel" else run_model(case))
            _print(runs[-1])
        ref = None
        if not args.no_jupedsim:
            ref = run_jupedsim(case)
            _print(ref)
        if ref is not None:
            for run in runs:
                print(
                    f"    {run.engine} vs JuPedSim: {ref.wall_s / run.wall_s:.2f}x faster, "
                    + f"evacuation time {run.evacuation_s:.1f} s vs {ref.evacuation_s:.1f} s "
                    + f"({100 * (run.evacuation_s / ref.evacuation_s - 1):+.1f} %)"
                )


def _print(run: Run) -> None:
    rate = f"{run.agent_steps / run.wall_s:12,.0f}" if run.agent_steps > 0 else " " * 12
    print(
        f"  {run.engine:<28s} wall {run.wall_s:8.2f} s  agent-steps/s {rate}  "
        + f"evacuation {run.evacuation_s:7.2f} s  out {run.n_out}"
    )


if __name__ == "__main__":
    main()
