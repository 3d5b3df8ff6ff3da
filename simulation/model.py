"""Compose the mechanisms into one monthly simulation: a pure, vectorised core.

``run(params, draws)`` reads no file, draws no random number and prints nothing. Any
numeric parameter may be replaced by an array of per-draw values (``draws``, a mapping
from dotted path to shape ``(D,)``); every output then carries a leading draw axis.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import reduce

import numpy as np

from . import accounts, industry, investment, pipeline, shocks
from .projects import RegisterFlows
from .schema import Params
from .timeaxis import (
    HISTORY_MONTHS,
    calendar_month,
    growth_index,
    month_axis,
    seasonal_weights,
    spread_over_months,
)

#: Monthly series returned by :func:`run`, in 亿元 per month unless named otherwise.
SERIES = (
    "gross_industrial_output_100m_cny",
    "gio_existing_100m_cny",
    "gio_tech_100m_cny",
    "gio_new_firms_100m_cny",
    "gio_projects_initial_100m_cny",
    "gio_projects_new_100m_cny",
    "gio_shock_100m_cny",
    "gross_industrial_output_real_100m_cny",
    "fai_100m_cny",
    "fai_projects_100m_cny",
    "fai_tech_100m_cny",
    "fai_other_100m_cny",
    "fai_shock_100m_cny",
    "va_primary_100m_cny",
    "va_industry_100m_cny",
    "va_construction_100m_cny",
    "va_tertiary_100m_cny",
    "gdp_100m_cny",
    "gdp_real_100m_cny",
    "va_primary_real_100m_cny",
    "va_industry_real_100m_cny",
    "va_construction_real_100m_cny",
    "va_tertiary_real_100m_cny",
    "contrib_existing_industry_100m_cny",
    "contrib_tech_100m_cny",
    "contrib_new_firms_100m_cny",
    "contrib_new_projects_100m_cny",
    "contrib_construction_100m_cny",
    "contrib_services_100m_cny",
    "contrib_primary_100m_cny",
    "contrib_shocks_100m_cny",
    "signed_100m_cny",
    "started_100m_cny",
    "signed_cum_100m_cny",
    "started_cum_100m_cny",
    "producing_cum_100m_cny",
    "full_cum_100m_cny",
)


class _Values:
    """Parameter lookup: a float, or a ``(D, 1)`` column where the path has draws."""

    def __init__(self, params: Params, draws: Mapping[str, np.ndarray] | None):
        self.params = params
        self.draws = {
            k: np.asarray(v, dtype=float).reshape(-1, 1) for k, v in (draws or {}).items()
        }
        sizes = {v.shape[0] for v in self.draws.values()}
        if len(sizes) > 1:
            raise ValueError(f"all draws must have the same length, got {sorted(sizes)}")
        self.n = sizes.pop() if sizes else 1

    def __call__(self, path: str) -> float | np.ndarray:
        if path in self.draws:
            return self.draws[path]
        return float(
            reduce(
                lambda o, k: o[k] if isinstance(o, dict) else getattr(o, k),
                path.split("."),
                self.params,
            )
        )


def _pending_starts(reg: RegisterFlows, cdf: np.ndarray, pmf: np.ndarray) -> np.ndarray:
    """Expected starts (D, T) of register projects not started by the as-of month.

    A yuan signed in month ``s`` has started by month ``a`` with probability
    ``ρF = cdf[a − s + 1]``; not having started, it starts in month ``m > a`` with
    probability ``pmf[m − s] / (1 − cdf[a − s + 1])``.
    """
    T = reg.pending.size
    s = np.arange(T)
    age = np.clip(reg.as_of - s + 1, 0, cdf.shape[-1] - 1)
    done = np.where(s <= reg.as_of, cdf[:, age], 0.0)
    scaled = reg.pending / np.maximum(1.0 - done, 1e-12)
    return pipeline.convolve(scaled, pmf) * (s > reg.as_of)


def run(
    params: Params,
    draws: Mapping[str, np.ndarray] | None = None,
    register: RegisterFlows | None = None,
) -> dict[str, np.ndarray]:
    """Simulate the base year and the plan horizon month by month.

    Parameters
    ----------
    params : Params
        Validated parameters (campaign presets already applied).
    draws : mapping of str to ndarray, shape (D,), optional
        Per-draw values of numeric parameters (dotted paths, e.g.
        ``"pipeline.start_share"`` or ``"shocks.heat_drought.depth_share"``).
    register : RegisterFlows, optional
        Projects of a register (:func:`simulation.projects.register_flows`): they replace
        the aggregate signings of the months the register covers and follow their own
        stages.

    Returns
    -------
    dict of str to ndarray
        ``"t"``: month indices, shape (12 + H,), from -12 (January of the base year);
        every name in :data:`SERIES`: shape (D, 12 + H), 亿元 per month at current prices
        unless the name says ``real`` (base-year prices) or ``cum`` (cumulative).
    """
    v = _Values(params, draws)
    D = v.n
    H = params.calendar.horizon_months
    t_ext = month_axis(H)  # -HISTORY_MONTHS .. H-1
    lv = slice(HISTORY_MONTHS - 12, None)  # levels from the base year on
    t = t_ext[lv]
    pos0 = HISTORY_MONTHS  # index of the first plan month in t_ext

    def by_class(*xs: float | np.ndarray) -> np.ndarray:  # → (D or 1, 3, 1)
        cols = np.broadcast_arrays(*(np.reshape(x, (-1, 1)) for x in xs))
        return np.stack(cols, axis=1)  # per-draw kernels only where a parameter is drawn

    def full(x: np.ndarray) -> np.ndarray:  # → (D, T); copies only what is broadcast
        x = np.atleast_2d(x)
        return x if x.shape[0] == D else np.broadcast_to(x, (D, x.shape[-1])).copy()

    # --- seasonal profiles -------------------------------------------------------------
    w_ind = seasonal_weights(
        v("seasonality.industry_slope"), v("seasonality.industry_spring_dip_share")
    )
    w_fai = seasonal_weights(v("seasonality.fai_slope"), v("seasonality.fai_spring_dip_share"))
    w_ter = seasonal_weights(
        v("seasonality.tertiary_slope"), v("seasonality.tertiary_spring_dip_share")
    )
    w_pri = np.asarray(params.seasonality.primary_weights, dtype=float)[None, :]

    # --- levers act from the first plan month; history runs on structural values --------
    env = v("environment.index")
    ref = (
        v("pipeline.start_share"),
        v("pipeline.start_lag_median_months"),
        v("pipeline.start_lag_sigma"),
    )
    lever = (
        np.clip(
            ref[0] + v("pipeline.start_share_change") + env * v("environment.start_share_gain"),
            0.0,
            1.0,
        ),
        np.maximum(
            0.5,
            (ref[1] + v("pipeline.start_lag_change_months"))
            * (1 - env * v("environment.lag_cut_share")),
        ),
        ref[2],
    )
    g_org = v("industry.organic_real_growth_rate") + env * v("environment.growth_gain_rate")

    # --- pipeline: signings → starts ----------------------------------------------------
    past, future = t_ext < 0, t_ext >= 0
    hist = np.zeros(t_ext.size)
    hist[:HISTORY_MONTHS] = params.pipeline.history_signed_100m_cny
    jan = v("pipeline.january_signed_100m_cny")
    rest = (v("pipeline.signed_annual_100m_cny") - jan) / 11.0
    new_sign = np.atleast_2d(  # (1, T) unless a signing parameter is drawn
        np.where(future, np.where(calendar_month(t_ext) == 0, jan, rest), 0.0).astype(float)
    )
    cs_amount = v("pipeline.concentrated_start_100m_cny")
    if register is not None:  # the register's months replace the aggregate signings
        hist = np.where(register.covered, 0.0, hist)
        new_sign = np.where(register.covered, 0.0, new_sign)
        cs_amount = 0.0  # the concentrated start is in the register's start dates
    lags = np.arange(t_ext.size + 1)
    cdf_ref = pipeline.start_lag_cdf(*ref, lags)
    same = all(np.array_equal(a, b) for a, b in zip(ref, lever, strict=True))
    cdf_lev = cdf_ref if same else pipeline.start_lag_cdf(*lever, lags)  # no lever moved
    pmf_ref, pmf_lev = np.diff(cdf_ref, axis=-1), np.diff(cdf_lev, axis=-1)
    ages = -t_ext[past]  # whole months, so the CDFs at the cohorts' ages are columns
    hist_scaled = np.zeros((D, t_ext.size))
    hist_scaled[:, past] = hist[past] * pipeline.backlog_scale_from_cdf(
        cdf_ref[:, ages], cdf_lev[:, ages], lever[0]
    )
    starts_past = full(pipeline.convolve(hist[None, :], pmf_ref)) * past
    backlog = pipeline.convolve(hist_scaled, pmf_lev) * future
    cs_pos = pos0 + int(params.pipeline.concentrated_start_month) - 1
    backlog, extra_signed = pipeline.starts_with_concentrated_event(
        full(backlog), cs_amount, cs_pos, pos0
    )
    starts_future = backlog + pipeline.convolve(new_sign, pmf_lev)
    if register is not None:
        pending = _pending_starts(register, cdf_lev, pmf_lev)
        starts_past, starts_future = starts_past + pending * past, starts_future + pending * future

    # --- pipeline: starts → spending, capacity, stages ---------------------------------
    large, medium = v("pipeline.large_share"), v("pipeline.medium_share")
    shares = by_class(1.0 - large - medium, medium, large)
    build = (
        v("pipeline.build_small_months"),
        v("pipeline.build_medium_months"),
        v("pipeline.build_large_months"),
    )
    mult = v("pipeline.construction_time_multiplier")
    ramp = (
        np.reshape(v("pipeline.ramp_start_share"), (-1, 1, 1)),
        np.reshape(v("pipeline.ramp_months"), (-1, 1, 1)),
    )
    k_past = pipeline.build_kernels(by_class(*build), *ramp, t_ext.size)
    k_future = pipeline.build_kernels(by_class(*(b * mult for b in build)), *ramp, t_ext.size)
    flow_args = (
        v("pipeline.realised_share"),
        v("pipeline.output_to_investment_ratio"),
        v("pipeline.industrial_share") * v("pipeline.additional_share"),
    )
    f_hist = pipeline.flows(starts_past, shares, k_past, *flow_args)
    f_new = pipeline.flows(starts_future, shares, k_future, *flow_args)
    if register is not None:  # known starts: each size class with its own kernels
        for f, k, when in ((f_hist, k_past, past), (f_new, k_future, future)):
            reg = pipeline.flows_by_class(
                register.started * when,
                register.started_output * when,
                k,
                flow_args[0],
                flow_args[1],
                v("pipeline.additional_share"),
            )
            for key in f:
                f[key] = f[key] + reg[key]

    # --- industry ------------------------------------------------------------------------
    p_ind = v("industry.price_change_rate")
    P_ind = growth_index(p_ind, t)
    gio_existing = full(
        industry.existing_output(
            params.base_year.industrial_output_100m_cny, w_ind, g_org, p_ind, t
        )
    )
    tech_spend = np.atleast_2d(  # (1, T) unless a 技改 parameter is drawn
        industry.tech_spending(
            params.base_year.tech_investment_100m_cny,
            params.base_year.tech_investment_prev_100m_cny,
            v("industry.tech_investment_growth_rate"),
            w_fai,
            t_ext,
        )
    )
    tech_real = industry.tech_extra_output_real(
        tech_spend, v("industry.tech_yield"), v("industry.tech_lag_months")
    )[:, lv]
    gio_tech = full(industry.increment_over_base_year(tech_real, t) * P_ind)
    gio_new_firms = full(
        industry.new_firm_output(
            v("industry.new_firms_per_year"),
            v("industry.new_firm_output_100m_cny"),
            v("industry.new_firms_january_share"),
            w_ind,
            P_ind,
            t,
        )
    )
    gio_proj_init = full(
        industry.increment_over_base_year(f_hist["output_real_100m_cny"][:, lv], t) * P_ind
    )
    gio_proj_new = full(f_new["output_real_100m_cny"][:, lv] * P_ind)
    gio_increments = gio_tech + gio_new_firms + gio_proj_init + gio_proj_new
    gio = gio_existing + gio_increments

    # --- fixed-asset investment --------------------------------------------------------
    fai_projects = full((f_hist["spending_100m_cny"] + f_new["spending_100m_cny"])[:, lv])
    fai_tech = tech_spend[:, lv]
    base_months = t < 0
    other_base = investment.other_base_level(
        params.base_year.fai_100m_cny,
        fai_projects[:, base_months].sum(axis=1, keepdims=True),
        params.base_year.tech_investment_100m_cny,
    )
    fai_other = full(
        investment.other_investment(other_base, v("investment.other_growth_rate"), w_fai, t)
    )
    fai = fai_projects + fai_tech + fai_other

    # --- shocks ----------------------------------------------------------------------------
    enabled = [
        (
            s.start_month,
            s.duration_months,
            s.recovery_months,
            v(f"shocks.{name}.depth_share"),
            s.sectors,
        )
        for name, s in params.shocks.items()
        if s.enabled
    ]
    f = shocks.sector_factors(enabled, t, D)

    fai_s = fai * f["fai"]
    gio_s = gio * f["industry"]

    # --- value added --------------------------------------------------------------------
    by = params.base_year
    base = accounts.base_value_added(
        by.gdp_100m_cny, by.primary_share, by.secondary_share, by.construction_share_of_secondary
    )
    g1 = (1 + v("accounts.primary_real_growth_rate")) * (
        1 + v("accounts.primary_price_change_rate")
    ) - 1
    g3 = (1 + v("accounts.tertiary_real_growth_rate")) * (
        1 + v("accounts.tertiary_price_change_rate")
    ) - 1
    wf_t = spread_over_months(w_fai, t)
    prim_base_m = base.primary * spread_over_months(w_pri, t)
    ind_base_m = base.industry * spread_over_months(w_ind, t)
    con_base_m = base.construction * wf_t
    ter_base_m = base.tertiary * spread_over_months(w_ter, t)

    va_rate = v("industry.va_rate")
    prim = full(prim_base_m * growth_index(g1, t))
    g_ind = (1 + g_org) * (1 + p_ind) - 1
    ind_existing = full(ind_base_m * growth_index(g_ind, t))
    ind = ind_existing + va_rate * gio_increments
    fai_base_m = np.take(fai, np.searchsorted(t, -12) + calendar_month(t), axis=1)
    con_args = (
        v("accounts.construction_va_rate"),
        v("pipeline.construction_installation_share"),
        v("accounts.construction_local_share"),
    )
    con = full(accounts.construction_va(base.construction, wf_t, fai, fai_base_m, *con_args))
    con_s = full(accounts.construction_va(base.construction, wf_t, fai_s, fai_base_m, *con_args))
    spill = accounts.spillover(
        v("accounts.services_spillover_elasticity"),
        base,
        va_rate * gio_increments + (con - con_base_m),
    )
    ter = full(ter_base_m * growth_index(g3, t) + spill)

    prim_s, ind_s, ter_s = prim * f["primary"], ind * f["industry"], ter * f["tertiary"]
    gdp = prim_s + ind_s + con_s + ter_s

    # real (base-year prices): each sector deflated by its own index
    P1 = growth_index(v("accounts.primary_price_change_rate"), t)
    Pc = growth_index(v("accounts.construction_price_change_rate"), t)
    P3 = growth_index(v("accounts.tertiary_price_change_rate"), t)
    real = {
        "va_primary_real_100m_cny": prim_s / P1,
        "va_industry_real_100m_cny": ind_s / P_ind,
        "va_construction_real_100m_cny": con_s / Pc,
        "va_tertiary_real_100m_cny": ter_s / P3,
    }

    # --- pipeline funnel (contract value) ---------------------------------------------
    signed = full(hist[None, :] + new_sign)
    started = starts_past + starts_future
    if register is not None:
        signed = signed + register.signed
        started = started + register.started.sum(axis=0)
    signed_cum = np.cumsum(signed, axis=1) + np.where(t_ext >= cs_pos - pos0, extra_signed, 0.0)

    out = {
        "t": t,
        "gross_industrial_output_100m_cny": gio_s,
        "gio_existing_100m_cny": gio_existing,
        "gio_tech_100m_cny": gio_tech,
        "gio_new_firms_100m_cny": gio_new_firms,
        "gio_projects_initial_100m_cny": gio_proj_init,
        "gio_projects_new_100m_cny": gio_proj_new,
        "gio_shock_100m_cny": gio_s - gio,
        "gross_industrial_output_real_100m_cny": gio_s / P_ind,
        "fai_100m_cny": fai_s,
        "fai_projects_100m_cny": fai_projects,
        "fai_tech_100m_cny": full(fai_tech),
        "fai_other_100m_cny": fai_other,
        "fai_shock_100m_cny": fai_s - fai,
        "va_primary_100m_cny": prim_s,
        "va_industry_100m_cny": ind_s,
        "va_construction_100m_cny": con_s,
        "va_tertiary_100m_cny": ter_s,
        "gdp_100m_cny": gdp,
        "gdp_real_100m_cny": sum(real.values()),
        **real,
        "contrib_existing_industry_100m_cny": ind_existing - ind_base_m,
        "contrib_tech_100m_cny": va_rate * gio_tech,
        "contrib_new_firms_100m_cny": va_rate * gio_new_firms,
        "contrib_new_projects_100m_cny": va_rate * (gio_proj_init + gio_proj_new),
        "contrib_construction_100m_cny": con - con_base_m,
        "contrib_services_100m_cny": ter - ter_base_m,
        "contrib_primary_100m_cny": prim - prim_base_m,
        "contrib_shocks_100m_cny": (prim_s - prim) + (ind_s - ind) + (con_s - con) + (ter_s - ter),
        "signed_100m_cny": signed[:, lv],
        "started_100m_cny": started[:, lv],
        "signed_cum_100m_cny": signed_cum[:, lv],
        "started_cum_100m_cny": np.cumsum(started, axis=1)[:, lv],
        "producing_cum_100m_cny": (
            f_hist["producing_cum_100m_cny"] + f_new["producing_cum_100m_cny"]
        )[:, lv],
        "full_cum_100m_cny": (f_hist["full_cum_100m_cny"] + f_new["full_cum_100m_cny"])[:, lv],
    }
    for k in SERIES:  # every series (D, T); views are kept, broadcast rows copied
        a = np.asarray(out[k], dtype=float)
        out[k] = a if a.shape == (D, t.size) else np.broadcast_to(a, (D, t.size)).copy()
    return out
