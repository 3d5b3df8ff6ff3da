"""How far a year-to-date growth rate strays from the year's: the noise of early
releases, fitted from a pack's pairs of year-to-date and full-year growth (read by the
calibration, which writes ``tracking.ytd_sigma1``, and by the nowcast)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .priors import PANDEMIC_YEARS

SIGMA1_PRIOR = 0.05  # [judgement] a January-only growth rate strays ≈5 points from the year's


def noise_shape(m: np.ndarray | int) -> np.ndarray:
    """``(12 − m) / (11 m)``: the variance shape of a year-to-date growth rate's error."""
    m = np.asarray(m, dtype=float)
    return np.where(m >= 12, 0.0, (12 - m) / (11 * np.maximum(m, 1)))


@dataclass
class YtdNoise:
    """``σ₁`` of :func:`noise_shape` and where it comes from."""

    sigma1: float
    n: int
    source: str
    pairs: pd.DataFrame = field(default_factory=pd.DataFrame)

    def sd(self, m: int) -> float:
        return float(self.sigma1 * np.sqrt(noise_shape(m)))


def ytd_pairs(pack: pd.DataFrame) -> pd.DataFrame:
    """Pairs of a year-to-date growth rate (January to month m < 12) and the full year's,
    same city, year and indicator, with ``error`` = log(1 + ytd) − log(1 + year)."""
    growth = pack["indicator"].str.endswith("_growth_pct") & ~pack["indicator"].str.contains(
        "target|preliminary"
    )
    ytd = pack[growth & (pack["first_month"] == 1) & (pack["last_month"] < 12)]
    year = pack[growth & pack["annual"]]
    pairs = ytd.merge(
        year[["city", "year", "indicator", "value"]],
        on=["city", "year", "indicator"],
        suffixes=("_ytd", "_year"),
    )
    pairs["error"] = np.log1p(pairs["value_ytd"] / 100) - np.log1p(pairs["value_year"] / 100)
    pairs["pandemic"] = pairs["year"].isin(PANDEMIC_YEARS)
    return pairs[
        ["city", "year", "last_month", "indicator", "value_ytd", "value_year", "error", "pandemic"]
    ].reset_index(drop=True)


def fit_ytd_noise(pack: pd.DataFrame) -> YtdNoise:
    """Maximum-likelihood ``σ₁`` from the pack's normal-year pairs (:func:`ytd_pairs`);
    the prior :data:`SIGMA1_PRIOR` when fewer than three pairs exist."""
    pairs = ytd_pairs(pack)
    normal = pairs[~pairs["pandemic"]]
    if len(normal) < 3:
        return YtdNoise(SIGMA1_PRIOR, len(normal), "prior [judgement]: fewer than 3 pairs", pairs)
    shape = noise_shape(normal["last_month"].to_numpy())
    sigma1 = float(np.sqrt(np.mean(normal["error"].to_numpy() ** 2 / shape)))
    return YtdNoise(
        sigma1,
        len(normal),
        f"maximum likelihood on {len(normal)} normal-year pairs of year-to-date and full-year "
        f"growth ({normal['city'].nunique()} cities; pandemic years left out: "
        f"{int(pairs['pandemic'].sum())} pairs, errors up to "
        f"{100 * pairs.loc[pairs['pandemic'], 'error'].abs().max():.0f} points)"
        if pairs["pandemic"].any()
        else f"maximum likelihood on {len(normal)} pairs",
        pairs,
    )
