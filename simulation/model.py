"""Old import path of :mod:`simulation.economy.model`, kept for analysts' notebooks."""

import sys

from .economy import model as _module

sys.modules[__name__] = _module
