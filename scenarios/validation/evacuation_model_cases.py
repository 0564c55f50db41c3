"""Validation cases of the evacuation model's building blocks against closed forms and sources.

Analytic: a lone walker's time to an exit, a lone walker's time on a stair lane. Published: the
PD 7974-6 pre-movement presets, the SFPE stair-to-corridor speed ratio, Weidmann's stair speeds
up and down walked by the model, and the default stair speeds (the SFPE speed split by direction
in Weidmann's proportion). (The RiMEA test cases of the whole model live in their own module.)
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from shapely.geometry import box

from scenarios.evacuation.layout import EvacuationLayout, StairSpec
from scenarios.evacuation.model import AgentState, EvacuationModel
from scenarios.evacuation.population import PRE_MOVEMENT_PRESETS, AgentSpec
from scenarios.evacuation.stairs import stair_lanes, stair_speed_ratio, stair_speed_ratios
from scenarios.validation.registry import Check, validation_case
from solvers.pedestrian import walking_speed

_DT_S = 0.05


@validation_case(
    "evacuation/lone-walker-exit-time",
    title="A lone person 8 m from an exit at 1.2 m/s is out after 8 / 1.2 s",
    source="Closed form t = d / v for free walking (collision-free speed model: V = v0 with "
    + "no one ahead; Tordeux, Chraibi & Seyfried 2016)",
    kind="analytic",
)
def lone_walker_exit_time() -> list[Check]:
    """Walk 8 m straight to a 1 m exit; 4 % covers the wall band of the floor field."""
    crowd = AgentSpec.create([[12.0, 3.0]], desired_speed_m_s=1.2)
    model = EvacuationModel.from_polygons(
        box(0, 0, 20, 6),
        {"E": [[20.0, 2.5], [20.0, 3.5]]},
        crowd,
        rng=0,
        trajectory_interval_s=None,
    )
    result = model.run_until_clear(max_time_s=30.0, dt_s=_DT_S)
    return [
        Check(quantity="exit time", got=result.rset_s, unit="s", expected=8.0 / 1.2, rel_tol=0.04),
        Check(
            quantity="distance walked",
            got=float(result.records["distance_m"][0]),
            unit="m",
            expected=8.0,
            rel_tol=0.04,
        ),
    ]


#: A 4 m x 3 m stair (5 m along the pitch, 1.2 m wide) between two 10 m x 6 m storeys: bottom at
#: x = 7-8.2 m and top at x = 3-4.2 m on the north side (y = 6 m), and a second one on the south
#: side (y = 0).
_STAIR_NORTH = StairSpec(
    id="S1",
    lower_key="L0",
    upper_key="L1",
    bottom_m=np.array([[7.0, 6.0], [8.2, 6.0]]),
    top_m=np.array([[3.0, 6.0], [4.2, 6.0]]),
    width_m=1.2,
    length_m=4.0,
    rise_m=3.0,
)
_STAIR_SOUTH = StairSpec(
    id="S2",
    lower_key="L0",
    upper_key="L1",
    bottom_m=np.array([[7.0, 0.0], [8.2, 0.0]]),
    top_m=np.array([[3.0, 0.0], [4.2, 0.0]]),
    width_m=1.2,
    length_m=4.0,
    rise_m=3.0,
)


def _stair_times_s(model: EvacuationModel, max_time_s: float) -> NDArray[np.float64]:
    """Run a model until everyone is out; return each person's time on a stair, s."""
    on = np.zeros(model.n)
    while model.n_active and model.time_s < max_time_s:
        model.advance(_DT_S)
        on += model.state == AgentState.ON_STAIRS
    return np.asarray(on * _DT_S, dtype=np.float64)


@validation_case(
    "evacuation/lone-walker-stair-time",
    title="A lone person walks down a 5 m stair lane at the model's descent speed",
    source="Closed form t = (L - 2 r) / (v0 r_down) on the lane, r_down the stair's speed ratio "
    + "going down (scenarios.evacuation.stairs.stair_speed_ratios)",
    kind="analytic",
)
def lone_walker_stair_time() -> list[Check]:
    """Time on a 4 m x 3 m stair (5 m along the pitch); 2 % covers entry and exit steps."""
    layout = EvacuationLayout.from_polygons(
        {"L0": box(0, 0, 10, 6), "L1": box(0, 0, 10, 6)},
        [("E", "L0", [[10.0, 2.4], [10.0, 3.6]])],
        elevations_m={"L0": 0.0, "L1": 3.0},
        stairs=[_STAIR_NORTH],
    )
    crowd = AgentSpec.create([[3.6, 5.0]], level="L1", desired_speed_m_s=1.2, radius_m=0.2)
    model = EvacuationModel(layout, crowd, rng=0, trajectory_interval_s=None)
    time_on = _stair_times_s(model, 30.0)[0]
    lane = stair_lanes(layout)[0]
    expected = (lane.length_m - 2 * 0.2) / (1.2 * lane.speed_ratio_down)
    return [
        Check(
            quantity="time on the stair",
            got=float(time_on),
            unit="s",
            expected=expected,
            rel_tol=0.02,
            abs_tol=2 * _DT_S,
        )
    ]


