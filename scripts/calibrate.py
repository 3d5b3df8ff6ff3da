"""Print the calibration fits next to the values in params/base.yaml.

.venv/bin/python scripts/calibrate.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import simulation  # noqa: E402
from simulation import calibration as cal  # noqa: E402

p = simulation.load_scenario("base").params
rows = [
    (
        "seasonality.industry_slope",
        p.seasonality.industry_slope,
        cal.fit_slope(
            cal.JAN_AUG_2021_INDUSTRIAL_SHARE, 8, p.seasonality.industry_spring_dip_share
        ),
    ),
    (
        "seasonality.fai_slope",
        p.seasonality.fai_slope,
        cal.fit_slope(cal.H1_INVESTMENT_SHARE, 6, p.seasonality.fai_spring_dip_share),
    ),
]
fit = cal.fit_start_lag()
rows += [
    ("pipeline.start_share", p.pipeline.start_share, fit.start_share),
    ("pipeline.start_lag_median_months", p.pipeline.start_lag_median_months, fit.median_months),
    ("pipeline.start_lag_sigma", p.pipeline.start_lag_sigma, fit.sigma),
]
r, F = cal.fit_realised_share_and_fai(p)
rows += [
    ("pipeline.realised_share", p.pipeline.realised_share, r),
    ("base_year.fai_100m_cny", p.base_year.fai_100m_cny, F),
    ("pipeline.additional_share", p.pipeline.additional_share, cal.fit_additional_share(p)),
]
print(f"{'parameter':36s} {'base.yaml':>12s} {'fit':>12s}")
for name, have, want in rows:
    print(f"{name:36s} {have:12.4f} {want:12.4f}")
print(
    f"start-lag residuals (month 7, month 18, plateau, median): "
    f"{', '.join(f'{x:+.4f}' for x in fit.residuals)}"
)
print(f"implied 2021 industrial deflator: {cal.implied_2021_industrial_deflator():+.4f}")
