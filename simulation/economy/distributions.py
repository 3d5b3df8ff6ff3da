"""Probability distributions of uncertain parameters, as written in parameter files.

Any numeric parameter (and a shock's ``depth_share``) may be given as a mapping with a
``dist`` key instead of a number::

    pipeline.start_share: {dist: triangular, low: 0.75, mode: 0.848, high: 0.92,
                           source: "MODEL.md §3.2: plateau 0.80-0.90"}

Kinds: ``fixed`` (value), ``uniform`` (low, high), ``triangular`` (low, mode, high),
``normal`` (mean, sd, truncated to low..high), ``lognormal`` (median, sigma of the log,
truncated to low..high) and ``event`` (a risk that happens with ``probability``, then of a
size uniform on low..high, else 0: a shock's depth). The distribution's centre (value,
midpoint, mode, mean, median; 0 for an event) is the parameter's value in deterministic
runs; when a lever, a preset or an override moves the parameter, the whole distribution
moves with it (draws = sample − centre + value, kept within the schema's bounds).
Sampling is by inverse CDF from unit draws, so
random, Latin-hypercube and Sobol designs all work.
"""

from __future__ import annotations

from typing import Annotated, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, model_validator
from scipy.special import ndtr, ndtri


def _truncated_std_normal_ppf(u: np.ndarray, a: float, b: float) -> np.ndarray:
    """Quantiles of a standard normal truncated to [a, b] (closed form via Φ and Φ⁻¹)."""
    fa, fb = ndtr(a), ndtr(b)
    return np.clip(ndtri(fa + np.asarray(u, dtype=float) * (fb - fa)), a, b)


