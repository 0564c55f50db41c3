"""Results of an evacuation run: per-person records, trajectories, curves, flows, densities, RSET.

- :data:`RECORD_DTYPE`: one row per person (numpy structured array): id, start position and level,
  spawn area, pre-movement time, exit used and when, muster point and when, distance walked,
  doses (gas and heat fractional effective doses, toxic load), fatality probability and outcome.
- :class:`Trajectories`: positions sampled every ``interval_s`` as flat arrays (frame, id, x, y,
  z, level). :meth:`Trajectories.to_dataframe` gives the ``id, frame, x, y`` table PedPy's
  ``TrajectoryData(data, frame_rate)`` takes; :func:`write_trajectory_txt` and
  :func:`write_trajectory_sqlite` write files ``pedpy.load_trajectory`` and
  ``pedpy.load_trajectory_from_jupedsim_sqlite`` read.
- :class:`EvacuationResult`: the records and trajectories with the evacuation curve (people out
  against time, per exit and in total), the flow through each exit, density maps on a grid and
  the required safe egress time (RSET: time until the last person is out).
- :func:`rset_statistics`: mean, standard deviation and percentiles of RSET over runs with
  different seeds.

The evacuation model never opens files itself; the writers here replace their target atomically
(:mod:`geometry.atomic_file`).
"""

from __future__ import annotations

import math
import os
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from geometry.atomic_file import replacing, write_text_atomic
from geometry.grid import Grid2D
from solvers.errors import InvalidInputError

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "OUTCOMES",
    "RECORD_DTYPE",
    "EvacuationResult",
    "RsetStatistics",
    "Trajectories",
    "rset_statistics",
    "write_trajectory_sqlite",
    "write_trajectory_txt",
]

#: Outcome of each person at the end of a run.
OUTCOMES = ("evacuated", "mustered", "incapacitated", "inside")

#: One row per person.
RECORD_DTYPE = np.dtype(
    [
        ("id", np.int64),
        ("start_x_m", np.float64),
        ("start_y_m", np.float64),
        ("start_level", "U64"),
        ("area", "U64"),
        ("pre_movement_s", np.float64),
        ("exit", "U64"),
        ("exit_time_s", np.float64),
        ("muster", "U64"),
        ("muster_time_s", np.float64),
        ("distance_m", np.float64),
        ("fed_toxic", np.float64),
        ("fed_heat", np.float64),
        ("toxic_load_ppmn_min", np.float64),
        ("fatality_probability", np.float64),
        ("outcome", "U16"),
    ]
)


@dataclass(frozen=True, kw_only=True, eq=False)
class Trajectories:
    """Positions sampled at a fixed interval, as flat arrays of ``k`` samples.

    Attributes
    ----------
    interval_s : float
        Time between frames, s (frame ``f`` is at ``f * interval_s`` after the run's start).
    frame : (k,) int
        Frame number of each sample.
    id : (k,) int
        Person id.
    x_m, y_m, z_m : (k,) float
        Position, m (``z`` the floor elevation under the person).
    level : (k,) int
        Level index (layout order); -1 on a stair.
    """

    interval_s: float
    frame: NDArray[np.int64]
    id: NDArray[np.int64]
    x_m: NDArray[np.float64]
    y_m: NDArray[np.float64]
    z_m: NDArray[np.float64]
    level: NDArray[np.int64]

    @property
    def frame_rate(self) -> float:
        """Frames per second."""
        return 1.0 / self.interval_s

    @property
    def n_samples(self) -> int:
        """Number of samples ``k``."""
        return int(self.frame.shape[0])

    def to_dataframe(self) -> pd.DataFrame:
        """Return the samples as the table PedPy's ``TrajectoryData`` takes.

        Returns
        -------
        pandas.DataFrame
            Columns ``id, frame, x, y, z`` (m), sorted by frame then id. Build PedPy data with
            ``pedpy.TrajectoryData(data=df, frame_rate=traj.frame_rate)``.
        """
        import pandas as pd

        order = np.lexsort((self.id, self.frame))
        return pd.DataFrame(
            {
                "id": self.id[order],
                "frame": self.frame[order],
                "x": self.x_m[order],
                "y": self.y_m[order],
                "z": self.z_m[order],
            }
        )

    def of_level(self, level: int) -> Trajectories:
        """Return the samples on one level only."""
        keep = self.level == level
        return Trajectories(
            interval_s=self.interval_s,
            frame=self.frame[keep],
            id=self.id[keep],
            x_m=self.x_m[keep],
            y_m=self.y_m[keep],
            z_m=self.z_m[keep],
            level=self.level[keep],
        )


