"""How far a year-to-date growth rate strays from the year's: the noise of early
releases, fitted from a pack's pairs of year-to-date and full-year growth (read by the
calibration, which writes ``tracking.ytd_sigma1``, and by the nowcast)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .priors import PANDEMIC_YEARS

SIGMA1_PRIOR = 0.05  # [judgement] a January-only growth rate strays ≈5 points from the year's
#: the model's year-to-date share of a year's level strays by ``s·(12 − m)/11`` in logs:
#: ``s`` 0.02, worth 4 pairs [judgement], pooled with the pack's pairs (fit_share_noise)
SHARE_SD_PRIOR = (0.02, 4.0)
#: the level indicators whose year-to-date shares are measured → the model's series
LABEL = {"gdp": "GDP", "gross_industrial_output_above_scale": "output"}
LEVELS = {
    "gdp": "gdp_100m_cny",
    "gross_industrial_output_above_scale": "gross_industrial_output_100m_cny",
}


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


def share_shape(m: np.ndarray | int) -> np.ndarray:
    """``(12 − m) / 11``: the sd shape of a year-to-date share's error."""
    return (12 - np.asarray(m, dtype=float)) / 11


def level_pairs(pack: pd.DataFrame) -> pd.DataFrame:
    """Pairs of a year-to-date level (January to month m < 12) and the same year's level,
    same city, of the indicators in :data:`LEVELS`, with ``share`` = ytd / year."""
    ytd = pack[
        pack["indicator"].isin(list(LEVELS))
        & (pack["first_month"] == 1)
        & (pack["last_month"] < 12)
    ]
    year = pack[pack["indicator"].isin(list(LEVELS)) & pack["annual"]]
    pairs = ytd.merge(
        year[["city", "year", "indicator", "value"]],
        on=["city", "year", "indicator"],
        suffixes=("_ytd", "_year"),
    )
    pairs["share"] = pairs["value_ytd"] / pairs["value_year"]
    pairs["pandemic"] = pairs["year"].isin(PANDEMIC_YEARS)
    return pairs[
        ["city", "year", "last_month", "indicator", "value_ytd", "value_year", "share", "pandemic"]
    ].reset_index(drop=True)


@dataclass
class ShareNoise:
    """``s`` of :func:`share_shape` and where it comes from."""

    sd: float
    n: int
    source: str


def fit_share_noise(pairs: pd.DataFrame, model_shares: dict[str, np.ndarray]) -> ShareNoise:
    """How far the model's year-to-date share of a level strays from the published one.

    ``z = log(published share / model share at m) / share_shape(m)`` over the normal-year
    pairs (:func:`level_pairs`; every city measured against the model's seasonal profile),
    pooled with :data:`SHARE_SD_PRIOR`: ``s² = (ν₀ s₀² + Σ z²) / (ν₀ + n)``.

    Parameters
    ----------
    pairs : DataFrame
    model_shares : dict
        Indicator (a key of :data:`LEVELS`) → the model's cumulative share of the year by
        month, shape (12,).
    """
    normal = pairs[~pairs["pandemic"]]
    z = [
        np.log(r.share / model_shares[r.indicator][int(r.last_month) - 1])
        / share_shape(int(r.last_month))
        for r in normal.itertuples()
    ]
    s0, nu0 = SHARE_SD_PRIOR
    sd = float(np.sqrt((nu0 * s0**2 + float(np.sum(np.square(z)))) / (nu0 + len(z))))
    errors = ", ".join(
        f"{r.year} M1-{m} {LABEL[r.indicator]} {100 * zz * share_shape(m):+.1f}%"
        for r, zz in zip(normal.itertuples(), z, strict=True)
        for m in [int(r.last_month)]
    )
    return ShareNoise(
        sd,
        len(z),
        f"the model's year-to-date shares against {len(z)} published pairs of the pack's cities "
        f"({errors or 'none'}), "
        f"pooled with the prior {s0} worth {nu0:g} pairs [judgement]",
    )
