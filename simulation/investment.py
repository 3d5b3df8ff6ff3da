"""Old import path of :mod:`simulation.economy.investment`, kept for analysts' notebooks."""

import sys

from .economy import investment as _module

sys.modules[__name__] = _module