def write_trajectory_txt(path: str | os.PathLike[str], trajectories: Trajectories) -> Path:
    """Write trajectories as the plain-text format ``pedpy.load_trajectory`` reads.

    Header lines ``# framerate: <fps>`` and ``# x/m y/m z/m``, then one line ``id frame x y z``
    per sample, sorted by frame then id; the file is replaced atomically.

    Parameters
    ----------
    path : path-like
        Target file.
    trajectories : Trajectories
        Samples.

    Returns
    -------
    Path
        The file written.
    """
    order = np.lexsort((trajectories.id, trajectories.frame))
    lines = [
        f"# framerate: {trajectories.frame_rate:.6g}",
        "# x/m y/m z/m",
        "# id frame x y z",
    ]
    rows = np.column_stack(
        [
            trajectories.id[order],
            trajectories.frame[order],
            trajectories.x_m[order],
            trajectories.y_m[order],
            trajectories.z_m[order],
        ]
    )
    body = "\n".join(
        f"{int(i)} {int(f)} {x:.4f} {y:.4f} {z:.4f}" for i, f, x, y, z in rows.tolist()
    )
    return write_text_atomic(path, "\n".join(lines) + "\n" + body + ("\n" if body else ""))


def write_trajectory_sqlite(
    path: str | os.PathLike[str], trajectories: Trajectories, *, walkable_wkt: str | None = None
) -> Path:
    """Write trajectories as a JuPedSim-style SQLite file (version 1), replaced atomically.

    Tables: ``trajectory_data(frame, id, pos_x, pos_y, ori_x, ori_y)``, ``metadata(key, value)``
    with ``version = 1`` and ``fps``, and ``geometry(wkt)`` when ``walkable_wkt`` is given. PedPy
    reads it with ``pedpy.load_trajectory_from_jupedsim_sqlite``.

    Parameters
    ----------
    path : path-like
        Target file.
    trajectories : Trajectories
        Samples.
    walkable_wkt : str, optional
        Walkable area as WKT, for ``pedpy.load_walkable_area_from_jupedsim_sqlite``.

    Returns
    -------
    Path
        The file written.
    """
    order = np.lexsort((trajectories.id, trajectories.frame))
    rows = list(
        zip(
            trajectories.frame[order].tolist(),
            trajectories.id[order].tolist(),
            trajectories.x_m[order].tolist(),
            trajectories.y_m[order].tolist(),
            [0.0] * len(order),
            [0.0] * len(order),
            strict=True,
        )
    )
    with replacing(path) as tmp:
        con = sqlite3.connect(tmp)
        try:
            with con:
                con.execute(
                    "CREATE TABLE trajectory_data (frame INTEGER NOT NULL, id INTEGER NOT NULL, "
                    + "pos_x REAL NOT NULL, pos_y REAL NOT NULL, ori_x REAL NOT NULL, "
                    + "ori_y REAL NOT NULL)"
                )
                con.executemany("INSERT INTO trajectory_data VALUES (?, ?, ?, ?, ?, ?)", rows)
                con.execute("CREATE TABLE metadata (key TEXT NOT NULL UNIQUE, value TEXT NOT NULL)")
                con.executemany(
                    "INSERT INTO metadata VALUES (?, ?)",
                    [("version", "1"), ("fps", f"{trajectories.frame_rate:.6g}")],
                )
                if walkable_wkt is not None:
                    con.execute("CREATE TABLE geometry (wkt TEXT NOT NULL)")
                    con.execute("INSERT INTO geometry VALUES (?)", (walkable_wkt,))
        finally:
            con.close()
    return Path(path)


