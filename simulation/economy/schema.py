"""The one parameter schema.

Every parameter has a unit, bounds, a description and a source here, and nowhere else.
Values live in ``params/base.yaml`` (every value) and scenario files (overrides only).
The schema drives validation on load, the ``params`` command's table and, later, the
sliders of the app and the bounds of sensitivity analysis.

Conventions: money in 亿元 (100 million yuan) at current prices (``_100m_cny``), shares as
fractions (``_share``), durations in months (``_months``), annual rates as fractions
(``_rate``). A field tagged with a ``campaign`` is a lever of that campaign.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from . import rules

CAMPAIGNS = ("industry", "attraction", "investment", "environment")
CampaignLevel = Literal["plan", "weak", "strong"]
SECTORS = ("industry", "fai", "primary", "tertiary")


def P(
    unit: str,
    lo: float,
    hi: float,
    description: str,
    source: str,
    *,
    campaign: str | None = None,
    step: float | None = None,
    label_zh: str | None = None,
    label_en: str | None = None,
) -> Any:
    """Declare a numeric parameter (required: its value comes from ``base.yaml``).

    Parameters
    ----------
    unit : str
        Unit as shown to users (``亿元``, ``share``, ``months`` ...).
    lo, hi : float
        Inclusive bounds, checked on load and used as slider and sensitivity ranges.
    description, source : str
        What the parameter means and where its value comes from.
    campaign : str, optional
        The campaign (``industry``, ``attraction``, ``investment``, ``environment``)
        this parameter is a lever of.
    step : float, optional
        Slider step; defaults to 1/100 of the range.
    label_zh, label_en : str, optional
        Short Chinese and English labels for the UI (the app's one label table reads
        parameter labels from here).
    """
    extra = {
        "unit": unit,
        "source": source,
        "campaign": campaign,
        "step": step if step is not None else (hi - lo) / 100.0,
        "label_zh": label_zh,
        "label_en": label_en,
    }
    return Field(..., ge=lo, le=hi, description=description, json_schema_extra=extra)


class _Section(BaseModel):
    # no NaN or infinity anywhere (a NaN weight would print GDP "nan"); no true/false for a number
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    @field_validator("*", mode="before")
    @classmethod
    def _no_bool_for_numbers(cls, v: Any, info: Any) -> Any:
        if isinstance(v, bool) and cls.model_fields[info.field_name].annotation is not bool:
            raise ValueError(f"expected a number, got {str(v).lower()}")
        return v


class Calendar(_Section):
    base_year: int = P(
        "year",
        2015,
        2030,
        "Base year: the last year with official data.",
        "calibrate: the last year with data in the pack",
        step=1,
    )
    horizon_months: int = P(
        "months",
        12,
        120,
        "Months simulated from January of the year after the base year (whole years).",
        "MODEL.md §2 (default 12; 60 for five-year-plan questions)",
        step=1,
    )


class Targets(_Section):
    gdp_100m_cny: float = P(
        "亿元",
        0,
        20000,
        "Annual GDP target for the first plan year.",
        "calibrate: the pack's gdp_target or --target-gdp (0 = none)",
        label_zh="GDP目标",
        label_en="GDP target",
    )
    industrial_output_100m_cny: float = P(
        "亿元",
        0,
        20000,
        "Annual gross industrial output target (above-scale) for the first plan year.",
        "calibrate: the pack's gross_industrial_output_above_scale_target or --target-output",
        label_zh="工业总产值目标",
        label_en="Industrial output target",
    )


class BaseYear(_Section):
    gdp_100m_cny: float = P(
        "亿元",
        100,
        20000,
        "Base-year GDP, current prices.",
        "calibrate: the pack's gdp (or gdp_revised) of the base year",
    )
    primary_share: float = P(
        "share",
        0,
        1,
        "Primary sector share of base-year GDP.",
        "calibrate: the pack's sector shares or va_primary / gdp of the base year",
    )
    secondary_share: float = P(
        "share",
        0,
        1,
        "Secondary sector share of base-year GDP.",
        "calibrate: the pack's sector shares or va_secondary / gdp of the base year",
    )
    construction_share_of_secondary: float = P(
        "share",
        0,
        0.6,
        "Construction's share of secondary value added (rarely published by cities).",
        "ESTIMATE [judgement]: Hubei prefecture cities ≈15-20%; see params/CALIBRATION.md",
        label_zh="建筑业占二产比重",
        label_en="Construction share of secondary",
    )
    industrial_output_100m_cny: float = P(
        "亿元",
        100,
        20000,
        "Base-year above-scale gross industrial output (规上工业总产值).",
        "calibrate: the pack's gross_industrial_output_above_scale of the base year",
    )
    fai_100m_cny: float = P(
        "亿元",
        100,
        10000,
        "Base-year fixed-asset investment level (only growth rates are published).",
        "DERIVED from industrial FAI and its share of total FAI (calibration._investment); "
        "CALIBRATION.md",
    )
    tech_investment_100m_cny: float = P(
        "亿元",
        0,
        2000,
        "Base-year 技改 investment.",
        "calibrate: the pack's fai_tech_upgrade of the base year (or derived)",
    )
    tech_investment_prev_100m_cny: float = P(
        "亿元",
        0,
        2000,
        "技改 investment of the year before the base year.",
        "DERIVED from the base-year level and growth (calibration report)",
    )
    industrial_fai_100m_cny: float = P(
        "亿元",
        0,
        10000,
        "Base-year industrial fixed-asset investment (工业投资), 技改 included.",
        "ESTIMATED (calibration report): not published as a level",
    )
    industrial_fai_growth_rate: float = P(
        "per year",
        -0.9,
        2,
        "Growth of industrial FAI in the base year (the lag term of the output equation).",
        "DATA or proxy (calibration report)",
    )


class Seasonality(_Section):
    industry_slope: float = P(
        "share",
        -1,
        1,
        "Within-year slope of above-scale output (December vs mid-year, relative).",
        "FITTED to the January-August output share (pack or MODEL.md §3.1); fits.fit_slope",
    )
    industry_spring_dip_share: float = P(
        "share",
        0,
        0.6,
        "Spring Festival dip of January and February output.",
        "[judgement] MODEL.md §3.1 (low in Jan-Feb)",
    )
    fai_slope: float = P(
        "share",
        -1,
        1,
        "Within-year slope of investment spending.",
        "FITTED to national H1 investment share ≈47% (MODEL.md §3.1)",
    )
    fai_spring_dip_share: float = P(
        "share", 0, 0.8, "Spring Festival dip of investment.", "[judgement]"
    )
    tertiary_slope: float = P(
        "share",
        -1,
        1,
        "Within-year slope of services value added.",
        "[judgement] mild back-loading",
    )
    tertiary_spring_dip_share: float = P(
        "share", 0, 0.6, "Spring Festival dip of services.", "[judgement]"
    )
    primary_weights: list[float] = Field(
        ...,
        min_length=12,
        max_length=12,
        description="Monthly shares of primary value added (harvest profile), summing to 1.",
        json_schema_extra={
            "unit": "share",
            "source": "[judgement] summer-autumn harvest",
            "campaign": None,
            "step": None,
            "label_zh": None,
        },
    )

    @field_validator("primary_weights")
    @classmethod
    def _sum_to_one(cls, v: list[float]) -> list[float]:
        if any(x < 0 for x in v) or abs(sum(v) - 1.0) > 1e-6:
            raise ValueError(f"expected 12 non-negative shares summing to 1, got sum {sum(v):.6f}")
        return v


class Industry(_Section):
    organic_real_growth_rate: float = P(
        "per year",
        -0.3,
        0.3,
        "Real growth of above-scale output (comparable basis) in a year when industrial "
        "investment grows at its sample mean: the intercept of the estimated output "
        "equation, before investment, 技改, new firms, prices and shocks.",
        "ESTIMATED: Bayesian regression on the data pack (see the calibration report)",
        campaign="industry",
        step=0.005,
        label_zh="存量工业实际增长",
        label_en="Existing industry real growth",
    )
    investment_elasticity: float = P(
        "points per point",
        0,
        1,
        "Points of real output growth per point of industrial FAI growth in the same year.",
        "ESTIMATED: Bayesian regression on the data pack (see the calibration report)",
        step=0.01,
        label_zh="工业投资产出弹性",
        label_en="Output elasticity to industrial investment",
    )
    investment_lag_elasticity: float = P(
        "points per point",
        0,
        1,
        "Points of real output growth per point of last year's industrial FAI growth above "
        "its sample mean (capacity that reaches production a year later).",
        "PRIOR [judgement]: the data pack has too few consecutive years to estimate it",
        step=0.01,
        label_zh="工业投资滞后弹性",
        label_en="Lagged investment elasticity",
    )
    investment_growth_mean_rate: float = P(
        "per year",
        -0.5,
        1,
        "Sample mean of industrial FAI growth in the estimation: both investment terms of "
        "the output equation are measured from it.",
        "DATA: mean of the regressor in the estimation sample",
        step=0.01,
    )
    recovery_rate: float = P(
        "per year",
        0,
        0.5,
        "Extra real growth in the first plan year as output recovers from a base-year "
        "pandemic dip (0 when the base year was normal).",
        "ESTIMATED: minus the pandemic-year effect of the output equation, applied when "
        "the base year was a pandemic year",
        step=0.005,
    )
    capacity_reference_per_yield: float = P(
        "share per yuan per yuan",
        0,
        5,
        "New project capacity the base-year pipeline pace adds in the first plan year, as a "
        "share of base-year output, per unit of κ × realised share. The output equation's "
        "organic growth already holds that capacity (it was estimated on growth that "
        "included it), so the model subtracts this × κ × realised share from the organic "
        "growth: the total at the base-year pace stays the estimate whatever κ or the "
        "realised share, and departures from that pace (signings, starts, builds) move "
        "output.",
        "DERIVED by calibrate: one run of the base-year pipeline (0 = no capacity in the "
        "organic growth)",
        step=0.01,
    )
    growth_shock_rate: float = P(
        "per year",
        -0.3,
        0.3,
        "The year's unexplained real growth (residual of the output equation); 0 in a "
        "deterministic run, drawn with the residual sd in the Monte Carlo.",
        "ESTIMATED: residual sd of the output equation (calibration report)",
        step=0.005,
        label_zh="当年未解释增长",
        label_en="Unexplained growth of the year",
    )
    price_change_rate: float = P(
        "per year",
        -0.2,
        0.3,
        "Industrial producer price change of the city's industry mix in each plan year "
        "(used when drivers.industrial_price_change_rate is not set).",
        "ESTIMATED: AR(1) forecast of national PPI from the data pack × pass-through",
        step=0.005,
        label_zh="工业品价格变动",
        label_en="Industrial price change",
    )
    below_scale_share_of_industrial_va: float = P(
        "share",
        0,
        0.5,
        "Below-scale firms' share of base-year industrial value added.",
        "[judgement] ≈10% (not published); kept as a parameter per MODEL.md §3.4",
    )
    tech_investment_growth_rate: float = P(
        "per year",
        -0.8,
        2.0,
        "Growth of 技改 investment in each plan year (used when drivers.tech_fai_growth_rate "
        "is not set).",
        "calibrate: trend of the pack's 技改 growth, or a prior [judgement]",
        campaign="industry",
        step=0.01,
        label_zh="技改投资增长",
        label_en="Tech-upgrade investment growth",
    )
    investment_within_year_share: float = P(
        "share",
        0,
        1,
        "Share of 技改's extra output that arrives in the year of spending (the rest the "
        "year after).",
        "PRIOR [judgement]: MODEL.md §3.1 lag ≈12 months, so about half within the year",
        step=0.05,
    )
    tech_yield: float = P(
        "yuan per yuan",
        0,
        4,
        "Extra annual output per extra yuan of 技改 investment, beyond what the same yuan "
        "yields as ordinary industrial investment.",
        "PRIOR [judgement]: MODEL.md §3.1 gross 1.5-2.0 less ≈0.5 of ordinary industrial "
        "FAI (estimated elasticity); the data pack cannot separate it",
        campaign="industry",
        step=0.05,
        label_zh="技改额外产出系数",
        label_en="Tech-upgrade output yield",
    )
    new_firms_per_year: float = P(
        "firms",
        0,
        1000,
        "Firms entering the above-scale register per plan year (小进规; used when "
        "drivers.new_above_scale_firms is not set).",
        "calibrate: the pack's n_new_above_scale_industrial_firms, or a prior",
        campaign="industry",
        step=5,
        label_zh="新增规上企业",
        label_en="New above-scale firms",
    )
    new_firm_output_100m_cny: float = P(
        "亿元 per firm-year",
        0.05,
        5,
        "Annual output a typical entrant adds to the above-scale total (gross: firms leaving "
        "the register are industry.exit_output_share_rate).",
        "PRIOR [judgement]: MODEL.md §3.1 0.3-1亿 gross; most entrants just above the threshold",
        step=0.05,
        label_zh="新进规企业平均产值",
        label_en="Output per new firm",
    )
    exit_output_share_rate: float = P(
        "per year",
        0,
        0.2,
        "Share of the existing above-scale firms' output that leaves the register each year "
        "(firms falling below the 20-million-yuan revenue threshold or closing; off the "
        "published level, not the comparable growth rate).",
        "calibrate: firms' exit rate from the pack's counts × an exiting firm's relative size",
        step=0.001,
        label_zh="退出规上企业产值占比",
        label_en="Output leaving the register",
    )
    pipeline_entrant_share: float = P(
        "share",
        0,
        1,
        "Share of the year's new above-scale firms that are the signed projects' new plants "
        "entering the register as they start producing: their output is the capacity "
        "channel's, so the entrants add the output of the rest only.",
        "[judgement] about a third; new plants enter the register (列统) once producing: "
        "https://gxj.changzhou.gov.cn/new/36259_28651 counts new-build projects 'not yet "
        "in the register'",
        step=0.05,
        label_zh="新进规中项目新投产企业占比",
        label_en="Entrants that are new project plants",
    )
    new_firms_january_share: float = P(
        "share",
        0,
        1,
        "Share of a year's new firms entering the register in January.",
        "[judgement] most enter with the annual register update",
        step=0.05,
    )


class Pipeline(_Section):
    history_signed_100m_cny: list[float] = Field(
        ...,
        min_length=48,
        max_length=48,
        description="Contract value signed in each of the 48 months before the first plan "
        "month (four years, January first): the initial pipeline state.",
        json_schema_extra={
            "unit": "亿元 per month",
            "campaign": None,
            "step": None,
            "label_zh": None,
            "source": "calibrate: the pack's signings by period, earlier years estimated; "
            "see CALIBRATION.md",
        },
    )
    signed_annual_100m_cny: float = P(
        "亿元 per year",
        0,
        20000,
        "Contract value signed in each plan year (招商签约).",
        "calibrate: the base year's signings carried into the plan year [judgement]",
        campaign="attraction",
        step=50,
        label_zh="年度签约额",
        label_en="Contracts signed per year",
    )
    january_signed_100m_cny: float = P(
        "亿元",
        0,
        5000,
        "Of which signed at the January 开门红 ceremony.",
        "calibrate: the plan year's 开门红 figure (a plan-time input) or January carried",
        campaign="attraction",
        step=10,
        label_zh="开门红签约额",
        label_en="January signing ceremony",
    )
    industrial_share: float = P(
        "share",
        0,
        1,
        "Industrial projects' share of signed contract value.",
        "[judgement] MODEL.md prior: a 开门红 ceremony 59% industrial by value, 82% by count",
        campaign="attraction",
        step=0.01,
        label_zh="工业项目占比",
        label_en="Industrial share of contracts",
    )
    history_industrial_share: float = P(
        "share",
        0,
        1,
        "Industrial projects' share of contract value signed before the plan year (the "
        "pipeline already in the pipe).",
        "DATA: base-year ceremony or register share (calibration report)",
        step=0.01,
    )
    large_share: float = P(
        "share", 0, 1, "Share of contract value in projects ≥50亿.", "[judgement]", step=0.01
    )
    medium_share: float = P(
        "share", 0, 1, "Share of contract value in projects of 10-50亿.", "[judgement]", step=0.01
    )
    start_share: float = P(
        "share",
        0.2,
        1,
        "Share of signed value that ever starts (履约/开工率 plateau).",
        "FITTED (fits.fit_start_lag) to recorded cohorts: 45% by month 7, 78% by "
        "month 18, plateau 0.80-0.90 (MODEL.md §3.2)",
        step=0.01,
        label_zh="最终开工比例",
        label_en="Share of signings that start",
    )
    start_lag_median_months: float = P(
        "months",
        0.5,
        24,
        "Median months from signing to start among projects that start.",
        "FITTED with start_share (MODEL.md §3.2: median ≈5)",
        step=0.5,
        label_zh="签约到开工中位月数",
        label_en="Median months signing to start",
    )
    start_lag_sigma: float = P(
        "log-months",
        0.1,
        3,
        "Dispersion of the lognormal start lag.",
        "FITTED with start_share",
        step=0.05,
    )
    start_share_change: float = P(
        "share",
        -0.5,
        0.5,
        "Change of the start share for starts from the first plan month "
        "on (履约率 push); history keeps the fitted value.",
        "[judgement] lever; 0 = plan",
        campaign="investment",
        step=0.01,
        label_zh="开工率变动",
        label_en="Change of start share",
    )
    start_lag_change_months: float = P(
        "months",
        -6,
        12,
        "Change of the median signing-to-start lag from the first plan month on.",
        "[judgement] lever; 0 = plan",
        campaign="investment",
        step=0.5,
        label_zh="开工时滞变动",
        label_en="Change of start lag",
    )
    realised_share: float = P(
        "share",
        0.02,
        1,
        "Share of contract value eventually spent as fixed investment in the city.",
        "FIT (calibration report): base-year industrial project spending against industrial "
        "FAI; MODEL.md §3.2 says 0.5-0.6, a Hubei comparison 41%",
        step=0.005,
        label_zh="资金落地率",
        label_en="Share of contract value spent",
    )
    build_small_months: float = P(
        "months",
        1,
        60,
        "Build period of projects under 10亿.",
        "MODEL.md §3.2 ≈12 [judgement]",
        step=1,
    )
    build_medium_months: float = P(
        "months",
        1,
        60,
        "Build period of projects of 10-50亿.",
        "MODEL.md §3.2 ≈18 [judgement]",
        step=1,
    )
    build_large_months: float = P(
        "months", 1, 72, "Build period of projects ≥50亿.", "MODEL.md §3.2 ≈24 [judgement]", step=1
    )
    construction_time_multiplier: float = P(
        "×",
        0.3,
        2.0,
        "Multiplier on every build period (construction speed).",
        "[judgement] lever of 投资立体战 for projects starting from the plan year; 1 = plan",
        campaign="investment",
        step=0.05,
        label_zh="建设周期系数",
        label_en="Build-period multiplier",
    )
    construction_installation_share: float = P(
        "share",
        0,
        1,
        "Construction & installation share of project spending.",
        "MODEL.md §3.2: ≈55% (equipment ≈30%, other incl. land ≈15%)",
    )
    ramp_start_share: float = P(
        "share",
        0,
        1,
        "Output at production start, share of design.",
        "MODEL.md §3.2: ≈40% [judgement]",
        step=0.05,
    )
    ramp_months: float = P(
        "months",
        1,
        60,
        "Months from production start to full capacity.",
        "MODEL.md §3.2: ≈24 [judgement]",
        step=1,
        label_zh="达产月数",
        label_en="Months to full capacity",
    )
    output_to_investment_ratio: float = P(
        "yuan per yuan",
        0.3,
        5,
        "Annual output at full capacity per yuan realised (κ).",
        "MODEL.md §3.2: 1.5 default; 0.8 chemicals; 1.1 paper; 3.0 assembly; 1.95 a recorded batch",
        campaign="attraction",
        step=0.05,
        label_zh="投资产出强度",
        label_en="Output per yuan invested",
    )
    concentrated_start_month: int = P(
        "month",
        1,
        12,
        "Calendar month of the first plan year's concentrated start.",
        "calibrate: the month of the plan year's concentrated start (plan-time input)",
        step=1,
    )
    concentrated_start_100m_cny: float = P(
        "亿元",
        0,
        5000,
        "Total investment of projects started at the concentrated start.",
        "calibrate: the plan year's concentrated start (plan-time input; 0 = none)",
        campaign="investment",
        step=10,
        label_zh="集中开工投资额",
        label_en="Concentrated start (Feb)",
    )


class Investment(_Section):
    other_growth_rate: float = P(
        "per year",
        -0.5,
        1.0,
        "Nominal growth of non-industrial investment outside the 招商 pipeline "
        "(infrastructure, real estate, public services); used when drivers.fai_growth_rate "
        "is not set.",
        "ESTIMATED: mean FAI growth of the data pack's normal years (calibration report)",
        campaign="investment",
        step=0.01,
        label_zh="其他投资增长",
        label_en="Other investment growth",
    )
    other_industrial_growth_rate: float = P(
        "per year",
        -0.5,
        1.0,
        "Nominal growth of industrial investment outside 技改 and the 招商 pipeline (existing "
        "firms' own expansion); used when drivers.industrial_fai_growth_rate is not set.",
        "ESTIMATED: as investment.other_growth_rate (calibration report)",
        step=0.01,
        label_zh="其他工业投资增长",
        label_en="Other industrial FAI growth",
    )


class Accounts(_Section):
    primary_real_growth_rate: float = P(
        "per year",
        -0.3,
        0.3,
        "Real growth of primary VA.",
        "ESTIMATED from the data pack (calibration report)",
        step=0.005,
        label_zh="第一产业实际增长",
        label_en="Primary real growth",
    )
    primary_price_change_rate: float = P(
        "per year",
        -0.2,
        0.3,
        "Primary sector deflator (used when drivers.consumer_price_change_rate is not set; "
        "with it, the CPI plus primary_price_gap_rate).",
        "ESTIMATED: AR(1) forecast of CPI (calibration report)",
        step=0.005,
        label_zh="农产品价格变动",
        label_en="Primary price change",
    )
    primary_price_gap_rate: float = P(
        "per year",
        -0.1,
        0.1,
        "Primary deflator minus CPI: added to drivers.consumer_price_change_rate when that "
        "is set (primary_price_change_rate holds it otherwise).",
        "ESTIMATED: mean gap of first-published sector deflators over CPI (calibration "
        "report); 0 in the template [judgement]",
        step=0.005,
        label_zh="农产品价格高于CPI",
        label_en="Primary price gap over CPI",
    )
    tertiary_real_growth_rate: float = P(
        "per year",
        -0.3,
        0.3,
        "Own real growth of services, excluding spill-overs from the "
        "modelled industry and construction increments.",
        "ESTIMATED from the data pack (calibration report)",
        step=0.005,
        label_zh="服务业实际增长",
        label_en="Services real growth",
    )
    tertiary_price_change_rate: float = P(
        "per year",
        -0.2,
        0.3,
        "Services deflator (used when drivers.consumer_price_change_rate is not set; with "
        "it, the CPI plus tertiary_price_gap_rate).",
        "ESTIMATED from the data pack (calibration report)",
        step=0.005,
        label_zh="服务业价格变动",
        label_en="Services price change",
    )
    tertiary_price_gap_rate: float = P(
        "per year",
        -0.1,
        0.1,
        "Services deflator minus CPI: added to drivers.consumer_price_change_rate when that "
        "is set (tertiary_price_change_rate holds it otherwise).",
        "ESTIMATED: mean gap of first-published sector deflators over CPI (calibration "
        "report); 0 in the template [judgement]",
        step=0.005,
        label_zh="服务业价格高于CPI",
        label_en="Services price gap over CPI",
    )
    construction_price_change_rate: float = P(
        "per year",
        -0.2,
        0.3,
        "Construction deflator.",
        "[judgement] materials prices; 3%",
        step=0.005,
    )
    construction_va_rate: float = P(
        "share",
        0,
        1,
        "Value added per yuan of construction & installation work.",
        "MODEL.md §3.3 ≈0.27",
    )
    construction_local_share: float = P(
        "share",
        0,
        1,
        "Share of construction work done by local firms.",
        "MODEL.md §3.3 ≈0.7 (a third by firms from elsewhere)",
    )
    services_spillover_elasticity: float = P(
        "elasticity",
        0,
        1,
        "Elasticity of services VA to the modelled industry and "
        "construction increments (producer services, incomes).",
        "MODEL.md §3.4: 0.2-0.4 [judgement]",
        step=0.05,
        label_zh="服务业带动弹性",
        label_en="Services spill-over elasticity",
    )


class Environment(_Section):
    index: float = P(
        "index",
        -1,
        1,
        "Business-environment index: +1 best effort, -1 worst.",
        "[judgement] 双优化攻坚战; 0 = plan",
        campaign="environment",
        step=0.1,
        label_zh="营商环境指数",
        label_en="Business environment index",
    )
    lag_cut_share: float = P(
        "share",
        0,
        0.9,
        "Share by which start lags shrink at index +1 (grow at -1).",
        "[judgement] 拿地即开工 cut land-to-start from 4-6 months to near zero",
        step=0.05,
    )
    start_share_gain: float = P(
        "share", 0, 0.3, "Start share gained at index +1.", "[judgement]", step=0.01
    )
    growth_gain_rate: float = P(
        "per year",
        0,
        0.05,
        "Organic real growth gained at index +1 (cost relief).",
        "[judgement]",
        step=0.001,
    )


def D(unit: str, lo: float, hi: float, description: str, label_zh: str, label_en: str) -> Any:
    """Declare a driver: optional (``None`` = left to the model), bounded when set."""
    extra = {
        "unit": unit,
        "source": "planner's input or the statistics bureau's figure; unset = the model's",
        "campaign": None,
        "step": (hi - lo) / 100.0,
        "label_zh": label_zh,
        "label_en": label_en,
        "driver": True,
    }
    return Field(None, ge=lo, le=hi, description=description, json_schema_extra=extra)


class Drivers(_Section):
    """The figures cities plan and publish; each is honoured exactly when set."""

    fai_growth_rate: float | None = D(
        "per year",
        -0.6,
        1.0,
        "Total fixed-asset investment growth, nominal (non-industrial other investment "
        "absorbs the difference).",
        "固定资产投资增长",
        "FAI growth",
    )
    industrial_fai_growth_rate: float | None = D(
        "per year",
        -0.6,
        1.5,
        "Industrial investment growth, nominal (industrial investment outside 技改 and the "
        "pipeline absorbs the difference).",
        "工业投资增长",
        "Industrial FAI growth",
    )
    tech_fai_growth_rate: float | None = D(
        "per year",
        -0.8,
        2.0,
        "技改 (tech-upgrade) investment growth, nominal.",
        "技改投资增长",
        "Tech-upgrade FAI growth",
    )
    signed_100m_cny: float | None = D(
        "亿元 per year",
        0,
        20000,
        "The year's 招商 contract value signed (new cohorts only); set below the January "
        "ceremony, the ceremony is the whole year (documented clipping).",
        "年度签约额",
        "Contracts signed",
    )
    new_above_scale_firms: float | None = D(
        "firms per year",
        0,
        2000,
        "Firms entering the above-scale register.",
        "新增规上企业",
        "New above-scale firms",
    )
    industrial_price_change_rate: float | None = D(
        "per year",
        -0.2,
        0.3,
        "Producer price change of the city's industry mix (PPI).",
        "工业品价格(PPI)",
        "Industrial prices (PPI)",
    )
    consumer_price_change_rate: float | None = D(
        "per year",
        -0.1,
        0.2,
        "Consumer price change (CPI): the deflator of services and the primary sector.",
        "居民消费价格(CPI)",
        "Consumer prices (CPI)",
    )


DRIVERS = tuple(Drivers.model_fields)


class Shock(_Section):
    enabled: bool = Field(..., description="Whether the shock applies in this scenario.")
    label_zh: str = Field("", description="Chinese name shown in the app.")
    label_en: str = Field("", description="English name shown in the app.")
    start_month: int = Field(
        ..., ge=1, le=120, description="First month hit, counted from 1 = first plan month."
    )
    duration_months: int = Field(..., ge=1, le=60, description="Months at full depth.")
    recovery_months: int = Field(
        ..., ge=0, le=60, description="Months of linear recovery after the full depth."
    )
    depth_share: float = Field(
        ...,
        ge=0,
        le=0.9,
        description="Loss of the hit sectors' monthly level at full depth (0.06 = −6%).",
    )
    sectors: list[Literal["industry", "fai", "primary", "tertiary"]] = Field(
        ..., min_length=1, description="Sectors hit: industry, fai, primary, tertiary."
    )
    source: str = Field("", description="Where the magnitude comes from.")


class Campaigns(_Section):
    industry: CampaignLevel = Field(..., description="工业突围战 preset.")
    attraction: CampaignLevel = Field(..., description="招商阵地战 preset.")
    investment: CampaignLevel = Field(..., description="投资立体战 preset.")
    environment: CampaignLevel = Field(..., description="双优化攻坚战 preset.")


class Tracking(_Section):
    ytd_sigma1: float = P(
        "log points",
        0.005,
        0.5,
        "How far a one-month (January) growth rate strays from its full year's; a growth "
        "rate through month m strays by ytd_sigma1·√((12 − m)/(11 m)) (the nowcast's "
        "observation noise).",
        "calibrate: maximum likelihood on the pack's pairs of year-to-date and full-year "
        "growth, normal years (simulation.analyses.nowcast.fit_ytd_noise); 0.05 when too few",
    )
    ytd_share_sd: float = P(
        "log points",
        0.001,
        0.3,
        "How far the model's share of a year's level in the months to date strays from the "
        "published one: by ytd_share_sd·(12 − m)/11 through month m (the noise of a "
        "year-to-date level in the nowcast).",
        "calibrate: the model's year-to-date shares against the pack's published pairs, "
        "pooled with a prior of 0.02 worth 4 pairs (simulation.analyses.ytdnoise."
        "fit_share_noise)",
    )


def _default_tracking() -> Tracking:
    return Tracking(ytd_sigma1=0.05, ytd_share_sd=0.02)


class Plausibility(_Section):
    """What the record says a city's year can look like: the warnings strip's limits.

    Written by ``calibrate`` from the pack (every city in it, annual figures up to the base
    year); a pathway outside these is not refused, it is flagged (``simulation.
    plausibility``). The defaults, for folders without the section, are wide judgement.
    """

    gdp_real_growth_lo: float = P(
        "per year",
        -0.5,
        0.5,
        "Lowest annual real GDP growth on record.",
        "calibrate: minimum over the pack's annual rows; default -0.10 [judgement]",
    )
    gdp_real_growth_hi: float = P(
        "per year",
        -0.5,
        0.5,
        "Highest annual real GDP growth on record.",
        "calibrate: maximum over the pack's annual rows; default 0.15 [judgement]",
    )
    industrial_real_growth_lo: float = P(
        "per year",
        -0.5,
        0.5,
        "Lowest annual real growth of above-scale industry on record.",
        "calibrate: minimum of the pack's annual above-scale VA real growth; default -0.15",
    )
    industrial_real_growth_hi: float = P(
        "per year",
        -0.5,
        0.5,
        "Highest annual real growth of above-scale industry on record.",
        "calibrate: maximum of the pack's annual above-scale VA real growth; default 0.20",
    )
    fai_growth_lo: float = P(
        "per year",
        -0.9,
        2.0,
        "Lowest annual FAI growth (nominal) on record.",
        "calibrate: minimum over the pack's annual rows; default -0.30 [judgement]",
    )
    fai_growth_hi: float = P(
        "per year",
        -0.9,
        2.0,
        "Highest annual FAI growth (nominal) on record.",
        "calibrate: maximum over the pack's annual rows; default 0.30 [judgement]",
    )
    industrial_fai_share_lo: float = P(
        "share",
        0.0,
        1.0,
        "Lowest share of industrial FAI in total FAI on record.",
        "calibrate: judgement 0.20 widened by the pack's annual rows",
    )
    industrial_fai_share_hi: float = P(
        "share",
        0.0,
        1.0,
        "Highest share of industrial FAI in total FAI on record.",
        "calibrate: judgement 0.60 widened by the pack's annual rows",
    )
    signed_vs_history_max: float = P(
        "ratio",
        1.0,
        10.0,
        "The year's signings above this multiple of the largest year of the signing history "
        "are flagged as far beyond history.",
        "[judgement] 1.5: no year of the shipped cities' records is more than 1.3× the one before",
    )


def _default_plausibility() -> Plausibility:
    return Plausibility(
        gdp_real_growth_lo=-0.10,
        gdp_real_growth_hi=0.15,
        industrial_real_growth_lo=-0.15,
        industrial_real_growth_hi=0.20,
        fai_growth_lo=-0.30,
        fai_growth_hi=0.30,
        industrial_fai_share_lo=0.20,
        industrial_fai_share_hi=0.60,
        signed_vs_history_max=1.5,
    )


#: Canonical columns of a project register (台账); :data:`simulation.io.register.COLUMNS`
#: gives each its Chinese header and accepted aliases (a test keeps the two equal).
REGISTER_COLUMNS = (
    "name",
    "county",
    "industry",
    "category",
    "signed",
    "amount_100m_cny",
    "planned_start",
    "actual_start",
    "planned_production",
    "actual_production",
    "status",
    "output_to_investment",
)


class City(_Section):
    """Who the parameters describe: names shown to users and the register's counties.

    Written by ``calibrate`` from the data pack and its counties file; the defaults name no
    city, so a folder without this section still runs (labels say "本市" / "the city").
    """

    code: str = Field("city", description="Short code of the city in the data pack.")
    name_zh: str = Field("本市", description="Chinese name shown in the app and exports.")
    name_en: str = Field("the city", description="English name shown in the app and exports.")
    counties: list[str] = Field(
        default_factory=list,
        description="County-level divisions (县/市/区 and zones) a project register may name; "
        "empty: registers cannot be imported for this folder.",
    )
    county_aliases: dict[str, str] = Field(
        default_factory=dict,
        description="Other spellings a register may use → the county's name in ``counties``.",
    )
    register_columns: dict[str, list[str]] = Field(
        default_factory=dict,
        description="The city's own register headers, by canonical column (``name``, "
        "``county``, ``signed``, ``amount_100m_cny`` …), on top of the standard ones.",
    )

    @field_validator("register_columns")
    @classmethod
    def _known_columns(cls, v: dict[str, list[str]]) -> dict[str, list[str]]:
        if not v:
            return v
        bad = sorted(k for k in v if k not in REGISTER_COLUMNS)
        if bad:
            raise ValueError(
                f"unknown register columns {bad}; expected some of {list(REGISTER_COLUMNS)}"
            )
        return v

    @model_validator(mode="after")
    def _aliases_known(self) -> City:
        bad = sorted(v for v in self.county_aliases.values() if v not in self.counties)
        if bad:
            raise ValueError(
                "city.county_aliases point to names not in city.counties: " + "、".join(bad)
            )
        return self


class Params(_Section):
    """All parameters of one scenario, validated."""

    name: str = Field(..., description="Scenario name.")
    description: str = Field("", description="One line saying what the scenario assumes.")
    city: City = Field(default_factory=City, description="The city and its counties.")
    calendar: Calendar
    targets: Targets
    base_year: BaseYear
    seasonality: Seasonality
    industry: Industry
    pipeline: Pipeline
    investment: Investment
    accounts: Accounts
    environment: Environment
    drivers: Drivers = Field(default_factory=Drivers, description="Drivers in force.")
    tracking: Tracking = Field(
        default_factory=_default_tracking, description="The nowcast's observation noise."
    )
    plausibility: Plausibility = Field(
        default_factory=_default_plausibility,
        description="What the record says a year can look like (the warnings strip).",
    )
    campaigns: Campaigns
    campaign_presets: dict[str, dict[str, dict[str, float]]] = Field(
        ...,
        description="For each campaign, for 'weak' and 'strong', additive changes to "
        "levers (dotted parameter path → change in the parameter's unit).",
    )
    shocks: dict[str, Shock] = Field(default_factory=dict, description="Named shocks.")
    sources: dict[str, str] = Field(
        default_factory=dict,
        description="Where each value comes from (dotted path → text), written by "
        "`calibrate` beside the values; tooltips and reports read it.",
    )

    @model_validator(mode="after")
    def _cross_field(self) -> Params:
        if self.calendar.horizon_months % 12:
            raise ValueError(
                f"calendar.horizon_months must be whole years (12, 24, ...), got "
                f"{self.calendar.horizon_months}"
            )
        for name, shock in self.shocks.items():
            if shock.start_month > self.calendar.horizon_months:
                raise ValueError(
                    f"shocks.{name}.start_month = {shock.start_month} is after the horizon "
                    f"({self.calendar.horizon_months} months): it would never apply"
                )
        if any(x < 0 for x in self.pipeline.history_signed_100m_cny):
            raise ValueError("pipeline.history_signed_100m_cny: amounts must be >= 0")
        broken = rules.broken_rules(self)  # the cross-field rules (economy/rules.py)
        if broken:
            raise ValueError("; ".join(msg for _, msg in broken))
        for campaign, levels in self.campaign_presets.items():
            if campaign not in CAMPAIGNS:
                raise ValueError(
                    f"campaign_presets.{campaign}: unknown campaign; expected "
                    f"one of {', '.join(CAMPAIGNS)}"
                )
            for level, deltas in levels.items():
                if level not in ("weak", "strong"):
                    raise ValueError(
                        f"campaign_presets.{campaign}.{level}: expected 'weak' or 'strong'"
                    )
                for path in deltas:
                    if path not in numeric_paths():
                        raise ValueError(
                            f"campaign_presets.{campaign}.{level}: '{path}' is not a numeric "
                            "parameter; valid ones are " + ", ".join(sorted(numeric_paths()))
                        )
        return self


NUMERIC_SECTIONS: dict[str, type[_Section]] = {
    "calendar": Calendar,
    "targets": Targets,
    "base_year": BaseYear,
    "seasonality": Seasonality,
    "industry": Industry,
    "pipeline": Pipeline,
    "investment": Investment,
    "accounts": Accounts,
    "environment": Environment,
    "drivers": Drivers,
    "tracking": Tracking,
    "plausibility": Plausibility,
}


def numeric_paths() -> dict[str, dict[str, Any]]:
    """Every scalar numeric parameter: dotted path → metadata.

    Returns
    -------
    dict
        ``{"industry.tech_yield": {"unit", "lo", "hi", "step", "description", "source",
        "campaign", "label_zh", "label_en", "integer"}, ...}`` in schema order.
    """
    if _PATHS:
        return _PATHS
    for section, model in NUMERIC_SECTIONS.items():
        for name, field in model.model_fields.items():
            extra = field.json_schema_extra or {}
            if field.annotation not in (float, int, float | None):
                continue
            lo = hi = None
            for m in field.metadata:
                lo = getattr(m, "ge", lo)
                hi = getattr(m, "le", hi)
            _PATHS[f"{section}.{name}"] = {
                "unit": extra.get("unit", ""),
                "lo": lo,
                "hi": hi,
                "step": extra.get("step"),
                "description": field.description or "",
                "source": extra.get("source", ""),
                "campaign": extra.get("campaign"),
                "label_zh": extra.get("label_zh"),
                "label_en": extra.get("label_en"),
                "integer": field.annotation is int,
                "driver": bool(extra.get("driver")),
            }
    return _PATHS


_PATHS: dict[str, dict[str, Any]] = {}


def lever_paths(campaign: str | None = None) -> list[str]:
    """Dotted paths of the levers, optionally of one campaign, in schema order."""
    return [
        k
        for k, v in numeric_paths().items()
        if v["campaign"] and (campaign is None or v["campaign"] == campaign)
    ]
