"""The one base of every input error: bad input, not a bug.

Every error that means "this file, row, field or argument is wrong" derives from
:class:`InputError` (a ``ValueError``): :class:`~simulation.io.errors.ScenarioError`,
:class:`~simulation.economy.rules.DrawError`,
:class:`~simulation.economy.investment.InvestmentBaseError`,
:class:`~simulation.io.datapack.PackError`, :class:`~simulation.io.risks.RisksError`,
:class:`~simulation.io.register.LocalizedError` (the register's and the releases'),
:class:`~simulation.analyses.calibration.CalibrationError` and the batch's. The command
line catches this one class: its message is printed and the exit code is 2; anything else
is a bug and keeps its traceback. The pages show its message in the page's language where
the error carries one.

This module imports nothing, so that every floor of the package may use it.
"""

from __future__ import annotations

__all__ = ["InputError"]


class InputError(ValueError):
    """Bad input: the message names the file, row, field or argument and what was
    expected."""
