"""Coverage of the p5–p95 bands: how often the truth fell inside, measured, never set.

One function, :func:`coverage`, used by the three back-tests (the whole model, the output
equation, the nowcast) so that the CLI's JSON key ``coverage``, its text line and the
calibration report say the same thing.

Band widths are reported in the quantity's own unit (亿元 or points of growth) per
quantity, and overall as ``mean_band_width_pct``: for a level, the band's width in percent
of the actual; for a growth rate, in points (a point of growth is a percent of the level).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

#: The nominal coverage of a p5–p95 band.
NOMINAL = 0.90


def _share(inside: int, total: int) -> float | None:
    return round(inside / total, 4) if total else None


def _relative_width(rows: pd.DataFrame) -> np.ndarray:
    """Band width in percent of the actual (levels) or in points (growth, in percent)."""
    width = (rows["p95"] - rows["p5"]).to_numpy(dtype=float)
    growth = rows["growth"].to_numpy(dtype=bool)
    actual = np.abs(rows["actual"].to_numpy(dtype=float))
    return np.where(growth, width, 100.0 * width / np.where(actual > 0, actual, np.nan))


def coverage(rows: pd.DataFrame, by: str = "quantity") -> dict[str, Any]:
    """The share of actuals inside their p5–p95 band, overall and per quantity.

    Parameters
    ----------
    rows : DataFrame
        One row per compared outcome with ``actual``, ``p5``, ``p95``, ``inside`` (bool;
        rows with ``inside`` missing are not compared), ``growth`` (bool: a growth rate in
        percent, else a level) and the column named by ``by``.
    by : str
        The column naming the quantity (GDP, output, a growth rate…).

    Returns
    -------
    dict
        ``inside``, ``total``, ``share`` (``None`` with nothing compared), ``nominal``
        (0.9), ``mean_band_width_pct`` (levels: % of the actual; growth: points) and
        ``per_quantity``: for each quantity ``inside``, ``total``, ``share``,
        ``mean_band_width`` (in the quantity's unit) and ``mean_abs_error`` (the same
        unit; ``error`` column where present).
    """
    r = rows[rows["inside"].notna()] if len(rows) else rows
    inside, total = int(r["inside"].astype(bool).sum()) if len(r) else 0, len(r)
    out: dict[str, Any] = {
        "inside": inside,
        "total": total,
        "share": _share(inside, total),
        "nominal": NOMINAL,
        "mean_band_width_pct": round(float(np.nanmean(_relative_width(r))), 3) if total else None,
        "per_quantity": {},
    }
    for name, g in r.groupby(by, sort=False):
        i, n = int(g["inside"].astype(bool).sum()), len(g)
        q = {
            "inside": i,
            "total": n,
            "share": _share(i, n),
            "mean_band_width": round(float((g["p95"] - g["p5"]).mean()), 3),
        }
        if "error" in g:
            q["mean_abs_error"] = round(float(g["error"].abs().mean()), 3)
        out["per_quantity"][str(name)] = q
    return out


def line(c: dict[str, Any], what: str) -> str:
    """One sentence for a coverage dict: ``what``: i of n inside p5–p95 (x%; nominal 90%)."""
    if not c["total"]:
        return f"{what}: nothing to compare"
    return (
        f"{what}: {c['inside']} of {c['total']} actuals inside p5-p95 "
        f"({100 * c['share']:.0f}%; nominal {100 * c['nominal']:.0f}%), "
        f"mean band width {c['mean_band_width_pct']:.1f} (% of the level, points of growth)"
    )


def table(c: dict[str, Any]) -> str:
    """Markdown table of the per-quantity coverage."""
    lines = [
        "| quantity | inside | total | share | mean band width | mean abs error |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, q in c["per_quantity"].items():
        err = q.get("mean_abs_error")
        lines.append(
            f"| {name} | {q['inside']} | {q['total']} | {100 * q['share']:.0f}% | "
            f"{q['mean_band_width']:.2f} | {'' if err is None else f'{err:.2f}'} |"
        )
    share = "" if c["share"] is None else f"{100 * c['share']:.0f}%"
    lines.append(f"| **all** | **{c['inside']}** | **{c['total']}** | **{share}** | | |")
    return "\n".join(lines)
