"""Validation cases of the evacuation model's building blocks against closed forms and sources.

Analytic: a lone walker's time to an exit, a lone walker's time on a stair lane. Published: the
PD 7974-6 pre-movement presets and the SFPE stair-to-corridor speed ratio. (The RiMEA test cases
of the whole model live in their own module.)
"""

from __future__ import annotations

import numpy as np
from shapely.geometry import box

from scenarios.evacuation.layout import EvacuationLayout, StairSpec
from scenarios.evacuation.model import AgentState, EvacuationModel
from scenarios.evacuation.population import PRE_MOVEMENT_PRESETS, AgentSpec
from scenarios.evacuation.stairs import stair_lanes, stair_speed_ratio
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


@validation_case(
    "evacuation/lone-walker-stair-time",
    title="A lone person walks down a 5 m stair lane at the SFPE stair speed",
    source="Closed form t = (L - 2 r) / (v0 k_stair / k_corridor) on the lane; k from "
    + "Gwynne & Rosenbaum (2016), SFPE Handbook ch. 59",
    kind="analytic",
)
def lone_walker_stair_time() -> list[Check]:
    """Time on a 4 m x 3 m stair (5 m along the pitch); 2 % covers entry and exit steps."""
    stair = StairSpec(
        id="S1",
        lower_key="L0",
        upper_key="L1",
        bottom_m=np.array([[7.0, 6.0], [8.2, 6.0]]),
        top_m=np.array([[3.0, 6.0], [4.2, 6.0]]),
        width_m=1.2,
        length_m=4.0,
        rise_m=3.0,
    )
    layout = EvacuationLayout.from_polygons(
        {"L0": box(0, 0, 10, 6), "L1": box(0, 0, 10, 6)},
        [("E", "L0", [[10.0, 2.4], [10.0, 3.6]])],
        elevations_m={"L0": 0.0, "L1": 3.0},
        stairs=[stair],
    )
    crowd = AgentSpec.create([[3.6, 5.0]], level="L1", desired_speed_m_s=1.2, radius_m=0.2)
    model = EvacuationModel(layout, crowd, rng=0, trajectory_interval_s=None)
    steps_on = 0
    while model.n_active and model.time_s < 30.0:
        model.advance(_DT_S)
        steps_on += int(model.state[0] == AgentState.ON_STAIRS)
    lane = stair_lanes(layout)[0]
    expected = (lane.length_m - 2 * 0.2) / (1.2 * lane.speed_ratio)
    return [
        Check(
            quantity="time on the stair",
            got=steps_on * _DT_S,
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
