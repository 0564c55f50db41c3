"""Unit tests of twin.site and twin.convert: the frozen SI site model built from a site file."""

from __future__ import annotations

import dataclasses
import math
import pickle
from pathlib import Path

import numpy as np
import pytest

from twin import Site, UnknownIdError, load_site, to_site
from twin.site import Box, Cylinder, Pipe, Shift, Wall
from twin.store import load_site_file


@pytest.fixture
def small_site(small_site_path: Path) -> Site:
    return load_site(small_site_path, check_geometry=False)


def test_conversion_keeps_values_in_si(small_site: Site, small_site_path: Path) -> None:
    office = small_site.building("office")
    assert office.air_change_rate_per_s == pytest.approx(0.5 / 3600.0)
    assert office.air_changes_per_h == pytest.approx(0.5)
    (level,) = office.levels
    assert level.plan is not None
    assert level.plan.file == (small_site_path.parent / "office_L0.geojson").absolute()
    np.testing.assert_array_equal(level.plan.offset_m, [20.0, 10.0])
    tank = small_site.equipment_item("T1")
    assert isinstance(tank.shape, Cylinder)
    assert tank.shape.volume_m3 == pytest.approx(math.pi * 16.0 * 12.0)
    assert (tank.inventory_kg, tank.pressure_pa, tank.temperature_k) == (250000.0, 120000.0, 112.0)
    assert tank.valves[0].closure_time_s == 30.0
    assert small_site.detectors[0].alarm_levels[1].measure == ("fraction_of_lfl", 0.6)
    assert small_site.fence.area_m2 == 2400.0
    assert small_site.fence.gates[0].width_m == 4.0
    assert office.exits[0].width_m == pytest.approx(1.2)
    assert small_site.grids.voxel_cell_m == 1.0


def test_arrays_and_mappings_are_read_only(small_site: Site) -> None:
    tank = small_site.equipment[0]
    with pytest.raises(ValueError, match="read-only"):
        tank.position_m[0] = 1.0
    with pytest.raises(ValueError, match="read-only"):
        small_site.fence.polygon_m[0, 0] = 1.0
    with pytest.raises(TypeError):
        small_site.buildings[0].rooms[0].occupancy["day"] = 9  # type: ignore[index]
    with pytest.raises(dataclasses.FrozenInstanceError):
        small_site.name = "other"  # type: ignore[misc]


def test_population_helpers(small_site: Site) -> None:
    assert small_site.population_by_shift() == {"day": 7, "night": 1}
    assert small_site.people_in("office", "day") == 5
    assert small_site.people_in("office", "night") == 1
    assert small_site.people_outdoors("day") == 2
    with pytest.raises(
        UnknownIdError, match=r"shift = 'weekend'.*choose one of \['day', 'night'\]"
    ):
        small_site.people_in("office", "weekend")
    with pytest.raises(UnknownIdError, match=r"building = 'warehouse'.*choose one of \['office'\]"):
        small_site.people_in("warehouse", "day")
    with pytest.raises(UnknownIdError, match=r"level = 'L9' is not a level of building 'office'"):
        small_site.building("office").level("L9")
    with pytest.raises(UnknownIdError, match=r"equipment = 'P9'.*choose one of \['T1'\]"):
        small_site.equipment_item("P9")


def test_unknown_id_is_a_value_error_that_pickles() -> None:
    """The API and CLI map ValueError to a user error; sweeps send errors between processes."""
    err = UnknownIdError("shift", "late", ["day", "night"], "site 'x'")
    assert isinstance(err, ValueError)
    assert str(err) == "shift = 'late' is not a shift of site 'x'; choose one of ['day', 'night']"
    again = pickle.loads(pickle.dumps(err))
    assert (str(again), again.allowed) == (str(err), ["day", "night"])


def test_to_site_is_the_same_as_load(small_site_path: Path) -> None:
    spec, _ = load_site_file(small_site_path)
    site = to_site(spec, base_dir=small_site_path.parent)
    assert site.source is spec
    assert site.base_dir == small_site_path.parent.absolute()
    assert [b.id for b in site.buildings] == ["office"]


def test_shapes_know_their_volumes() -> None:
    assert Box(size_m=np.array([2.0, 3.0, 4.0])).volume_m3 == 24.0
    pipe = Pipe(path_m=np.array([[0.0, 0.0, 1.0], [3.0, 4.0, 1.0]]), diameter_m=0.2)
    assert pipe.length_m == 5.0
    assert pipe.volume_m3 == pytest.approx(math.pi * 0.01 * 5.0)
    wall = Wall(path_m=np.array([[0.0, 0.0], [10.0, 0.0]]), height_m=2.0, thickness_m=0.3)
    assert wall.volume_m3 == pytest.approx(6.0)


def test_arrays_of_the_wrong_shape_are_named() -> None:
    with pytest.raises(ValueError, match=r"Box\.size_m has shape \(2,\): .*shape \(3,\)"):
        Box(size_m=np.array([2.0, 3.0]))
    with pytest.raises(ValueError, match=r"Pipe\.path_m has shape \(2, 2\): .*shape \(n, 3\)"):
        Pipe(path_m=np.zeros((2, 2)), diameter_m=0.1)


def test_shift_duration_runs_past_midnight() -> None:
    assert Shift(id="day", start_h=7, end_h=19).duration_s == 12 * 3600
    assert Shift(id="night", start_h=19, end_h=7).duration_s == 12 * 3600
    assert Shift(id="all", start_h=0, end_h=24).duration_s == 24 * 3600


def test_site_pickles_without_its_cached_view(small_site_path: Path) -> None:
    """Sweeps send sites to worker processes: the copy must be complete and rebuild its own view."""
    site = load_site(small_site_path)
    area = site.view().level("office/L0").walkable_area_m2
    copy = pickle.loads(pickle.dumps(site))
    assert copy._cache == {}
    assert copy.source == site.source
    np.testing.assert_array_equal(copy.fence.polygon_m, site.fence.polygon_m)
    assert copy.view().level("office/L0").walkable_area_m2 == area
