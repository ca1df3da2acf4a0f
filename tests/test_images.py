"""Figures as PNG (2×) and SVG through kaleido and the machine's Chromium; a clear error without one."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import plotly.graph_objects as go
import pytest
from PIL import Image

from upr import images

needs_browser = pytest.mark.skipif(
    not images.browser_available(), reason="no Chrome/Chromium installed (apt-get install chromium)"
)


def _figure() -> go.Figure:
    fig = go.Figure(go.Bar(x=["Cycle 1", "Cycle 2"], y=[128, 194], name="Recommendations"))
    return fig.update_layout(width=640, height=360, title="Recommendations per cycle")


def test_browser_path_from_the_environment(monkeypatch, tmp_path):
    fake = tmp_path / "chrome"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    monkeypatch.setenv("BROWSER_PATH", str(fake))
    assert images.find_browser() == str(fake)
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "missing"))
    assert images.find_browser() is None
    assert images.browser_available() is False


def test_no_browser_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "missing"))
    renderer = images.Renderer()
    with pytest.raises(images.BrowserNotFound, match="No Chrome or Chromium found"):
        renderer.png(_figure())
    with pytest.raises(images.BrowserNotFound):
        renderer.start(wait=False)
    assert renderer.running is False


def test_figure_size_defaults():
    assert images.figure_size(_figure()) == (640, 360)
    assert images.figure_size(go.Figure()) == (images.DEFAULT_WIDTH, images.DEFAULT_HEIGHT)


@needs_browser
def test_png_is_twice_the_figure_and_svg_is_xml():
    with images.Renderer() as renderer:
        png = renderer.png(_figure())
        svg = renderer.svg(_figure())
        several = renderer.render_many([_figure(), _figure().update_layout(width=300, height=200)], "png", 1)
    assert Image.open(io.BytesIO(png)).size == (1280, 720)
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert (root.get("width"), root.get("height")) == ("640", "360")
    assert "Recommendations per cycle" in svg.decode("utf-8")
    assert [Image.open(io.BytesIO(b)).size for b in several] == [(640, 360), (300, 200)]
    assert renderer.running is False


@needs_browser
def test_shared_renderer_and_default_size():
    png = images.to_png(go.Figure(go.Bar(x=[1, 2], y=[3, 4])))
    assert Image.open(io.BytesIO(png)).size == (2 * images.DEFAULT_WIDTH, 2 * images.DEFAULT_HEIGHT)
    assert images.shared().running
    assert ET.fromstring(images.to_svg(_figure())).tag.endswith("svg")
