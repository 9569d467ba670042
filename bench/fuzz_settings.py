"""The test app's settings with ATOMIC_REQUESTS, as production sites should run: a view
that writes and then fails (tests/testapp has two on purpose) leaves nothing behind, over
REST and over MCP alike. Without it both keep the half-done write, and the fuzz run's
"no rejected call changes the database" check would measure those views, not the endpoint.
"""

from tests.settings import *  # noqa: F403
from tests.settings import DATABASES

DATABASES["default"]["ATOMIC_REQUESTS"] = True
