"""Each mechanism against hand-computed values (tolerance 1e-9 unless stated)."""

import numpy as np
import pytest

from simulation.economy import accounts, convolution, industry, pipeline, shocks
from simulation.economy.timeaxis import growth_index, lag_fractional, seasonal_weights


def test_seasonal_weights_flat_and_sum():
    assert np.allclose(seasonal_weights(0.0, 0.0), 1 / 12)
    w = seasonal_weights(np.array([[0.3], [-0.2]]), np.array([[0.2], [0.0]]))
    assert w.shape == (2, 12)
    assert np.allclose(w.sum(axis=1), 1.0)
    # slope > 0 back-loads: December above January
    assert w[0, 11] > w[0, 0]


def test_growth_index_is_one_in_base_year():
    t = np.arange(-12, 24)
    g = growth_index(0.1, t)[0]
    assert np.all(g[:12] == 1.0)
    assert np.allclose(g[12:24], 1.1) and np.allclose(g[24:], 1.21)


def test_existing_output_hand_computed():
    t = np.arange(-12, 12)
    w = seasonal_weights(0.0, 0.0)
    out = industry.existing_output(1200.0, w, 0.1, 0.05, t)[0]
    assert np.allclose(out[:12], 100.0)
    assert np.allclose(out[12:], 100.0 * 1.1 * 1.05)


def test_lag_fractional():
    x = np.array([[1.0, 2.0, 3.0, 4.0]])
    assert np.allclose(lag_fractional(x, 1.0), [[0, 1, 2, 3]])
    assert np.allclose(lag_fractional(x, 0.5), [[0.5, 1.5, 2.5, 3.5]])
    assert np.allclose(lag_fractional(x, 10.0), 0.0)


def _eq(**kw):
    base = dict(organic=0.05, elasticity=0.1, lag_elasticity=0.0, mean_growth=0.1,
                recovery=0.0, shock=0.0, tech_yield=0.0, within_year=0.5)  # fmt: skip
    return industry.OutputEquation(**{**base, **kw})


def test_output_equation_hand_computed_two_years():
    # industrial FAI outside the projects 100 → 120 → 120 (技改 20 → 30 → 30, other 80 → 90)
    parts = {"tech": np.array([[20.0, 30.0, 30.0]]), "other": np.array([[80.0, 90.0, 90.0]])}
    none = {"hist": np.zeros((1, 3)), "new": np.zeros((1, 3))}
    P = np.ones((1, 3))
    out = industry.comparable_output_real(_eq(), 1000.0, parts, none, 0.1, 0.0, P)
    # year 1: g = 0.05 + 0.1 × (0.2 − 0.1) = 0.06; year 2: 0.05 + 0.1 × (0 − 0.1) = 0.04
    assert np.allclose(out["growth"], [[0.06, 0.04]])
    assert np.allclose(out["total"], [[0.0, 60.0, 1000 * 1.06 * 1.04 - 1000]])
    # 技改's share of year 1: 0.1 × 10/100 × 1000 = 10; the rest is existing firms
    assert out["tech"][0, 1] == pytest.approx(10.0)
    parts_sum = out["existing"] + out["tech"] + out["projects_hist"] + out["projects_new"]
    assert np.allclose(parts_sum, out["total"], rtol=0, atol=1e-9)


def test_built_capacity_adds_to_output_and_a_completed_project_never_lowers_it():
    parts = {"tech": np.full((1, 3), 20.0), "other": np.full((1, 3), 80.0)}  # flat: gN = 0
    cap = {"hist": np.array([[50.0, 80.0, 80.0]]), "new": np.array([[0.0, 0.0, 30.0]])}
    P = np.ones((1, 3))
    eq = _eq(mean_growth=0.0)
    out = industry.comparable_output_real(eq, 1000.0, parts, cap, 0.0, 0.0, P)
    # the base-year capacity (50) is in Y0: only what is added counts
    assert np.allclose(out["projects_hist"], [[0.0, 30.0, 30.0]])
    assert np.allclose(out["projects_new"], [[0.0, 0.0, 30.0]])
    # the rest grows by the equation: 1000 × 1.05, then × 1.05 again
    assert np.allclose(out["existing"], [[0.0, 50.0, 102.5]])
    total = 1000.0 + out["total"]
    assert np.allclose(out["growth"], [[total[0, 1] / 1000 - 1, total[0, 2] / total[0, 1] - 1]])
    # spending on the projects is gone from the equation: their investment can fall to
    # zero once built (it is not an input any more) and output keeps the capacity
    assert out["projects_hist"][0, 2] >= out["projects_hist"][0, 1]