@dataclass(frozen=True, slots=True)
class RsetStatistics:
    """RSET over several runs, s.

    Attributes
    ----------
    n_runs : int
        Runs counted.
    mean_s, sd_s : float
        Mean and sample standard deviation (0 for one run), s.
    min_s, max_s : float
        Extremes, s.
    percentiles_s : Mapping[float, float]
        Percentile (0-100) -> RSET, s.
    """

    n_runs: int
    mean_s: float
    sd_s: float
    min_s: float
    max_s: float
    percentiles_s: Mapping[float, float]


def rset_statistics(
    runs: Sequence[EvacuationResult | float], percentiles: Sequence[float] = (5.0, 50.0, 95.0)
) -> RsetStatistics:
    """Summarise RSET over runs (e.g. one per seed).

    Parameters
    ----------
    runs : sequence of EvacuationResult or float
        Results (their :attr:`EvacuationResult.rset_s`) or RSET values, s.
    percentiles : sequence of float
        Percentiles to report, each in [0, 100].

    Returns
    -------
    RsetStatistics

    Raises
    ------
    InvalidInputError
        If there are no runs, a run did not finish (RSET inf or NaN), or a percentile is out of
        range.

    Examples
    --------
    >>> s = rset_statistics([100.0, 110.0, 120.0])
    >>> s.mean_s, s.sd_s, s.percentiles_s[50.0]
    (110.0, 10.0, 110.0)
    """
    values = np.array(
        [r.rset_s if isinstance(r, EvacuationResult) else float(r) for r in runs], dtype=float
    )
    if len(values) == 0:
        raise InvalidInputError("runs is empty: give at least one run")
    if not np.all(np.isfinite(values)):
        bad = int(np.argmax(~np.isfinite(values)))
        raise InvalidInputError(
            f"runs[{bad}] has RSET = {values[bad]!r} s: every run must finish (everyone out)"
        )
    for p in percentiles:
        if not 0.0 <= p <= 100.0:
            raise InvalidInputError(f"percentile = {p!r}: must be in [0, 100]")
    return RsetStatistics(
        n_runs=len(values),
        mean_s=float(values.mean()),
        sd_s=float(values.std(ddof=1)) if len(values) > 1 else 0.0,
        min_s=float(values.min()),
        max_s=float(values.max()),
        percentiles_s={float(p): float(np.percentile(values, p)) for p in percentiles},
    )