class _Dist(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    source: str = Field("", description="Where the range comes from.")

    @property
    def center(self) -> float:  # pragma: no cover - every kind overrides it
        raise NotImplementedError

    @property
    def support(self) -> tuple[float, float]:  # pragma: no cover
        raise NotImplementedError

    def ppf(self, u: np.ndarray) -> np.ndarray:  # pragma: no cover
        """Quantiles at unit draws ``u`` (shape any), in the parameter's unit."""
        raise NotImplementedError


class Fixed(_Dist):
    dist: Literal["fixed"]
    value: float

    @property
    def center(self) -> float:
        return self.value

    @property
    def support(self) -> tuple[float, float]:
        return self.value, self.value

    def ppf(self, u: np.ndarray) -> np.ndarray:
        return np.full(np.shape(u), self.value)


class Uniform(_Dist):
    dist: Literal["uniform"]
    low: float
    high: float

    @model_validator(mode="after")
    def _order(self) -> Uniform:
        if not self.low < self.high:
            raise ValueError(f"uniform: expected low < high, got {self.low} and {self.high}")
        return self

    @property
    def center(self) -> float:
        return (self.low + self.high) / 2

    @property
    def support(self) -> tuple[float, float]:
        return self.low, self.high

    def ppf(self, u: np.ndarray) -> np.ndarray:
        return self.low + np.asarray(u) * (self.high - self.low)


class Triangular(_Dist):
    dist: Literal["triangular"]
    low: float
    mode: float
    high: float

    @model_validator(mode="after")
    def _order(self) -> Triangular:
        if not (self.low <= self.mode <= self.high and self.low < self.high):
            raise ValueError(
                "triangular: expected low <= mode <= high and low < high, got "
                f"{self.low}, {self.mode}, {self.high}"
            )
        return self

    @property
    def center(self) -> float:
        return self.mode

    @property
    def support(self) -> tuple[float, float]:
        return self.low, self.high

    def ppf(self, u: np.ndarray) -> np.ndarray:
        lo, m, hi = self.low, self.mode, self.high
        u = np.asarray(u, dtype=float)
        c = (m - lo) / (hi - lo)
        left = lo + np.sqrt(u * (hi - lo) * (m - lo))
        right = hi - np.sqrt((1 - u) * (hi - lo) * (hi - m))
        return np.where(u < c, left, right)


class Normal(_Dist):
    dist: Literal["normal"]
    mean: float
    sd: float = Field(..., gt=0)
    low: float
    high: float
    corr: list[tuple[str, float]] = Field(
        default_factory=list,
        description="Correlations with other normally distributed parameters, as "
        "[dotted path, ρ] pairs: a joint posterior is drawn jointly (Gaussian copula on the "
        "unit draws).",
    )

    @model_validator(mode="after")
    def _order(self) -> Normal:
        if not self.low < self.mean < self.high:
            raise ValueError(
                f"normal: expected low < mean < high, got {self.low}, {self.mean}, {self.high}"
            )
        for other, rho in self.corr:
            if not -1 < rho < 1:
                raise ValueError(f"normal: corr with {other} must lie strictly between -1 and 1")
        return self

    @property
    def center(self) -> float:
        return self.mean

    @property
    def support(self) -> tuple[float, float]:
        return self.low, self.high

    def ppf(self, u: np.ndarray) -> np.ndarray:
        a, b = (self.low - self.mean) / self.sd, (self.high - self.mean) / self.sd
        return self.mean + self.sd * _truncated_std_normal_ppf(u, a, b)


class LogNormal(_Dist):
    dist: Literal["lognormal"]
    median: float = Field(..., gt=0)
    sigma: float = Field(..., gt=0, description="Standard deviation of the logarithm.")
    low: float = Field(..., ge=0)
    high: float

    @model_validator(mode="after")
    def _order(self) -> LogNormal:
        if not self.low < self.median < self.high:
            raise ValueError(
                "lognormal: expected low < median < high, got "
                f"{self.low}, {self.median}, {self.high}"
            )
        return self

    @property
    def center(self) -> float:
        return self.median

    @property
    def support(self) -> tuple[float, float]:
        return self.low, self.high

    def ppf(self, u: np.ndarray) -> np.ndarray:
        mu = np.log(self.median)
        a = -np.inf if self.low == 0 else (np.log(self.low) - mu) / self.sigma
        b = (np.log(self.high) - mu) / self.sigma
        return np.exp(mu + self.sigma * _truncated_std_normal_ppf(u, a, b))


class Event(_Dist):
    """A risk drawn as an event: with ``probability`` it happens, at a size uniform on
    ``low..high``; otherwise the value is 0 (its centre: the deterministic run has no
    event unless a scenario sets one)."""

    dist: Literal["event"]
    probability: float = Field(..., gt=0, lt=1, description="Chance the event happens.")
    low: float = Field(..., ge=0)
    high: float

    @model_validator(mode="after")
    def _order(self) -> Event:
        if not self.low < self.high:
            raise ValueError(f"event: expected 0 <= low < high, got {self.low} and {self.high}")
        return self

    @property
    def center(self) -> float:
        return 0.0

    @property
    def support(self) -> tuple[float, float]:
        return 0.0, self.high

    def ppf(self, u: np.ndarray) -> np.ndarray:
        u = np.asarray(u, dtype=float)
        q = 1.0 - self.probability  # draws below it: no event
        size = self.low + (u - q) / self.probability * (self.high - self.low)
        return np.where(u < q, 0.0, size)


Distribution = Annotated[
    Fixed | Uniform | Triangular | Normal | LogNormal | Event, Field(discriminator="dist")
]
Dist = Fixed | Uniform | Triangular | Normal | LogNormal | Event
_ADAPTER: TypeAdapter = TypeAdapter(Distribution)
KINDS = ("fixed", "uniform", "triangular", "normal", "lognormal", "event")


def correlate(dists: dict[str, Dist], units: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Unit draws of correlated normals mixed so that their joint law is the stated one.

    Each parameter keeps its own stream of unit draws (common random numbers); the
    parameters named in ``corr`` are turned into standard normals, multiplied by the
    Cholesky factor of their correlation matrix and turned back into unit draws. Without
    any ``corr`` the draws are returned unchanged.

    Raises
    ------
    ValueError
        A correlation with a parameter that is not drawn, or a matrix that is not
        positive definite.
    """
    block = [p for p, d in dists.items() if isinstance(d, Normal) and d.corr]
    for p in block:
        for other, _ in dists[p].corr:
            if other not in dists or not isinstance(dists[other], Normal):
                raise ValueError(f"{p}: corr names {other}, which is not drawn as a normal")
            if other not in block:
                block.append(other)
    if not block:
        return units
    R = np.eye(len(block))
    for i, p in enumerate(block):
        for other, rho in getattr(dists[p], "corr", []):
            j = block.index(other)
            R[i, j] = R[j, i] = rho
    try:
        L = np.linalg.cholesky(R)
    except np.linalg.LinAlgError:
        raise ValueError(
            "the correlations of " + ", ".join(block) + " do not form a valid (positive "
            "definite) correlation matrix"
        ) from None
    eps = 1e-12
    z = ndtri(np.clip(np.stack([units[p] for p in block]), eps, 1 - eps))
    mixed = ndtr(L @ z)
    out = dict(units)
    for i, p in enumerate(block):
        out[p] = mixed[i]
    return out


def parse(spec: dict) -> Dist:
    """Validate a distribution mapping; raise ``ValueError`` with a readable message."""
    from pydantic import ValidationError

    if spec.get("dist") not in KINDS:
        raise ValueError(f"'dist' must be one of {', '.join(KINDS)}, got {spec.get('dist')!r}")
    try:
        return _ADAPTER.validate_python(spec)
    except ValidationError as e:
        parts = []
        for err in e.errors():
            loc = ".".join(str(x) for x in err["loc"][1:])
            msg = err["msg"].removeprefix("Value error, ")
            parts.append(f"{loc}: {msg}" if loc else msg)
        raise ValueError("; ".join(parts)) from None


def is_spec(value: object) -> bool:
    """Whether a parameter-file value is a distribution mapping."""
    return isinstance(value, dict) and "dist" in value
