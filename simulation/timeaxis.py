"""Old import path of :mod:`simulation.economy.timeaxis`, kept for analysts' notebooks."""

import sys

from .economy import timeaxis as _module

sys.modules[__name__] = _module
