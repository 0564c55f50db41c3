"""Evacuation plans: routes by area, known exits, and errors naming what exists."""

from __future__ import annotations

import pytest

from scenarios.evacuation.plan import EvacuationPlan, Route
from solvers.errors import InvalidInputError


def test_route_for_unnamed_area_is_empty():
    plan = EvacuationPlan(routes={"R1": Route(exit_id="E1", muster_id="M1")})
    assert plan.route_for("R1") == Route(exit_id="E1", muster_id="M1")
    assert plan.route_for("other") == Route()


def test_plan_naming_a_missing_exit_lists_the_known_exits():
    plan = EvacuationPlan(routes={"R1": Route(exit_id="E9")})
    with pytest.raises(
        InvalidInputError, match=r"'E9' does not exist; known exits: \['E1', 'E2'\]"
    ):
        plan.check_against(exit_ids=["E2", "E1"])


def test_plan_naming_a_missing_muster_point_lists_the_known_ones():
    plan = EvacuationPlan(routes={"R1": Route(exit_id="E1", muster_id="MX")})
    with pytest.raises(InvalidInputError, match=r"known muster points: \['M1'\]"):
        plan.check_against(exit_ids=["E1"], muster_ids=["M1"])


def test_plan_naming_a_missing_area_lists_rooms_and_zones():
    plan = EvacuationPlan(routes={"attic": Route(exit_id="E1")})
    with pytest.raises(InvalidInputError, match=r"area 'attic'.*\['R1', 'Z1'\]"):
        plan.check_against(exit_ids=["E1"], area_ids=["Z1", "R1"])


def test_known_exits_must_exist_and_hold_the_planned_exit():
    with pytest.raises(InvalidInputError, match="known_exits names exit 'E7'"):
        EvacuationPlan(known_exits=frozenset({"E7"})).check_against(exit_ids=["E1"])
    plan = EvacuationPlan(routes={"R1": Route(exit_id="E2")}, known_exits=frozenset({"E1"}))
    with pytest.raises(InvalidInputError, match="not among the plan's known_exits"):
        plan.check_against(exit_ids=["E1", "E2"])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"default_strategy": "random"}, "default_strategy = 'random'"),
        ({"known_exits": frozenset()}, "at least one exit"),
        ({"routes": {"R1": "E1"}}, "must be a Route"),
    ],
)
def test_bad_plans_are_refused(kwargs, message):
    with pytest.raises(InvalidInputError, match=message):
        EvacuationPlan(**kwargs)


def test_default_muster_must_exist():
    with pytest.raises(InvalidInputError, match="default_muster_id = 'M9'"):
        EvacuationPlan(default_muster_id="M9").check_against(exit_ids=["E1"], muster_ids=["M1"])
