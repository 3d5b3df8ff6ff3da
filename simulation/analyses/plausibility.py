"""The warnings strip: where a pathway leaves what the record says a year can look like.

A pathway outside these limits is not refused (a planner may want to see it); each check
that fails gives one :class:`Flag`, shown as a short sentence in the page's language
(label keys ``warn_<check>``). The limits come from the parameter folder's
``plausibility`` section, written by ``calibrate`` from the data pack (the range every
city in the pack recorded up to the base year) or stated as judgement there.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .result import Result


@dataclass(frozen=True)
class Flag:
    """One failed check: the label key of its sentence and the numbers it names.

    ``values`` hold percentages (``value_pct``, ``lo_pct``, ``hi_pct``) or amounts in
    亿元 (``value_100m_cny``, ``best_100m_cny``) and a ratio (``ratio``).
    """

    check: str
    values: dict[str, float] = field(default_factory=dict)

    @property
    def key(self) -> str:
        """The sentence's key in :data:`simulation.labels.TEXT`."""
        return f"warn_{self.check}"


#: check → (annual column of the plan year, in percent; limit name in ``plausibility``).
_GROWTH_CHECKS = {
    "gdp_growth": ("gdp_real_growth_pct", "gdp_real_growth"),
    "industrial_growth": ("gross_industrial_output_real_growth_pct", "industrial_real_growth"),
    "fai_growth": ("fai_growth_pct", "fai_growth"),
}


def flags(res: Result) -> list[Flag]:
    """The checks a result's first plan year fails (medians over draws).

    Parameters
    ----------
    res : Result

    Returns
    -------
    list of Flag
        In a fixed order: GDP growth, industrial growth, FAI growth, industrial share of
        FAI, signings against history. Empty when the pathway is within the record.
    """
    params = res.scenario.params
    lim = params.plausibility
    year = params.calendar.base_year + 1
    a = res.annual().set_index("year").loc[year]
    out = []
    for check, (column, name) in _GROWTH_CHECKS.items():
        value = float(a[column]) / 100.0
        lo, hi = getattr(lim, f"{name}_lo"), getattr(lim, f"{name}_hi")
        if not lo <= value <= hi:
            out.append(
                Flag(check, {"value_pct": 100 * value, "lo_pct": 100 * lo, "hi_pct": 100 * hi})
            )
    share = float(a["fai_industrial_100m_cny"] / a["fai_100m_cny"])
    if not lim.industrial_fai_share_lo <= share <= lim.industrial_fai_share_hi:
        out.append(
            Flag(
                "fai_share",
                {
                    "value_pct": 100 * share,
                    "lo_pct": 100 * lim.industrial_fai_share_lo,
                    "hi_pct": 100 * lim.industrial_fai_share_hi,
                },
            )
        )
    history = np.asarray(params.pipeline.history_signed_100m_cny, dtype=float)
    years = history[len(history) % 12 :].reshape(-1, 12).sum(axis=1) if history.size >= 12 else []
    best = float(np.max(years)) if len(years) else 0.0
    signed = float(a["signed_100m_cny"])
    if best > 0 and signed > lim.signed_vs_history_max * best:
        out.append(
            Flag(
                "signed", {"value_100m_cny": signed, "best_100m_cny": best, "ratio": signed / best}
            )
        )
    return out