def test_output_equation_lag_recovery_shock_and_tech_premium():
    parts = {k: np.array([[10.0, 10.0]]) for k in ("tech", "other")}
    none = {"hist": np.zeros((1, 2)), "new": np.zeros((1, 2))}
    P = np.ones((1, 2))
    eq = _eq(lag_elasticity=0.05, recovery=0.02, shock=-0.01, tech_yield=1.0, within_year=0.5)
    out = industry.comparable_output_real(eq, 1000.0, parts, none, 0.3, 4.0, P)
    # 0.05 + 0.1 × (0 − 0.1) + 0.05 × (0.3 − 0.1) + 0.02 − 0.01 + 1.0 × (0.5 × 0 + 0.5 × 4) / 1000
    assert out["growth"][0, 0] == pytest.approx(0.05 - 0.01 + 0.01 + 0.02 - 0.01 + 0.002)


def test_capacity_kernel_is_the_class_mix_of_the_build_kernels_capacity():
    build = np.array([[[4.0], [8.0], [14.0]]])
    shares = np.array([0.5, 0.3, 0.2])[None, :, None]
    k = pipeline.build_kernels(build, 0.4, 6.0, 30)["capacity"]
    mixed = pipeline.capacity_kernel(build, shares, 0.4, 6.0, 30)
    assert np.allclose(mixed, (k * shares).sum(axis=1), rtol=0, atol=1e-15)
    assert np.all(np.diff(mixed, axis=-1) >= 0) and mixed[0, -1] == pytest.approx(1.0)


def test_new_firm_output_hand_computed():
    t = np.arange(-12, 12)
    w = seasonal_weights(0.0, 0.0)
    out = industry.new_firm_output(12.0, 1.2, 0.5, w, np.ones((1, t.size)), t)[0]
    assert np.allclose(out[:12], 0)
    # January: 6 firms × 1.2/12; February: 6 + 6/11 firms
    assert out[12] == pytest.approx(6 * 0.1)
    assert out[13] == pytest.approx((6 + 6 / 11) * 0.1)
    assert out[23] == pytest.approx(12 * 0.1)


def test_convolve_matches_numpy():
    rng = np.random.default_rng(0)
    a, b = rng.random(30), rng.random(30)
    assert np.allclose(convolution.convolve(a, b), np.convolve(a, b)[:30])


def test_start_lag_pmf_mass_and_median():
    pmf = pipeline.start_lag_pmf(0.8, 5.0, 0.7, 400)[0]
    assert pmf.sum() == pytest.approx(0.8, abs=1e-6)
    assert pmf[:5].sum() == pytest.approx(0.4, abs=1e-12)  # half of starters by month 5


def test_build_kernels_hand_computed():
    k = pipeline.build_kernels(np.array([[[4.0]]]), 0.4, 2.0, 10)
    spend = k["spending"][0, 0]
    assert spend.sum() == pytest.approx(1.0)
    assert np.allclose(spend[4:], 0)
    # smoothstep(1/4) = 3/16 − 2/64 = 0.15625
    assert spend[0] == pytest.approx(0.15625)
    cap = k["capacity"][0, 0]
    # production from month j with j + 0.5 ≥ 4: j = 4 → 0.4 + 0.6 × 0.5/2 = 0.55
    assert np.allclose(cap[:4], 0)
    assert cap[4] == pytest.approx(0.55) and cap[5] == pytest.approx(0.85)
    assert np.allclose(cap[6:], 1.0)
    assert k["producing_from"][0, 0, 0] == 4 and k["full_from"][0, 0, 0] == 6
    assert np.array_equal(np.arange(10) >= k["producing_from"][0, 0, 0], cap > 0)
    assert np.array_equal(np.arange(10) >= k["full_from"][0, 0, 0], cap == 1.0)


