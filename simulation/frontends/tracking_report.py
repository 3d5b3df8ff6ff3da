"""Tracking in words: the nowcast, its band, the news of each release, the path from here.

Text for the command line (``track``), in English (money in 亿元, written 亿); the
tracking page draws the same numbers in either language
(:mod:`simulation.frontends.ui.projects_page`).
"""

from __future__ import annotations

from typing import Any

NAMES = {"gdp": "GDP", "industrial_output": "Industrial output"}
KEYS = {"gdp": "gdp_100m_cny", "industrial_output": "gross_industrial_output_100m_cny"}


def news_rows(d: dict[str, Any]) -> list[str]:
    """One line per release: what it moved (``2022M1-8 gross_industrial_output_above_scale …
    GDP +3.1亿 (+4.0 pts) output …``)."""
    lines = []
    for n in d.get("news", []):
        lines.append(
            f"  {n['period']:10s} {n['indicator']:48s} {n['value']:>9.1f} {n['unit']:8s} "
            f"{n['as'][:3]}  GDP {n['gdp_forecast_change_100m_cny']:+7.1f}亿 "
            f"({n['gdp_probability_change_pts']:+5.1f} pts)  output "
            f"{n['industrial_output_forecast_change_100m_cny']:+7.1f}亿 "
            f"({n['industrial_output_probability_change_pts']:+5.1f} pts)"
        )
    return lines


def tracking_text(d: dict[str, Any], scenario: str, register: str | None = None) -> str:
    """The ``track`` report from :meth:`simulation.analyses.tracking.Tracking.to_dict`."""
    lines = [
        f"Tracking {d['year']}, scenario {scenario}"
        + (f", register {register}" if register else "")
    ]
    if d.get("illustrative"):
        lines.append("  ILLUSTRATIVE figures (the file says they are not official statistics)")
    q = d.get("forecast_quantiles", {})
    for name, st in d["status"].items():
        label = NAMES[name]
        band = q.get(name)
        nowcast = (
            f"nowcast {band['p50']:.1f} (p5–p95 {band['p5']:.1f}–{band['p95']:.1f})"
            if band
            else f"forecast {d['forecast'][KEYS[name]]:.1f}"
        )
        if st["actual"] is None:
            lines.append(f"  {label}: no year-to-date level; {nowcast}")
            continue
        lines.append(
            f"  {label}, months 1-{st['through_month']}: actual {st['actual']:.1f} vs model "
            f"{st['model']:.1f} ({st['actual_vs_model_pct']:+.1f}%)"
            + (
                f"; calendar pace {st['calendar_pace']:.1f} ({st['vs_calendar_pace']:+.1f}), "
                f"seasonal pace {st['seasonal_pace']:.1f} ({st['vs_seasonal_pace']:+.1f})"
                if st["target"] > 0
                else ""
            )
        )
        req = d["required_remaining_growth_pct"][name]
        lines.append(
            f"    {nowcast}"
            + (f" vs target {st['target']:.0f}" if st["target"] > 0 else " (no target set)")
            + ("" if req is None else f"; the remaining months need {req:+.1f}% year on year")
        )
    p = d.get("probability")
    if p and any(st["target"] > 0 for st in d["status"].values()):
        lines.append(
            f"  probability: GDP {p['gdp']:.0%}, output {p['industrial_output']:.0%}, "
            f"both {p['both']:.0%}"
        )
    if d.get("fai"):
        f = d["fai"]
        lines.append(
            f"  FAI growth, months 1-{f['through_month']}: actual {f['actual_growth_pct']:.1f}% "
            f"vs model {f['model_growth_pct']:.1f}% (set as the model's driver)"
        )
    if d.get("news"):
        lines.append(
            "News: each release in turn, and how it moved the year-end nowcast (亿元) and the "
            "probability (points); 'dri' = set as a model driver, 'obs' = an observation"
        )
        lines += news_rows(d)
    for name, req in (d.get("required_path") or {}).items():
        if not req:
            continue
        months = ", ".join(str(m) for m in req["months"])
        lines.append(
            f"What it takes, {NAMES[name]} (months {months}): "
            f"{req['p50']['remaining_100m_cny']:.1f}亿 "
            f"for a 50% chance ({req['p50']['growth_over_base_year_pct']:+.1f}% over the base "
            f"year's months), {req['p80']['remaining_100m_cny']:.1f}亿 for 80% "
            f"({req['p80']['growth_over_base_year_pct']:+.1f}%); the nowcast brings "
            f"{sum(req['nowcast_monthly_100m_cny']):.1f}亿"
        )
        closing = [c for c in req.get("closing_drivers", []) if c["steps_to_close"] > 0]
        if closing:
            c = closing[0]
            lines.append(
                f"    cheapest lever: {c['driver']} ({c['steps_to_close']:.1f} × {c['step']}, "
                f"{c['effect_per_step_100m_cny']:.1f}亿 a step)"
            )
    left = (d.get("rows_left_out") or {}).get("count", 0)
    if left:
        rows = ", ".join(str(r) for r in d["rows_left_out"].get("rows", []))
        lines.append(f"Rows left out: {left}, file rows {rows} ({d['rows_left_out']['why']})")
    if d.get("indicators_ignored"):
        lines.append("Not used by the nowcast: " + ", ".join(d["indicators_ignored"]))
    if d.get("ytd_noise"):
        lines.append(
            f"Observation noise σ₁ = {d['ytd_noise']['sigma1']:.4f}: {d['ytd_noise']['source']}"
        )
    shock = d.get("large_shock")
    if shock and shock["weight"] >= 0.5:
        lines.append(
            f"A year unlike the record (weight {shock['weight']:.2f} against a prior of "
            f"{shock['prior_probability']:g}): the band runs from the months to come recovering "
            f"to the year staying where the releases are ({shock['persistence']})"
        )
    return "\n".join(lines) + "\n"
