"""Compose the mechanisms into one monthly simulation: a pure, vectorised core.

``run(params, draws)`` reads no file, draws no random number and prints nothing. Any
numeric parameter may be replaced by an array of per-draw values (``draws``, a mapping
from dotted path to shape ``(D,)``); every output then carries a leading draw axis.

The run is a chain of named stages, each a function of the stages before it:
:func:`_seasonal_stage` (monthly profiles) → :func:`_levers` → :func:`_pipeline_stage`
(signings → starts → spending, stage stocks, capacity) → :func:`_investment_stage` (FAI by
component, drivers honoured) → :func:`_industry_stage` (the estimated output equation, year
by year) → the shocks' sector factors → :func:`_accounts_stage` (production-side GDP,
nominal and real) → the drivers in force. Each stage hands on a small typed record
(:class:`Seasonal`, :class:`Levers`, :class:`PipelineFlows`, :class:`Investment`,
:class:`IndustryOutput`, :class:`Prices`). ``docs/model.md`` writes the equations out.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from operator import attrgetter
from typing import TYPE_CHECKING, Any

import numpy as np

from . import accounts, convolution, drivers, industry, investment, pipeline, shocks
from .schema import Params

if TYPE_CHECKING:
    from .registerflows import RegisterFlows

from .timeaxis import (
    HISTORY_MONTHS,
    annual_sums,
    as_rows,
    calendar_month,
    growth_index,
    month_axis,
    seasonal_weights,
    spread_over_months,
    year_position,
)

#: Monthly series returned by :func:`run`, in 亿元 per month unless named otherwise.
SERIES = (
    "gross_industrial_output_100m_cny",
    "gio_existing_100m_cny",
    "gio_tech_100m_cny",
    "gio_new_firms_100m_cny",
    "gio_exits_100m_cny",
    "gio_projects_initial_100m_cny",
    "gio_projects_new_100m_cny",
    "gio_shock_100m_cny",
    "gross_industrial_output_real_100m_cny",
    "fai_100m_cny",
    "fai_projects_100m_cny",
    "fai_tech_100m_cny",
    "fai_other_100m_cny",
    "fai_shock_100m_cny",
    "fai_industrial_100m_cny",
    "fai_projects_industrial_100m_cny",
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


#: float64, compared by identity when the outputs are assembled (cheaper than ``==``).
_F8 = np.dtype(np.float64)

#: Attribute getters by dotted path (a cache of the path strings, not of values).
_GETTERS: dict[str, attrgetter] = {}


class _Values:
    """Parameter lookup: a float, or a ``(D, 1)`` column where the path has draws.

    Called ≈60 times a run, so the common case (a plain attribute path, no draw) is
    inline.
    """

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
        if self.draws and path in self.draws:
            return self.draws[path]
        get = _GETTERS.get(path)
        if get is not None:
            try:
                return float(get(self.params))
            except AttributeError:  # a mapping on the way: see raw()
                pass
        return float(self.raw(path))

    def value(self, path: str, stored: float) -> float | np.ndarray:
        """``path``'s draws where drawn, else ``stored``: its value, already at hand."""
        if self.draws and path in self.draws:
            return self.draws[path]
        return float(stored)

    def raw(self, path: str):
        """The scalar value of ``path`` as stored (``None`` for an unset driver)."""
        get = _GETTERS.get(path)
        if get is None:
            get = _GETTERS[path] = attrgetter(path)
        try:
            return get(self.params)
        except AttributeError:  # a mapping on the way (``shocks.<name>.depth_share``)
            o = self.params
            for k in path.split("."):
                o = o[k] if isinstance(o, dict) else getattr(o, k)
            return o

    def driver(self, name: str) -> float | np.ndarray | None:
        """A driver's value (per draw where drawn), or ``None`` when left to the model."""
        path = f"drivers.{name}"
        if self.draws and path in self.draws:
            return self.draws[path]
        value = self.raw(path)
        return None if value is None else float(value)


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
    return convolution.convolve(scaled, pmf) * (s > reg.as_of)


@dataclass
class _Axis:
    """Month axes of one run: ``t_ext`` with 48 history months, ``t`` from the base year."""

    D: int
    H: int
    t_ext: np.ndarray
    t: np.ndarray
    lv: slice
    pos0: int

    @property
    def years(self) -> int:
        """Plan years simulated (horizon months / 12)."""
        return self.H // 12


def _annual(x: np.ndarray, ax: _Axis) -> np.ndarray:
    """Annual sums of a monthly (D, T) series on ``ax.t``: (D, 1 + years), base year first."""
    return annual_sums(x, ax.years + 1)


# --- what the stages hand on: small typed records (亿元 per month on the axes of ``_Axis``;
# arrays (D or 1, T) unless said) ----------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Seasonal:
    """Monthly profiles (shares of the year, (D or 1, 12)) of industry, FAI, services and
    agriculture."""

    industry: np.ndarray
    fai: np.ndarray
    tertiary: np.ndarray
    primary: np.ndarray