def test_flows_equal_direct_convolution_of_the_kernels():
    """The FFT and running-sum shortcuts of ``flows`` against np.convolve per class."""
    rng = np.random.default_rng(3)
    D, T = 4, 40
    starts = rng.uniform(0, 50, (D, T))
    shares = np.array([0.5, 0.3, 0.2])[None, :, None]
    build = rng.uniform(3, 20, (D, 3, 1))
    a, R = rng.uniform(0.2, 0.6, (D, 1, 1)), rng.uniform(3, 30, (D, 1, 1))
    k = pipeline.build_kernels(build, a, R, T)
    f = pipeline.flows(starts, shares, k, 0.5, 1.5, 0.6)
    j = np.arange(T)
    for d in range(D):
        direct = {name: np.zeros(T) for name in ("spending", "capacity", "producing", "full")}
        for c in range(3):
            sc = starts[d] * shares[0, c, 0]
            ker = {
                "spending": k["spending"][d, c],
                "capacity": k["capacity"][d, c],
                "producing": (j >= k["producing_from"][d, c, 0]).astype(float),
                "full": (j >= k["full_from"][d, c, 0]).astype(float),
            }
            for name, kk in ker.items():
                direct[name] += np.convolve(sc, kk)[:T]
        assert np.allclose(f["spending_100m_cny"][d], 0.5 * direct["spending"], atol=1e-9)
        assert np.allclose(
            f["output_real_100m_cny"][d], 0.5 * 0.6 * 1.5 / 12 * direct["capacity"], atol=1e-9
        )
        assert np.allclose(f["producing_cum_100m_cny"][d], direct["producing"], atol=1e-9)
        assert np.allclose(f["full_cum_100m_cny"][d], direct["full"], atol=1e-9)


def test_backlog_scale_identity_when_levers_unchanged():
    ref = (0.85, 6.0, 0.7)
    s = pipeline.backlog_scale(ref, ref, np.arange(1, 30, dtype=float))
    assert np.allclose(s, 1.0)


def test_backlog_scale_conserves_lever_share():
    ref, lev = (0.8, 6.0, 0.7), (0.9, 4.0, 0.7)
    age = np.array([3.0])
    done = pipeline.start_lag_cdf(*ref, age)[0, 0]
    later = (
        pipeline.start_lag_pmf(*lev, 2000)[0, 3:].sum()
        * pipeline.backlog_scale(ref, lev, age)[0, 0]
    )
    assert done + later == pytest.approx(0.9, abs=1e-6)


def test_concentrated_event_mass():
    hs = np.zeros((1, 10))
    hs[0, 5:] = 100.0  # backlog 500 from position 5
    out, extra = pipeline.starts_with_concentrated_event(hs, 300.0, 6, 5)
    assert out.sum() == pytest.approx(500.0)  # 300 pulled forward, nothing invented
    assert extra[0, 0] == 0
    out, extra = pipeline.starts_with_concentrated_event(hs, 800.0, 6, 5)
    assert out.sum() == pytest.approx(800.0) and extra[0, 0] == pytest.approx(300.0)


def test_shock_profile_hand_computed():
    prof = shocks.shock_profile(3, 2, 1, np.arange(0, 8))
    assert np.allclose(prof, [0, 0, 1, 1, 0.5, 0, 0, 0])
    f = shocks.sector_factors([(3, 2, 1, 0.1, ["industry"])], np.arange(0, 8), 1)
    assert np.allclose(f["industry"][0], [1, 1, 0.9, 0.9, 0.95, 1, 1, 1])
    assert np.all(f["tertiary"] == 1)


def test_base_value_added_sums_exactly():
    b = accounts.base_value_added(2715.52, 0.192, 0.344, 0.17)
    assert b.primary + b.industry + b.construction + b.tertiary == 2715.52
    assert b.industry + b.construction == pytest.approx(2715.52 * 0.344)


def test_construction_va_coefficient():
    con = accounts.construction_va(
        120.0,
        np.full((1, 12), 1 / 12),
        np.full((1, 12), 110.0),
        np.full((1, 12), 100.0),
        0.27,
        0.55,
        0.7,
    )
    assert np.allclose(con, 10.0 + 0.27 * 0.55 * 0.7 * 10.0)