@dataclass(frozen=True, kw_only=True, eq=False)
class EvacuationResult:
    """Everything a run produced.

    Attributes
    ----------
    records : structured array of RECORD_DTYPE, (n,)
        One row per person.
    trajectories : Trajectories
        Sampled positions.
    exit_ids : tuple of str
        Exits of the layout, in order.
    level_keys : tuple of str
        Levels of the layout, in order.
    end_time_s : float
        Time the run stopped, s.
    dt_s : float
        Time step used, s.
    meta : Mapping[str, object]
        Free-form run information (seed, strategy, model parameters).
    """

    records: NDArray[np.void]
    trajectories: Trajectories
    exit_ids: tuple[str, ...]
    level_keys: tuple[str, ...]
    end_time_s: float
    dt_s: float
    meta: Mapping[str, object] = field(default_factory=dict)

    @property
    def n_people(self) -> int:
        """People in the run."""
        return int(self.records.shape[0])

    @property
    def n_out(self) -> int:
        """People who left (through an exit, or to a muster point)."""
        return int(np.isin(self.records["outcome"], ("evacuated", "mustered")).sum())

    @property
    def is_clear(self) -> bool:
        """True when nobody is left inside (the incapacitated count as not out)."""
        return bool(np.all(self.records["outcome"] != "inside"))

    @property
    def rset_s(self) -> float:
        """Time the last person left through an exit, s; inf if someone never did, 0 if nobody.

        People incapacitated count as never leaving.
        """
        if self.n_people == 0:
            return 0.0
        t = self.records["exit_time_s"]
        return float(np.max(t)) if np.all(np.isfinite(t)) else math.inf

    def exit_times_s(self, exit_id: str | None = None) -> NDArray[np.float64]:
        """Return sorted times at which people left through ``exit_id`` (any exit when None), s."""
        rec = self.records
        keep = np.isfinite(rec["exit_time_s"])
        if exit_id is not None:
            if exit_id not in self.exit_ids:
                raise InvalidInputError(
                    f"exit {exit_id!r} does not exist; known exits: {list(self.exit_ids)}"
                )
            keep &= rec["exit"] == exit_id
        return np.sort(rec["exit_time_s"][keep])

    def evacuation_curve(
        self, exit_id: str | None = None
    ) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
        """Return people out against time, as a step curve.

        Parameters
        ----------
        exit_id : str, optional
            One exit; all exits when None.

        Returns
        -------
        t_s : (k,) float
            Exit times, sorted, s.
        count : (k,) int
            People out by each time (1, 2, ..., k).
        """
        t = self.exit_times_s(exit_id)
        return t, np.arange(1, len(t) + 1, dtype=np.int64)

    def exit_curves(self) -> dict[str, tuple[NDArray[np.float64], NDArray[np.int64]]]:
        """Evacuation curve of every exit, by exit id."""
        return {e: self.evacuation_curve(e) for e in self.exit_ids}

    def flow_per_exit(
        self, bin_s: float = 1.0
    ) -> tuple[NDArray[np.float64], dict[str, NDArray[np.float64]]]:
        """Flow through each exit in time bins, persons/s.

        Parameters
        ----------
        bin_s : float
            Bin width, s; > 0.

        Returns
        -------
        t_s : (b,) float
            Bin starts, s.
        flow : dict of str -> (b,) float
            Persons/s through each exit in each bin.
        """
        if not (math.isfinite(bin_s) and bin_s > 0):
            raise InvalidInputError(f"bin_s = {bin_s!r} s: must be a finite number > 0")
        end = max(self.end_time_s, bin_s)
        edges = np.arange(0.0, end + bin_s, bin_s)
        flows = {
            e: np.histogram(self.exit_times_s(e), bins=edges)[0] / bin_s for e in self.exit_ids
        }
        return edges[:-1], flows

    def mean_flow_p_s(self, exit_id: str) -> float:
        """Mean flow through an exit between its first and last passage, persons/s."""
        t = self.exit_times_s(exit_id)
        if len(t) < 2 or t[-1] <= t[0]:
            return 0.0
        return float((len(t) - 1) / (t[-1] - t[0]))

    def density_map(
        self,
        grid: Grid2D,
        *,
        level: int = 0,
        t_start_s: float = 0.0,
        t_end_s: float | None = None,
    ) -> NDArray[np.float64]:
        """Mean density on a grid over a time window, persons/m^2.

        Parameters
        ----------
        grid : Grid2D
            Cells to count in.
        level : int
            Level index.
        t_start_s, t_end_s : float
            Window, s; ``t_end_s`` None means the end of the run.

        Returns
        -------
        (ny, nx) float
            People per m^2, averaged over the frames in the window.
        """
        traj = self.trajectories.of_level(level)
        t = traj.frame * self.trajectories.interval_s
        end = self.end_time_s if t_end_s is None else t_end_s
        keep = (t >= t_start_s) & (t <= end)
        frames = np.unique(
            self.trajectories.frame[
                (self.trajectories.frame * self.trajectories.interval_s >= t_start_s)
                & (self.trajectories.frame * self.trajectories.interval_s <= end)
            ]
        )
        counts = np.zeros(grid.shape)
        if len(frames) == 0:
            return counts
        ji = grid.cell_of(np.column_stack([traj.x_m[keep], traj.y_m[keep]]))
        inside = ji[:, 0] >= 0
        np.add.at(counts, (ji[inside, 0], ji[inside, 1]), 1.0)
        return counts / (len(frames) * grid.cell_size_m**2)

    def outcome_counts(self) -> dict[str, int]:
        """People per outcome."""
        return {o: int((self.records["outcome"] == o).sum()) for o in OUTCOMES}
