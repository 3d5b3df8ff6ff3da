"""The stated priors and judgements of calibration, in one place: each value with the
source or the reasoning it rests on (MODEL.md ranges, the first user's record, or
"[judgement]"). :mod:`.calibration` uses them where a pack is silent and the
calibration report marks them PRIOR or JUDGEMENT; the nowcast reads the pandemic years
and the price pass-through."""

from __future__ import annotations

#: Years of the COVID-19 pandemic's first wave: a dip that recovers the year after.
PANDEMIC_YEARS = (2020,)
#: Years whose first-published figures compare with a previous year revised by an economic
#: census (the third in 2013, the fourth in 2018): a level jump, not a price change.
CENSUS_REVISION_YEARS = (2014, 2019)
#: Plan-year rows a pack may carry: known when the plan is made (January ceremonies).
PLAN_TIME_INDICATORS = (
    "kaimenhong_signed_amount",
    "concentrated_start_total_investment",
    "concentrated_start_projects",
)

# --- priors (MODEL.md ranges; each stated where it is used) ------------------------------
#: Output equation: intercept (growth at mean investment growth), elasticity to
#: industrial FAI growth, pandemic-year effect, the city's own intercept deviation.
OUTPUT_PRIOR = {
    "intercept": (
        0.07,
        0.03,
        "Hubei prefecture cities' above-scale industry grew ≈6-9% a "
        "year in the 13th five-year plan [judgement, wide]",
    ),
    "elasticity": (
        0.10,
        0.08,
        "MODEL.md §3.2/3.3: κ≈1.5 × industrial FAI ≈0.17 of output × "
        "≈half within the year ≈0.13, less replacement investment",
    ),
    "trend": (0.0, 0.01, "[judgement] neutral: growth may drift by up to ≈1 point a year"),
    "pandemic": (-0.10, 0.10, "[judgement] a first-wave year well below normal"),
    "after": (
        0.05,
        0.10,
        "[judgement] the year after a pandemic year: half the prior dip recovered, wide "
        "(from a further fall to a rebound twice the dip)",
    ),
    "city": (
        0.0,
        0.02,
        "[judgement] a city's own trend differs from its peers' by ≈2 points (normal years "
        "only: a pandemic year and the year after are the pooled effects')",
    ),
}
#: Share of a pandemic year's dip that the next year's growth recovers, before any year
#: after a pandemic is observed: uniform on 0–1 (mean 0.5, sd 0.29) [judgement: from no
#: recovery of the level to a full one; no evidence either way at plan time].
REBOUND_SHARE_PRIOR = (0.5, 0.2887)
#: Weight, in errors, of the prior that the output equation's predictive sd is right
#: (spread factor 1) when its out-of-sample errors measure the spread [judgement: the same
#: weight as the residual sd's prior, :data:`SIGMA_PRIOR`].
SPREAD_PRIOR_DOF = 4.0
#: sd of industrial FAI growth around total FAI growth in the same city-year, worth 4 pairs
#: [judgement]: industrial FAI is a third to a half of the total and swings more.
PROXY_ERROR_PRIOR = (0.10, 4.0)
SIGMA_PRIOR = (0.03, 4.0)  # residual sd 3 points, worth 4 observations [judgement]
#: sd of a year's change in the log of a sector's share of GDP, worth 4 pairs [judgement]:
#: shares move a few percent a year, more in a census revision
SHARE_DRIFT_PRIOR = (0.05, 4.0)
CONSTRUCTION_SHARE_RANGE = (0.14, 0.20)  # of secondary VA: Hubei prefecture cities [judgement]
PASS_THROUGH_PRIOR = (0.8, 0.25)  # city industrial deflator per point of national PPI
INDUSTRIAL_SHARE_OF_FAI_PRIOR = 0.33  # [judgement] Hubei prefecture cities ≈30-35%
PROJECT_SHARE_OF_INDUSTRIAL_FAI = 0.6  # [judgement] 招商 projects in industrial FAI less 技改
JAN_AUG_INDUSTRIAL_SHARE_PRIOR = 1500.0 / 2592.6  # MODEL.md §3.1 (first user's record, derived)
H1_INVESTMENT_SHARE = 0.47  # MODEL.md §3.1: national half-year share
START_POINTS = ((7.0, 0.45), (18.0, 0.78))  # MODEL.md §3.2: share of signed value started
START_PLATEAU = 0.85  # MODEL.md §3.2: plateau 0.80-0.90
START_MEDIAN_PRIOR = 5.0  # MODEL.md §3.2: median ≈5 months
PRIMARY_GROWTH_PRIOR = 0.035  # [judgement] when the pack has no primary growth
TERTIARY_GROWTH_PRIOR = 0.06  # [judgement] when the pack has no services growth
NEW_FIRMS_PRIOR = 100.0  # [judgement] when the pack has no count of entrants
#: Share of the above-scale register's firms leaving it in a year, worth 4 city-years
#: [judgement]: firms fall below the 2000万 threshold or close; counts of Chinese
#: prefecture registers lose several percent of their firms a year.
EXIT_RATE_PRIOR = (0.08, 4.0)
#: Output of a firm leaving the register relative to the average firm's: low, mode, high
#: [judgement]: a leaving firm is near the 2000万 threshold, the average above-scale firm
#: of a Hubei prefecture city makes ≈2亿 (Jingzhou 2015: 1141 firms).
EXIT_RELATIVE_SIZE = (0.05, 0.1, 0.2)
FAI_GROWTH_PRIOR = 0.08  # [judgement] when the pack has no normal-year FAI growth
#: 招商 contract value per yuan of GDP when a pack has no signings [judgement]: Hubei
#: prefecture cities sign contract values of the order of their GDP (the shipped pack's
#: city signed 3051.6亿 against a GDP of 2715.5亿 in its base year: 1.12).
SIGNED_PER_GDP_PRIOR = 1.0
VA_RATE_PRIOR = 0.27  # MODEL.md §3.1: industrial VA / gross output ≈0.27 …
VA_RATE_RANGE = (0.22, 0.32)  # … 0.20 assembly-heavy, 0.25-0.30 process industry [judgement]
