"""Errors of parameter files, and schema errors turned into messages a planner can act on.

Every problem with a parameter file, a scenario file or an override raises
:class:`ScenarioError` naming the file (or ``override``), the field and what was expected;
:func:`validate_dict` checks a resolved parameter mapping against the schema and
translates pydantic's errors into such messages (:func:`explain_error`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ValidationError

from ..economy import schema
from ..economy.schema import Params
from ..errors import InputError

__all__ = [
    "ScenarioError",
    "ScenarioExists",
    "ScenarioProtected",
    "ScenarioStale",
    "explain_error",
    "validate_dict",
]


class ScenarioError(InputError):
    """A parameter or scenario file, or an override, is not valid."""


class ScenarioExists(ScenarioError):
    """Saving would overwrite an existing scenario file and ``overwrite`` was not given.

    ``version`` is the file's version as found (pass it back as ``expected_version`` to
    overwrite exactly that one), ``saved_by`` and ``saved_at`` say whose it is.
    """

    def __init__(self, message: str, version: str = "", saved_by: str = "", saved_at: str = ""):
        super().__init__(message)
        self.version, self.saved_by, self.saved_at = version, saved_by, saved_at


class ScenarioProtected(ScenarioError):
    """The name is a calibrated scenario's (written by ``calibrate``): the app never
    writes over it."""


class ScenarioStale(ScenarioError):
    """The scenario changed on disk since the saver last saw it (another planner saved it):
    the save is refused rather than lose that version."""


def _model_at(loc: tuple) -> type[BaseModel] | None:
    """The schema model holding the field at ``loc`` (None when it is not a model)."""
    model: Any = Params
    for part in loc:
        if model is None:
            return None
        if model is Params and part == "shocks":
            model = "shocks"
            continue
        if model == "shocks":
            model = schema.Shock
            continue
        fld = model.model_fields.get(part) if isinstance(model, type) else None
        ann = getattr(fld, "annotation", None)
        model = ann if isinstance(ann, type) and issubclass(ann, BaseModel) else None
    return model if isinstance(model, type) else None


def explain_error(err: Mapping[str, Any], origin: Mapping[str, str], default_source: str) -> str:
    """One pydantic error as a sentence naming the file, the field and what was expected.

    Parameters
    ----------
    err : mapping
        One entry of :meth:`pydantic.ValidationError.errors`.
    origin : mapping
        Dotted parameter path → the file (or ``override``) that set it.
    default_source : str
        The source named when no path of the error is in ``origin``.

    Returns
    -------
    str
    """
    loc = tuple(str(x) for x in err["loc"])
    path = ".".join(loc)
    src = default_source
    for i in range(len(loc), 0, -1):
        key = ".".join(loc[:i])
        if key in origin:
            src = origin[key]
            break
    typ = err["type"]
    if typ == "extra_forbidden":
        parent = _model_at(loc[:-1])
        valid = ", ".join(parent.model_fields) if parent else "see `python -m simulation params`"
        return f"{src}: unknown key '{path}'; valid keys here are: {valid}"
    if typ == "missing":
        return f"{src}: '{path}' is missing; expected a value for it"
    got = err.get("input")
    ctx = err.get("ctx") or {}
    if typ in ("greater_than_equal", "less_than_equal"):
        meta = schema.numeric_paths().get(path, {})
        unit = meta.get("unit", "")
        lo, hi = meta.get("lo", ctx.get("ge")), meta.get("hi", ctx.get("le"))
        return (
            f"{src}: field '{path}' = {got!r} is out of bounds; expected a value from "
            f"{lo} to {hi} {unit}".rstrip()
        )
    if not loc:
        return f"{src}: {err['msg'].removeprefix('Value error, ')}"
    return f"{src}: field '{path}' = {got!r}: {err['msg'].removeprefix('Value error, ')}"


def validate_dict(data: dict[str, Any], origin: Mapping[str, str], default_source: str) -> Params:
    """Validate a resolved parameter mapping; raise :class:`ScenarioError` listing problems.

    Parameters
    ----------
    data : dict
        Every parameter, nested by section.
    origin : mapping
        Dotted parameter path → the file (or ``override``) that set it, for the messages.
    default_source : str
        The source named for a problem no file in ``origin`` set.

    Returns
    -------
    Params

    Raises
    ------
    ScenarioError
        One line per problem (duplicates dropped).
    """
    try:
        return Params.model_validate(data)
    except ValidationError as e:
        lines = [explain_error(err, origin, default_source) for err in e.errors()]
        raise ScenarioError("\n".join(dict.fromkeys(lines))) from None