@dataclass(frozen=True, slots=True)
class Levers:
    """The environment lever ``env`` and the start-lag parameters before (``ref``) and
    from the plan year (``lever``): (start share, median months, sigma)."""

    env: Any
    ref: tuple
    lever: tuple


@dataclass(frozen=True, slots=True)
class PipelineFlows:
    """The pipeline's flows and stocks: realised spending of history and plan-year starts
    (from the base year on), its industrial part and the capacity built (``hist``/``new``,
    capacity at base-year prices), stage stocks, signings and starts (extended axis)."""

    spend_hist: np.ndarray
    spend_new: np.ndarray
    spend_ind: dict[str, np.ndarray]
    producing_cum: np.ndarray
    full_cum: np.ndarray
    capacity: dict[str, np.ndarray]
    signed: np.ndarray
    started: np.ndarray
    signed_cum: np.ndarray
    started_cum: np.ndarray
    annual_signed: Any


@dataclass(slots=True)
class Investment:
    """FAI by component (亿元 per month, base year on), the drivers honoured; ``fai_s``: FAI
    after shocks, set by :func:`run` once the shock factors are known."""

    fai: np.ndarray
    projects: np.ndarray
    projects_ind_hist: np.ndarray
    projects_ind_new: np.ndarray
    tech: np.ndarray
    other_industrial: np.ndarray
    other: np.ndarray
    industrial: np.ndarray
    fai_driver_set: bool
    fai_s: np.ndarray | None = None


@dataclass(frozen=True, slots=True)
class IndustryOutput:
    """Gross industrial output by part (亿元 per month at current prices), its price index
    ``P_ind`` (base year = 1) and annual price change ``p_ind``, entrants ``firms`` and the
    annual 技改 spending ``annual_tech``."""

    P_ind: np.ndarray
    p_ind: Any
    existing: np.ndarray
    tech: np.ndarray
    projects_initial: np.ndarray
    projects_new: np.ndarray
    new_firms: np.ndarray
    exits: np.ndarray  # output of firms that left the register (≥ 0, off the level)
    firms: Any
    annual_tech: Any


@dataclass(frozen=True, slots=True)
class Prices:
    """Deflator indices (base year = 1) of agriculture, construction and services, and the
    CPI in force."""

    P1: np.ndarray
    Pc: np.ndarray
    P3: np.ndarray
    cpi: Any


def _levers(v: _Values) -> Levers:
    """Structural and lever values of the start process and organic growth."""
    env = v("environment.index")
    ref = (
        v("pipeline.start_share"),
        v("pipeline.start_lag_median_months"),
        v("pipeline.start_lag_sigma"),
    )
    share = ref[0] + v("pipeline.start_share_change") + env * v("environment.start_share_gain")
    median = (ref[1] + v("pipeline.start_lag_change_months")) * (
        1 - env * v("environment.lag_cut_share")
    )
    if type(share) is float and type(median) is float:  # no draw: Python's min and max
        lever = (min(max(share, 0.0), 1.0), max(0.5, median), ref[2])
    else:
        lever = (np.clip(share, 0.0, 1.0), np.maximum(0.5, median), ref[2])
    return Levers(env, ref, lever)


def _rows(*xs: float | np.ndarray) -> int:
    """Rows of the broadcast of floats and (D or 1, ...) arrays."""
    return max((x.shape[0] for x in xs if isinstance(x, np.ndarray) and x.ndim), default=1)


def _same(a: float | np.ndarray, b: float | np.ndarray) -> bool:
    """Whether two parameter values (floats or (D, 1) columns) are equal everywhere."""
    if a is b:
        return True
    if isinstance(a, float) and isinstance(b, float):
        return a == b
    return bool(np.array_equal(a, b))


def _col(x: float | np.ndarray, ndim: int = 2) -> float | np.ndarray:
    """A float as it is; per-draw values as a (D, 1) column ((D, 1, 1) with ``ndim=3``)."""
    return x if isinstance(x, float) else np.reshape(x, (-1,) + (1,) * (ndim - 1))


def _by_class(*xs: float | np.ndarray) -> np.ndarray:
    """Per-class values as (D or 1, C, 1): per-draw rows only where a value is drawn."""
    if all(isinstance(x, float) for x in xs):
        return np.array(xs, dtype=float).reshape(1, -1, 1)
    cols = np.broadcast_arrays(*(np.reshape(x, (-1, 1)) for x in xs))
    return np.stack(cols, axis=1)


