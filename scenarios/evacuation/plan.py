"""Emergency plans: which exit and muster point each room or zone uses, and which exits people know.

An :class:`EvacuationPlan` maps the id of a spawn area (a room or an outdoor zone) to a
:class:`Route`: the exit its people head for and the muster point they walk to afterwards. Areas
the plan does not name follow the plan's default exit choice (``"nearest"`` or ``"quickest"``,
see :mod:`scenarios.evacuation.exit_choice`). ``known_exits`` restricts every choice to the exits
people are told about (signage, drills); ``None`` means every exit of the layout.

A plan is plain data; :meth:`EvacuationPlan.check_against` tests it against a layout and raises
an error that lists the known exits, muster points or areas when a name does not exist.

Examples
--------
>>> plan = EvacuationPlan(routes={"R1": Route(exit_id="E1")}, default_strategy="quickest")
>>> plan.route_for("R1").exit_id, plan.route_for("R9").exit_id
('E1', None)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from solvers.errors import InvalidInputError

__all__ = ["EXIT_STRATEGIES", "EvacuationPlan", "Route"]

#: Exit-choice strategies a plan or an agent may follow (see :mod:`~.exit_choice`).
EXIT_STRATEGIES = ("nearest", "quickest", "plan")


@dataclass(frozen=True, slots=True, kw_only=True)
class Route:
    """The way out of one area.

    Attributes
    ----------
    exit_id : str or None
        Exit (or gate) to use; None leaves the choice to the plan's default strategy.
    muster_id : str or None
        Muster point to walk to after leaving; None ends the evacuation at the exit.
    """

    exit_id: str | None = None
    muster_id: str | None = None


_NO_ROUTE = Route()


@dataclass(frozen=True, slots=True, kw_only=True)
class EvacuationPlan:
    """An evacuation plan: area -> exit -> muster point, known exits, default choice.

    Attributes
    ----------
    routes : Mapping[str, Route]
        Route by spawn-area id (room or zone id).
    known_exits : frozenset of str or None
        Exits people may choose among; None means all exits of the layout.
    default_strategy : str
        Choice for people whose area has no exit in ``routes``: ``"nearest"`` (shortest walk)
        or ``"quickest"`` (walk plus queue time).
    default_muster_id : str or None
        Muster point for areas whose route names none.
    """

    routes: Mapping[str, Route] = field(default_factory=dict)
    known_exits: frozenset[str] | None = None
    default_strategy: str = "nearest"
    default_muster_id: str | None = None

    def __post_init__(self) -> None:
        routes = dict(self.routes)
        for area, route in routes.items():
            if not isinstance(route, Route):
                raise InvalidInputError(
                    f"plan routes[{area!r}] = {route!r}: must be a "
                    + "Route(exit_id=..., muster_id=...)"
                )
        object.__setattr__(self, "routes", MappingProxyType(routes))
        if self.known_exits is not None:
            object.__setattr__(self, "known_exits", frozenset(self.known_exits))
            if not self.known_exits:
                raise InvalidInputError(
                    "plan known_exits = frozenset(): must name at least one exit, or be None "
                    + "for all exits"
                )
        if self.default_strategy not in ("nearest", "quickest"):
            raise InvalidInputError(
                f"plan default_strategy = {self.default_strategy!r}: choose one of "
                + "['nearest', 'quickest']"
            )

    def route_for(self, area_id: str) -> Route:
        """Return the route of an area; an empty :class:`Route` if the plan does not name it."""
        return self.routes.get(area_id, _NO_ROUTE)

    def check_against(
        self,
        *,
        exit_ids: Iterable[str],
        muster_ids: Iterable[str] = (),
        area_ids: Iterable[str] | None = None,
    ) -> None:
        """Raise unless every exit, muster point and area the plan names exists.

        Parameters
        ----------
        exit_ids : iterable of str
            Exits (and gates) of the layout.
        muster_ids : iterable of str
            Muster points of the layout.
        area_ids : iterable of str, optional
            Spawn areas (rooms, zones); None skips the area check.

        Raises
        ------
        InvalidInputError
            Naming the plan entry, the unknown id and the known ones.
        """
        exits = sorted(set(exit_ids))
        musters = sorted(set(muster_ids))
        for exit_id in sorted(self.known_exits or ()):
            if exit_id not in exits:
                raise InvalidInputError(
                    f"plan known_exits names exit {exit_id!r}, which does not exist; "
                    + f"known exits: {exits}"
                )
        if self.default_muster_id is not None and self.default_muster_id not in musters:
            raise InvalidInputError(
                f"plan default_muster_id = {self.default_muster_id!r} does not exist; "
                + f"known muster points: {musters}"
            )
        areas = None if area_ids is None else sorted(set(area_ids))
        for area, route in sorted(self.routes.items()):
            if areas is not None and area not in areas:
                raise InvalidInputError(
                    f"plan routes name area {area!r}, which does not exist; known rooms and "
                    + f"zones: {areas}"
                )
            if route.exit_id is not None and route.exit_id not in exits:
                raise InvalidInputError(
                    f"plan routes[{area!r}].exit_id = {route.exit_id!r} does not exist; "
                    + f"known exits: {exits}"
                )
            if (
                route.exit_id is not None
                and self.known_exits is not None
                and route.exit_id not in self.known_exits
            ):
                raise InvalidInputError(
                    f"plan routes[{area!r}].exit_id = {route.exit_id!r} is not among the plan's "
                    + f"known_exits {sorted(self.known_exits)}"
                )
            if route.muster_id is not None and route.muster_id not in musters:
                raise InvalidInputError(
                    f"plan routes[{area!r}].muster_id = {route.muster_id!r} does not exist; "
                    + f"known muster points: {musters}"
                )
