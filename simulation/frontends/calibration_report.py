"""The calibration report (Markdown): every value with its method and source, the
output equation's data and posterior, the price forecasts and the back-tests."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from ..analyses.backtest import Backtest, whole_model_coverage
from ..analyses.calibration import Calibration
from ..analyses.coverage import coverage
from ..analyses.coverage import table as coverage_table
from ..analyses.nowcast_eval import nowcast_coverage
from ..analyses.priors import OUTPUT_PRIOR, PASS_THROUGH_PRIOR, SIGMA_PRIOR
from ..economy import schema


def _fmt(v) -> str:
    if isinstance(v, list) and all(isinstance(x, (int, float)) for x in v):
        return f"{len(v)} values, sum {sum(v):.1f}"
    if isinstance(v, list):
        return "; ".join(
            " ".join(_fmt(y) for y in x) if isinstance(x, list) else _fmt(x) for x in v
        )
    if isinstance(v, float):
        return f"{v:.4g}"
    return str(v)


def table(frame: pd.DataFrame, floatfmt: str = "{:.2f}") -> str:
    cols = list(frame.columns)
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for _, r in frame.iterrows():
        cells = []
        for c in cols:
            v = r[c]
            if isinstance(v, (float, np.floating)):
                cells.append("" if np.isnan(v) else floatfmt.format(v))
            else:
                cells.append(str(v).replace("|", "/"))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def backtest_table(tests: Iterable[Backtest]) -> str:
    """One Markdown table of whole-model back-tests, with coverage."""
    rows = []
    for bt in tests:
        for r in bt.rows:
            inside = "yes" if r["inside"] else "NO"
            rows.append({"city": bt.city, "year": bt.year, **r, "inside": inside})
    if not rows:
        return "_No year of the pack has both the base-year levels and the outcomes._"
    f = pd.DataFrame(rows)
    f["error_pct"] = f["error_pct"].astype(float)
    cols = ["year", "quantity", "actual", "forecast", "error", "error_pct", "p5", "p95", "inside"]
    several = f["city"].nunique() > 1  # the city column only when there are several
    return table(f[["city", *cols] if several else cols])


def equation_table(frame: pd.DataFrame) -> str:
    """Markdown table of the rolling-origin equation back-test, with coverage and errors."""
    if frame.empty:
        return "_Too few city-years for a rolling-origin back-test (needs 5 before a year)._"
    inside = int(frame["inside"].sum())
    rmse = float(np.sqrt(np.mean(frame["error"] ** 2)))
    mae = float(np.mean(np.abs(frame["error"])))
    f = frame.assign(inside=frame["inside"].map({True: "yes", False: "NO"}))
    return (
        table(
            f[["city", "year", "actual", "forecast", "error", "p5", "p95", "inside", "spread"]]
            .assign(normal=frame["normal"].map({True: "yes", False: "no"}))
            .assign(n_fit=frame["n_fit"])
        )
        + f"\n\n**{inside} of {len(frame)}** outcomes inside the p5–p95 band "
        f"({inside / len(frame):.0%}; aim ≈90%); mean absolute error {mae:.2f} points, "
        f"RMSE {rmse:.2f} points of above-scale real growth. A pandemic year is forecast as "
        "a normal one (nobody could know of it); the year after carries the rebound as known "
        "then; `spread` scales the residual sd by the earlier forecasts' errors."
    )


def coverage_summary(
    tests: list[Backtest] | None,
    equation: pd.DataFrame | None,
    nowcast: pd.DataFrame | None,
) -> list[str]:
    """The coverage of the three back-tests: a summary table, then each per quantity."""
    evaluations = []
    if tests is not None:
        evaluations.append(("the whole model, year by year", whole_model_coverage(tests)))
    if equation is not None:
        evaluations.append(("the output equation, rolling origin", coverage(equation)))
        normal = equation[equation["normal"]] if len(equation) else equation
        evaluations.append(("… of which normal years", coverage(normal)))
    if nowcast is not None:
        evaluations.append(("the nowcast, release by release", nowcast_coverage(nowcast)))
    out = [
        "### Coverage: how often the truth fell inside p5–p95",
        "",
        "Measured, never set: the share of published outcomes inside their forecast's "
        "p5–p95 band (nominal 90%), over every city-year the pack allows; band width in "
        "percent of the level for levels and in points for growth rates. "
        "`python -m simulation backtest` prints it and writes it as the JSON key `coverage`.",
        "",
        "| evaluation | inside | total | share | mean band width |",
        "|---|---:|---:|---:|---:|",
    ]
    for what, c in evaluations:
        share = "" if c["share"] is None else f"{100 * c['share']:.0f}%"
        width = "" if c["mean_band_width_pct"] is None else f"{c['mean_band_width_pct']:.1f}"
        out.append(f"| {what} | {c['inside']} | {c['total']} | {share} | {width} |")
    for what, c in evaluations:
        if c["total"] and not what.startswith("…"):
            out += ["", f"Per quantity, {what}:", "", coverage_table(c)]
    return out


def render(
    cal: Calibration,
    pack_files: list[str],
    tests: list[Backtest] | None = None,
    skipped: dict[int, str] | None = None,
    equation: pd.DataFrame | None = None,
    nowcast: pd.DataFrame | None = None,
) -> str:
    """The whole report as Markdown."""
    paths = schema.numeric_paths()
    city = cal.labels.get("city_zh", cal.city)
    out = [
        f"# Calibration report — {city} ({cal.city}), base year {cal.base_year}, plan year "
        f"{cal.base_year + 1}",
        "",
        "Written by `python -m simulation calibrate` from the data pack(s) "
        + ", ".join(f"`{f}`" for f in pack_files)
        + f". Only figures for {cal.base_year} and earlier are used, except plan-time inputs "
        "(a January signing ceremony, a concentrated start) that are known when the plan is "
        "made. Methods: **DATA** a published figure; **DERIVED** arithmetic on published "
        "figures; **FIT** a least-squares or root fit; **ESTIMATED** a statistical estimate "
        "from the pack; **PRIOR** a range from MODEL.md or the literature; **JUDGEMENT** a "
        "careful guess, stated.",
        "",
        "## The output equation (estimated)",
        "",
        "Above-scale output on a comparable basis in plan year k is `N_k + (C_k − C_0)`: the "
        "招商 projects' built capacity `C` (κ × realised industrial spending × the ramp; the "
        "capacity channel) on top of the rest `N`, which grows by",
        "",
        "    g = organic − c_ref + elasticity · (gN − ḡ) + lag_elasticity · (gN₋₁ − ḡ)"
        " + 技改 premium + recovery + shock",
        "",
        "with `gN` the nominal growth of industrial FAI outside the projects (model or driver) "
        "and `c_ref` the capacity the base-year pipeline pace adds in the first plan year "
        "(`industry.capacity_reference_per_yield` × κ × realised share): the estimated growth "
        "already holds that capacity, so only departures from the base-year pace move output, "
        "and a project that completes never lowers it. The coefficients "
        "come from a Bayesian linear regression on the pack's city-years (the city and its "
        "peers pooled, the city's own intercept shrunk towards theirs), with MODEL.md's "
        "ranges as priors:",
        "",
        "    growth = a + b·(x − x̄) + τ·(year − origin) + γ₀·P + γ₁·A + u·own + ε,",
        "",
        "with `P` = 1 in a pandemic year, `A` = 1 in the year after (the rebound γ₁, "
        "estimated once such a year is observed; before that, a share of the dip uniform on "
        "0–1 [judgement]) and `own` = 1 in the city's normal years only (its pandemic-year "
        "shortfall is not its trend).",
        "",
    ]
    post = cal.output
    if post is not None:
        rows = []
        w = post.data_weight()
        for i, n in enumerate(post.names):
            rows.append(
                {
                    "coefficient": n,
                    "prior mean": OUTPUT_PRIOR[n][0],
                    "prior sd": OUTPUT_PRIOR[n][1],
                    "posterior mean": post.mean[i],
                    "posterior sd": post.sd[i],
                    "share of precision from data": w[i],
                    "OLS": np.nan if post.ols is None else post.ols[i],
                    "prior source": OUTPUT_PRIOR[n][2],
                }
            )
        out += [
            table(pd.DataFrame(rows), "{:.4f}"),
            "",
            f"Residual sd σ = {post.sigma:.4f} (prior {SIGMA_PRIOR[0]} worth {SIGMA_PRIOR[1]:g} "
            f"observations); n = {post.n} city-years. The Monte Carlo draws the organic "
            "intercept, the elasticity and the year's residual (sd σ) from these "
            "distributions.",
            "",
        ]
        out += [f"- {n}" for n in cal.notes]
        sample = cal.output_sample
        if sample is not None and len(sample):
            s = sample.assign(
                growth=sample["growth"] * 100, invest_growth=sample["invest_growth"] * 100
            )
            out += [
                "",
                "Observations (percent; `regressor` says whether industrial FAI growth was "
                f"published or total FAI growth stands in for it: {int(sample['proxy'].sum())} "
                f"of {len(sample)} use the proxy):",
                "",
                table(
                    s[
                        [
                            "city",
                            "year",
                            "growth",
                            "invest_growth",
                            "regressor",
                            "pandemic",
                            "after",
                            "source_growth",
                            "source_investment",
                        ]
                    ],
                    "{:.1f}",
                ),
            ]
    out += ["", "## Prices", ""]
    for key, ar in cal.prices.items():
        if ar is None:
            out.append(
                f"- {key.upper()}: fewer than four consecutive years in the pack; prior used."
            )
        else:
            out.append(
                f"- national {key.upper()}: AR(1) on {ar.n} pairs, ρ = {ar.rho:.2f}, residual sd "
                f"{ar.sigma:.4f}; forecast for {cal.base_year + 1}: {ar.forecast:+.4f} ± "
                f"{ar.forecast_sd:.4f}."
            )
    out.append(
        f"- The city's industrial price change = pass-through × national PPI, pass-through "
        f"{PASS_THROUGH_PRIOR[0]} ± {PASS_THROUGH_PRIOR[1]} [prior, MODEL.md: one "
        "city-year's output +20.3% nominal vs VA +13.0% real implies +6.4% against national "
        "PPI +8.1%, i.e. 0.79, if the earlier output figure has the same scope]."
    )
    if tests is not None or equation is not None:
        out += ["", "## Back-tests", "", *coverage_summary(tests, equation, nowcast), ""]
    if tests is not None:
        out += [
            "### The whole model, year by year",
            "",
            "`python -m simulation backtest --pack FILE --year Y`: calibrated with the pack's "
            "rows up to Y−1, run for Y with Y's published drivers, compared with Y's outcomes "
            "(errors = forecast − actual; p5–p95 from 2000 draws of the uncertainty scenario).",
            "",
            backtest_table(tests),
            "",
        ]
        n_in = sum(t.coverage()[0] for t in tests)
        n = sum(t.coverage()[1] for t in tests)
        if n:
            out.append(f"**{n_in} of {n}** outcomes inside their p5–p95 band.")
        for t in tests:
            out.append(f"- drivers of {t.year}: " + "; ".join(t.driver_sources.values()))
            out += [f"- {n}" for n in t.notes]
        for y, why in (skipped or {}).items():
            out.append(f"- {y}: not possible — {why}")
        out.append("")
    if equation is not None:
        out += [
            "### The output equation, every city-year (rolling origin)",
            "",
            equation_table(equation),
            "",
        ]
    out += [
        "",
        "## Every value",
        "",
        "| parameter | value | unit | method | source |",
        "|---|---|---|---|---|",
    ]
    for p, v in sorted(cal.values.items()):
        unit = paths.get(p, {}).get("unit", "")
        src = f"{v.source}" + (f" ({v.fit})" if v.fit else "")
        out.append(f"| `{p}` | {_fmt(v.value)} | {unit} | {v.method} | {src.replace('|', '/')} |")
    out += [
        "",
        "Values not listed here come from `simulation/data/template.yaml` (MODEL.md's ranges "
        "and stated judgements); `base.yaml`'s `sources` gives each one's source.",
        "",
        "## Monte Carlo distributions",
        "",
        "| parameter | distribution | source |",
        "|---|---|---|",
    ]
    for p, d in sorted(cal.distributions.items()):
        spec = ", ".join(f"{k} {_fmt(v)}" for k, v in d.items() if k not in ("source",))
        out.append(f"| `{p}` | {spec} | {d.get('source', '').replace('|', '/')} |")
    if cal.risks is not None and len(cal.risks):
        out += [
            "",
            "## Known risks, drawn as events (JUDGEMENT)",
            "",
            f"Risks known by {cal.base_year} (`calibrate --risks`): in the uncertainty scenario "
            "each shock happens in a draw with its probability, at a depth drawn uniformly in "
            "its range (a share of the hit sectors' monthly level); the probabilities are "
            "judgements on the evidence of the page named.",
            "",
            "| shock | known from | probability | depth if it happens | basis | page |",
            "|---|---:|---:|---|---|---|",
        ]
        for r in cal.risks.itertuples():
            out.append(
                f"| `{r.shock}` | {r.known_from} | {r.probability:g} | {r.low:g}–{r.high:g} | "
                f"{r.basis.replace('|', '/')} | {r.source_url} |"
            )
    return "\n".join(out) + "\n"
