"""Old import path of :mod:`simulation.economy.shocks`, kept for analysts' notebooks."""

import sys

from .economy import shocks as _module

sys.modules[__name__] = _module
