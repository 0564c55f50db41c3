"""Evacuation plots: people out against time, per exit and in total, with the RSET marked."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from scenarios.evacuation.results import EvacuationResult

__all__ = ["plot_evacuation_curve"]


def plot_evacuation_curve(result: EvacuationResult, *, title: str) -> Figure:
    """Draw the evacuation curve: people out against time, per exit and in total.

    Parameters
    ----------
    result : EvacuationResult
        A finished (or stopped) evacuation run.
    title : str
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
        The plot; the caller saves or closes it. The RSET (time the last person is out) is marked
        when everyone got out; otherwise the number still inside is given in the legend.
    """
    fig = Figure(figsize=(8, 5), layout="constrained")
    ax = fig.add_subplot()
    for exit_id, (t_s, count) in sorted(result.exit_curves().items()):
        if t_s.size:
            ax.step(np.r_[0.0, t_s], np.r_[0, count], where="post", lw=1.2, label=exit_id)
    t_all, n_all = result.evacuation_curve()
    ax.step(np.r_[0.0, t_all], np.r_[0, n_all], where="post", lw=2.4, color="black", label="all")
    if result.is_clear and t_all.size:
        rset = result.rset_s
        ax.axvline(rset, color="#d7191c", ls="--", lw=1.2)
        ax.annotate(
            f"RSET {rset:.0f} s",
            xy=(rset, 0.5 * result.n_people),
            xytext=(-6, 0),
            textcoords="offset points",
            ha="right",
            color="#d7191c",
            fontsize=9,
        )
    else:
        inside = result.n_people - result.n_out
        ax.plot([], [], " ", label=f"{inside} not out")
    ax.set_xlabel("time since the alarm (s)")
    ax.set_ylabel("people out")
    ax.set_ylim(0, max(1, result.n_people) * 1.05)
    t_end = float(t_all[-1]) if t_all.size else 1.0
    ax.set_xlim(0, 1.08 * t_end)
    ax.grid(True, alpha=0.3)
    ax.set_title(title, fontsize=12)
    ax.legend(fontsize=8, loc="upper left")
    return fig