def _pipeline_stage(
    v: _Values, params: Params, ax: _Axis, lev: Levers, register: RegisterFlows | None
) -> PipelineFlows:
    """Signings → starts → realised spending and stage stocks (extended axis).

    Each convolution is computed only over the months it is used
    (:func:`convolution.convolve_window`): history-cohort starts before the plan year,
    backlog and new starts from it, spending from the base year. Where one operand is
    the same in every draw (the history signings; the spending kernel unless a build
    period is drawn) it is a Toeplitz product, otherwise a short FFT. Cohorts signed
    before the plan year (history) and from it (new) are kept apart for their
    industrial shares.

    Returns
    -------
    dict
        ``spend_hist``, ``spend_new`` (D or 1, T − lv.start): realised project spending
        by cohort group from the base year; ``spend_ind`` {``hist``, ``new``}: its
        industrial part; ``capacity`` {``hist``, ``new``}: design output of the built
        industrial projects (κ × realised × ramp, 亿元 per month at base-year prices, from
        the base year); ``producing_cum`` and ``full_cum`` (D or 1, T − lv.start): stage
        stocks from the base year; ``signed``, ``started``, ``signed_cum``,
        ``started_cum`` (D or 1, T) on the extended axis; ``annual_signed``: the annual
        signings (float or (D, 1)).
    """
    t_ext, pos0 = ax.t_ext, ax.pos0
    T = t_ext.size
    pp = params.pipeline

    hist = np.zeros(T)
    hist[:HISTORY_MONTHS] = pp.history_signed_100m_cny
    jan = v("pipeline.january_signed_100m_cny")
    annual = v.driver("signed_100m_cny")
    annual = v("pipeline.signed_annual_100m_cny") if annual is None else annual
    # a January ceremony larger than the year is the year
    jan = min(jan, annual) if type(jan) is type(annual) is float else np.minimum(jan, annual)
    rest = (annual - jan) / 11.0
    new_sign = np.zeros((_rows(jan, rest), T))  # (1, T) unless a signing parameter is drawn
    new_sign[:, pos0:] = rest
    new_sign[:, pos0::12] = jan  # t_ext[pos0] = 0 is January
    cs_amount = v("pipeline.concentrated_start_100m_cny")
    if register is not None:  # the register's months replace the aggregate signings
        hist = np.where(register.covered, 0.0, hist)
        new_sign = np.where(register.covered, 0.0, new_sign)
        cs_amount = 0.0  # the concentrated start is in the register's start dates
    ref, lever = lev.ref, lev.lever
    lags = pipeline.lag_axis(T + 1)
    cdf_ref = pipeline.start_lag_cdf(*ref, lags)
    same_lag = _same(ref[0], lever[0]) and _same(ref[1], lever[1]) and _same(ref[2], lever[2])
    cdf_lev = cdf_ref if same_lag else pipeline.start_lag_cdf(*lever, lags)  # no lever moved
    pmf_ref = cdf_ref[:, 1:] - cdf_ref[:, :-1]
    pmf_lev = pmf_ref if same_lag else cdf_lev[:, 1:] - cdf_lev[:, :-1]
    # history cohorts, signed ages = HISTORY_MONTHS .. 1 months before the plan year: the
    # CDFs at those ages are the columns HISTORY_MONTHS .. 1 (a reversed view)
    done_ref = cdf_ref[:, HISTORY_MONTHS:0:-1]
    done_lev = done_ref if same_lag else cdf_lev[:, HISTORY_MONTHS:0:-1]
    scale = pipeline.backlog_scale_from_cdf(done_ref, done_lev, lever[0])
    hist_scaled = hist[:HISTORY_MONTHS] * scale  # (D or 1, HISTORY_MONTHS)
    # the whole backlog still to start, beyond any horizon: ρ_lev·(1 − F_lev(age)) · scale
    backlog_total = np.add.reduce(hist_scaled * (_col(lever[0]) - done_lev), -1, keepdims=True)
    cs_pos = pos0 + int(pp.concentrated_start_month) - 1
    event = not (isinstance(cs_amount, float) and cs_amount == 0.0)
    if event:  # 集中开工: pulled forward from the backlog (starts_with_concentrated_event)
        A = _col(cs_amount)
        pulled = np.minimum(A, backlog_total)
        pos = backlog_total > 0
        hist_scaled = hist_scaled * np.where(
            pos, 1.0 - pulled / np.where(pos, backlog_total, 1.0), 1.0
        )
        extra_signed = A - pulled
    # starts of the plan years: backlog and new signings share the lever pmf, so one
    # convolution serves both (new signings are zero before the plan year)
    H = HISTORY_MONTHS
    future_sign = np.zeros((_rows(hist_scaled, new_sign), T))
    future_sign[:, :H] = hist_scaled
    future_sign[:, H:] = new_sign[:, H:]
    starts_past = np.zeros((pmf_ref.shape[0], T))  # history cohorts, before the plan year
    starts_past[:, :H] = convolution.convolve_window(hist[None, :H], pmf_ref, 0, H)
    starts_future = np.zeros((max(future_sign.shape[0], pmf_lev.shape[0]), T))
    starts_future[:, H:] = convolution.convolve_window(future_sign, pmf_lev, H, T)
    if event:
        starts_future[:, cs_pos] += A if isinstance(A, float) else A[:, 0]
    pending_future = None
    if register is not None:
        pending = _pending_starts(register, cdf_lev, pmf_lev)
        past = t_ext < 0
        starts_past, starts_future = starts_past + pending * past, starts_future + pending * ~past
        pending_future = (pending * ~past)[..., H:]
    # the industrial share goes by signing date: the backlog of earlier years' signings (and
    # the concentrated start drawn from it) keeps history_industrial_share when it starts in
    # the plan years; only the plan years' signings (and the register's pending starts) take
    # the lever industrial_share. ``ind_future``: industrial value starting, months H.. T.
    phi_hist, phi_new = v("pipeline.history_industrial_share"), v("pipeline.industrial_share")
    if _same(phi_hist, phi_new):  # one share for every cohort: no split needed
        ind_future = None
    else:
        new_only = np.zeros_like(future_sign)
        new_only[:, H:] = future_sign[:, H:]
        from_new = convolution.convolve_window(new_only, pmf_lev, H, T)
        if pending_future is not None:
            from_new = from_new + pending_future
        ind_future = _col(phi_hist) * starts_future[:, H:] + _col(phi_new - phi_hist) * from_new

    # spending kernels (per draw only where a build period or shares are drawn); the
    # S-curve is flat after the longest build period, so kernels stop there
    large, medium = v("pipeline.large_share"), v("pipeline.medium_share")
    shares = _by_class(1.0 - large - medium, medium, large)
    build = (
        v("pipeline.build_small_months"),
        v("pipeline.build_medium_months"),
        v("pipeline.build_large_months"),
    )
    mult = v("pipeline.construction_time_multiplier")
    same_build = isinstance(mult, float) and mult == 1.0
    d_past = _by_class(*build)
    d_future = d_past if same_build else _by_class(*(b * mult for b in build))
    k_past = pipeline.spending_kernel(d_past, shares, min(T, math.ceil(d_past.max())))
    k_future = (
        k_past
        if same_build
        else pipeline.spending_kernel(d_future, shares, min(T, math.ceil(d_future.max())))
    )
    # spending from the base year on (lv) only: history starts end before the plan year,
    # plan-year starts begin with it
    r0 = ax.lv.start
    realised = v("pipeline.realised_share")
    spend_hist = realised * convolution.convolve_window(starts_past[:, :H], k_past, r0, T)
    spend_new = np.zeros((max(starts_future.shape[0], k_future.shape[0]), T - r0))
    spend_new[:, H - r0 :] = convolution.convolve_window(starts_future[:, H:], k_future, 0, T - H)
    spend_new = realised * spend_new
    if ind_future is None:
        spend_ind_new = phi_new * spend_new
    else:
        spend_ind_new = np.zeros((max(ind_future.shape[0], k_future.shape[0]), T - r0))
        spend_ind_new[:, H - r0 :] = convolution.convolve_window(ind_future, k_future, 0, T - H)
        spend_ind_new = realised * spend_ind_new
    spend_ind = {"hist": phi_hist * spend_hist, "new": spend_ind_new}

    started = starts_past + starts_future
    started_cum = started.cumsum(axis=1)
    ramp = _col(v("pipeline.ramp_months"), 3)
    from_past = pipeline.stage_months(d_past, ramp)
    if same_build:  # one set of stage months: the stocks of all starts together
        stocks = pipeline.stage_stocks(started_cum, shares, from_past, r0)
    else:  # history starts end before the plan year, plan-year starts begin with it
        stocks = pipeline.stage_stocks(starts_past.cumsum(axis=1), shares, from_past, r0)
        cum_future = starts_future[:, H:].cumsum(axis=1)
        stage_future = pipeline.stage_months(d_future, ramp)
        for i, new_part in enumerate(pipeline.stage_stocks(cum_future, shares, stage_future)):
            stocks[i] = _full(stocks[i], max(stocks[i].shape[0], new_part.shape[0]))
            stocks[i][:, H - r0 :] += new_part
    producing_cum, full_cum = stocks
    # capacity (the capacity channel): design output of the industrial projects built,
    # κ × realised industrial spending × the ramp, 亿元 per month at base-year prices
    kappa = v("pipeline.output_to_investment_ratio")
    a_ramp = _col(v("pipeline.ramp_start_share"), 3)
    per_yuan = realised * kappa / 12.0
    c_past = pipeline.capacity_kernel(d_past, shares, a_ramp, ramp, T)
    c_future = c_past if same_build else pipeline.capacity_kernel(d_future, shares, a_ramp, ramp, T)
    cap = {
        "hist": phi_hist
        * per_yuan
        * convolution.convolve_window(starts_past[:, :H], c_past, r0, T),
        "new": np.zeros((max(starts_future.shape[0], c_future.shape[0]), T - r0)),
    }
    if ind_future is None:
        cap["new"][:, H - r0 :] = convolution.convolve_window(
            starts_future[:, H:], c_future, 0, T - H
        )
        cap["new"] = phi_new * per_yuan * cap["new"]
    else:
        cap["new"] = np.zeros((max(ind_future.shape[0], c_future.shape[0]), T - r0))
        cap["new"][:, H - r0 :] = convolution.convolve_window(ind_future, c_future, 0, T - H)
        cap["new"] = per_yuan * cap["new"]
    if register is not None:  # known starts: each size class with its own kernels
        ramp_args = (a_ramp, ramp, T)
        k_hist = pipeline.build_kernels(d_past, *ramp_args)
        k_new = pipeline.build_kernels(d_future, *ramp_args)
        past = t_ext < 0
        for k, when, part in ((k_hist, past, "hist"), (k_new, ~past, "new")):
            reg = pipeline.flows_by_class(
                register.started * when, register.started_output * when, k, realised, kappa, 1.0
            )
            if part == "hist":
                spend_hist = spend_hist + reg["spending_100m_cny"][:, r0:]
            else:
                spend_new = spend_new + reg["spending_100m_cny"][:, r0:]
            producing_cum = producing_cum + reg["producing_cum_100m_cny"][:, r0:]
            full_cum = full_cum + reg["full_cum_100m_cny"][:, r0:]
            spend_ind[part] = spend_ind[part] + reg["spending_industrial_100m_cny"][:, r0:]
            cap[part] = cap[part] + reg["output_real_100m_cny"][:, r0:]
        started = started + register.started.sum(axis=0)
        started_cum = started.cumsum(axis=1)
    signed = hist + new_sign
    if register is not None:
        signed = signed + register.signed
    signed_cum = signed.cumsum(axis=1)
    if event:
        signed_cum = signed_cum + np.where(t_ext >= cs_pos - pos0, extra_signed, 0.0)
    return PipelineFlows(
        spend_hist=spend_hist,
        spend_new=spend_new,
        spend_ind=spend_ind,
        producing_cum=producing_cum,
        full_cum=full_cum,
        capacity=cap,
        signed=signed,
        started=started,
        signed_cum=signed_cum,
        started_cum=started_cum,
        annual_signed=annual,
    )


