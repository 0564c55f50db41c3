"""The derived runtime view of a site: floor plans, the outdoor level, solids, grids and voxels.

A :class:`SiteView` is built from a :class:`~twin.site.Site` and computes everything the engine
needs from the site's geometry once, on first use (``functools.cached_property`` and per-key
caches). It reads the referenced mesh and plan files the first time they are needed and never
touches files afterwards.

Levels are named by a *level key*: ``"outdoor"`` for the site outside the buildings, and
``"<building_id>/<level_id>"`` for a storey (e.g. ``"control_building/L0"``).

How each piece is made:

- a building level comes from its plan file (:func:`geometry.vector_io.load_plan`) or, without one,
  from the building mesh cut at the level's elevation (:func:`geometry.slicing.slice_level`, walls
  cut at ``grids.body_height_m`` above the floor);
- its openings are the site file's doors and exits on that level (a level with none in the site
  file keeps the plan file's); they also cut a gap through plan walls;
- solids are the building meshes (or plan footprints extruded to the top level's ceiling), and the
  equipment and structures as watertight meshes: their mesh file, else their shape
  (:mod:`geometry.primitives`);
- the outdoor level is the fence polygon minus the building footprints (lowest level's floor and
  walls, holes filled) minus the section at body height of the equipment and structure solids with
  ``is_obstacle`` (the same solids the obstacle voxels are made of); the gates are its openings
  (kind ``"gate"``);
- a navigation grid keeps the cells whose centre is walkable and whose square does not overlap an
  obstacle, then carves the level's openings back
  (:func:`geometry.navigation_grid.walkable_cells`), so no 4-neighbour step goes through a wall;
- the obstacle voxels are the buildings' filled envelopes (footprint extruded from the lowest floor
  to the roof) and the solids of equipment and structures with ``is_obstacle``, a cell being solid
  wherever a solid reaches into it (:func:`geometry.voxels.voxelise`, overlap rule).
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterator
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry import MultiPolygon, Polygon

from geometry.errors import FloorPlanError
from geometry.floor_plan import FloorPlan, Level, Opening, Room, Stair
from geometry.grid import Grid2D, Grid3D
from geometry.navigation_grid import walkable_cells
from geometry.plan_layers import cut_wall_gaps
from geometry.regions import fill_holes, polygonal
from twin.errors import UnknownIdError

if TYPE_CHECKING:
    import trimesh

    from geometry.mesh_io import MeshModel
    from twin.site import Building, Equipment, LevelInfo, MeshSource, Shape, Site, Structure

__all__ = ["OUTDOOR", "ExitRef", "SiteView", "level_key", "site_view"]

logger = logging.getLogger(__name__)

#: Level key of the outdoor site.
OUTDOOR = "outdoor"

#: Half-width, m, of the gap a site-file door or exit cuts through the walls of a plan (each side
#: of the segment); covers walls up to 0.6 m thick.
OPENING_WALL_CUT_M = 0.3


def level_key(building_id: str | None, level_id: str) -> str:
    """Level key: ``"<building_id>/<level_id>"``, or ``"outdoor"`` when ``building_id`` is None."""
    return OUTDOOR if building_id is None else f"{building_id}/{level_id}"


@dataclasses.dataclass(frozen=True, slots=True)
class ExitRef:
    """A way out: a building exit or a fence gate, with the level it is on.

    Attributes
    ----------
    level_key : str
        ``"<building_id>/<level_id>"`` for a building exit, ``"outdoor"`` for a gate.
    opening : Opening
        The exit (kind ``"exit"``) or gate (kind ``"gate"``).
    building_id : str or None
        The building left through this exit; None for gates.
    """

    level_key: str
    opening: Opening
    building_id: str | None = None


def _primitive_mesh(shape: Shape, position_m: NDArray[np.float64]) -> trimesh.Trimesh:
    """Watertight mesh of a primitive shape placed at ``position_m`` (3,) m."""
    from geometry import primitives
    from twin.site import Box, Cylinder, Pipe

    pos = tuple(float(v) for v in position_m)
    if isinstance(shape, Cylinder):
        return primitives.cylinder_mesh(
            base_centre_m=pos, diameter_m=shape.diameter_m, height_m=shape.height_m
        )
    if isinstance(shape, Box):
        return primitives.box_mesh(base_centre_m=pos, size_m=tuple(float(v) for v in shape.size_m))
    if isinstance(shape, Pipe):
        return primitives.pipe_mesh(path_m=shape.path_m, diameter_m=shape.diameter_m)
    return primitives.wall_mesh(
        path_m=shape.path_m,
        height_m=shape.height_m,
        thickness_m=shape.thickness_m,
        base_z_m=pos[2],
    )


class SiteView:
    """Derived geometry of a site, computed once on first use.

    Parameters
    ----------
    site : Site
        The site; it is immutable, so every result here can be cached.

    Notes
    -----
    Building levels and the outdoor level are :class:`geometry.floor_plan.Level` objects; grids are
    :class:`geometry.grid.Grid2D` / :class:`~geometry.grid.Grid3D`. Use :meth:`twin.site.Site.view`
    to get the cached view of a site.
    """

    def __init__(self, site: Site) -> None:
        self.site = site
        self._meshes: dict[tuple[Any, ...], MeshModel] = {}
        self._levels: dict[str, Level] = {}
        self._plan_openings: dict[str, tuple[Opening, ...]] = {}
        self._plan_rooms: dict[str, tuple[Room, ...]] = {}
        self._plans: dict[str, FloorPlan] = {}
        self._footprints: dict[str, Polygon | MultiPolygon] = {}
        self._solids: dict[str, trimesh.Trimesh] = {}  # by id: ids are unique across kinds
        self._envelopes: dict[str, trimesh.Trimesh] = {}
        self._nav: dict[tuple[str, float], tuple[Grid2D, NDArray[np.bool_]]] = {}
        self._voxels: dict[float, tuple[Grid3D, NDArray[np.bool_]]] = {}

    def __repr__(self) -> str:
        return f"SiteView(site={self.site.name!r}, levels={self.level_keys})"

    # -------------------------------------------------------------------------------------- files

    def mesh_model(self, source: MeshSource) -> MeshModel:
        """Return the mesh file of ``source`` loaded and placed in the site frame, read once."""
        key = (
            str(source.file),
            source.units,
            source.up_axis,
            tuple(source.offset_m.tolist()),
            source.rotation_deg,
        )
        model = self._meshes.get(key)
        if model is None:
            from geometry.mesh_io import load_mesh

            model = load_mesh(
                source.file,
                units=source.units,
                up_axis=source.up_axis,
                offset_m=tuple(float(v) for v in source.offset_m),
                rotation_deg=source.rotation_deg,
            )
            self._meshes[key] = model
        return model

    # ------------------------------------------------------------------------------------- levels

    @property
    def level_keys(self) -> list[str]:
        """All level keys: every building level, then ``"outdoor"``."""
        return [level_key(b.id, lv.id) for b in self.site.buildings for lv in b.levels] + [OUTDOOR]

    def _split_key(self, key: str) -> tuple[Building, LevelInfo]:
        building_id, sep, level_id = key.partition("/")
        try:
            if not sep:
                raise UnknownIdError("level key", key, [])
            building = self.site.building(building_id)
            return building, building.level(level_id)
        except UnknownIdError:
            raise UnknownIdError("level key", key, self.level_keys) from None

    def level(self, key: str) -> Level:
        """Return the walkable level named by a level key.

        Parameters
        ----------
        key : str
            ``"outdoor"`` or ``"<building_id>/<level_id>"``.

        Returns
        -------
        Level
            Walkable region and obstacles, m.

        Raises
        ------
        UnknownIdError
            If the key names no level (the message lists the keys).
        GeometryError
            If the plan or mesh cannot be read or leaves no walkable area.
        """
        if key == OUTDOOR:
            return self.outdoor_level
        cached = self._levels.get(key)
        if cached is None:
            building, info = self._split_key(key)
            cached = self._build_level(building, info)
            self._levels[key] = cached
        return cached

    def _build_level(self, building: Building, info: LevelInfo) -> Level:
        key = level_key(building.id, info.id)
        site_openings = tuple(
            o.to_opening() for o in (*building.doors, *building.exits) if o.level_id == info.id
        )
        if info.plan is not None:
            from geometry.vector_io import load_plan

            layers = load_plan(
                info.plan.file,
                units=info.plan.units,
                offset_m=tuple(float(v) for v in info.plan.offset_m),
                rotation_deg=info.plan.rotation_deg,
                wall_thickness_m=info.plan.wall_thickness_m,
            )
            if site_openings:
                # the site file's openings replace the plan's and open their own wall gaps; they
                # are checked against the level by twin.validation, not here
                walls = cut_wall_gaps(
                    layers.walls,
                    (o.segment_m for o in site_openings),
                    half_width_m=OPENING_WALL_CUT_M,
                )
                layers = dataclasses.replace(layers, walls=walls, doors=(), exits=())
            level, plan_openings, plan_rooms = layers.to_level(
                level_id=info.id, elevation_m=info.elevation_m
            )
            self._plan_openings[key] = site_openings or plan_openings
            self._plan_rooms[key] = plan_rooms
            return level
        if building.mesh is None:
            raise FloorPlanError(
                f"building {building.id!r} level {info.id!r}: no plan file and no building mesh"
            )
        from geometry.slicing import slice_level

        model = self.mesh_model(building.mesh)
        self._plan_openings[key] = site_openings
        return slice_level(
            model,
            level_id=info.id,
            elevation_m=info.elevation_m,
            body_height_m=self.site.grids.body_height_m,
        )

    def building_plan(self, building_id: str) -> FloorPlan:
        """Levels, openings, stairs and rooms of one building.

        Parameters
        ----------
        building_id : str
            Building id.

        Returns
        -------
        FloorPlan
            Levels (ids as in the site file, in file order); openings: the doors (kind ``"door"``)
            and exits (kind ``"exit"``) of the site file; stairs with their rise from the level
            elevations; rooms of the site file (a level with no room in the site file keeps the
            plan file's rooms).

        Raises
        ------
        UnknownIdError
            If the building is unknown.
        GeometryError
            If a level cannot be built.
        """
        cached = self._plans.get(building_id)
        if cached is not None:
            return cached
        building = self.site.building(building_id)
        levels = tuple(self.level(level_key(building.id, lv.id)) for lv in building.levels)
        openings: list[Opening] = []
        rooms: list[Room] = []
        for lv in building.levels:
            key = level_key(building.id, lv.id)
            openings += self._plan_openings.get(key, ())
            site_rooms = [
                Room(id=r.id, level_id=r.level_id, polygon=r.polygon, name=r.name)
                for r in building.rooms
                if r.level_id == lv.id
            ]
            rooms += site_rooms or list(self._plan_rooms.get(key, ()))
        elevation = {lv.id: lv.elevation_m for lv in building.levels}
        stairs = tuple(
            Stair(
                id=s.id,
                lower_level_id=s.lower_level_id,
                upper_level_id=s.upper_level_id,
                bottom_m=s.bottom_m,
                top_m=s.top_m,
                width_m=s.width_m,
                length_m=s.length_m,
                rise_m=elevation[s.upper_level_id] - elevation[s.lower_level_id],
            )
            for s in building.stairs
        )
        plan = FloorPlan(levels=levels, openings=tuple(openings), stairs=stairs, rooms=tuple(rooms))
        self._plans[building_id] = plan
        return plan

    def building_footprint(self, building_id: str) -> Polygon | MultiPolygon:
        """Plan footprint of a building: its lowest level's floor and walls, holes filled, m."""
        cached = self._footprints.get(building_id)
        if cached is None:
            building = self.site.building(building_id)
            lowest = min(building.levels, key=lambda lv: lv.elevation_m)
            level = self.level(level_key(building.id, lowest.id))
            cached = fill_holes(polygonal(shapely.union(level.walkable, level.obstacles)))
            self._footprints[building_id] = cached
        return cached

    @cached_property
    def obstacle_section(self) -> Polygon | MultiPolygon:
        """Solids of equipment and structures with ``is_obstacle`` cut at ``body_height_m``, m.

        The cut is :func:`geometry.slicing.section_polygons` of the same meshes the obstacle voxels
        are made of, so walking and wind see the same obstacles.
        """
        from geometry.slicing import section_polygons

        solids = [self._item_solid(item) for item in self._solid_items() if item.is_obstacle]
        return section_polygons(solids, self.site.grids.body_height_m)

    @cached_property
    def gates(self) -> tuple[Opening, ...]:
        """Fence gates as openings of kind ``"gate"`` on the outdoor level (open and closed)."""
        return tuple(
            Opening(id=g.id, level_id=OUTDOOR, segment_m=g.segment_m, kind="gate")
            for g in self.site.fence.gates
        )

    @cached_property
    def outdoor_level(self) -> Level:
        """The outdoor site (id ``"outdoor"``, elevation 0): fence - buildings - obstacles.

        Raises
        ------
        GeometryError
            If nothing walkable is left inside the fence.
        """
        fence = self.site.fence.polygon
        footprints = [self.building_footprint(b.id) for b in self.site.buildings]
        solid = polygonal(shapely.union_all([*footprints, self.obstacle_section]))
        walkable = polygonal(shapely.difference(fence, solid))
        return Level(id=OUTDOOR, elevation_m=0.0, walkable=walkable, obstacles=solid)

    @cached_property
    def outdoor_plan(self) -> FloorPlan:
        """The outdoor level with the gates as its openings."""
        return FloorPlan(levels=(self.outdoor_level,), openings=self.gates)

    # ------------------------------------------------------------------------------------- solids

    def _solid_items(self) -> Iterator[Equipment | Structure]:
        yield from self.site.equipment
        yield from self.site.structures

    def _item_solid(self, item: Equipment | Structure) -> trimesh.Trimesh:
        """Watertight solid of an equipment item or structure: its mesh file, else its shape, m."""
        solid = self._solids.get(item.id)
        if solid is None:
            solid = (
                self.mesh_model(item.mesh).combined
                if item.mesh is not None
                else _primitive_mesh(item.shape, item.position_m)
            )
            self._solids[item.id] = solid
        return solid

    def item_solid(self, item_id: str) -> trimesh.Trimesh:
        """Return the solid of the equipment item or structure ``item_id`` (site frame, m)."""
        for item in self._solid_items():
            if item.id == item_id:
                return self._item_solid(item)
        known = sorted(i.id for i in self._solid_items())
        raise UnknownIdError("equipment or structure", item_id, known)

    def _building_solid(self, building: Building) -> trimesh.Trimesh:
        """Solid of a building: its mesh, else its footprint extruded over its storeys, m."""
        solid = self._solids.get(building.id)
        if solid is None:
            if building.mesh is not None:
                solid = self.mesh_model(building.mesh).combined
            else:
                from geometry.primitives import extrude_polygon_mesh

                z0 = min(lv.elevation_m for lv in building.levels)
                z1 = max(lv.elevation_m + lv.height_m for lv in building.levels)
                solid = extrude_polygon_mesh(
                    self.building_footprint(building.id), height_m=z1 - z0, base_z_m=z0
                )
            self._solids[building.id] = solid
        return solid

    def building_envelope(self, building_id: str) -> trimesh.Trimesh:
        """Return a building's filled envelope: its footprint from the lowest floor to the roof.

        The footprint is :meth:`building_footprint` (walls included, holes filled); the envelope
        rises from the lowest level's elevation to the top of the building mesh, or, for a building
        drawn as plans, to the top of its highest storey (elevation + height). This closed prism is
        what the obstacle voxels hold for a building: wind and gas go around a building, not
        through its rooms.

        Parameters
        ----------
        building_id : str
            Building id.

        Returns
        -------
        trimesh.Trimesh
            Closed prism in site coordinates, m.

        Raises
        ------
        UnknownIdError
            If the building is unknown.
        GeometryError
            If the footprint cannot be built or the roof is not above the lowest floor.
        """
        envelope = self._envelopes.get(building_id)
        if envelope is None:
            from geometry.primitives import extrude_polygon_mesh

            building = self.site.building(building_id)
            z0 = min(lv.elevation_m for lv in building.levels)
            if building.mesh is not None:
                z1 = float(self._building_solid(building).bounds[1, 2])
            else:
                z1 = max(lv.elevation_m + lv.height_m for lv in building.levels)
            envelope = extrude_polygon_mesh(
                self.building_footprint(building_id), height_m=z1 - z0, base_z_m=z0
            )
            self._envelopes[building_id] = envelope
        return envelope

    @cached_property
    def solid_meshes(self) -> dict[str, trimesh.Trimesh]:
        """Watertight solids of buildings, equipment and structures (site coordinates, m), by id."""
        out: dict[str, trimesh.Trimesh] = {
            b.id: self._building_solid(b) for b in self.site.buildings
        }
        out.update((item.id, self._item_solid(item)) for item in self._solid_items())
        return out

    # -------------------------------------------------------------------------------------- grids

    def navigation_grid(
        self, key: str, cell_size_m: float | None = None
    ) -> tuple[Grid2D, NDArray[np.bool_]]:
        """Walkable cells of a level on a regular grid; no 4-neighbour step crosses a wall.

        A cell is walkable when its centre is in the level's walkable region and its square shares
        no interior point with the level's obstacles (walls, columns, equipment cut at body
        height; touching a wall face is allowed); the cells of the level's doors and exits (for
        ``"outdoor"``: the gates and every building exit) are then carved back through the walls.
        Cells overlapping walls are lost, so a corridor keeps only its cells at least half a cell
        clear of its walls. See :mod:`geometry.navigation_grid`.

        Parameters
        ----------
        key : str
            Level key, ``"outdoor"`` or ``"<building_id>/<level_id>"``.
        cell_size_m : float, optional
            Cell edge, m; default ``grids.navigation_cell_m``.

        Returns
        -------
        grid : Grid2D
            Covers the level's walkable region (the fence for ``"outdoor"``) with one spare cell
            each side.
        walkable : (ny, nx) bool
            True where the cell is walkable (rule above); read-only.

        Raises
        ------
        UnknownIdError
            If the key names no level.
        GeometryError
            If the cell size is not > 0 or the grid would be too large.
        """
        cell = float(cell_size_m if cell_size_m is not None else self.site.grids.navigation_cell_m)
        cached = self._nav.get((key, cell))
        if cached is None:
            level = self.level(key)
            region = self.site.fence.polygon if key == OUTDOOR else level.walkable
            xmin, ymin, xmax, ymax = region.bounds
            grid = Grid2D.covering((xmin - cell, ymin - cell, xmax + cell, ymax + cell), cell)
            mask = walkable_cells(level, grid, openings=self._level_openings(key))
            mask.flags.writeable = False
            cached = self._nav[(key, cell)] = (grid, mask)
        return cached

    def _level_openings(self, key: str) -> tuple[Opening, ...]:
        """Return the openings carved into a level's grid: its doors and exits, or every way out."""
        if key == OUTDOOR:
            return tuple(e.opening for e in self.exits)
        building, info = self._split_key(key)
        return tuple(o for o in self.building_plan(building.id).openings if o.level_id == info.id)

    def obstacle_voxels(self, cell_size_m: float | None = None) -> tuple[Grid3D, NDArray[np.bool_]]:
        """Solid obstacles (buildings, and equipment and structures with ``is_obstacle``) as voxels.

        Buildings are their filled envelopes (:meth:`building_envelope`); equipment and structures
        their solids. A voxel is solid when a solid reaches into it (the overlap rule of
        :func:`geometry.voxels.voxelise`), so walls, slabs, pipe racks and thin plates are never
        lost between voxel centres; a solid's voxels cover it, grown by less than a cell on each
        side.

        Parameters
        ----------
        cell_size_m : float, optional
            Voxel edge, m; default ``grids.voxel_cell_m``.

        Returns
        -------
        grid : Grid3D
            Covers the fence bounds plus ``grids.margin_m`` on each side, from z = 0 up to
            ``grids.voxel_height_m``.
        solid : (nz, ny, nx) bool
            True where a solid reaches into the voxel; read-only.

        Raises
        ------
        GeometryError
            If the cell size is not > 0 or the grid would be too large.
        """
        cell = float(cell_size_m if cell_size_m is not None else self.site.grids.voxel_cell_m)
        cached = self._voxels.get(cell)
        if cached is None:
            from geometry.voxels import voxelise

            g = self.site.grids
            xmin, ymin, xmax, ymax = self.site.fence.polygon.bounds
            grid = Grid3D.covering(
                (
                    xmin - g.margin_m,
                    ymin - g.margin_m,
                    0.0,
                    xmax + g.margin_m,
                    ymax + g.margin_m,
                    g.voxel_height_m,
                ),
                cell,
            )
            meshes = [self.building_envelope(b.id) for b in self.site.buildings]
            meshes += [self._item_solid(i) for i in self._solid_items() if i.is_obstacle]
            solid = voxelise(meshes, grid, rule="overlap")
            solid.flags.writeable = False
            cached = self._voxels[cell] = (grid, solid)
        return cached

    # -------------------------------------------------------------------------------------- exits

    @cached_property
    def exits(self) -> tuple[ExitRef, ...]:
        """Every way out: building exits (with their level keys), then the fence gates."""
        out = [
            ExitRef(
                level_key=level_key(b.id, e.level_id),
                opening=e.to_opening(),
                building_id=b.id,
            )
            for b in self.site.buildings
            for e in b.exits
        ]
        out += [ExitRef(level_key=OUTDOOR, opening=g) for g in self.gates]
        return tuple(out)

    # ------------------------------------------------------------------------------------ summary

    def summary(self) -> dict[str, Any]:
        """Return a JSON-ready overview of the site (what ``hazard-twin twin inspect`` prints).

        Returns
        -------
        dict
            ``name``, ``description``, ``fence_area_m2``, ``outdoor_walkable_area_m2``, ``gates``,
            ``shifts``, ``population_by_shift``, ``people_outdoors_by_shift``, ``buildings`` (each
            with its ``levels``: elevation, walkable area, rooms, doors, exits, people per shift),
            ``equipment`` (one record per item), ``inventory_kg_by_fluid``,
            ``structures_by_kind``, ``detectors`` (grouped by kind, gas and alarm levels),
            ``muster_points``, ``zones`` and ``congested_areas``. SI units throughout. Geometry
            that cannot be built is reported under ``"error"`` instead of its numbers (the
            outdoor level under ``"outdoor_error"``, with ``outdoor_walkable_area_m2`` None).
        """
        site = self.site
        shifts = [s.id for s in site.shifts]
        buildings = []
        for b in site.buildings:
            levels: list[dict[str, Any]] = []
            for lv in b.levels:
                info: dict[str, Any] = {
                    "id": lv.id,
                    "elevation_m": lv.elevation_m,
                    "rooms": sum(1 for r in b.rooms if r.level_id == lv.id),
                    "doors": sum(1 for d in b.doors if d.level_id == lv.id),
                    "exits": [e.id for e in b.exits if e.level_id == lv.id],
                    "people_by_shift": {
                        s: sum(r.people(s) for r in b.rooms if r.level_id == lv.id) for s in shifts
                    },
                }
                try:
                    walkable = self.level(level_key(b.id, lv.id)).walkable_area_m2
                    info["walkable_area_m2"] = round(walkable, 3)
                except (ValueError, OSError, ImportError) as exc:
                    info["error"] = str(exc)
                levels.append(info)
            buildings.append(
                {
                    "id": b.id,
                    "name": b.name,
                    "use": b.use,
                    "is_shelter": b.is_shelter,
                    "stairs": len(b.stairs),
                    "people_by_shift": {s: b.people(s) for s in shifts},
                    "levels": levels,
                }
            )
        inventory: dict[str, float] = {}
        for e in site.equipment:
            inventory[e.fluid] = inventory.get(e.fluid, 0.0) + e.inventory_kg
        structures: dict[str, int] = {}
        for st in site.structures:
            structures[st.kind] = structures.get(st.kind, 0) + 1
        detector_groups: dict[tuple[str, str, str], int] = {}
        for d in site.detectors:
            key = (d.kind, d.gas or "", ", ".join(_alarm_text(a) for a in d.alarm_levels))
            detector_groups[key] = detector_groups.get(key, 0) + 1
        out: dict[str, Any] = {
            "name": site.name,
            "description": site.description,
            "fence_area_m2": round(site.fence.area_m2, 3),
            "gates": [
                {
                    "id": g.id,
                    "width_m": round(g.width_m, 3),
                    "is_open": g.is_open,
                }
                for g in site.fence.gates
            ],
            "shifts": shifts,
            "population_by_shift": site.population_by_shift(),
            "people_outdoors_by_shift": {s: site.people_outdoors(s) for s in shifts},
            "buildings": buildings,
            "equipment": [
                {
                    "id": e.id,
                    "kind": e.kind,
                    "fluid": e.fluid,
                    "inventory_kg": e.inventory_kg,
                    "pressure_pa": e.pressure_pa,
                    "temperature_k": e.temperature_k,
                    "valves": len(e.valves),
                }
                for e in site.equipment
            ],
            "inventory_kg_by_fluid": {k: inventory[k] for k in sorted(inventory)},
            "structures_by_kind": {k: structures[k] for k in sorted(structures)},
            "detectors": [
                {"kind": kind, "gas": gas, "alarm_levels": levels_text, "count": n}
                for (kind, gas, levels_text), n in detector_groups.items()
            ],
            "muster_points": [
                {
                    "id": m.id,
                    "kind": m.kind,
                    "capacity": m.capacity,
                    "building": m.building_id,
                    "position_m": [float(v) for v in m.position_m],
                }
                for m in site.muster_points
            ],
            "zones": [
                {
                    "id": z.id,
                    "kind": z.kind,
                    "area_m2": round(float(z.polygon.area), 1),
                    "people_by_shift": {s: z.people(s) for s in shifts},
                }
                for z in site.zones
            ],
            "congested_areas": [
                {
                    "id": c.id,
                    "volume_m3": round(c.volume_m3, 1),
                    "volume_blockage_ratio": c.volume_blockage_ratio,
                }
                for c in site.congested_areas
            ],
        }
        try:
            out["outdoor_walkable_area_m2"] = round(self.outdoor_level.walkable_area_m2, 3)
        except (ValueError, OSError, ImportError) as exc:
            out["outdoor_walkable_area_m2"] = None
            out["outdoor_error"] = str(exc)
        return out

    def grids_summary(self) -> dict[str, Any]:
        """Return the derived grids at the site's default resolutions, JSON-ready.

        Returns
        -------
        dict
            ``navigation``: per level key, the cell size (m), ``shape`` ``(ny, nx)`` and the
            number of walkable cells (:meth:`navigation_grid`); ``voxels``: cell size (m),
            ``shape`` ``(nz, ny, nx)``, solid cells and their volume (m^3; the overlap rule of
            :meth:`obstacle_voxels`, so at least the obstacles' volume). A grid that cannot be
            built is reported under ``"error"``.
        """
        navigation: list[dict[str, Any]] = []
        for key in self.level_keys:
            entry: dict[str, Any] = {"level": key, "cell_m": self.site.grids.navigation_cell_m}
            try:
                grid, mask = self.navigation_grid(key)
                entry |= {"shape": list(grid.shape), "walkable_cells": int(mask.sum())}
            except (ValueError, OSError) as exc:
                entry["error"] = str(exc)
            navigation.append(entry)
        voxels: dict[str, Any] = {"cell_m": self.site.grids.voxel_cell_m}
        try:
            grid3, solid = self.obstacle_voxels()
            n_solid = int(solid.sum())
            voxels |= {
                "shape": list(grid3.shape),
                "solid_cells": n_solid,
                "solid_volume_m3": n_solid * grid3.cell_size_m**3,
            }
        except (ValueError, OSError) as exc:
            voxels["error"] = str(exc)
        return {"navigation": navigation, "voxels": voxels}


def _alarm_text(level: Any) -> str:
    """One alarm level as display text, e.g. ``low 20% LFL`` or ``high 150 ppm``."""
    if level.fraction_of_lfl is not None:
        return f"{level.name} {level.fraction_of_lfl * 100:g}% LFL"
    if level.volume_fraction is not None:
        return f"{level.name} {level.volume_fraction * 1e6:g} ppm"
    return f"{level.name} {level.radiation_w_m2:g} W/m2"


def site_view(site: Site) -> SiteView:
    """Return the cached runtime view of ``site`` (same as ``site.view()``)."""
    return site.view()
