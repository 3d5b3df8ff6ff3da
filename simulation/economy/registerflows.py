"""Projects of a register as the model's input: arrays on the extended month axis.

:func:`simulation.io.projects.register_flows` builds them from an imported register;
:func:`simulation.economy.model.run` takes them (``register=``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class RegisterFlows:
    """Register projects on the extended month axis (``-HISTORY_MONTHS .. H-1``), 亿元.

    Attributes
    ----------
    covered : ndarray of bool, (T,)
        Months whose aggregate signings the register replaces.
    signed : ndarray, (T,)
        Contract value signed per month (every project).
    pending : ndarray, (T,)
        Of which not started by the as-of month, by signing month.
    started : ndarray, (3, T)
        Contract value starting per month by size class (small, medium, large), known
        starts.
    started_output : ndarray, (3, T)
        The same for industrial projects, weighted by their output-to-investment ratio
        relative to the scenario's (output counts only for these).
    as_of : int
        Index on the axis of the register's as-of month (pending projects start from the
        month after).
    """

    covered: np.ndarray
    signed: np.ndarray
    pending: np.ndarray
    started: np.ndarray
    started_output: np.ndarray
    as_of: int
