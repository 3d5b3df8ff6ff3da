"""Which uncertain assumption decides the targets: a tornado and Sobol indices (SALib).

Both work in the unit space of :mod:`simulation.analyses.montecarlo` (draw → inverse CDF → value
moved to the scenario's value), so they use exactly the distributions Monte Carlo uses.

* :func:`tornado`: each uncertain parameter at its 5th and 95th percentile, the others at
  the scenario's values (deterministic), and the probability of meeting the targets with
  that parameter held at each end and the others drawn.
* :func:`sobol`: first-order and total Sobol indices (Saltelli design, SALib) of the
  annual GDP and output and of the indicators of meeting each target and both (whose
  mean is the probability).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd
from SALib.analyze import sobol as sobol_analyze
from SALib.sample import sobol as sobol_sample

from ..economy.distributions import Dist
from ..io.layering import Scenario, load_scenario
from ..io.uncertain import uncertain_paths
from .montecarlo import DEFAULT_SEED, current_value, draw_values, uncertainty_for, unit_draws
from .result import simulate

TAIL = 0.05  # the tornado's ends: 5th and 95th percentiles
OUTPUTS = ("gdp", "industrial_output", "gdp_met", "industrial_output_met", "both_met")
CHUNK = 4096  # draws per core call: bounds memory (≈36 series × months × draws)


def _resolve(
    scenario: Scenario | str,
    uncertainty: Mapping[str, Dist] | None,
    params_dir: str | Path | None,
) -> tuple[Scenario, dict[str, Dist]]:
    sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario, None, params_dir)
    dists = dict(uncertainty) if uncertainty is not None else uncertainty_for(sc, params_dir)[0]
    if not dists:
        raise ValueError(f"scenario '{sc.name}': no uncertain parameters")
    return sc, dists


def annual_outputs(sc: Scenario, values: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """First-plan-year GDP and output (亿元) and target indicators, one row per draw,
    computed in chunks of :data:`CHUNK` draws."""
    n = len(next(iter(values.values())))
    t = sc.params.targets
    parts: dict[str, list[np.ndarray]] = {"gdp": [], "industrial_output": []}
    for lo in range(0, n, CHUNK):
        res = simulate(sc, draws={k: v[lo : lo + CHUNK] for k, v in values.items()})
        parts["gdp"].append(res.plan_year("gdp_100m_cny"))
        parts["industrial_output"].append(res.plan_year("gross_industrial_output_100m_cny"))
    gdp, gio = np.concatenate(parts["gdp"]), np.concatenate(parts["industrial_output"])
    gm, im = gdp >= t.gdp_100m_cny, gio >= t.industrial_output_100m_cny
    return {
        "gdp": gdp,
        "industrial_output": gio,
        "gdp_met": gm.astype(float),
        "industrial_output_met": im.astype(float),
        "both_met": (gm & im).astype(float),
    }


def tornado(
    scenario: Scenario | str = "uncertainty",
    uncertainty: Mapping[str, Dist] | None = None,
    draws: int = 400,
    seed: int = DEFAULT_SEED,
    params_dir: str | Path | None = None,
) -> pd.DataFrame:
    """One-at-a-time sensitivity of the first plan year.

    Returns
    -------
    DataFrame
        One row per uncertain parameter, sorted by the larger swing: ``parameter``,
        ``low_value`` / ``high_value`` (5th / 95th percentile, moved to the scenario's
        value), ``gdp_low`` / ``gdp_high`` / ``gdp_swing`` and the same for
        ``industrial_output`` (亿元, others at the scenario's values), and
        ``p_gdp_low`` ... ``p_both_high`` (probability of meeting with the parameter at
        that end and the others drawn, ``draws`` draws, common random numbers).
    """
    sc, dists = _resolve(scenario, uncertainty, params_dir)
    bounds = uncertain_paths(sc.params.shocks)
    paths = sorted(dists)
    ends = {}
    for p in paths:
        d, lo_b, hi_b = dists[p], *bounds[p]
        q = d.ppf(np.array([TAIL, 1 - TAIL])) - d.center + current_value(sc, p)
        ends[p] = np.clip(q, lo_b, hi_b)
    # deterministic: rows 2i / 2i+1 put parameter i at its low / high end
    K = len(paths)
    det = {p: np.full(2 * K, current_value(sc, p)) for p in paths}
    for i, p in enumerate(paths):
        det[p][2 * i : 2 * i + 2] = ends[p]
    out_det = annual_outputs(sc, det)
    # probabilities: block (i, end) holds parameter i at that end, the others drawn
    units = unit_draws(paths, draws, seed)
    drawn = draw_values(sc, dists, units)
    prob = {p: np.tile(v, 2 * K) for p, v in drawn.items()}
    for i, p in enumerate(paths):
        for e in range(2):
            prob[p][(2 * i + e) * draws : (2 * i + e + 1) * draws] = ends[p][e]
    out_p = annual_outputs(sc, prob)
    rows = []
    for i, p in enumerate(paths):
        row: dict[str, float | str] = {
            "parameter": p,
            "low_value": float(ends[p][0]),
            "high_value": float(ends[p][1]),
        }
        for k in ("gdp", "industrial_output"):
            lo, hi = out_det[k][2 * i], out_det[k][2 * i + 1]
            row[f"{k}_low"], row[f"{k}_high"], row[f"{k}_swing"] = lo, hi, hi - lo
        for k, key in (("gdp", "gdp_met"), ("industrial_output", "industrial_output_met")):
            for e, end in enumerate(("low", "high")):
                block = out_p[key][(2 * i + e) * draws : (2 * i + e + 1) * draws]
                row[f"p_{k}_{end}"] = float(block.mean())
        for e, end in enumerate(("low", "high")):
            block = out_p["both_met"][(2 * i + e) * draws : (2 * i + e + 1) * draws]
            row[f"p_both_{end}"] = float(block.mean())
        rows.append(row)
    df = pd.DataFrame(rows)
    order = np.maximum(df["gdp_swing"].abs(), df["industrial_output_swing"].abs())
    return df.iloc[np.argsort(-order.to_numpy(), kind="stable")].reset_index(drop=True)


def sobol(
    scenario: Scenario | str = "uncertainty",
    uncertainty: Mapping[str, Dist] | None = None,
    n: int = 1024,
    seed: int = DEFAULT_SEED,
    params_dir: str | Path | None = None,
) -> pd.DataFrame:
    """Global sensitivity: Sobol first-order (``S1``) and total (``ST``) indices.

    Parameters
    ----------
    n : int
        Base sample size (a power of 2); the model runs ``n × (K + 2)`` times for ``K``
        uncertain parameters, in vectorised chunks.

    Returns
    -------
    DataFrame
        One row per (output, parameter): ``output`` (one of :data:`OUTPUTS`; the
        ``_met`` outputs are indicators whose mean is the probability of meeting),
        ``parameter``, ``S1``, ``S1_conf``, ``ST``, ``ST_conf`` (95% bootstrap
        half-widths), ``runs``. Indices of an output that never varies are NaN.
    """
    sc, dists = _resolve(scenario, uncertainty, params_dir)
    paths = sorted(dists)
    problem = {"num_vars": len(paths), "names": paths, "bounds": [[0.0, 1.0]] * len(paths)}
    X = sobol_sample.sample(problem, n, calc_second_order=False, seed=seed)
    X = np.clip(X, 1e-12, 1 - 1e-12)
    values = draw_values(sc, dists, {p: X[:, i] for i, p in enumerate(paths)})
    Y = annual_outputs(sc, values)
    rows = []
    for out in OUTPUTS:
        y = Y[out]
        if np.ptp(y) == 0:
            si = {k: np.full(len(paths), np.nan) for k in ("S1", "S1_conf", "ST", "ST_conf")}
        else:
            si = sobol_analyze.analyze(
                problem, y, calc_second_order=False, seed=seed, print_to_console=False
            )
        for i, p in enumerate(paths):
            rows.append(
                {
                    "output": out,
                    "parameter": p,
                    **{k: float(si[k][i]) for k in ("S1", "S1_conf", "ST", "ST_conf")},
                    "runs": int(X.shape[0]),
                }
            )
    return pd.DataFrame(rows)
