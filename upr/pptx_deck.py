"""The presenter's deck as a 16:9 PPTX: per slide, the headline as the slide's real title, the chart,
one short source line at the foot and the full source in the speaker notes.

The chart is a native PowerPoint chart (`ChartSpec` → python-pptx chart data, editable and
restylable in PowerPoint), or, as an option, the slide's plotly figure as a picture. Every text
on a slide is at least 14 pt, in dark colours (white only inside a dark bar, where dark text
would not read).
"""

from __future__ import annotations

import copy
import io
from collections.abc import Sequence
from typing import TYPE_CHECKING

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Inches, Pt

from upr.i18n import t
from upr.slide_charts import BAR, BAR_STACKED, BAR_STACKED_100, COLUMN, COLUMN_STACKED, ChartSpec

if TYPE_CHECKING:
    from upr.slides import Slide

SLIDE_W_IN, SLIDE_H_IN = 13.333, 7.5  # 16:9
MARGIN_IN = 0.5
FOOTER_MARGIN_IN = 0.4
TITLE_TOP, TITLE_H = 0.3, 1.1
BOX_TOP, BOX_H = 1.45, 5.35  # the chart's box, between the title and the footer
FOOTER_TOP, FOOTER_H = 6.9, 0.45
MIN_PT, TEXT_PT, LABEL_PT, CHART_TITLE_PT, FOOTER_PT = 14, 16, 16, 18, 14
DARK, FOOTER_GREY, WHITE = "1A1A1A", "333333", "FFFFFF"
# Characters of the footer per line at 14 pt across the slide: ~0.5 em a character in Calibri, ~0.6 in
# the wider fonts that stand in for it (DejaVu Sans in LibreOffice), Cyrillic the widest.
FOOTER_CHARS = int((SLIDE_W_IN - 2 * FOOTER_MARGIN_IN) * 72 / (FOOTER_PT * 0.6))
NATIVE, PICTURE = "native", "picture"

_TYPES = {
    COLUMN_STACKED: XL_CHART_TYPE.COLUMN_STACKED,
    COLUMN: XL_CHART_TYPE.COLUMN_CLUSTERED,
    BAR: XL_CHART_TYPE.BAR_CLUSTERED,
    BAR_STACKED: XL_CHART_TYPE.BAR_STACKED,
    BAR_STACKED_100: XL_CHART_TYPE.BAR_STACKED_100,
}

__all__ = ["FOOTER_CHARS", "NATIVE", "PICTURE", "build_pptx", "footer_line", "png_size"]


def footer_line(text: str) -> str:
    """The slide's one footer line: its source, cut with '…' if it would not fit one line (the
    speaker notes have it whole)."""
    if len(text) <= FOOTER_CHARS:
        return text
    return text[: FOOTER_CHARS - 1].rstrip(" ;,.") + "…"


def build_pptx(slides: Sequence[Slide], lang: str, images: Sequence[bytes] | None = None) -> bytes:
    """The deck: native charts, or the slides' charts as pictures when `images` (PNG, one per slide) are given.

    Each slide's foot carries its `source` line, its speaker notes its full `notes`."""
    if images is not None and len(images) != len(slides):
        raise ValueError(f"{len(slides)} slides but {len(images)} images")
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(SLIDE_W_IN), Inches(SLIDE_H_IN)
    prs.core_properties.title = t("present.pptx_title", lang)
    prs.core_properties.language = lang
    layout = prs.slide_layouts[5]  # "Title Only": the headline is the slide's real title (outline, screen readers)
    for number, slide in enumerate(slides, start=1):
        page = prs.slides.add_slide(layout)
        _title(page, slide.headline)
        if images is not None:
            _picture(page, images[number - 1])
        elif slide.chart is not None:
            _native_chart(page, slide.chart)
        else:
            _message(page, slide.headline)
        _footer(page, footer_line(slide.source))
        page.notes_slide.notes_text_frame.text = t(
            "present.notes",
            lang,
            name=t(f"present.slide_{slide.key}", lang),
            headline=slide.headline,
            source=slide.notes,
        )
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()


def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#").upper())


