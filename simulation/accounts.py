"""Old import path of :mod:`simulation.economy.accounts`, kept for analysts' notebooks."""

import sys

from .economy import accounts as _module

sys.modules[__name__] = _module