def _full(x: np.ndarray, D: int) -> np.ndarray:
    """``x`` as (D, T); copies only what is broadcast."""
    x = as_rows(x)
    return x if x.shape[0] == D else np.broadcast_to(x, (D, x.shape[-1])).copy()


def _investment_stage(
    v: _Values, params: Params, ax: _Axis, w_fai: np.ndarray, pipe: PipelineFlows
) -> Investment:
    """FAI by component (亿元 per month on ``ax.t``) with the FAI drivers honoured."""
    lv, t, by = ax.lv, ax.t, params.base_year
    proj_ind = {k: _full(x, ax.D) for k, x in pipe.spend_ind.items()}
    proj = _full(pipe.spend_hist + pipe.spend_new, ax.D)
    tech_driver = v.driver("tech_fai_growth_rate")
    g_tech = v("industry.tech_investment_growth_rate") if tech_driver is None else tech_driver
    tech = _full(
        industry.tech_spending(
            by.tech_investment_100m_cny, by.tech_investment_prev_100m_cny, g_tech, w_fai, ax.t_ext
        )[:, lv],
        ax.D,
    )
    base = t < 0
    base_sum = lambda x: np.add.reduce(x[:, base], axis=1, keepdims=True)  # noqa: E731
    proj_ind_sum = proj_ind["hist"] + proj_ind["new"]
    other_ind_base, other_base = investment.base_residuals(
        by.fai_100m_cny,
        by.industrial_fai_100m_cny,
        base_sum(proj),
        base_sum(proj_ind_sum),
        by.tech_investment_100m_cny,
    )
    wf = spread_over_months(w_fai, t)
    other_ind = _full(
        investment.grow(other_ind_base, v("investment.other_industrial_growth_rate"), wf, t), ax.D
    )
    other = _full(investment.grow(other_base, v("investment.other_growth_rate"), wf, t), ax.D)
    g_ind, g_fai = v.driver("industrial_fai_growth_rate"), v.driver("fai_growth_rate")
    if g_ind is not None:  # industrial FAI honoured: other industrial absorbs the difference
        target = by.industrial_fai_100m_cny * growth_index(g_ind, t)
        other_ind = drivers.absorb(other_ind, target, (proj_ind_sum, tech, other_ind), wf, ax)
    industrial = proj_ind_sum + tech + other_ind
    if g_fai is not None:  # total FAI honoured: non-industrial other absorbs the difference
        target = by.fai_100m_cny * growth_index(g_fai, t)
        other = drivers.absorb(other, target, (proj, tech, other_ind, other), wf, ax)
    return Investment(
        fai=proj + tech + other_ind + other,
        projects=proj,
        projects_ind_hist=proj_ind["hist"],
        projects_ind_new=proj_ind["new"],
        tech=tech,
        other_industrial=other_ind,
        other=other,
        industrial=industrial,
        fai_driver_set=g_fai is not None,
    )


