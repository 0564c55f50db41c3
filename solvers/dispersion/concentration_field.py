"""A dispersing gas as a field: concentration and volume fraction at any points and time.

Any dispersion model that can give a concentration in kg/m^3 at points and a time implements
:class:`ConcentrationModel`: the steady plume (:class:`~solvers.dispersion.gaussian_plume.
GaussianPlume`), the puff train (:class:`~solvers.dispersion.gaussian_puff.PuffTrain`), a
dense-gas model, or a plain function wrapped in :class:`FunctionModel`. A model that can fill a
whole grid faster than point by point also offers ``concentration_on_grid_kg_m3``
(:class:`GridConcentrationModel`); :func:`evaluate_on_grid` uses it when present.

:class:`ConcentrationField` wraps a model with the substance and the ambient state, converts to
volume fraction and implements :class:`solvers.hazard_field.FieldSampler`, so the crowd and the
detectors read every dispersion model the same way.

Conversion: an ideal gas at ambient temperature and pressure,
``x = C R T / (P M)`` (mole fraction from mass concentration), capped at 1.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol, runtime_checkable

import numpy as np
from numpy.typing import ArrayLike, NDArray

from geometry.grid import Grid2D, Grid3D
from solvers._checks import require_choice, require_in_range, require_positive
from solvers.atmosphere import Weather
from solvers.dispersion.gaussian_plume import as_points
from solvers.errors import InvalidInputError
from solvers.hazard_field import HazardSample

__all__ = [
    "GAS_CONSTANT_J_MOL_K",
    "ConcentrationField",
    "ConcentrationModel",
    "FunctionModel",
    "GridConcentrationModel",
    "concentration_field",
    "evaluate_on_grid",
    "kg_m3_to_volume_fraction",
    "volume_fraction_to_kg_m3",
]

#: Molar gas constant, J/(mol K) (CODATA 2018, exact).
GAS_CONSTANT_J_MOL_K = 8.314462618

#: Receptors handed to a model in one call by the generic grid evaluation.
_GRID_CHUNK_POINTS = 1_000_000

Quantity = Literal["concentration_kg_m3", "volume_fraction"]


class ConcentrationModel(Protocol):
    """A dispersion model evaluated at points and a time."""

    def concentration_kg_m3(self, points_m: NDArray[np.float64], t_s: float) -> NDArray[np.float64]:
        """Return the concentration at ``points_m`` ((n, 3) m) at ``t_s`` s, (n,) kg/m^3."""
        ...


@runtime_checkable
class GridConcentrationModel(Protocol):
    """A model that also fills a horizontal grid directly (faster than point by point)."""

    def concentration_kg_m3(self, points_m: NDArray[np.float64], t_s: float) -> NDArray[np.float64]:
        """Return the concentration at ``points_m`` ((n, 3) m) at ``t_s`` s, (n,) kg/m^3."""
        ...

    def concentration_on_grid_kg_m3(
        self, grid: Grid2D, z_m: float, t_s: float
    ) -> NDArray[np.float64]:
        """Return the concentration on the cell centres of ``grid`` at height ``z_m``, (ny, nx)."""
        ...


@dataclass(frozen=True, slots=True)
class FunctionModel:
    """A concentration model given as a function ``f(points_m (n, 3), t_s) -> (n,) kg/m^3``."""

    function: Callable[[NDArray[np.float64], float], NDArray[np.float64]]

    def concentration_kg_m3(self, points_m: NDArray[np.float64], t_s: float) -> NDArray[np.float64]:
        """Return the function's value at the points, kg/m^3."""
        return np.asarray(self.function(points_m, t_s), dtype=np.float64)


def kg_m3_to_volume_fraction(
    concentration_kg_m3: ArrayLike,
    *,
    molar_mass_kg_mol: float,
    temperature_k: float,
    pressure_pa: float,
) -> NDArray[np.float64]:
    """Return the volume (mole) fraction of a gas from its mass concentration.

    Ideal gas: ``x = C R T / (P M)``, capped at 1.

    Parameters
    ----------
    concentration_kg_m3 : float or array
        Mass concentration, kg/m^3.
    molar_mass_kg_mol : float
        Molar mass of the gas, kg/mol.
    temperature_k : float
        Temperature of the mixture, K.
    pressure_pa : float
        Pressure, Pa.

    Returns
    -------
    array
        Volume fraction, 0 to 1 (1 ppm = 1e-6).

    Examples
    --------
    >>> round(float(kg_m3_to_volume_fraction(1e-3, molar_mass_kg_mol=0.017031,
    ...     temperature_k=293.15, pressure_pa=101325.0)) * 1e6, 1)
    1412.4
    """
    m = require_positive("molar_mass_kg_mol", molar_mass_kg_mol, "kg/mol")
    t = require_positive("temperature_k", temperature_k, "K")
    p = require_positive("pressure_pa", pressure_pa, "Pa")
    c = np.asarray(concentration_kg_m3, dtype=np.float64)
    return np.asarray(np.minimum(c * (GAS_CONSTANT_J_MOL_K * t / (p * m)), 1.0), dtype=np.float64)