@validation_case(
    "evacuation/pd7974-pre-movement",
    title="Pre-movement presets meet the PD 7974-6 first-occupant and 99th-percentile times",
    source="BSI PD 7974-6:2004, Annex C, Table C.1, category A (M1 B1 A1: 0.5 + 1.0 min; "
    + "M2 B1 A2: 1.0 + 2.0 min)",
    kind="published",
)
def pd7974_pre_movement() -> list[Check]:
    """Compare both percentiles; the fit passes through them, so the tolerance is rounding."""
    m1 = PRE_MOVEMENT_PRESETS["pd7974_a_m1"]
    m2 = PRE_MOVEMENT_PRESETS["pd7974_a_m2"]
    return [
        Check(
            quantity="M1 1st percentile",
            got=m1.quantile_s(0.01),
            unit="s",
            expected=30.0,
            rel_tol=1e-9,
        ),
        Check(
            quantity="M1 99th percentile",
            got=m1.quantile_s(0.99),
            unit="s",
            expected=90.0,
            rel_tol=1e-9,
        ),
        Check(
            quantity="M2 1st percentile",
            got=m2.quantile_s(0.01),
            unit="s",
            expected=60.0,
            rel_tol=1e-9,
        ),
        Check(
            quantity="M2 99th percentile",
            got=m2.quantile_s(0.99),
            unit="s",
            expected=180.0,
            rel_tol=1e-9,
        ),
    ]


@validation_case(
    "evacuation/sfpe-stair-speed-ratio",
    title="Stairs of 7 in risers and 11 in treads are walked at 1.08 / 1.40 of corridor speed",
    source="Gwynne, S.M.V., Rosenbaum, E.R. (2016). Employing the hydraulic model in assessing "
    + "emergency movement. SFPE Handbook, 5th ed., ch. 59, k table (stairs 7/11: 1.08 m/s; "
    + "corridors: 1.40 m/s)",
    kind="published",
)
def sfpe_stair_speed_ratio() -> list[Check]:
    """Compare the ratio of the k factors; exact."""
    got = stair_speed_ratio(7.0, 11.0)
    ratio = walking_speed.SFPE_K_STAIRS_M_S[(7.0, 11.0)] / walking_speed.SFPE_K_CORRIDOR_M_S
    return [
        Check(quantity="stair / corridor speed", got=got, expected=1.08 / 1.40, rel_tol=1e-9),
        Check(quantity="stair / corridor speed (library k)", got=got, expected=ratio, rel_tol=1e-9),
    ]


@validation_case(
    "evacuation/weidmann-stair-speeds",
    title="People at 1.34 m/s climb a stair at 0.610 m/s and descend it at 0.694 m/s (plan)",
    source="Weidmann, U. (1993). Transporttechnik der Fussgänger. Schriftenreihe des IVT Nr. 90, "
    + "ETH Zürich: mean speeds on stairs, horizontal, 0.610 m/s up and 0.694 m/s down, for a "
    + "mean free speed of 1.34 m/s on the flat",
    kind="published",
)
def weidmann_stair_speeds() -> list[Check]:
    """Two lone walkers at 1.34 m/s on two 4 m x 3 m stairs, one up and one down.

    The model runs with the ``"weidmann_direction"`` stair speeds; each walker's horizontal
    speed is their time on the lane over the plan length walked, ``(L - 2 r) cos(pitch)``. 2 %
    covers the steps at which they step on and off (0.05 s in about 6 s).
    """
    layout = EvacuationLayout.from_polygons(
        {"L0": box(0, 0, 10, 6), "L1": box(0, 0, 10, 6)},
        [("E0", "L0", [[10.0, 2.4], [10.0, 3.6]]), ("E1", "L1", [[10.0, 2.4], [10.0, 3.6]])],
        elevations_m={"L0": 0.0, "L1": 3.0},
        stairs=[_STAIR_NORTH, _STAIR_SOUTH],
    )
    r = 0.2
    crowd = AgentSpec.create(
        [[7.6, 0.6], [3.6, 5.4]],
        level=["L0", "L1"],
        exit_id=["E1", "E0"],
        desired_speed_m_s=walking_speed.WEIDMANN_FREE_SPEED_M_S,
        radius_m=r,
    )
    model = EvacuationModel(
        layout,
        crowd,
        rng=0,
        trajectory_interval_s=None,
        stair_speed_model="weidmann_direction",
    )
    time_up, time_down = _stair_times_s(model, 40.0)
    spec = _STAIR_NORTH
    plan_m = (spec.slope_length_m - 2 * r) * spec.length_m / spec.slope_length_m
    return [
        Check(
            quantity="horizontal speed going up",
            got=plan_m / float(time_up),
            unit="m/s",
            expected=walking_speed.WEIDMANN_STAIR_UP_SPEED_M_S,
            rel_tol=0.02,
        ),
        Check(
            quantity="horizontal speed going down",
            got=plan_m / float(time_down),
            unit="m/s",
            expected=walking_speed.WEIDMANN_STAIR_DOWN_SPEED_M_S,
            rel_tol=0.02,
        ),
    ]


@validation_case(
    "evacuation/stair-speeds-by-direction",
    title="Default stair speeds: the SFPE speed on a round trip, Weidmann's ratio down / up",
    source="Gwynne & Rosenbaum (2016), SFPE Handbook ch. 59 (k: stairs 7/11 in 1.08 m/s, "
    + "corridors 1.40 m/s); Weidmann (1993), stair speeds 0.694 m/s down, 0.610 m/s up",
    kind="published",
)
def stair_speeds_by_direction() -> list[Check]:
    """Compare the default model on a 7 in / 11 in stair with both sources; exact arithmetic."""
    up, down = stair_speed_ratios(7.0, 11.0)
    return [
        Check(
            quantity="round-trip (harmonic mean) stair / corridor speed",
            got=2.0 * up * down / (up + down),
            expected=1.08 / 1.40,
            rel_tol=1e-9,
        ),
        Check(
            quantity="descent / ascent speed",
            got=down / up,
            expected=0.694 / 0.610,
            rel_tol=1e-9,
        ),
    ]
