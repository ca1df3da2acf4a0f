"""Takeaways written from the data, for the Overview and the presenter's headlines."""

from __future__ import annotations

import pandas as pd

from upr.i18n import t
from upr.percent import percent
from upr.vocab import label


def _year_or_cycle(row: pd.Series, lang: str) -> str:
    if pd.notna(row["year"]):
        return str(int(row["year"]))
    return f"{t('common.cycle', lang).lower()} {int(row['cycle'])}"


def overview_takeaways(cycles: pd.DataFrame, implemented: pd.DataFrame, lang: str) -> list[str]:
    """Two or three sentences computed from the figures on the Overview."""
    out: list[str] = []
    if cycles.empty:
        return out
    last = cycles.iloc[-1]
    when = _year_or_cycle(last, lang)
    if len(cycles) >= 2:
        prev = cycles.iloc[-2]
        change = round(100 * (last["recommendations"] - prev["recommendations"]) / prev["recommendations"])
        key = "overview.take_growth" if change >= 0 else "overview.take_drop"
        out.append(
            t(
                key,
                lang,
                n=int(last["recommendations"]),
                when=when,
                pct=abs(change),
                prev_when=_year_or_cycle(prev, lang),
                supported=percent(last["supported"], last["recommendations"]),
            )
        )
    else:
        out.append(
            t(
                "overview.take_single",
                lang,
                n=int(last["recommendations"]),
                when=when,
                supported=percent(last["supported"], last["recommendations"]),
            )
        )
    if not implemented.empty:
        latest_cycle = implemented["cycle"].max()
        part = implemented[implemented["cycle"] == latest_cycle].set_index("source_kind")
        row = cycles[cycles["cycle"] == latest_cycle]
        cwhen = _year_or_cycle(row.iloc[0], lang) if not row.empty else str(latest_cycle)
        if "government" in part.index and "ngo" in part.index:
            out.append(
                t(
                    "overview.take_gap",
                    lang,
                    when=cwhen,
                    gov=percent(part.loc["government", "implemented"], part.loc["government", "assessed"]),
                    ngo=percent(part.loc["ngo", "implemented"], part.loc["ngo", "assessed"]),
                )
            )
        else:
            kind = part.index[0]
            out.append(
                t(
                    "overview.take_one_source",
                    lang,
                    when=cwhen,
                    source=label("source_kind", kind, lang),
                    pct=percent(part.loc[kind, "implemented"], part.loc[kind, "assessed"]),
                )
            )
    total = int(cycles["recommendations"].sum())
    out.append(t("overview.take_total", lang, n=total, cycles=len(cycles)))
    return out