@pytest.mark.parametrize("scenario", ["baseline", "uncertainty", "all_strong"])
def test_no_two_output_series_share_memory(scenario):
    """Where no shock hits a sector its level is returned as it is (no product with ones):
    still, no two series of a run may be one array, or an analyst scaling one in place
    would change another."""
    import itertools

    from simulation import load_scenario
    from simulation.economy import model

    params = load_scenario(scenario).params
    for draws in (None, {"industry.tech_yield": np.array([0.5, 0.9])}):
        out = model.run(params, draws)
        series = [(k, out[k]) for k in model.SERIES]
        for (a, x), (b, y) in itertools.combinations(series, 2):
            assert not np.shares_memory(x, y), (a, b)


def test_a_sector_no_shock_hits_keeps_its_level():
    f = shocks.sector_factors([(3, 2, 1, 0.1, ["industry"])], np.arange(0, 8), 2)
    assert f["tertiary"] == 1.0 and f["industry"].shape == (2, 8)
    level = np.arange(16.0).reshape(2, 8)
    assert shocks.apply(level, f["tertiary"]) is level
    assert np.array_equal(shocks.apply(level, f["industry"]), level * f["industry"])


def test_seasonal_weights_of_floats_equal_the_per_draw_path_bit_for_bit():
    rng = np.random.default_rng(3)
    slope, dip = rng.uniform(-1, 1, 500), rng.uniform(-0.5, 0.9, 500)
    per_draw = seasonal_weights(slope[:, None], dip[:, None])
    for i in range(500):
        assert np.array_equal(seasonal_weights(float(slope[i]), float(dip[i]))[0], per_draw[i])


def test_stage_stocks_grouped_by_month_equal_each_draw_alone():
    """Draws grouped by their whole-month stage (the per-draw route) give, row by row, what
    each draw gives alone (the one-slice route), bit for bit."""
    rng = np.random.default_rng(5)
    D, T = 200, 40
    cum = np.cumsum(rng.uniform(0, 5, (D, T)), axis=1)
    shares = rng.dirichlet([2, 2, 2], D)[:, :, None]
    build = rng.uniform(0.2, 60, (D, 3, 1))  # stages from month 0 to beyond the axis
    frm = pipeline.stage_months(build, rng.uniform(1, 12, (D, 1, 1)))
    for report_from in (0, 7):
        together = pipeline.stage_stocks(cum, shares, frm, report_from)
        for i in range(D):
            alone = pipeline.stage_stocks(
                cum[i : i + 1], shares[i : i + 1], tuple(f[i : i + 1] for f in frm), report_from
            )
            for a, b in zip(together, alone, strict=True):
                assert np.array_equal(a[i], b[0])


def test_shock_profiles_are_kept_per_months_and_follow_each_month():
    t = np.arange(-12, 24)
    kept = shocks.shock_profile(5, 2, 3, t)
    assert kept is shocks.shock_profile(5, 2, 3, np.arange(-12, 24))  # computed once
    assert not kept.flags.writeable
    gappy = np.concatenate([t[:10], t[11:]])
    assert np.array_equal(shocks.shock_profile(5, 2, 3, gappy), np.delete(kept, 10))
    # same first and last month and length as a run, but not one: each month its own value
    shuffled = np.array([-12, 6, 5, 7, *range(-8, 23), 23])
    assert shuffled.size == t.size
    assert np.array_equal(shocks.shock_profile(5, 2, 3, shuffled), kept[shuffled + 12])


def test_start_lag_cdf_on_lags_that_only_look_like_an_axis():
    """Lags with 0 first and n−1 last but not in order are not the cached 0..n−1 axis."""
    lags = np.array([0, 2, 1, 3])
    got = pipeline.start_lag_cdf(0.8, 6.0, 0.7, lags)
    want = pipeline.start_lag_cdf(0.8, 6.0, 0.7, np.arange(4))[:, lags]
    assert np.array_equal(got, want)


