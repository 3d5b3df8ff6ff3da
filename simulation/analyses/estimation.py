"""Small estimators with stated priors (pure numpy, no I/O).

* :func:`bayes_regression` — linear regression with a normal prior on the coefficients
  and a scaled-inverse-χ² prior on the residual variance, solved by the conjugate
  update with the variance at its posterior mode (iterated to a fixed point).
* :func:`ar1_forecast` — one-step AR(1) forecast by least squares with its predictive
  standard deviation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Posterior:
    """Posterior of a linear regression.

    Attributes
    ----------
    names : tuple of str
    mean : ndarray, shape (k,)
    cov : ndarray, shape (k, k)
    sigma : float
        Residual standard deviation (posterior mode).
    n : int
        Observations used.
    prior_mean, prior_sd : ndarray, shape (k,)
    ols : ndarray or None
        Least-squares coefficients where the design has full rank, else ``None``.
    """

    names: tuple[str, ...]
    mean: np.ndarray
    cov: np.ndarray
    sigma: float
    n: int
    prior_mean: np.ndarray
    prior_sd: np.ndarray
    ols: np.ndarray | None

    @property
    def sd(self) -> np.ndarray:
        return np.sqrt(np.diag(self.cov))

    def corr(self) -> np.ndarray:
        s = self.sd
        return self.cov / np.outer(s, s)

    def of(self, name: str) -> tuple[float, float]:
        """Posterior mean and sd of one coefficient."""
        i = self.names.index(name)
        return float(self.mean[i]), float(self.sd[i])

    def data_weight(self) -> np.ndarray:
        """Share of the posterior precision that comes from the data, per coefficient.

        1 − prior_var⁻¹ / posterior_var⁻¹ on the diagonal: 0 = all prior, 1 = all data.
        """
        post_prec = np.diag(np.linalg.inv(self.cov))
        return 1.0 - (1.0 / self.prior_sd**2) / post_prec


def bayes_regression(
    X: np.ndarray,
    y: np.ndarray,
    names: tuple[str, ...],
    prior_mean: np.ndarray,
    prior_sd: np.ndarray,
    sigma_prior: float,
    sigma_prior_dof: float,
    iterations: int = 50,
    noise_scale: np.ndarray | None = None,
) -> Posterior:
    """Conjugate normal regression ``y = X β + ε``, ``ε ~ N(0, σ² v)``.

    Parameters
    ----------
    X : ndarray, shape (n, k)
    y : ndarray, shape (n,)
    names : tuple of str, length k
    prior_mean, prior_sd : ndarray, shape (k,)
        Independent normal priors on the coefficients.
    sigma_prior, sigma_prior_dof : float
        Scaled-inverse-χ² prior on σ²: ``sigma_prior_dof`` pseudo-observations with
        standard deviation ``sigma_prior``.
    noise_scale : ndarray, shape (n,), optional
        ``v``: each row's residual variance in units of σ² (default 1: homoskedastic).
        Rows are weighted by ``1/√v`` (generalised least squares).

    Returns
    -------
    Posterior
        Mean and covariance of β given σ at its posterior mode
        ``σ² = (ν₀σ₀² + SSR) / (ν₀ + n)``.
    """
    X = np.atleast_2d(np.asarray(X, dtype=float))
    y = np.asarray(y, dtype=float)
    if noise_scale is not None:
        w = 1.0 / np.sqrt(np.asarray(noise_scale, dtype=float))
        X, y = X * w[:, None], y * w
    m0 = np.asarray(prior_mean, dtype=float)
    P0 = np.diag(1.0 / np.asarray(prior_sd, dtype=float) ** 2)
    n = y.size
    s2 = sigma_prior**2
    for _ in range(iterations):
        prec = X.T @ X / s2 + P0
        cov = np.linalg.inv(prec)
        mean = cov @ (X.T @ y / s2 + P0 @ m0)
        ssr = float(np.sum((y - X @ mean) ** 2))
        new = (sigma_prior_dof * sigma_prior**2 + ssr) / (sigma_prior_dof + n)
        if abs(new - s2) < 1e-14:
            break
        s2 = new
    ols = None
    if n >= X.shape[1] and np.linalg.matrix_rank(X) == X.shape[1]:
        ols = np.linalg.lstsq(X, y, rcond=None)[0]
    return Posterior(
        tuple(names), mean, cov, float(np.sqrt(s2)), n, m0, np.asarray(prior_sd, float), ols
    )


@dataclass(frozen=True)
class AR1:
    """AR(1) fit ``x_t = c + ρ x_{t−1} + e`` and its one-step forecast."""

    c: float
    rho: float
    sigma: float
    n: int
    forecast: float
    forecast_sd: float


def ar1_forecast(years: np.ndarray, values: np.ndarray, last_year: int) -> AR1 | None:
    """Fit AR(1) on consecutive-year pairs up to ``last_year``; forecast ``last_year + 1``.

    Pairs with a missing year are skipped. ``None`` with fewer than four pairs or when
    ``last_year`` itself is missing.
    """
    d = {int(y): float(v) for y, v in zip(years, values, strict=True) if y <= last_year}
    pairs = [(d[y - 1], d[y]) for y in sorted(d) if y - 1 in d]
    if len(pairs) < 4 or last_year not in d:
        return None
    x0, x1 = np.array(pairs).T
    A = np.column_stack([np.ones_like(x0), x0])
    (c, rho), *_ = np.linalg.lstsq(A, x1, rcond=None)
    resid = x1 - A @ np.array([c, rho])
    n = len(pairs)
    sigma = float(np.sqrt(resid @ resid / max(n - 2, 1)))
    xl = d[last_year]
    # predictive sd: residual sd and the intercept's uncertainty. The slope's leverage term
    # (xl − x̄)²/Sxx is left out: with a handful of pairs a last value outside their range
    # (a price spike) would multiply the band several times over (stated in the report).
    se = sigma * np.sqrt(1 + 1 / n)
    return AR1(float(c), float(rho), sigma, n, float(c + rho * xl), float(se))
