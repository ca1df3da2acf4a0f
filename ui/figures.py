"""What the pages draw that depends only on the data, the filters and the language: every figure
(and a slide's headline) is built once and shared by every session (`ui.data.shared`), not
built again for each visitor; a write clears them with the query cache.

Each function takes what the page would pass to the chart builder *instead of* the data frames
(the filters, the cycles or sources chosen on the page, the language), runs the page's cached
queries itself, and returns the builder's figure unchanged. Pages must not change a figure they
get from here: every session has the same object.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import plotly.graph_objects as go

from ui.data import query, run_locked, shared, source_note
from upr import charts, slides
from upr.filters import Filters
from upr.insights import overview_takeaways


@shared
def overview(f: Filters, lang: str) -> tuple[go.Figure, go.Figure]:
    """The Overview's two half-width charts: the cycle comparison and implementation by source."""
    cycles, implemented = query("cycle_overview", f), query("implemented_share", f)
    return charts.side_by_side(
        charts.cycle_comparison(cycles, lang, source_note(f, lang)),
        charts.implemented_by_source(implemented, cycles, lang, source_note(f, lang, True)),
    )


@shared
def overview_lines(f: Filters, lang: str) -> list[str]:
    """The Overview's takeaways."""
    return overview_takeaways(query("cycle_overview", f), query("implemented_share", f), lang)


@shared
def theme_change(f: Filters, a: int, b: int, lang: str, label_a: str, label_b: str) -> go.Figure:
    return charts.theme_change_chart(
        query("theme_change", f, a, b), lang, source_note(replace(f, cycles=(a, b)), lang), label_a, label_b
    )


@shared
def returning_states(f: Filters, a: int, b: int, lang: str, label_a: str, label_b: str) -> go.Figure:
    return charts.returning_states_chart(
        query("returning_states", f, a, b), lang, source_note(replace(f, cycles=(a, b)), lang), label_a, label_b
    )


@shared
def status_bars(f: Filters, by: str, lang: str) -> go.Figure:
    frame = query("status_by_cycle", f) if by == "cycle" else query("status_by_theme", f)
    return charts.status_bars(frame, by, lang, source_note(f, lang, True))


@shared
def status_matrix(f: Filters, a: str, b: str, lang: str) -> go.Figure:
    return charts.status_matrix_heatmap(query("status_matrix", f, a, b), a, b, lang, source_note(f, lang, True))


@shared
def status_timeline(f: Filters, lang: str) -> go.Figure:
    return charts.status_timeline_chart(query("status_timeline", f), lang, source_note(f, lang, True))


@shared
def theme_treemap(f: Filters, lang: str) -> go.Figure:
    return charts.theme_treemap(query("theme_distribution", f), lang, source_note(f, lang))


@shared
def theme_heatmap(f: Filters, lang: str) -> go.Figure:
    return charts.theme_cycle_heatmap(
        query("theme_cycle_matrix", f), query("cycle_overview", f), lang, source_note(f, lang)
    )


@shared
def top_states(f: Filters, lang: str, n: int) -> go.Figure:
    return charts.top_states_chart(query("state_counts", f), lang, source_note(f, lang), n)


@shared
def states_map(f: Filters, lang: str) -> go.Figure:
    return charts.states_choropleth(query("state_counts", f), lang, source_note(f, lang))


@shared
def regional_groups(f: Filters, lang: str) -> go.Figure:
    return charts.regional_groups_chart(query("regional_group_counts", f), lang, source_note(f, lang))


@shared
def slide(key: str, f: Filters, lang: str) -> slides.Slide:
    """One slide of the presentation (its headline and its chart in large type)."""
    return slides.build_slide(key, query, f, lang)


@shared
def deck_source(f: Filters, lang: str) -> str:
    """The note under every slide."""
    return slides.deck_source(query, f, lang)


@shared
def import_list() -> tuple[pd.DataFrame, dict[int, str], dict[int, int]]:
    """The import history page's list: every import, the organisations of each, and how many
    assessments each kept as history only; read under the write lock, like every read of that page."""
    from etl.changes import history_only_counts, import_organisations
    from etl.revert import import_history

    def read(cur) -> tuple[pd.DataFrame, dict[int, str], dict[int, int]]:
        return import_history(cur), import_organisations(cur), history_only_counts(cur)

    return run_locked(read, write=False)


@shared
def import_changes(import_id: int, lang: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """What one import changed, as the import history page shows it (ui.history_view.changes_frames)."""
    from ui.history_view import changes_frames

    return run_locked(changes_frames, import_id, lang, write=False)
