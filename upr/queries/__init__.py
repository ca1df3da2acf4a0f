"""Every SQL query the app and the command line run, by page; each takes the connection first.

`ui.data.query(name, ...)` finds a query here by name, so each module's public functions are
re-exported below.
"""

from upr.queries.citations import *  # noqa: F403
from upr.queries.compare import *  # noqa: F403
from upr.queries.core import *  # noqa: F403
from upr.queries.explorer import *  # noqa: F403
from upr.queries.plans import *  # noqa: F403
from upr.queries.status import *  # noqa: F403
