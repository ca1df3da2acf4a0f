"""Whole percents: rounded from the counts, halves up, the same on the cards, headlines, bars and slides."""

from __future__ import annotations

import pytest

from upr import charts, queries
from upr.filters import Filters
from upr.insights import overview_takeaways
from upr.percent import percent


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [(121, 128, 95), (1, 8, 13), (3, 8, 38), (214, 245, 87), (259, 294, 88), (1, 200, 1), (1, 201, 0), (0, 0, 0)],
)
def test_percent_rounds_halves_up_from_the_counts(part, whole, expected):
    assert percent(part, whole) == expected


def test_cycle_one_reads_95_everywhere(demo_con):
    # 121 of 128 supported is 94.53%: the query's one-decimal 94.5 must not print as 94 anywhere.
    f = Filters(cycles=(1,))
    cycles = queries.cycle_overview(demo_con, f)
    assert cycles["supported_pct"].tolist() == [94.5]
    assert overview_takeaways(cycles, cycles.iloc[0:0], "en")[0] == "128 recommendations in 2010; 95% supported."
    assert charts.supported_share(cycles, "en", "Source: x").data[0].text == ("95%",)
    implemented = queries.implemented_share(demo_con, f)
    bars = charts.implemented_by_source(implemented, cycles, "en", "Source: x")
    expected = [f"{percent(i, a)}%" for i, a in zip(implemented["implemented"], implemented["assessed"])]
    assert [t for bar in bars.data for t in bar.text] == expected == ["60%", "16%"]