def _title(page, headline: str) -> None:
    title = page.shapes.title
    title.left, title.top = Inches(MARGIN_IN), Inches(TITLE_TOP)
    title.width, title.height = Inches(SLIDE_W_IN - 2 * MARGIN_IN), Inches(TITLE_H)
    title.text = headline
    frame = title.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = MSO_ANCHOR.MIDDLE
    for para in frame.paragraphs:
        para.alignment = PP_ALIGN.LEFT
        para.font.size = Pt(28 if len(headline) <= 80 else 24)
        para.font.bold = True
        para.font.color.rgb = _rgb(DARK)


def _footer(page, text: str) -> None:
    box = page.shapes.add_textbox(
        Inches(FOOTER_MARGIN_IN), Inches(FOOTER_TOP), Inches(SLIDE_W_IN - 2 * FOOTER_MARGIN_IN), Inches(FOOTER_H)
    )
    box.name = "Source"
    frame = box.text_frame
    frame.word_wrap = True  # footer_line() keeps it to one line
    para = frame.paragraphs[0]
    para.text = text
    para.font.size = Pt(FOOTER_PT)
    para.font.color.rgb = _rgb(FOOTER_GREY)


def _message(page, text: str) -> None:
    """A slide without a chart (no data for the filters): its reason, large, where the chart would be."""
    box = page.shapes.add_textbox(Inches(MARGIN_IN), Inches(BOX_TOP + 2), Inches(SLIDE_W_IN - 2 * MARGIN_IN), Inches(1))
    box.text_frame.word_wrap = True
    para = box.text_frame.paragraphs[0]
    para.text = text
    para.alignment = PP_ALIGN.CENTER
    para.font.size = Pt(24)
    para.font.color.rgb = _rgb(DARK)


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height from the PNG header (IHDR), without decoding the image."""
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG image")
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def _picture(page, png: bytes) -> None:
    inner_w = SLIDE_W_IN - 2 * MARGIN_IN
    px_w, px_h = png_size(png)
    scale = min(inner_w / px_w, BOX_H / px_h)
    w, h = px_w * scale, px_h * scale
    page.shapes.add_picture(
        io.BytesIO(png), Inches((SLIDE_W_IN - w) / 2), Inches(BOX_TOP + (BOX_H - h) / 2), Inches(w), Inches(h)
    )


# --- native charts ------------------------------------------------------------------------------


def _label_colour(fill: str) -> str:
    """Dark text on a light fill, white on a dark one (whichever contrasts more, WCAG luminance)."""

    def lum(hex_colour: str) -> float:
        rgb = [int(hex_colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    background = lum(fill)
    on_dark = (background + 0.05) / (lum(DARK) + 0.05)
    on_white = (1.05) / (background + 0.05)
    return DARK if on_dark >= on_white else WHITE


def _chart_data(spec: ChartSpec) -> CategoryChartData:
    data = CategoryChartData(number_format=spec.number_format)
    if spec.categories and isinstance(spec.categories[0], tuple):
        groups: dict[str, object] = {}
        for group, name in spec.categories:  # type: ignore[misc]
            if group not in groups:
                groups[group] = data.add_category(group)
            groups[group].add_sub_category(name)  # type: ignore[attr-defined]
    else:
        data.categories = list(spec.categories)
    for series in spec.series:
        data.add_series(series.name, list(series.values))
    if spec.total is not None:
        data.add_series(spec.total.name, list(spec.total.values))
    return data


def _native_chart(page, spec: ChartSpec) -> None:
    frame = page.shapes.add_chart(
        _TYPES[spec.kind],
        Inches(MARGIN_IN),
        Inches(BOX_TOP),
        Inches(SLIDE_W_IN - 2 * MARGIN_IN),
        Inches(BOX_H),
        _chart_data(spec),
    )
    frame.name = "Chart"
    frame._element.nvGraphicFramePr.cNvPr.set("descr", spec.title)  # alt text for screen readers
    chart = frame.chart
    chart.font.size = Pt(TEXT_PT)
    chart.font.color.rgb = _rgb(DARK)
    chart.has_title = True
    chart.chart_title.text_frame.text = spec.title
    title_font = chart.chart_title.text_frame.paragraphs[0].font
    title_font.size, title_font.bold, title_font.color.rgb = Pt(CHART_TITLE_PT), True, _rgb(DARK)
    horizontal = spec.kind in (BAR, BAR_STACKED, BAR_STACKED_100)
    stacked = spec.kind in (COLUMN_STACKED, BAR_STACKED, BAR_STACKED_100)
    plot = chart.plots[0]
    plot.gap_width = 40 if len(spec.categories) > 8 else 60 if stacked else 50
    if stacked:
        plot.overlap = 100
    for series, drawn in zip(spec.series, plot.series):
        drawn.format.fill.solid()
        drawn.format.fill.fore_color.rgb = _rgb(series.colour)
        drawn.invert_if_negative = False
        _series_labels(drawn, series.values, spec, stacked, _label_colour(series.colour))
    _axes(chart, spec, horizontal)
    chart.has_legend = spec.legend and len(spec.series) > 1
    if chart.has_legend:
        chart.legend.position = XL_LEGEND_POSITION.TOP if horizontal else XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False  # the legend gets its own room: it never covers a label
        chart.legend.font.size = Pt(MIN_PT if len(spec.categories) > 8 else TEXT_PT)
        chart.legend.font.color.rgb = _rgb(DARK)
    if spec.total is not None:
        _totals_as_labels(chart, len(spec.series))


def _series_labels(drawn, values: Sequence[float | None], spec: ChartSpec, stacked: bool, colour: str) -> None:
    labels = drawn.data_labels  # a series' own labels (c:ser/c:dLbls)
    labels.show_value = True
    labels.number_format = spec.number_format
    labels.number_format_is_linked = False
    labels.font.size = Pt(LABEL_PT)
    labels.font.bold = True
    labels.font.color.rgb = _rgb(colour if stacked else DARK)
    labels.position = XL_LABEL_POSITION.CENTER if stacked else XL_LABEL_POSITION.OUTSIDE_END
    if not (stacked and spec.min_label_share):
        return
    # A segment too thin for its number gets no label: its share of the bar is below the minimum.
    bars = list(zip(*(s.values for s in spec.series)))
    hidden = [
        i
        for i, (v, bar) in enumerate(zip(values, bars))
        if v is not None and v < spec.min_label_share * sum(x or 0 for x in bar)
    ]
    dlbls = drawn._element.find(qn("c:dLbls"))
    for i in reversed(hidden):
        dlbl = dlbls.makeelement(qn("c:dLbl"), {})
        idx = dlbl.makeelement(qn("c:idx"), {"val": str(i)})
        delete = dlbl.makeelement(qn("c:delete"), {"val": "1"})
        dlbl.append(idx)
        dlbl.append(delete)
        dlbls.insert(0, dlbl)  # c:dLbl elements come first in c:dLbls


def _axes(chart, spec: ChartSpec, horizontal: bool) -> None:
    cat, val = chart.category_axis, chart.value_axis
    # Many bars: the smallest size allowed, so that every bar keeps its label.
    cat.tick_labels.font.size = Pt(MIN_PT if len(spec.categories) > 8 else TEXT_PT)
    cat.tick_labels.font.color.rgb = _rgb(DARK)
    cat.has_major_gridlines = False
    cat.format.line.color.rgb = _rgb("595959")
    if horizontal:
        cat.reverse_order = True  # the first category on top, as read…
        # …and the value axis stays at the bottom, where it crosses the last category
        val._element.find(qn("c:crosses")).set("val", "max")
    # A category's label stays on one line (a wrapped one is taller than its bar, and PowerPoint and
    # LibreOffice then skip every other label)…
    body = cat._element.find(qn("c:txPr")).find(qn("a:bodyPr"))
    body.set("wrap", "none")
    body.set("rot", "0")
    body.set("vert", "horz")
    # …and every category keeps its label.
    offset = cat._element.find(qn("c:lblOffset"))
    if offset is not None:
        offset.addnext(offset.makeelement(qn("c:tickLblSkip"), {"val": "1"}))
    if spec.category_title:
        cat.has_title = True
        cat.axis_title.text_frame.text = spec.category_title
        cat.axis_title.text_frame.paragraphs[0].font.size = Pt(TEXT_PT)
    val.has_major_gridlines = not horizontal or spec.kind == BAR_STACKED_100
    if val.has_major_gridlines:
        val.major_gridlines.format.line.color.rgb = _rgb("D9D9D9")
    val.tick_labels.font.size = Pt(TEXT_PT)
    val.tick_labels.font.color.rgb = _rgb(DARK)
    val.tick_labels.number_format = '0"%"' if spec.kind != BAR_STACKED_100 and "%" in spec.number_format else "0%"
    val.tick_labels.number_format_is_linked = False
    if spec.kind == BAR_STACKED_100:
        val.maximum_scale, val.minimum_scale = 1.0, 0.0
    elif "%" in spec.number_format:
        val.maximum_scale, val.minimum_scale = 110.0, 0.0
        val.major_unit = 20.0
    else:
        val.tick_labels.number_format = "0"
        top = max((sum(v or 0 for v in bar) for bar in zip(*(s.values for s in spec.series))), default=0)
        if spec.total is not None:
            top = max(top, *(v or 0 for v in spec.total.values))
        val.minimum_scale = 0.0
        val.maximum_scale = float(_nice_ceiling(top * 1.12))
    if horizontal and spec.kind != BAR_STACKED_100:
        val.visible = False  # every bar carries its number: no scale needed
    if spec.value_title and val.visible:
        val.has_title = True
        val.axis_title.text_frame.text = spec.value_title
        font = val.axis_title.text_frame.paragraphs[0].font
        font.size, font.bold, font.color.rgb = Pt(TEXT_PT), False, _rgb(DARK)


def _nice_ceiling(x: float) -> int:
    """The next round number at or above `x` (…, 50, 100, 150, 200, 250, …) for an axis maximum."""
    step = 10 if x <= 100 else 50 if x <= 500 else 100
    return int(-(-x // step) * step) or step


def _totals_as_labels(chart, n_stacked: int) -> None:
    """Move the last series (the totals) from the stacked columns into a line chart without line or
    markers whose labels sit above each column: PowerPoint's way to write a stack's total on it.

    The totals stay a series of the chart's data sheet, so editing the data in PowerPoint keeps them."""
    plot_area = chart._chartSpace.find(qn("c:chart")).find(qn("c:plotArea"))
    bar = plot_area.find(qn("c:barChart"))
    ser = bar.findall(qn("c:ser"))[n_stacked]
    bar.remove(ser)
    for child in ser.findall(qn("c:invertIfNegative")) + ser.findall(qn("c:dLbls")):
        ser.remove(child)
    line = bar.makeelement(qn("c:lineChart"), {})
    line.append(line.makeelement(qn("c:grouping"), {"val": "standard"}))
    line.append(line.makeelement(qn("c:varyColors"), {"val": "0"}))
    tx = ser.find(qn("c:tx"))
    anchor = list(ser).index(tx) + 1
    for offset, xml in enumerate(_TOTAL_SER_PARTS):
        ser.insert(anchor + offset, _parse(xml))
    ser.append(_parse('<c:smooth xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" val="0"/>'))
    line.append(ser)
    line.append(line.makeelement(qn("c:marker"), {"val": "1"}))
    for ax_id in bar.findall(qn("c:axId")):
        line.append(copy.deepcopy(ax_id))
    bar.addnext(line)
    # The legend names the responses only.
    legend = chart._chartSpace.find(qn("c:chart")).find(qn("c:legend"))
    if legend is not None:
        entry = _parse(
            '<c:legendEntry xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart">'
            f'<c:idx val="{n_stacked}"/><c:delete val="1"/></c:legendEntry>'
        )
        legend.find(qn("c:legendPos")).addnext(entry)


_C = 'xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart"'
_A = 'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
_TOTAL_SER_PARTS = (
    f"<c:spPr {_C} {_A}><a:ln><a:noFill/></a:ln></c:spPr>",
    f'<c:marker {_C}><c:symbol val="none"/></c:marker>',
    f'<c:dLbls {_C} {_A}><c:numFmt formatCode="0" sourceLinked="0"/><c:spPr><a:noFill/><a:ln><a:noFill/></a:ln>'
    f'</c:spPr><c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="{LABEL_PT + 4}00" b="1">'
    f'<a:solidFill><a:srgbClr val="{DARK}"/></a:solidFill></a:defRPr></a:pPr><a:endParaRPr lang="en-US"/></a:p>'
    '</c:txPr><c:dLblPos val="t"/><c:showLegendKey val="0"/><c:showVal val="1"/><c:showCatName val="0"/>'
    '<c:showSerName val="0"/><c:showPercent val="0"/><c:showBubbleSize val="0"/></c:dLbls>',
)


def _parse(xml: str):
    from pptx.oxml import parse_xml

    return parse_xml(xml)