def _capacity_reference(v: _Values) -> float | np.ndarray:
    """The base-year pace's new capacity that the organic growth holds (a share of
    output): ``capacity_reference_per_yield × κ × realised share``, so that a draw or a
    lever of either leaves the total growth at the base-year pace as estimated (the
    equation measured the total, not the split) and only departures from that pace move
    output."""
    return (
        v("industry.capacity_reference_per_yield")
        * v("pipeline.output_to_investment_ratio")
        * v("pipeline.realised_share")
    )


def _industry_stage(
    v: _Values,
    params: Params,
    ax: _Axis,
    w_ind: np.ndarray,
    inv: Investment,
    pipe: PipelineFlows,
    lev: Levers,
) -> IndustryOutput:
    """Above-scale output: the estimated growth equation for the firms of the base year and
    other investment, the projects' built capacity on top; year by year, then months."""
    t = ax.t
    p_driver = v.driver("industrial_price_change_rate")
    p_ind = v("industry.price_change_rate") if p_driver is None else p_driver
    P_ind = growth_index(p_ind, t)  # (D or 1, T)
    annual_P = _annual(P_ind, ax) / 12.0
    firms = v.driver("new_above_scale_firms")
    firms = v("industry.new_firms_per_year") if firms is None else firms
    eq = industry.OutputEquation(
        organic=v("industry.organic_real_growth_rate")
        + lev.env * v("environment.growth_gain_rate")
        - _capacity_reference(v),
        elasticity=v("industry.investment_elasticity"),
        lag_elasticity=v("industry.investment_lag_elasticity"),
        mean_growth=v("industry.investment_growth_mean_rate"),
        recovery=v("industry.recovery_rate"),
        shock=v("industry.growth_shock_rate"),
        tech_yield=v("industry.tech_yield"),
        within_year=v("industry.investment_within_year_share"),
    )
    parts = {
        "tech": _annual(inv.tech, ax),
        "other": _annual(inv.other_industrial, ax),
    }
    capacity = {k: _annual(_full(x, ax.D), ax) for k, x in pipe.capacity.items()}
    by = params.base_year
    Y0 = v.value("base_year.industrial_output_100m_cny", by.industrial_output_100m_cny)
    real = industry.comparable_output_real(
        eq,
        Y0,
        parts,
        capacity,
        by.industrial_fai_growth_rate,
        by.tech_investment_100m_cny - by.tech_investment_prev_100m_cny,
        annual_P,
    )
    w = spread_over_months(w_ind, t)
    P_m = P_ind * w
    gio_new_firms = _full(
        industry.new_firm_output(
            # the pipeline's new plants among the entrants: their output is the capacity's
            firms * (1.0 - v("industry.pipeline_entrant_share")),
            v("industry.new_firm_output_100m_cny"),
            v("industry.new_firms_january_share"),
            w_ind,
            P_ind,
            t,
        ),
        ax.D,
    )
    # the four parts at once, on the months and priced: (4, D or 1, T)
    lvl = real["parts"].take(year_position(t), axis=-1)
    lvl[0] = lvl[0] + Y0  # existing firms: base level plus growth
    lvl = lvl * P_m
    existing = _full(lvl[0], ax.D)
    return IndustryOutput(
        P_ind=P_ind,
        p_ind=p_ind,
        existing=existing,
        tech=_full(lvl[1], ax.D),
        projects_initial=_full(lvl[2], ax.D),
        projects_new=_full(lvl[3], ax.D),
        new_firms=gio_new_firms,
        exits=industry.exit_output(existing, v("industry.exit_output_share_rate"), t),
        firms=firms,
        annual_tech=parts["tech"],
    )


