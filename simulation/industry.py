"""Old import path of :mod:`simulation.economy.industry`, kept for analysts' notebooks."""

import sys

from .economy import industry as _module

sys.modules[__name__] = _module