@pytest.mark.parametrize("horizon, start", [(12, -12), (12, -48), (36, -12), (60, -48)])
def test_kept_axis_facts_equal_those_of_a_plain_axis(horizon, start):
    """An axis of month_axis is made once, read-only, and what the time functions derive
    from it (kept with it) equals what they compute for an equal plain array, bit for bit."""
    from simulation.economy import timeaxis as ta

    kept = ta.month_axis(horizon, start)
    assert kept is ta.month_axis(horizon, start) and not kept.flags.writeable
    plain = np.arange(start, horizon)
    assert ta._facts(plain) is None and ta._facts(kept) is not None
    for f in (ta.calendar_month, ta.year_index, ta.year_position):
        assert np.array_equal(f(kept), f(plain)), f.__name__
        assert not f(kept).flags.writeable
    rng = np.random.default_rng(11)
    w = seasonal_weights(rng.uniform(-1, 1, (5, 1)), rng.uniform(0, 0.5, (5, 1)))
    assert np.array_equal(ta.spread_over_months(w, kept), w[:, np.mod(plain, 12)])
    for rate in (0.07, -0.031, rng.uniform(-0.2, 0.3, (5, 1))):
        assert np.array_equal(growth_index(rate, kept), growth_index(rate, plain))
    annual = rng.uniform(0, 9, (5, (horizon - start) // 12))
    if start % 12 == 0:
        assert np.array_equal(annual[:, ta.year_position(kept)], np.repeat(annual, 12, axis=-1))


def test_kept_axes_are_made_once_however_many_horizons():
    """An office server sees every horizon the schema allows, over and over: each axis and
    its facts are made once (a bounded cache that dropped axes would remake them and grow
    the facts without end)."""
    from simulation.economy import timeaxis as ta

    for _ in range(3):
        for h in range(12, 121, 12):
            for start in (-48, -12):
                ta.month_axis(h, start)
    n = len(ta._FACTS)
    for h in range(12, 121, 12):
        ta.month_axis(h, -48)
    assert len(ta._FACTS) == n


def test_a_run_returns_its_own_month_axis():
    """The model's axes are kept read-only; the ``t`` a run returns is the caller's own."""
    from simulation import load_scenario
    from simulation.economy import model

    out = model.run(load_scenario("baseline").params)
    out["t"] += 0  # writable
    assert np.array_equal(out["t"], np.arange(-12, out["t"].size - 12))
    assert np.array_equal(model.run(load_scenario("baseline").params)["t"], out["t"])


def test_start_lag_cdf_on_the_kept_lag_axis_equals_a_plain_one():
    axis = pipeline.lag_axis(30)
    assert axis is pipeline.lag_axis(30) and not axis.flags.writeable
    for args in ((0.8, 6.0, 0.7), (np.array([[0.5], [0.9]]), np.array([[3.0], [9.0]]), 0.5)):
        want = pipeline.start_lag_cdf(*args, np.arange(30))
        assert np.array_equal(pipeline.start_lag_cdf(*args, axis), want)


def test_output_parts_come_as_one_array_and_by_name():
    eq = industry.OutputEquation(0.03, 0.05, 0.03, 0.1, 0.0, 0.0, 0.3, 0.5)
    rng = np.random.default_rng(2)
    inv = {k: rng.uniform(50, 150, (3, 4)) for k in ("tech", "other")}
    cap = {k: np.cumsum(rng.uniform(0, 40, (3, 4)), axis=1) for k in ("hist", "new")}
    real = industry.comparable_output_real(eq, 2600.0, inv, cap, 0.1, 20.0, np.ones((1, 4)))
    names = ("existing", "tech", "projects_hist", "projects_new")
    assert real["parts"].shape == (4, 3, 4)
    for i, k in enumerate(names):
        assert np.array_equal(real["parts"][i], real[k])
    assert np.array_equal(real["total"], sum(real[k] for k in names))


def test_annual_sums_add_each_year_of_each_row():
    from simulation.economy.timeaxis import annual_sums

    x = np.arange(48.0).reshape(2, 24)
    assert np.array_equal(annual_sums(x, 2), [[66.0, 210.0], [354.0, 498.0]])
    assert annual_sums(np.ones(36), 3).shape == (1, 3)