def _prices(v: _Values, t: np.ndarray) -> Prices:
    """Deflator indices (base year = 1) of primary, construction and services."""
    cpi = v.driver("consumer_price_change_rate")
    if cpi is None:  # the sectors' own forecasts; the CPI they imply is the services' less its gap
        p1, p3 = v("accounts.primary_price_change_rate"), v("accounts.tertiary_price_change_rate")
        cpi = p3 - v("accounts.tertiary_price_gap_rate")
    else:  # the sectors' deflators stray from the CPI by their measured gaps
        p1 = cpi + v("accounts.primary_price_gap_rate")
        p3 = cpi + v("accounts.tertiary_price_gap_rate")
    return Prices(
        P1=growth_index(p1, t),
        Pc=growth_index(v("accounts.construction_price_change_rate"), t),
        P3=growth_index(p3, t),
        cpi=cpi,
    )


def _accounts_stage(
    v: _Values,
    params: Params,
    ax: _Axis,
    seas: Seasonal,
    inv: Investment,
    ind: IndustryOutput,
    f: dict,
) -> dict:
    """Production-side GDP: four sectors, nominal and real; identities exact."""
    t = ax.t
    by = params.base_year
    base = accounts.base_value_added(
        *(
            v.value(f"base_year.{k}", getattr(by, k))
            for k in (
                "gdp_100m_cny",
                "primary_share",
                "secondary_share",
                "construction_share_of_secondary",
            )
        )
    )
    pr = _prices(v, t)
    wf_t = spread_over_months(seas.fai, t)
    prim_base_m = base.primary * spread_over_months(seas.primary, t)
    ind_base_m = base.industry * spread_over_months(seas.industry, t)
    con_base_m = base.construction * wf_t
    ter_base_m = base.tertiary * spread_over_months(seas.tertiary, t)

    prim = _full(
        prim_base_m * growth_index(v("accounts.primary_real_growth_rate"), t) * pr.P1, ax.D
    )
    # industrial VA follows comparable-basis output (new entrants were below scale before)
    P_ind = ind.P_ind
    Y0 = v.value("base_year.industrial_output_100m_cny", by.industrial_output_100m_cny)
    va_per_output = base.industry / Y0  # both profiles share the industry season
    contrib_tech = va_per_output * ind.tech
    contrib_proj = va_per_output * (ind.projects_initial + ind.projects_new)
    contrib_existing = va_per_output * ind.existing - ind_base_m
    ind_va = ind_base_m + contrib_existing + contrib_tech + contrib_proj
    fai, fai_s = inv.fai, inv.fai_s
    fai_base_m = fai[:, calendar_month(t)]  # t starts in January of the base year
    con_args = (
        v("accounts.construction_va_rate"),
        v("pipeline.construction_installation_share"),
        v("accounts.construction_local_share"),
    )
    con = _full(accounts.construction_va(base.construction, wf_t, fai, fai_base_m, *con_args), ax.D)
    con_s = _full(
        accounts.construction_va(base.construction, wf_t, fai_s, fai_base_m, *con_args), ax.D
    )
    # services: own real growth plus a spill-over from the real increments of industry and
    # construction, then priced with the services deflator
    real_incr = (ind_va / P_ind - ind_base_m) + (con / pr.Pc - con_base_m)
    ter_real = ter_base_m * growth_index(
        v("accounts.tertiary_real_growth_rate"), t
    ) + accounts.spillover(v("accounts.services_spillover_elasticity"), base, real_incr)
    ter = _full(ter_real * pr.P3, ax.D)
    prim_s = shocks.apply(prim, f["primary"])
    ind_s = shocks.apply(ind_va, f["industry"])
    ter_s = shocks.apply(ter, f["tertiary"])
    real = {
        "va_primary_real_100m_cny": prim_s / pr.P1,
        "va_industry_real_100m_cny": ind_s / P_ind,
        "va_construction_real_100m_cny": con_s / pr.Pc,
        "va_tertiary_real_100m_cny": ter_s / pr.P3,
    }
    return {
        "va_primary_100m_cny": prim_s,
        "va_industry_100m_cny": ind_s,
        "va_construction_100m_cny": con_s,
        "va_tertiary_100m_cny": ter_s,
        "gdp_100m_cny": prim_s + ind_s + con_s + ter_s,
        "gdp_real_100m_cny": sum(real.values()),
        **real,
        "contrib_existing_industry_100m_cny": contrib_existing,
        "contrib_tech_100m_cny": contrib_tech,
        "contrib_new_firms_100m_cny": np.zeros(contrib_tech.shape),
        "contrib_new_projects_100m_cny": contrib_proj,
        "contrib_construction_100m_cny": con - con_base_m,
        "contrib_services_100m_cny": ter - ter_base_m,
        "contrib_primary_100m_cny": prim - prim_base_m,
        "contrib_shocks_100m_cny": (prim_s - prim)
        + (ind_s - ind_va)
        + (con_s - con)
        + (ter_s - ter),
        "cpi": pr.cpi,
    }


