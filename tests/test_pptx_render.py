"""The 6-slide deck in ru, en and kk rendered by LibreOffice as a projector would show it: every word
inside the slide, the footer on one line, the title above the chart; the pages are kept as PNG in
test-output/slides/ to be looked at. Skipped where LibreOffice (soffice) or poppler is not installed."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from upr import pptx_deck, slides
from upr.filters import Filters

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "test-output" / "slides"

pytestmark = pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdftoppm") and shutil.which("pdftotext")),
    reason="LibreOffice and poppler-utils are needed (apt-get install libreoffice-impress poppler-utils)",
)

WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')
PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)


def _render(pptx: Path, work: Path) -> Path:
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{work / 'profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work),
            str(pptx),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return work / (pptx.stem + ".pdf")


@pytest.mark.parametrize("lang", ["ru", "en", "kk"])
def test_six_slides_render_without_cut_text(demo_con, tmp_path, lang):
    deck = slides.build_deck(slides.SLIDE_KEYS, slides.connection_fetch(demo_con), Filters(), lang)
    pptx = tmp_path / f"deck_{lang}.pptx"
    pptx.write_bytes(slides.deck_pptx(deck, lang))
    pdf = _render(pptx, tmp_path)
    boxes = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    pages = PAGE.findall(boxes)
    assert len(pages) == 6
    for (w, h, body), slide in zip(pages, deck):
        width, height = float(w), float(h)
        assert round(width / height, 2) == round(16 / 9, 2)
        words = [(float(a), float(b), float(c), float(d), text) for a, b, c, d, text in WORD.findall(body)]
        assert all(0 <= x0 and x1 <= width and 0 <= y0 and y1 <= height for x0, y0, x1, y1, _ in words), slide.key
        foot_top = pptx_deck.FOOTER_TOP * 72 * height / (pptx_deck.SLIDE_H_IN * 72)
        footer = [wd for wd in words if wd[1] >= foot_top - 2]
        assert footer, slide.key
        assert max(wd[1] for wd in footer) - min(wd[1] for wd in footer) < 3, f"{slide.key}: footer on two lines"
        assert " ".join(wd[4] for wd in footer).startswith(slide.source.split()[0])
        title_bottom = (pptx_deck.TITLE_TOP + pptx_deck.TITLE_H) * 72 * height / (pptx_deck.SLIDE_H_IN * 72)
        first = slide.headline.split()[0]
        assert any(wd[4] == first and wd[3] <= title_bottom for wd in words), slide.key
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob(f"{lang}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-png", "-r", "80", str(pdf), str(OUT / lang)], check=True, timeout=120)
    assert len(list(OUT.glob(f"{lang}-*.png"))) == 6
