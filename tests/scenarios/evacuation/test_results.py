"""Results: records, evacuation curves, flows, densities, RSET statistics and PedPy files."""

from __future__ import annotations

import numpy as np
import pedpy
import pytest
from shapely.geometry import box

from geometry.grid import Grid2D
from scenarios.evacuation.layout import EvacuationLayout
from scenarios.evacuation.model import EvacuationModel
from scenarios.evacuation.population import PreMovementDistribution, spawn_agents
from scenarios.evacuation.results import (
    RECORD_DTYPE,
    EvacuationResult,
    Trajectories,
    rset_statistics,
    write_trajectory_sqlite,
    write_trajectory_txt,
)
from solvers.errors import InvalidInputError


@pytest.fixture(scope="module")
def result() -> EvacuationResult:
    """Twenty people leaving a 12 m x 8 m room by two exits, frames every 0.2 s."""
    layout = EvacuationLayout.from_polygons(
        box(0, 0, 12, 8),
        {"E": [[12, 3.5], [12, 4.5]], "W": [[0, 3.5], [0, 4.5]]},
        spawn_areas={"a": box(0, 0, 12, 8)},
    )
    crowd = spawn_agents(layout, {"a": 20}, rng=1, pre_movement=PreMovementDistribution.fixed(0))
    model = EvacuationModel(layout, crowd, rng=1, trajectory_interval_s=0.2)
    return model.run_until_clear(60.0, 0.05)


def synthetic(times, exits) -> EvacuationResult:
    rec = np.zeros(len(times), dtype=RECORD_DTYPE)
    rec["exit_time_s"] = times
    rec["exit"] = exits
    rec["outcome"] = np.where(np.isfinite(times), "evacuated", "inside")
    empty = np.zeros(0)
    traj = Trajectories(
        interval_s=1.0,
        frame=empty.astype(np.int64),
        id=empty.astype(np.int64),
        x_m=empty,
        y_m=empty,
        z_m=empty,
        level=empty.astype(np.int64),
    )
    return EvacuationResult(
        records=rec,
        trajectories=traj,
        exit_ids=("A", "B"),
        level_keys=("L0",),
        end_time_s=10.0,
        dt_s=0.05,
    )


def test_curves_and_flows_of_a_known_record():
    res = synthetic(np.array([1.0, 2.0, 2.5, 4.0]), np.array(["A", "A", "B", "A"]))
    t, count = res.evacuation_curve()
    assert t.tolist() == [1.0, 2.0, 2.5, 4.0]
    assert count.tolist() == [1, 2, 3, 4]
    assert res.evacuation_curve("B")[0].tolist() == [2.5]
    assert res.rset_s == 4.0
    assert res.mean_flow_p_s("A") == pytest.approx(2 / 3)
    starts, flows = res.flow_per_exit(bin_s=2.0)
    assert starts.tolist() == [0.0, 2.0, 4.0, 6.0, 8.0]
    assert flows["A"].tolist() == [0.5, 0.5, 0.5, 0.0, 0.0]
    assert flows["B"].tolist() == [0.0, 0.5, 0.0, 0.0, 0.0]
    assert res.outcome_counts()["evacuated"] == 4
    with pytest.raises(InvalidInputError, match=r"known exits: \['A', 'B'\]"):
        res.exit_times_s("C")
    with pytest.raises(InvalidInputError, match="bin_s"):
        res.flow_per_exit(0.0)


def test_rset_is_infinite_while_someone_is_inside():
    res = synthetic(np.array([1.0, np.inf]), np.array(["A", ""]))
    assert res.rset_s == np.inf
    assert not res.is_clear


def test_rset_statistics_over_runs():
    stats = rset_statistics([100.0, 110.0, 120.0, 130.0], percentiles=(0, 50, 100))
    assert stats.n_runs == 4
    assert stats.mean_s == pytest.approx(115.0)
    assert stats.sd_s == pytest.approx(np.std([100, 110, 120, 130], ddof=1))
    assert stats.percentiles_s == {0.0: 100.0, 50.0: 115.0, 100.0: 130.0}
    assert rset_statistics([synthetic(np.array([3.0]), np.array(["A"]))]).mean_s == 3.0
    with pytest.raises(InvalidInputError, match="every run must finish"):
        rset_statistics([1.0, np.inf])
    with pytest.raises(InvalidInputError, match="runs is empty"):
        rset_statistics([])
    with pytest.raises(InvalidInputError, match="percentile"):
        rset_statistics([1.0], percentiles=(101,))


def test_run_records_are_complete(result):
    rec = result.records
    assert result.n_people == 20
    assert result.is_clear
    assert set(rec["exit"].tolist()) == {"E", "W"}
    assert np.all(np.diff(result.evacuation_curve()[0]) >= 0)
    assert np.all(rec["distance_m"] > 0)
    assert np.all(rec["exit_time_s"] <= result.end_time_s + 1e-9)
    per_exit = sum(len(result.evacuation_curve(e)[0]) for e in result.exit_ids)
    assert per_exit == 20


def test_density_map_counts_people_per_square_metre(result):
    grid = Grid2D((0.0, 0.0), 12.0, (1, 1))  # one cell over the whole room
    first = result.density_map(grid, t_start_s=0.0, t_end_s=0.0)
    assert first[0, 0] == pytest.approx(20 / 144.0)
    later = result.density_map(grid)
    assert 0.0 < later[0, 0] < first[0, 0]


def test_trajectory_dataframe_builds_pedpy_data(result):
    df = result.trajectories.to_dataframe()
    assert list(df.columns) == ["id", "frame", "x", "y", "z"]
    traj = pedpy.TrajectoryData(data=df, frame_rate=result.trajectories.frame_rate)
    assert traj.frame_rate == pytest.approx(5.0)
    assert set(traj.data["id"]) == set(range(20))


def test_text_trajectory_file_loads_in_pedpy(result, tmp_path):
    path = write_trajectory_txt(tmp_path / "run.txt", result.trajectories)
    assert path.read_text().startswith("# framerate: 5")
    traj = pedpy.load_trajectory(trajectory_file=path)
    assert traj.frame_rate == pytest.approx(5.0)
    assert len(traj.data) == result.trajectories.n_samples
    np.testing.assert_allclose(
        np.sort(traj.data["x"].to_numpy()), np.sort(result.trajectories.x_m), atol=1e-4
    )


def test_sqlite_trajectory_file_loads_in_pedpy(result, tmp_path):
    path = write_trajectory_sqlite(
        tmp_path / "run.sqlite", result.trajectories, walkable_wkt=box(0, 0, 12, 8).wkt
    )
    traj = pedpy.load_trajectory_from_jupedsim_sqlite(trajectory_file=path)
    assert traj.frame_rate == pytest.approx(5.0)
    assert len(traj.data) == result.trajectories.n_samples
    area = pedpy.load_walkable_area_from_jupedsim_sqlite(trajectory_file=path)
    assert area.polygon.area == pytest.approx(96.0)