def _seasonal_stage(v: _Values, params: Params) -> Seasonal:
    """Monthly profiles (D or 1, 12) of industry, investment, services and agriculture."""
    return Seasonal(
        industry=seasonal_weights(
            v("seasonality.industry_slope"), v("seasonality.industry_spring_dip_share")
        ),
        fai=seasonal_weights(v("seasonality.fai_slope"), v("seasonality.fai_spring_dip_share")),
        tertiary=seasonal_weights(
            v("seasonality.tertiary_slope"), v("seasonality.tertiary_spring_dip_share")
        ),
        primary=np.asarray(params.seasonality.primary_weights, dtype=float)[None, :],
    )


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
        Per-draw values of numeric parameters or drivers (dotted paths, e.g.
        ``"pipeline.start_share"``, ``"drivers.fai_growth_rate"`` or
        ``"shocks.heat_drought.depth_share"``).
    register : RegisterFlows, optional
        Projects of a register (:func:`simulation.io.projects.register_flows`): they replace
        the aggregate signings of the months the register covers and follow their own
        stages.

    Returns
    -------
    dict of str to ndarray
        ``"t"``: month indices, shape (12 + H,), from -12 (January of the base year);
        every name in :data:`SERIES`: shape (D, 12 + H), 亿元 per month at current prices
        unless the name says ``real`` (base-year prices) or ``cum`` (cumulative);
        ``"drivers"``: the value of each driver in force, shape (D, years) per driver
        (rates as fractions), whether set or computed by the model.
    """
    v = _Values(params, draws)
    H = params.calendar.horizon_months
    t_ext = month_axis(H)  # -HISTORY_MONTHS .. H-1 (kept, read-only)
    lv = slice(HISTORY_MONTHS - 12, None)  # levels from the base year on
    ax = _Axis(v.n, H, t_ext, month_axis(H, -12), lv, HISTORY_MONTHS)
    t = ax.t
    seas = _seasonal_stage(v, params)
    lev = _levers(v)
    pipe = _pipeline_stage(v, params, ax, lev, register)
    inv = _investment_stage(v, params, ax, seas.fai, pipe)
    ind = _industry_stage(v, params, ax, seas.industry, inv, pipe, lev)

    enabled = [
        (
            s.start_month,
            s.duration_months,
            s.recovery_months,
            v.value(f"shocks.{n}.depth_share", s.depth_share),
            s.sectors,
        )
        for n, s in params.shocks.items()
        if s.enabled
    ]
    f = shocks.sector_factors(enabled, t, ax.D)
    inv.fai_s = inv.fai if inv.fai_driver_set else shocks.apply(inv.fai, f["fai"])
    gio = (
        ind.existing
        + ind.tech
        + ind.projects_initial
        + ind.projects_new
        + ind.new_firms
        - ind.exits
    )
    gio_s = shocks.apply(gio, f["industry"])
    acc = _accounts_stage(v, params, ax, seas, inv, ind, f)
    out = {
        "t": t.copy(),  # the caller's own (the axis is kept)
        "gross_industrial_output_100m_cny": gio_s,
        "gio_existing_100m_cny": ind.existing,
        "gio_tech_100m_cny": ind.tech,
        "gio_new_firms_100m_cny": ind.new_firms,
        "gio_exits_100m_cny": -ind.exits,
        "gio_projects_initial_100m_cny": ind.projects_initial,
        "gio_projects_new_100m_cny": ind.projects_new,
        "gio_shock_100m_cny": gio_s - gio,
        "gross_industrial_output_real_100m_cny": gio_s / ind.P_ind,
        "fai_100m_cny": inv.fai_s,
        "fai_projects_100m_cny": inv.projects,
        "fai_tech_100m_cny": inv.tech,
        "fai_other_100m_cny": inv.other + inv.other_industrial,
        "fai_shock_100m_cny": inv.fai_s - inv.fai,
        "fai_industrial_100m_cny": inv.industrial,
        "fai_projects_industrial_100m_cny": inv.projects_ind_hist + inv.projects_ind_new,
        **{k: acc[k] for k in acc if k != "cpi"},
        "signed_100m_cny": pipe.signed[:, lv],
        "started_100m_cny": pipe.started[:, lv],
        "signed_cum_100m_cny": pipe.signed_cum[:, lv],
        "started_cum_100m_cny": pipe.started_cum[:, lv],
        "producing_cum_100m_cny": pipe.producing_cum,
        "full_cum_100m_cny": pipe.full_cum,
    }
    shape = (ax.D, t.size)
    for k in SERIES:  # every series (D, T); views are kept, broadcast rows copied
        a = out[k]
        if type(a) is np.ndarray and a.shape == shape and a.dtype is _F8:
            continue
        a = np.asarray(a, dtype=float)
        out[k] = a if a.shape == shape else np.broadcast_to(a, shape).copy()
    out["drivers"] = drivers.in_force(
        ax,
        _annual(inv.fai_s, ax),  # FAI as it comes out: after shocks (the series reported)
        _annual(inv.industrial, ax),
        ind.annual_tech,
        pipe.annual_signed,
        ind.firms,
        ind.p_ind,
        acc["cpi"],
    )
    return out
