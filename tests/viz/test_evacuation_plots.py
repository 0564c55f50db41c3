"""The evacuation curve plot draws one step line per exit, the total and the RSET."""

from __future__ import annotations

from shapely.geometry import box

from scenarios.evacuation import AgentSpec, EvacuationModel
from viz.evacuation_plots import plot_evacuation_curve


def test_curve_has_each_exit_the_total_and_the_rset() -> None:
    exits = {"east": [[20.0, 4.0], [20.0, 6.0]], "west": [[0.0, 4.0], [0.0, 6.0]]}
    people = AgentSpec.create([[3.0, 5.0], [17.0, 5.0], [16.0, 2.0]], desired_speed_m_s=1.3)
    result = EvacuationModel.from_polygons(box(0, 0, 20, 10), exits, people, rng=0).run_until_clear(
        max_time_s=60.0, dt_s=0.02
    )
    fig = plot_evacuation_curve(result, title="three people")
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["east", "west", "all"]
    assert any(t.get_text().startswith("RSET") for t in ax.texts)
    total = ax.get_lines()[2]
    assert total.get_ydata()[-1] == 3
