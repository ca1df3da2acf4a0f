"""Chart builders (data in, plotly Figure out), by page, re-exported here."""

from upr.charts.core import *  # noqa: F403
