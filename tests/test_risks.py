"""Known risks drawn as events, base-year stand-ins drawn with a measured drift, sector
deflators measured against CPI, and the nowcast's level noise measured on the model (issue
21, items 3 and 5).

Tolerances: exact where the answer is a formula; event frequencies within 4 binomial
standard errors (n = 4000 draws).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from helpers import ROOT, cli

from simulation import load_scenario
from simulation.analyses import calibration as cal
from simulation.analyses import fits, paramfolder
from simulation.analyses.montecarlo import monte_carlo
from simulation.analyses.priors import SHARE_DRIFT_PRIOR
from simulation.analyses.ytdnoise import SHARE_SD_PRIOR, fit_share_noise, level_pairs
from simulation.economy.distributions import Event, parse
from simulation.io import datapack as dp
from simulation.io.risks import COLUMNS, RisksError, known_by, read_risks

PACK = ROOT / "data" / "packs" / "jingzhou_2021.csv"
RISKS = ROOT / "data" / "risks" / "hubei_known_risks.csv"
SHOCKS = {"supply_chain_spring", "local_outbreak", "heat_drought", "property_slump"}


@pytest.fixture(scope="module")
def pack() -> pd.DataFrame:
    return dp.read_pack(PACK)


# --- the event distribution -------------------------------------------------------------
def test_an_event_is_zero_unless_it_happens_then_uniform():
    e = Event(dist="event", probability=0.3, low=0.1, high=0.2)
    u = np.array([0.0, 0.5, 0.6999, 0.7, 0.85, 1.0])
    assert np.allclose(e.ppf(u), [0, 0, 0, 0.1, 0.15, 0.2])
    assert e.center == 0.0 and e.support == (0.0, 0.2)
    draws = e.ppf(np.random.default_rng(1).random(100_000))
    assert abs(np.mean(draws > 0) - 0.3) < 4 * np.sqrt(0.3 * 0.7 / 100_000)
    assert draws.mean() == pytest.approx(0.3 * 0.15, rel=0.02)


@pytest.mark.parametrize(
    "spec, words",
    [
        ({"dist": "event", "probability": 1.0, "low": 0.1, "high": 0.2}, "probability"),
        ({"dist": "event", "probability": 0.5, "low": 0.2, "high": 0.1}, "low < high"),
        ({"dist": "event", "probability": 0.5, "low": -0.1, "high": 0.1}, "low"),
    ],
)
def test_a_bad_event_is_refused_by_name(spec, words):
    with pytest.raises(ValueError, match=words):
        parse(spec)


# --- the risk register ------------------------------------------------------------------
def test_the_shipped_register_reads_and_every_row_has_its_page():
    r = read_risks(RISKS, SHOCKS)
    assert list(r.columns) == list(COLUMNS) and len(r) >= 4
    assert r["source_url"].str.startswith("http").all()
    assert ((r["probability"] > 0) & (r["probability"] < 1)).all()


def test_known_by_takes_the_latest_row_of_each_shock_known_by_the_year():
    r = read_risks(RISKS, SHOCKS)
    assert known_by(r, r["known_from"].min() - 1).empty
    last = int(r["known_from"].max())
    k = known_by(r, last)
    assert sorted(k["shock"]) == sorted(set(r["shock"]))
    for _, row in k.iterrows():
        assert row["known_from"] == r.loc[r["shock"] == row["shock"], "known_from"].max()
    assert known_by(None, last).empty


BAD_ROWS = {
    "unknown shock": ("meteor,2020,0.5,0.1,0.2,why,http://x", "shock 'meteor'"),
    "year": ("heat_drought,soon,0.5,0.1,0.2,why,http://x", "known_from 'soon'"),
    "probability": ("heat_drought,2020,1.5,0.1,0.2,why,http://x", "probability 1.5"),
    "depth": ("heat_drought,2020,0.5,0.3,0.2,why,http://x", "depth 0.3..0.2"),
    "no page": ("heat_drought,2020,0.5,0.1,0.2,why,", "source_url is empty"),
    "fields": ("heat_drought,2020,0.5", "expected 7 fields"),
}


@pytest.mark.parametrize("case", BAD_ROWS)
def test_a_bad_register_row_is_refused_naming_file_row_and_field(tmp_path, case):
    line, words = BAD_ROWS[case]
    f = tmp_path / "risks.csv"
    f.write_text(",".join(COLUMNS) + "\n" + line + "\n", encoding="utf-8")
    with pytest.raises(RisksError) as e:
        read_risks(f, SHOCKS)
    assert str(f) in str(e.value) and "row 2" in str(e.value) and words in str(e.value)


@pytest.mark.slow  # 3 s: two CLI runs
def test_calibrate_refuses_a_bad_register_without_a_traceback_and_writes_nothing(tmp_path):
    f = tmp_path / "risks.csv"
    f.write_text("shock,year\nheat_drought,2020\n", encoding="utf-8")
    out = tmp_path / "folder"
    r = cli(
        "calibrate", "--pack", str(PACK), "--out", str(out), "--city", "jingzhou",
        "--no-backtest", "--risks", str(f),
    )  # fmt: skip
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "risks.csv" in r.stderr and "header" in r.stderr
    assert not out.exists()


def test_known_risks_become_events_of_the_uncertainty_scenario(pack):
    risks = read_risks(RISKS, SHOCKS)
    c = cal.calibrate(pack, "jingzhou", 2020, risks=risks)
    unc = paramfolder.uncertainty_scenario(c, paramfolder.compose_base(c))["overrides"]
    for _, row in known_by(risks, 2020).iterrows():
        d = unc[f"shocks.{row['shock']}.depth_share"]
        assert d["dist"] == "event" and d["probability"] == row["probability"]
        assert d["source"].startswith("JUDGEMENT") and row["source_url"] in d["source"]
        assert unc[f"shocks.{row['shock']}.enabled"] is True
    # a risk first known later is not drawn for an earlier plan year
    assert "property_slump" not in set(known_by(risks, 2020)["shock"])
    assert "shocks.property_slump.depth_share" not in unc


@pytest.mark.slow  # 4 s: a calibrated folder and a Monte Carlo
def test_an_event_hits_the_draws_as_often_as_its_probability(pack):
    risks = read_risks(RISKS, SHOCKS)
    c = cal.calibrate(pack, "jingzhou", 2021, risks=risks)
    p = float(known_by(risks, 2021).set_index("shock").loc["property_slump", "probability"])
    with tempfile.TemporaryDirectory() as tmp:
        folder = paramfolder.write_folder(c, Path(tmp) / "f", lambda _: "")
        mc = monte_carlo(load_scenario("uncertainty", params_dir=folder), 4000, seed=7)
    hit = mc.values["shocks.property_slump.depth_share"] > 0
    assert abs(hit.mean() - p) < 4 * np.sqrt(p * (1 - p) / 4000)
    # the property slump hits services only: lower tertiary VA in the draws it happens
    ter = mc.result.arrays["va_tertiary_100m_cny"][:, -12:].sum(axis=1)
    assert ter[hit].mean() < ter[~hit].mean()


# --- base-year stand-ins are drawn, and the model reads the draws --------------------------
def test_a_carried_sector_share_is_drawn_with_the_measured_drift(pack):
    c = cal.calibrate(pack, "jingzhou", 2020)  # no 2020 secondary VA: the 2018 share stands in
    v = c.values["base_year.secondary_share"]
    assert "2018 share" in v.source
    d = c.distributions["base_year.secondary_share"]
    sd_year, n = fits.share_drift(dp.up_to(pack, 2020), "secondary")
    assert d["dist"] == "normal" and d["mean"] == pytest.approx(v.value, abs=1e-6)
    assert d["sd"] == pytest.approx(v.value * sd_year * np.sqrt(2), abs=1e-6)  # 6 decimals
    assert f"{n} pairs" in d["source"]
    # the drift pools the pack's pairs with the prior exactly
    s0, nu0 = SHARE_DRIFT_PRIOR
    assert sd_year**2 * (nu0 + n) >= nu0 * s0**2 - 1e-15
    # a share published for the base year is not drawn
    c21 = cal.calibrate(pack, "jingzhou", 2021)
    assert "base_year.secondary_share" not in c21.distributions


def test_share_drift_is_the_pooled_random_walk_variance():
    rows = []
    for city, shares in {"a": {2015: 40.0, 2017: 36.0}, "b": {2016: 50.0, 2017: 49.0}}.items():
        for y, s in shares.items():
            rows.append({"city": city, "year": y, "period": str(y), "value": s, "annual": True,
                         "indicator": "sector_share_secondary_pct", "source_url": "x"})  # fmt: skip
    pk = pd.DataFrame(rows)
    z = np.log(36 / 40) ** 2 / 2 + np.log(49 / 50) ** 2 / 1
    s0, nu0 = SHARE_DRIFT_PRIOR
    sd, n = fits.share_drift(pk, "secondary")
    assert n == 2 and sd == pytest.approx(np.sqrt((nu0 * s0**2 + z) / (nu0 + 2)), rel=1e-12)


def test_drawn_base_year_figures_reach_the_model():
    """A draw of the base year's output or secondary share moves the results (they were
    read from the parameters before, and their draws ignored)."""
    from simulation import simulate

    sc = load_scenario("baseline")
    by = sc.params.base_year
    draws = {
        "base_year.industrial_output_100m_cny": np.array([by.industrial_output_100m_cny, 2000.0]),
        "base_year.secondary_share": np.array([by.secondary_share, by.secondary_share - 0.05]),
    }
    a = simulate(sc, draws=draws).arrays
    out = a["gross_industrial_output_100m_cny"][:, :12].sum(axis=1)
    assert out[0] == pytest.approx(by.industrial_output_100m_cny, rel=1e-9)
    assert out[1] == pytest.approx(2000.0, rel=1e-9)
    gdp = a["gdp_100m_cny"][:, :12].sum(axis=1)
    assert gdp == pytest.approx([by.gdp_100m_cny] * 2, rel=1e-9)  # the split, not the total
    sec = (a["va_industry_100m_cny"] + a["va_construction_100m_cny"])[:, :12].sum(axis=1)
    assert sec[1] == pytest.approx(sec[0] - 0.05 * by.gdp_100m_cny, rel=1e-9)


# --- the nowcast's level noise --------------------------------------------------------------
def test_share_noise_is_measured_against_the_models_shares(pack):
    pairs = level_pairs(pack)
    normal = pairs[~pairs["pandemic"]]
    assert len(normal) >= 1  # Jingzhou's H1 2019 GDP and its year, at least
    model = {k: np.linspace(1 / 12, 1, 12) for k in ("gdp", "gross_industrial_output_above_scale")}
    got = fit_share_noise(pairs, model)
    z = [
        np.log(r.share / model[r.indicator][r.last_month - 1]) / ((12 - r.last_month) / 11)
        for r in normal.itertuples()
    ]
    s0, nu0 = SHARE_SD_PRIOR
    want = np.sqrt((nu0 * s0**2 + np.sum(np.square(z))) / (nu0 + len(z)))
    assert got.sd == pytest.approx(want, rel=1e-12) and got.n == len(z)


def test_the_shipped_folder_states_its_measured_share_noise():
    base = yaml.safe_load((ROOT / "params" / "base.yaml").read_text(encoding="utf-8"))
    sd = base["tracking"]["ytd_share_sd"]
    src = base["sources"]["tracking.ytd_share_sd"]
    assert src.startswith("ESTIMATED") and "published pairs" in src
    assert sd != SHARE_SD_PRIOR[0]
    # out of sample: the base year's January-August output fixed the industry profile
    assert "2021 M1-8 output" not in src


def test_the_calibration_report_lists_the_known_risks():
    text = (ROOT / "params" / "CALIBRATION.md").read_text(encoding="utf-8")
    section = text.split("## Known risks, drawn as events (JUDGEMENT)")[1]
    for _, row in known_by(read_risks(RISKS, SHOCKS), 2021).iterrows():
        assert f"`{row['shock']}`" in section and row["source_url"] in section


# --- sector deflators measured against CPI ---------------------------------------------------
def test_deflator_gaps_are_the_published_nominal_over_real_less_cpi():
    rows = [("china", "2016", "cpi_yoy_pct", 2.0), ("china", "2017", "cpi_yoy_pct", 1.5),
            ("china", "2016", "va_tertiary", 100.0), ("china", "2017", "va_tertiary", 110.0),
            ("china", "2017", "va_tertiary_real_growth_pct", 7.0)]  # fmt: skip
    pk = pd.DataFrame(
        [{"city": c, "period": p, "year": int(p), "indicator": i, "value": v, "annual": True,
          "source_url": "x"} for c, p, i, v in rows]
    )  # fmt: skip
    g = fits.deflator_gaps(pk, "tertiary")
    assert len(g) == 1 and g["year"].iloc[0] == 2017
    want = np.log(110 / 100) - np.log(1.07) - np.log(1.015)
    assert g["gap"].iloc[0] == pytest.approx(want, abs=1e-12)


def test_the_calibrated_gap_leaves_census_revisions_out_of_its_mean(pack):
    from simulation.analyses.priors import CENSUS_REVISION_YEARS

    c = cal.calibrate(pack, "jingzhou", 2021)
    gaps = fits.deflator_gaps(dp.up_to(pack, 2021), "tertiary")
    normal = gaps[~gaps["year"].isin(CENSUS_REVISION_YEARS)]
    assert len(gaps) > len(normal) >= 3
    v = c.values["accounts.tertiary_price_gap_rate"]
    assert v.method == "ESTIMATED" and v.value == pytest.approx(normal["gap"].mean(), abs=1e-6)
    d = c.distributions["accounts.tertiary_price_gap_rate"]
    spread = gaps["gap"].std(ddof=1) * np.sqrt(1 + 1 / len(gaps))
    assert d["sd"] == pytest.approx(spread, abs=1e-6)  # every year's spread
    assert c.values["accounts.tertiary_price_change_rate"].value == pytest.approx(
        c.prices["cpi"].forecast + v.value, abs=1e-6
    )  # both rounded to 6 decimals, as base.yaml writes them


def test_with_a_cpi_driver_each_sector_deflator_is_the_cpi_plus_its_gap():
    from simulation import simulate

    sc = load_scenario("baseline", {"drivers.consumer_price_change_rate": 0.02})
    acc = sc.params.accounts
    a = simulate(sc).arrays
    t = a["t"]
    plan = (t >= 0) & (t < 12)
    for sector, gap in (("tertiary", acc.tertiary_price_gap_rate),
                        ("primary", acc.primary_price_gap_rate)):  # fmt: skip
        nominal = a[f"va_{sector}_100m_cny"][0, plan]
        real = a[f"va_{sector}_real_100m_cny"][0, plan]
        assert gap != 0
        assert np.allclose(nominal / real, 1 + 0.02 + gap, rtol=1e-12)  # first plan year
