"""The one label table: every user-facing string in Chinese and English.

Parameter labels live beside their parameter in the schema (``label_zh`` / ``label_en``)
and shock names beside the shock in ``params/base.yaml``; :func:`param_label` and
:func:`shock_label` read them from there. Everything else the app, the Excel export and
the reports show is a row of :data:`TEXT`. No string is written in two languages in two
places.
"""

from __future__ import annotations

from typing import Literal

from .economy import schema

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")

#: key → (中文, English)
TEXT: dict[str, tuple[str, str]] = {
    # page
    "title": ("{city}{goal_q}情景模拟", "{city} {goal_q}scenario simulator"),
    "subtitle": (
        "移动杠杆，即时查看{plan_year}年GDP与规上工业总产值{reach}（亿元，现价）",
        "Move a lever and see at once {reach} {plan_year} GDP and gross industrial output "
        "(亿元 = 100 million yuan, current prices)",
    ),
    "language": ("语言", "Language"),
    "scenario": ("情景", "Scenario"),
    "reset": ("重置为基准", "Reset to baseline"),
    "levers": ("四大会战杠杆", "Levers of the four campaigns"),
    "preset": ("力度", "Effort"),
    "level_plan": ("按计划", "Plan"),
    "level_weak": ("偏弱", "Weak"),
    "level_strong": ("发力", "Strong"),
    "campaign_industry": ("工业突围战", "Industry campaign (工业突围战)"),
    "campaign_attraction": ("招商阵地战", "Investment attraction (招商阵地战)"),
    "campaign_investment": ("投资立体战", "Investment drive (投资立体战)"),
    "campaign_environment": ("双优化攻坚战", "Business environment (双优化攻坚战)"),
    "shocks": ("冲击情景", "Shocks"),
    "other_assumptions": ("其他假设", "Other assumptions"),
    "source": ("来源", "Source"),
    "with_unit": ("{label}（{unit}）", "{label} ({unit})"),
    "range": ("范围", "Range"),
    # headline cards
    "gdp": ("地区生产总值 GDP", "GDP"),
    "industrial_output": ("规上工业总产值", "Gross industrial output"),
    "target": ("目标", "target"),
    "gap": ("差距", "gap"),
    "met": ("达成", "reached"),
    "missed": ("未达成", "missed"),
    "real_growth": ("实际增长", "real growth"),
    "nominal_growth": ("名义增长", "nominal growth"),
    "vs_baseline": ("较基准", "vs baseline"),
    "unit_100m": ("亿元", "亿元"),
    "plan_year": ("{year}年", "{year}"),
    # charts
    "chart_path_gdp": ("GDP 累计（亿元）", "GDP, cumulative (亿元)"),
    "chart_path_gio": ("规上工业总产值 累计（亿元）", "Industrial output, cumulative (亿元)"),
    "this_scenario": ("本情景", "This scenario"),
    "baseline": ("基准", "Baseline"),
    "calendar_pace": ("序时进度 (m/12)", "Calendar pace (m/12)"),
    "band_90": ("90%区间", "90% band"),
    "probability": ("达成概率", "chance"),
    "probability_both": ("两项均达成", "both reached"),
    "show_band": (
        "显示不确定性：浅蓝阴影为90%区间（{n}次模拟，固定种子）",
        "Show uncertainty: the light blue band holds 90% of {n} draws (fixed seed)",
    ),
    "uncertainty_from": ("不确定性设定来自情景", "uncertainty from scenario"),
    # projects and tracking page
    "p_title": ("{city}项目台账与目标跟踪", "{city}: project register and tracking"),
    "p_subtitle": (
        "导入项目台账（CSV或Excel，UTF-8或GBK）与统计快报，查看项目推进、县市区排名、风险项目，并按实绩重新预测全年",
        "Import the project register (CSV or Excel, UTF-8 or GBK) and the published figures: "
        "pipeline, county league table, projects at risk, and a re-forecast of the year",
    ),
    "p_upload_register": ("上传项目台账", "Upload a register"),
    "p_upload_actuals": ("上传统计快报", "Upload actual figures"),
    "p_report": ("导入检查（逐行）", "Import check (row by row)"),
    "p_imported": (
        "已导入 {name}：{n} 个项目，签约 {amount:.1f} 亿元，截至 {as_of}；提示 {w} 条",
        "Imported {name}: {n} projects, {amount:.1f}亿 signed, as of {as_of}; {w} warning(s)",
    ),
    "p_failed": (
        "导入失败 {name}：{n} 处问题，未导入任何数据；请按下表逐行修改",
        "Import failed {name}: {n} problem(s), nothing imported; fix the rows below",
    ),
    "p_funnel": ("项目推进（累计，亿元）", "Pipeline (cumulative, 亿元)"),
    "p_league": ("县市区排名（六比六看）", "County league table (六比六看)"),
    "p_risk": ("风险项目", "Projects at risk"),
    "p_tracking": (
        "实绩、计划与重新预测（累计，亿元）",
        "Actual, plan and re-forecast (cumulative, 亿元)",
    ),
    "actual": ("实绩", "Actual"),
    "model": ("模型", "Model"),
    "forecast": ("重新预测", "Re-forecast"),
    "p_track_line": (
        "{ind}：1-{m}月实绩 {a:.1f}，序时进度 {cal:.1f}（{dc:+.1f}），"
        "季节进度 {sea:.1f}（{ds:+.1f}）；"
        "全年重新预测 {f:.1f}；余下月份需同比增长 {g:+.1f}%{p}",
        "{ind}: 1-{m} actual {a:.1f}, calendar pace {cal:.1f} ({dc:+.1f}), seasonal pace "
        "{sea:.1f} ({ds:+.1f}); re-forecast {f:.1f}; the remaining months need {g:+.1f}% "
        "year on year{p}",
    ),
    "p_track_line_untargeted": (
        "{ind}：1-{m}月实绩 {a:.1f}（模型 {mod:.1f}，{dm:+.1f}%）；"
        "全年重新预测 {f:.1f}（未设目标）",
        "{ind}: 1-{m} actual {a:.1f} (model {mod:.1f}, {dm:+.1f}%); re-forecast {f:.1f} "
        "(no target set)",
    ),
    "p_illustrative": (
        "⚠ 示例数据，非官方统计：请上传统计局公布的实绩",
        "⚠ Illustrative figures, not official statistics: upload the bureau's releases",
    ),
    "p_nowcast": (
        "{ind}：年末预测 {p50:,.1f}亿元（90%区间 {p5:,.1f}–{p95:,.1f}）",
        "{ind}: year-end nowcast {p50:,.1f}亿 (90% band {p5:,.1f}–{p95:,.1f})",
    ),
    "p_news": (
        "每期数据的影响（年末预测变动，亿元；达成概率变动，百分点）",
        "News: what each release moved (year-end nowcast, 亿元; probability, points)",
    ),
    "p_news_as_driver": ("作为驱动", "as driver"),
    "p_news_as_obs": ("作为观测", "as observation"),
    "p_required": (
        "余下月份需完成（亿元）：50%与80%把握，对比预测路径",
        "What the remaining months must bring (亿元): 50% and 80% chance, against the nowcast",
    ),
    "p_cheapest": ("最省力的杠杆", "Cheapest lever"),
    "col_period": ("期间", "Period"),
    "col_release": ("指标", "Release"),
    "col_role": ("作用", "Role"),
    "col_release_value": ("公布值", "Published"),
    "p_no_actuals_file": (
        "尚无实绩：请上传统计局公布的累计数（CSV）",
        "No actual figures yet: upload the statistics bureau's year-to-date figures (CSV)",
    ),
    "p_no_actuals": ("{ind}：暂无实绩", "{ind}: no actual figures yet"),
    "p_too_big": (
        "文件太大：{mb:.1f} MB（上限 {limit} MB）",
        "File too large: {mb:.1f} MB (limit {limit} MB)",
    ),
    # uncertainty page
    "u_title": (
        "{city}{plan_year}年：{goal_or_forecast}有多大把握——不确定性、敏感性与倒排",
        "{city} {plan_year}: how likely is {goal_or_forecast} — uncertainty, sensitivity, "
        "goal seeking",
    ),
    "u_subtitle": (
        "蒙特卡洛模拟（固定种子，可复现）；区间为5%–95%与25%–75%分位",
        "Monte Carlo (fixed seed, reproducible); bands are the 5-95% and 25-75% ranges",
    ),
    "draws": ("模拟次数", "Draws"),
    "seed": ("随机种子", "Seed"),
    "u_probability": (
        "达成目标{goal_paren}的概率",
        "Probability of reaching the target{goal_paren}",
    ),
    "both": ("两项均达成", "Both"),
    "u_quantiles": (
        "{plan_year}年全年（亿元）：5% / 50% / 95%分位",
        "{plan_year} annual (亿元): 5th / 50th / 95th percentile",
    ),
    "fan_gdp": ("GDP 累计：扇形图（亿元）", "GDP, cumulative: fan chart (亿元)"),
    "fan_gio": (
        "规上工业总产值 累计：扇形图（亿元）",
        "Industrial output, cumulative: fan chart (亿元)",
    ),
    "median": ("中位数", "Median"),
    "band_50": ("50%区间", "50% band"),
    "tornado": (
        "龙卷风图：每个参数取5%与95%分位，其余取情景值（{plan_year}年，亿元）",
        "Tornado: each parameter at its 5th and 95th percentile, the others at the "
        "scenario's values ({plan_year}, 亿元)",
    ),
    "parameter": ("参数", "Parameter"),
    "at_low": ("取低值", "at low"),
    "at_high": ("取高值", "at high"),
    "sobol": ("Sobol全局敏感性指数", "Sobol global sensitivity indices"),
    "sobol_run": ("计算Sobol指数", "Compute Sobol indices"),
    "sobol_note": (
        "{runs}次模型运行；S1为一阶指数（单独作用），ST为总指数（含交互）；输出：{output}",
        "{runs} model runs; S1 first order (alone), ST total (with interactions); output: {output}",
    ),
    "output": ("输出", "Output"),
    "goal_seek": (
        "倒排：达到目标需要多大力度",
        "Goal seeking (倒排): what it takes to reach the target",
    ),
    "lever": ("杠杆", "Lever"),
    "target_of": ("目标", "Target"),
    "with_probability": ("按概率", "With probability"),
    "solve": ("求解", "Solve"),
    "required_path": ("逐月累计里程碑（亿元）", "Monthly cumulative milestones (亿元)"),
    "calendar": ("序时", "calendar"),
    "seasonal": ("季节", "seasonal"),
    "projected": ("预计", "projected"),
    "unreachable": ("在参数范围内无法达到", "out of reach within the parameter's bounds"),
    "seasonal_pace": ("季节进度", "Seasonal pace"),
    "target_line": ("目标", "Target"),
    "no_target": ("未设目标：显示预测与增速", "No target set: forecast and growth"),
    "month": ("月份", "Month"),
    "chart_waterfall_gdp": (
        "GDP 增量分解：{base_year} → {plan_year}（亿元）",
        "GDP change {base_year} → {plan_year} (亿元)",
    ),
    "chart_waterfall_gio": (
        "工业总产值增量分解：{base_year} → {plan_year}（亿元）",
        "Industrial output change {base_year} → {plan_year} (亿元)",
    ),
    "chart_fai": ("固定资产投资 按月（亿元）", "Fixed-asset investment by month (亿元)"),
    "chart_funnel": (
        "项目推进：当年签约 → 开工 → 投产 → 达产（亿元，合同额）",
        "Pipeline this year: signed → started → producing → full (亿元)",
    ),
    "base_year_label": ("{base_year}年", "{base_year}"),
    "funnel_signed": ("签约", "Signed"),
    "funnel_started": ("开工", "Started"),
    "funnel_producing": ("投产", "Producing"),
    "funnel_full": ("达产", "Full capacity"),
    # mechanisms (waterfall, contributions)
    "mech_base": ("{base_year}年基数", "{base_year} base"),
    "mech_existing_industry": ("存量工业", "Existing industry"),
    "mech_tech": ("技改", "Tech upgrades"),
    "mech_new_firms": ("新进规企业", "New firms"),
    "mech_new_projects": ("招商项目", "New projects"),
    "mech_construction": ("建筑业", "Construction"),
    "mech_services": ("服务业", "Services"),
    "mech_primary": ("农业", "Primary"),
    "mech_shocks": ("冲击", "Shocks"),
    "mech_total": ("{plan_year}年", "{plan_year}"),
    # results table
    "table_title": ("结果表（亿元，现价）", "Results (亿元, current prices)"),
    "indicator": ("指标", "Indicator"),
    "excel": ("生成Excel", "Make Excel file"),
    "excel_ready": ("下载", "Download"),
    # save
    "save_title": ("保存为新情景", "Save as a new scenario"),
    "save_name": ("情景名称", "Scenario name"),
    "save": ("保存", "Save"),
    "save_confirm": ("确认覆盖", "Overwrite"),
    "save_exists": (
        "情景“{name}”已存在，点击“确认覆盖”替换它。",
        "Scenario “{name}” exists already: press Overwrite to replace it.",
    ),
    "save_bad_name": (
        "名称只能包含字母、数字、汉字、下划线和连字符（1-60个字符），不能以点开头。",
        "A name may hold letters, digits, Chinese characters, _ and - (1-60 characters) and "
        "may not start with a dot.",
    ),
    "save_done": ("已保存：{path}", "Saved: {path}"),
    "save_undo": ("撤销覆盖", "Undo overwrite"),
    "save_undone": ("已恢复情景“{name}”之前的版本", "Restored the previous version of “{name}”"),
    "save_nothing": (
        "当前设置与所选情景相同，保存的是它的副本。",
        "Settings equal the chosen scenario: saved a copy of it.",
    ),
    "error": ("输入有误", "Invalid input"),
    "loading": (
        "正在启动{city}{goal_q}情景模拟，首次打开约需几秒……",
        "Starting the {city} scenario simulator; the first load takes a few seconds…",
    ),
    # Excel sheets
    "sheet_annual": ("年度结果", "Annual"),
    "sheet_monthly": ("月度结果", "Monthly"),
    "sheet_targets": ("目标对比", "Targets"),
    "sheet_contrib": ("贡献分解", "Contributions"),
    "sheet_settings": ("情景设置", "Settings"),
    "sheet_fields": ("字段说明", "Fields"),
    "col_year": ("年份", "Year"),
    "col_month": ("月份", "Month"),
    "col_months": ("月数", "Months"),
    "col_target": ("目标（亿元）", "Target (亿元)"),
    "col_value": ("数值（亿元）", "Value (亿元)"),
    "col_gap": ("差距（亿元）", "Gap (亿元)"),
    "col_met": ("是否达成", "Reached"),
    "col_mechanism": ("来源", "Mechanism"),
    "col_change": ("增量（亿元）", "Change (亿元)"),
    "col_contribution_pct": ("贡献率（%）", "Contribution (%)"),
    "col_pull_pts": ("拉动（百分点）", "Pull (points)"),
    "col_key": ("字段", "Field"),
    "col_setting": ("设置", "Setting"),
    "col_setting_value": ("值", "Value"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    # series (annual and monthly columns); money in 亿元 at current prices
    "gross_industrial_output_100m_cny": ("规上工业总产值（亿元）", "Industrial output (亿元)"),
    "gio_existing_100m_cny": ("其中：存量企业（亿元）", "of which existing firms (亿元)"),
    "gio_tech_100m_cny": ("其中：技改新增（亿元）", "of which tech upgrades (亿元)"),
    "gio_new_firms_100m_cny": ("其中：新进规企业（亿元）", "of which new firms (亿元)"),
    "gio_projects_initial_100m_cny": (
        "其中：往年签约项目（亿元）",
        "of which projects signed before (亿元)",
    ),
    "gio_projects_new_100m_cny": ("其中：当年起签约项目（亿元）", "of which new projects (亿元)"),
    "gio_shock_100m_cny": ("其中：冲击（亿元）", "of which shocks (亿元)"),
    "gross_industrial_output_real_100m_cny": (
        "规上工业总产值（{base_year}年价，亿元）",
        "Industrial output, {base_year} prices (亿元)",
    ),
    "fai_100m_cny": ("固定资产投资（亿元）", "Fixed-asset investment (亿元)"),
    "fai_projects_100m_cny": ("其中：招商项目（亿元）", "of which projects (亿元)"),
    "fai_tech_100m_cny": ("其中：技改（亿元）", "of which tech upgrades (亿元)"),
    "fai_other_100m_cny": ("其中：其他投资（亿元）", "of which other (亿元)"),
    "fai_industrial_100m_cny": ("工业投资（亿元）", "Industrial FAI (亿元)"),
    "fai_projects_industrial_100m_cny": (
        "其中：招商工业项目（亿元）",
        "of which industrial projects (亿元)",
    ),
    "fai_shock_100m_cny": ("其中：冲击（亿元）", "of which shocks (亿元)"),
    "va_primary_100m_cny": ("第一产业增加值（亿元）", "Primary VA (亿元)"),
    "va_industry_100m_cny": ("工业增加值（亿元）", "Industry VA (亿元)"),
    "va_construction_100m_cny": ("建筑业增加值（亿元）", "Construction VA (亿元)"),
    "va_tertiary_100m_cny": ("第三产业增加值（亿元）", "Tertiary VA (亿元)"),
    "gdp_100m_cny": ("地区生产总值（亿元）", "GDP (亿元)"),
    "gdp_real_100m_cny": (
        "地区生产总值（{base_year}年价，亿元）",
        "GDP, {base_year} prices (亿元)",
    ),
    "va_primary_real_100m_cny": (
        "第一产业增加值（{base_year}年价）",
        "Primary VA, {base_year} prices",
    ),
    "va_industry_real_100m_cny": (
        "工业增加值（{base_year}年价）",
        "Industry VA, {base_year} prices",
    ),
    "va_construction_real_100m_cny": (
        "建筑业增加值（{base_year}年价）",
        "Construction VA, {base_year} prices",
    ),
    "va_tertiary_real_100m_cny": (
        "第三产业增加值（{base_year}年价）",
        "Tertiary VA, {base_year} prices",
    ),
    "contrib_existing_industry_100m_cny": ("GDP增量：存量工业", "GDP change: existing industry"),
    "contrib_tech_100m_cny": ("GDP增量：技改", "GDP change: tech upgrades"),
    "contrib_new_firms_100m_cny": ("GDP增量：新进规企业", "GDP change: new firms"),
    "contrib_new_projects_100m_cny": ("GDP增量：招商项目", "GDP change: new projects"),
    "contrib_construction_100m_cny": ("GDP增量：建筑业", "GDP change: construction"),
    "contrib_services_100m_cny": ("GDP增量：服务业", "GDP change: services"),
    "contrib_primary_100m_cny": ("GDP增量：农业", "GDP change: primary"),
    "contrib_shocks_100m_cny": ("GDP增量：冲击", "GDP change: shocks"),
    "signed_100m_cny": ("签约额（亿元）", "Signed (亿元)"),
    "started_100m_cny": ("开工额（亿元）", "Started (亿元)"),
    "signed_cum_100m_cny": ("累计签约（亿元）", "Signed, cumulative (亿元)"),
    "started_cum_100m_cny": ("累计开工（亿元）", "Started, cumulative (亿元)"),
    "producing_cum_100m_cny": ("累计投产（亿元）", "Producing, cumulative (亿元)"),
    "full_cum_100m_cny": ("累计达产（亿元）", "Full capacity, cumulative (亿元)"),
    "gdp_real_growth_pct": ("GDP实际增长（%）", "GDP real growth (%)"),
    "gross_industrial_output_real_growth_pct": (
        "工业总产值实际增长（%）",
        "Industrial output real growth (%)",
    ),
    "gdp_growth_pct": ("GDP名义增长（%）", "GDP nominal growth (%)"),
    "gross_industrial_output_growth_pct": (
        "工业总产值名义增长（%）",
        "Industrial output nominal growth (%)",
    ),
    "fai_growth_pct": ("固定资产投资增长（%）", "FAI growth (%)"),
    # units of the schema
    "unit_亿元": ("亿元", "亿元"),
    "unit_亿元 per year": ("亿元/年", "亿元/year"),
    "unit_亿元 per firm-year": ("亿元/家·年", "亿元/firm-year"),
    "unit_share": ("比例", "share"),
    "unit_per year": ("年率", "per year"),
    "unit_months": ("月", "months"),
    "unit_firms": ("家", "firms"),
    "unit_index": ("指数", "index"),
    "unit_×": ("倍", "×"),
    "unit_yuan per yuan": ("元/元", "yuan per yuan"),
}


def tr(key: str, lang: Lang = "zh", **fmt: object) -> str:
    """The text of ``key`` in ``lang``, formatted with ``fmt``.

    Raises
    ------
    KeyError
        For a key not in :data:`TEXT` (a missing label is a bug, not a blank).
    """
    if lang not in LANGS:
        raise ValueError(f"language must be one of {LANGS}, got {lang!r}")
    text = TEXT[key][LANGS.index(lang)]
    return text.format(**fmt)  # a placeholder left unfilled raises KeyError: a bug, not text


def context(params: object | None, lang: Lang = "zh") -> dict[str, object]:
    """What a label may name about the parameter folder: city, years, goal.

    Parameters
    ----------
    params : simulation.schema.Params or None
        The folder's values (``city``, ``calendar``, ``targets``); None gives neutral
        wording (no city, no years, no goal).
    lang : {"zh", "en"}

    Returns
    -------
    dict
        ``city``, ``base_year``, ``plan_year``, ``goal`` ("3000亿", "GDP 3200亿 / 产值
        2800亿" or ""), ``goal_q`` (the quoted campaign for titles), ``goal_paren``,
        ``goal_or_forecast`` and ``reach`` (the subtitle's verb phrase); pass them to
        :func:`tr` as keywords.
    """
    zh = lang == "zh"
    if params is None:
        by = py = "—"
        city = "本市" if zh else "City"
        g = o = 0.0
    else:
        by = int(params.calendar.base_year)
        py = by + 1
        city = params.city.name_zh if zh else params.city.name_en
        g = float(params.targets.gdp_100m_cny)
        o = float(params.targets.industrial_output_100m_cny)
    if g > 0 and g == o:
        goal = f"{g:g}亿"
        goal_q = f"“冲刺{goal}”" if zh else f"“Sprint to {goal}” "
    elif g > 0 or o > 0:
        parts = [f"GDP {g:g}亿"] if g > 0 else []
        parts += [f"{'工业总产值' if zh else 'output'} {o:g}亿"] if o > 0 else []
        goal = " / ".join(parts)
        goal_q = f"（目标 {goal}）" if zh else f"(targets {goal}) "
    else:
        goal = goal_q = ""
    if zh:
        reach = f"能否达到目标（{goal}）" if goal else "的预测与增速"
        forecast = goal or "预测"
    else:
        reach = f"whether {goal} is reached by" if goal else "the forecast and growth of"
        forecast = goal or "the forecast"
    return {
        "city": city,
        "base_year": by,
        "plan_year": py,
        "goal": goal,
        "goal_q": goal_q,
        "goal_paren": (f"（{goal}）" if zh else f" ({goal})") if goal else "",
        "goal_or_forecast": forecast,
        "reach": reach,
    }


def param_label(path: str, lang: Lang = "zh") -> str:
    """Short label of a numeric parameter from the schema (its path if it has none)."""
    meta = schema.numeric_paths()[path]
    return meta[f"label_{lang}"] or path


def unit_label(unit: str, lang: Lang = "zh") -> str:
    """A schema unit in ``lang`` (the unit itself when the table has no row for it)."""
    key = f"unit_{unit}"
    return tr(key, lang) if key in TEXT else unit


def shock_label(shock: schema.Shock, name: str, lang: Lang = "zh") -> str:
    """Name of a shock in ``lang``, from its ``label_zh`` / ``label_en`` in the parameters."""
    return getattr(shock, f"label_{lang}") or name


def column_label(key: str, lang: Lang = "zh", **ctx: object) -> str:
    """Header for a result column (``ctx``: :func:`context`); the key when no row has it."""
    return tr(key, lang, **ctx) if key in TEXT else key
