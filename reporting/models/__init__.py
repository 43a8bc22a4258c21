"""Models of the reporting app, one module per part: figures and imports; reports, bottlenecks, lessons."""

from .figures import *  # noqa: F401,F403
from .reports import *  # noqa: F401,F403