def volume_fraction_to_kg_m3(
    volume_fraction: ArrayLike,
    *,
    molar_mass_kg_mol: float,
    temperature_k: float,
    pressure_pa: float,
) -> NDArray[np.float64]:
    """Return the mass concentration of a gas from its volume fraction, kg/m^3 (ideal gas).

    Examples
    --------
    >>> round(float(volume_fraction_to_kg_m3(1.0, molar_mass_kg_mol=0.0289644,
    ...     temperature_k=288.15, pressure_pa=101325.0)), 3)
    1.225
    """
    m = require_positive("molar_mass_kg_mol", molar_mass_kg_mol, "kg/mol")
    t = require_positive("temperature_k", temperature_k, "K")
    p = require_positive("pressure_pa", pressure_pa, "Pa")
    x = np.asarray(volume_fraction, dtype=np.float64)
    return np.asarray(x * (p * m / (GAS_CONSTANT_J_MOL_K * t)), dtype=np.float64)


@dataclass(frozen=True, slots=True, kw_only=True)
class ConcentrationField:
    """A dispersing gas sampled as concentration or volume fraction at points and times.

    Implements :class:`solvers.hazard_field.FieldSampler`. Build it with
    :func:`concentration_field`.

    Attributes
    ----------
    model : ConcentrationModel
        The dispersion model (plume, puff train, dense-gas model, ...).
    substance : str or None
        Key of the substance in the substance library.
    molar_mass_kg_mol : float
        Molar mass used for the volume fraction, kg/mol.
    ambient_temperature_k : float
        Temperature of the conversion, K.
    ambient_pressure_pa : float
        Pressure of the conversion, Pa.
    """

    model: ConcentrationModel
    substance: str | None
    molar_mass_kg_mol: float
    ambient_temperature_k: float
    ambient_pressure_pa: float

    def __post_init__(self) -> None:
        require_positive("molar_mass_kg_mol", self.molar_mass_kg_mol, "kg/mol")
        require_positive("ambient_temperature_k", self.ambient_temperature_k, "K")
        require_positive("ambient_pressure_pa", self.ambient_pressure_pa, "Pa")

    def concentration_kg_m3(self, points_m: ArrayLike, t_s: float) -> NDArray[np.float64]:
        """Return the concentration at points ((n, 3) m) at ``t_s`` s, (n,) kg/m^3."""
        pts = as_points(points_m)
        return np.asarray(self.model.concentration_kg_m3(pts, float(t_s)), dtype=np.float64)

    def to_volume_fraction(self, concentration_kg_m3: ArrayLike) -> NDArray[np.float64]:
        """Convert concentrations of this gas to volume fractions at the ambient state."""
        return kg_m3_to_volume_fraction(
            concentration_kg_m3,
            molar_mass_kg_mol=self.molar_mass_kg_mol,
            temperature_k=self.ambient_temperature_k,
            pressure_pa=self.ambient_pressure_pa,
        )

    def volume_fraction(self, points_m: ArrayLike, t_s: float) -> NDArray[np.float64]:
        """Return the volume fraction at points ((n, 3) m) at ``t_s`` s, (n,), 0 to 1."""
        return self.to_volume_fraction(self.concentration_kg_m3(points_m, t_s))

    def sample(self, points_m: NDArray[np.float64], t_s: float) -> HazardSample:
        """Sample the field at points ((n, 3) m) at ``t_s`` s (no radiation, no overpressure)."""
        fraction = self.volume_fraction(points_m, t_s)
        zeros = np.zeros_like(fraction)
        return HazardSample(fraction, zeros, zeros.copy())

    def concentration_on_grid_kg_m3(
        self, grid: Grid2D, z_m: float, t_s: float
    ) -> NDArray[np.float64]:
        """Return the concentration on the cell centres of ``grid`` at height ``z_m``, (ny, nx).

        Uses the model's own grid method when it has one; otherwise evaluates the cell centres in
        chunks of a million.
        """
        if isinstance(self.model, GridConcentrationModel):
            return np.asarray(
                self.model.concentration_on_grid_kg_m3(grid, float(z_m), float(t_s)),
                dtype=np.float64,
            )
        ny, nx = grid.shape
        xs, ys = grid.x_m, grid.y_m
        out = np.empty((ny, nx))
        rows = max(1, _GRID_CHUNK_POINTS // nx)
        for j0 in range(0, ny, rows):
            xx, yy = np.meshgrid(xs, ys[j0 : j0 + rows])
            pts = np.column_stack([xx.ravel(), yy.ravel(), np.full(xx.size, float(z_m))])
            out[j0 : j0 + rows] = self.model.concentration_kg_m3(pts, float(t_s)).reshape(xx.shape)
        return out


def concentration_field(
    model: ConcentrationModel,
    *,
    substance: str | None,
    weather: Weather,
    molar_mass_kg_mol: float | None = None,
) -> ConcentrationField:
    """Return a field sampler for a dispersion model of a substance in the given weather.

    Parameters
    ----------
    model : ConcentrationModel
        Anything with ``concentration_kg_m3(points_m, t_s)``.
    substance : str or None
        Key in the substance library (:func:`solvers.substances.library.substance`).
    weather : Weather
        Ambient temperature and pressure for the volume-fraction conversion.
    molar_mass_kg_mol : float, optional
        Molar mass, kg/mol; default: the library's value for ``substance``.

    Returns
    -------
    ConcentrationField
        The field.

    Raises
    ------
    InvalidInputError
        If neither a molar mass nor a known substance is given.
    """
    if molar_mass_kg_mol is None:
        if substance is None:
            raise InvalidInputError(
                "molar_mass_kg_mol = None and substance = None: give a substance key or a molar "
                + "mass in kg/mol"
            )
        from solvers.substances.library import substance as library_substance

        molar_mass_kg_mol = float(library_substance(substance).molar_mass_kg_mol)
    return ConcentrationField(
        model=model,
        substance=substance,
        molar_mass_kg_mol=float(molar_mass_kg_mol),
        ambient_temperature_k=weather.ambient_temperature_k,
        ambient_pressure_pa=weather.ambient_pressure_pa,
    )


def evaluate_on_grid(
    field: ConcentrationField,
    grid: Grid2D | Grid3D,
    times_s: Sequence[float] | NDArray[np.float64],
    *,
    z_m: float = 1.5,
    quantity: Quantity = "concentration_kg_m3",
) -> NDArray[np.float64]:
    """Return a field on the cell centres of a grid at several times.

    Parameters
    ----------
    field : ConcentrationField
        The dispersing gas.
    grid : Grid2D or Grid3D
        Receptor grid: a plan at height ``z_m``, or a 3D grid (its layer centres).
    times_s : (nt,) float
        Times since the release started, s.
    z_m : float
        Receptor height for a :class:`~geometry.grid.Grid2D`, m (breathing height by default).
    quantity : {"concentration_kg_m3", "volume_fraction"}
        What to return.

    Returns
    -------
    (nt, ny, nx) or (nt, nz, ny, nx) float
        The quantity at each time (and layer), kg/m^3 or volume fraction.
    """
    require_choice("quantity", quantity, ("concentration_kg_m3", "volume_fraction"))
    times = np.asarray(times_s, dtype=np.float64).reshape(-1)
    if not np.all(np.isfinite(times)):
        raise InvalidInputError(f"times_s = {times_s!r} s: must be finite numbers")
    if isinstance(grid, Grid3D):
        plan, heights = grid.plan, grid.z_m
    else:
        plan = grid
        heights = np.array([require_in_range("z_m", z_m, "m", low=0.0, high=1.0e4)])
    ny, nx = plan.shape
    out = np.empty((times.size, heights.size, ny, nx))
    for i, t in enumerate(times):
        for k, z in enumerate(heights):
            out[i, k] = field.concentration_on_grid_kg_m3(plan, float(z), float(t))
    if quantity == "volume_fraction":
        out = field.to_volume_fraction(out)
    return out if isinstance(grid, Grid3D) else out[:, 0]
