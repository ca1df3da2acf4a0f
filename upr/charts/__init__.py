"""Chart builders (data in, plotly Figure out), by page, re-exported here."""

from upr.charts.compare import *  # noqa: F403
from upr.charts.core import *  # noqa: F403
from upr.charts.status import *  # noqa: F403
