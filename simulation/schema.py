"""Old import path of :mod:`simulation.economy.schema`, kept for analysts' notebooks."""

import sys

from .economy import schema as _module

sys.modules[__name__] = _module
