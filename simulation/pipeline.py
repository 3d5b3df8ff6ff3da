"""Old import path of :mod:`simulation.economy.pipeline`, kept for analysts' notebooks."""

import sys

from .economy import pipeline as _module

sys.modules[__name__] = _module
