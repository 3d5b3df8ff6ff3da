"""Firms entering and leaving the above-scale register (issue 21, item 2): the published
level moves with them, the comparable-basis growth rate and GDP do not."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import ROOT

from simulation import load_scenario
from simulation.analyses.backtest import _quantity
from simulation.analyses.fits import fit_exit_rate
from simulation.analyses.priors import EXIT_RATE_PRIOR
from simulation.analyses.result import simulate
from simulation.economy.industry import exit_output
from simulation.io import datapack as dp


def test_exits_leave_a_compounding_share_from_each_january_and_none_in_the_base_year():
    t = np.arange(-12, 36)
    existing = np.full((1, t.size), 10.0)
    out = exit_output(existing, 0.1, t)
    assert np.all(out[0, :12] == 0)
    for k in range(3):
        months = out[0, 12 * (k + 1) : 12 * (k + 2)]
        assert np.allclose(months, 10.0 * (1 - 0.9 ** (k + 1)), rtol=1e-12)
    draws = exit_output(np.full((2, t.size), 10.0), np.array([[0.0], [0.2]]), t)
    assert np.all(draws[0] == 0) and draws[1, 12] == pytest.approx(2.0)


def test_exits_lower_the_level_only_not_the_comparable_growth_or_gdp():
    runs = {
        x: simulate(load_scenario("baseline", {"industry.exit_output_share_rate": x}))
        for x in (0.0, 0.05)
    }
    a0, a1 = runs[0.0].arrays, runs[0.05].arrays
    plan = (a0["t"] >= 0) & (a0["t"] < 12)
    # the level falls by 5% of the existing firms' output, to the yuan
    drop = (a0["gross_industrial_output_100m_cny"] - a1["gross_industrial_output_100m_cny"])[
        :, plan
    ].sum()
    assert drop == pytest.approx(0.05 * a1["gio_existing_100m_cny"][:, plan].sum(), rel=1e-12)
    assert drop == pytest.approx(-a1["gio_exits_100m_cny"][:, plan].sum(), rel=1e-12)
    assert drop > 100  # ≈5% of ≈2,800亿
    # leaving firms still produce (below scale): GDP and industrial VA do not move
    for key in ("gdp_100m_cny", "va_industry_100m_cny"):
        assert np.array_equal(a0[key], a1[key])
    # the comparable-basis growth the back-test compares with 规上工业增加值 growth
    g0, g1 = (_quantity(r, "gio_real_growth", "annual")[0] for r in runs.values())
    assert g1 == pytest.approx(g0, abs=1e-9)


def test_the_exit_rate_is_measured_on_count_pairs_beside_its_prior():
    pack = dp.read_pack(ROOT / "data" / "packs" / "jingmen_2021.csv")
    rate, how = fit_exit_rate(pack, 2021)
    # Tianmen: 297 firms at the end of 2018, 37 entrants in 2019, 298 at the end of 2019
    r0, nu = EXIT_RATE_PRIOR
    assert rate == pytest.approx((nu * r0 + 36 / 297) / (nu + 1))
    assert "tianmen 2019: 36 of 297" in how and "1 measured" in how
    prior_only, how0 = fit_exit_rate(pack, 2018)  # the pair is not known before 2019
    assert prior_only == pytest.approx(r0) and "no count pairs" in how0


def test_the_pipelines_new_plants_among_the_entrants_are_not_counted_twice():
    """The entrants that are the pipeline's new plants add their output through the capacity
    channel: the entrants' own output is the rest's."""
    out = {
        share: simulate(load_scenario("baseline", {"industry.pipeline_entrant_share": share}))
        .arrays["gio_new_firms_100m_cny"]
        .sum()
        for share in (0.0, 0.3, 1.0)
    }
    assert out[0.0] > 0 and out[1.0] == 0
    assert out[0.3] == pytest.approx(0.7 * out[0.0], rel=1e-12)
