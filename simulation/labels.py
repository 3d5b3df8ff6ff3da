"""The one label table: every user-facing string in Chinese and English.

Parameter labels live beside their parameter in the schema (``label_zh`` / ``label_en``)
and shock names beside the shock in ``params/base.yaml``; :func:`param_label` and
:func:`shock_label` read them from there. Everything else the app, the Excel export and
the reports show is a row of :data:`TEXT`. No string is written in two languages in two
places.
"""

from __future__ import annotations

import re
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
        "(100m CNY, 亿元, at current prices)",
    ),
    "language": ("语言", "Language"),
    "city_picker": ("城市", "City"),
    "scenario": ("情景", "Scenario"),
    "reset": ("重置为基准", "Reset"),
    "reset_tip": ("重置为基准情景", "Reset to the baseline"),
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
    "unit_100m": ("亿元", "100m CNY"),
    "plan_year": ("{year}年", "{year}"),
    # charts
    "chart_path_gdp": ("GDP 累计（亿元）", "GDP, cumulative (100m CNY)"),
    "chart_path_gio": ("规上工业总产值 累计（亿元）", "Industrial output, cumulative (100m CNY)"),
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
    # dashboard: one probability, refusals, warnings, the pathway's link
    "mc_basis": ("{n:,}次模拟 · 种子 {seed}", "{n:,} draws · seed {seed}"),
    "mc_interval": ("±{pts:.0f}个百分点", "±{pts:.0f} points"),
    "mc_failed": (
        "不确定性未能计算：部分抽样超出参数的可行范围，概率暂不显示",
        "Uncertainty not computed: some draws leave the parameters' feasible range, so no "
        "chance is shown",
    ),
    "refused_lever": (
        "「{label}」为{value}时无法计算：在其他设定不变时，它须在 {lo} 至 {hi} 之间。"
        "下方结果已置灰，请调回该范围。",
        "“{label}” cannot be {value}: with the other settings as they are it must lie between "
        "{lo} and {hi}. The results below are greyed out until it does.",
    ),
    "refused_other": (
        "当前设定组合超出模型可计算的范围（{what}）。下方结果已置灰，请撤回上一步调整或重置。",
        "This combination of settings is outside what the model can compute ({what}). The "
        "results below are greyed out: undo the last change or reset.",
    ),
    "refused_what_scenario": ("情景文件无法读取", "the scenario file cannot be read"),
    "refused_what_model": ("投资或参数关系不成立", "investment or parameter rules broken"),
    "refused_what_unknown": (
        "未预期的错误，已记录在服务器日志",
        "an unexpected error, logged on the server",
    ),
    "warnings_title": ("合理性提示", "Plausibility"),
    "warn_gdp_growth": (
        "GDP实际增长{value_pct:.1f}%，超出数据包中各市有记录以来的范围（{lo_pct:.1f}%至{hi_pct:.1f}%）。",
        "Real GDP growth of {value_pct:.1f}% is outside the range the data pack's cities have "
        "recorded ({lo_pct:.1f}% to {hi_pct:.1f}%).",
    ),
    "warn_industrial_growth": (
        "规上工业实际增长{value_pct:.1f}%，超出数据包中各市有记录以来的范围（{lo_pct:.1f}%至{hi_pct:.1f}%）。",
        "Real growth of above-scale industry of {value_pct:.1f}% is outside the range the data "
        "pack's cities have recorded ({lo_pct:.1f}% to {hi_pct:.1f}%).",
    ),
    "warn_fai_growth": (
        "固定资产投资增长{value_pct:.1f}%，超出数据包中各市有记录以来的范围（{lo_pct:.1f}%至{hi_pct:.1f}%）。",
        "FAI growth of {value_pct:.1f}% is outside the range the data pack's cities have "
        "recorded ({lo_pct:.1f}% to {hi_pct:.1f}%).",
    ),
    "warn_fai_share": (
        "工业投资占固定资产投资{value_pct:.0f}%，超出常见范围（{lo_pct:.0f}%至{hi_pct:.0f}%）。",
        "Industrial FAI at {value_pct:.0f}% of all FAI is outside the usual range "
        "({lo_pct:.0f}% to {hi_pct:.0f}%).",
    ),
    "warn_signed": (
        "年度签约{value_100m_cny:,.0f}亿元，是历史最好年份（{best_100m_cny:,.0f}亿元）的{ratio:.1f}倍，远超以往。",
        "Signings of {value_100m_cny:,.0f} 100m CNY are {ratio:.1f}× the best year on record "
        "({best_100m_cny:,.0f} 100m CNY), far beyond history.",
    ),
    "copy_link": ("复制链接", "Copy link"),
    "link_copied": ("已复制", "Copied"),
    "link_title": (
        "本设定的链接（打开即恢复同一组杠杆）",
        "Link to these settings (opens the same levers)",
    ),
    "query_refused": (
        "链接中的设定无法使用，已打开基准情景：{problems}",
        "The link's settings cannot be used; the baseline is shown instead: {problems}",
    ),
    "query_unknown_key": ("未知参数 {field}", "unknown setting {field}"),
    "query_other_city": (
        "链接属于城市 {city}，本页为 {here}",
        "the link is for the city {city}; this page is {here}",
    ),
    "query_twice": ("{field} 在链接中出现两次", "{field} is given twice in the link"),
    "query_bad_value": ("{field} 的值 {value} 无效", "{field}: value {value} is not valid"),
    "query_unknown_scenario": ("未知情景 {name}", "unknown scenario {name}"),
    "level_means": ("{level}：{what}", "{level}: {what}"),
    "level_plan_means": ("各杠杆取计划值", "every lever at its planned value"),
    "level_none": ("各杠杆不变", "no lever changes"),
    "source_data": ("取值来源：统计数据", "value from published figures"),
    "source_estimated": ("取值来源：由历年数据估计", "value estimated from the record"),
    "source_fit": ("取值来源：拟合基年数据", "value fitted to the base year"),
    "source_prior": ("取值来源：数据缺失时的设定先验", "value a stated prior (data missing)"),
    "source_judgement": ("取值来源：专家判断", "value a judgement"),
    "source_derived": ("取值来源：由其他数据推算", "value derived from other figures"),
    "source_see": ("详见参数文件夹中的 CALIBRATION.md", "details in the folder's CALIBRATION.md"),
    "n_changes": ("已调整 {n} 项", "{n} setting(s) changed"),
    "delta_points": ("{v:+.1f}个百分点", "{v:+.1f} points"),
    "delta_unit": ("{v:+g}{unit}", "{v:+g} {unit}"),
    "chart_growth_gdp": ("GDP 累计名义增速（%）", "GDP: cumulative growth, % y/y (nominal)"),
    "chart_growth_gio": (
        "规上工业总产值 累计增速（%）",
        "Industrial output: cumulative growth, % y/y",
    ),
    "target_growth": ("达标所需增长", "growth the target needs"),
    "scenario_baseline": ("基准情景", "Baseline"),
    "scenario_uncertainty": ("不确定性情景", "Uncertainty scenario"),
    "scenario_all_strong": ("四大会战全面发力", "All four campaigns strong"),
    "scenario_campaign": ("{campaign}·{level}", "{campaign}: {level}"),
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
        "Imported {name}: {n} projects, {amount:.1f} 100m CNY signed, as of {as_of}; "
        "{w} warning(s)",
    ),
    "p_failed": (
        "导入失败 {name}：{n} 处问题，未导入任何数据；请按下表逐行修改",
        "Import failed {name}: {n} problem(s), nothing imported; fix the rows below",
    ),
    "p_funnel": ("项目推进（累计，亿元）", "Pipeline (cumulative, 100m CNY)"),
    "p_league": ("县市区排名（六比六看）", "County league table (六比六看)"),
    "p_risk": ("风险项目", "Projects at risk"),
    "p_tracking": (
        "实绩、计划与重新预测（累计，亿元）",
        "Actual, plan and re-forecast (cumulative, 100m CNY)",
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
        "⚠ 示例数据，非官方统计。下方的进度、年末预测和达成概率都基于这些示例数字，"
        "与仪表盘（未含任何实绩）的概率不同，不能用于汇报。请上传统计局公布的实绩。",
        "⚠ Illustrative figures, not official statistics. The paces, the year-end nowcast and "
        "the probabilities below rest on these example numbers, so they differ from the "
        "dashboard's (which uses no releases) and must not be reported. Upload the bureau's "
        "releases.",
    ),
    "p_nowcast": (
        "{ind}：年末预测 {p50:,.1f}亿元（90%区间 {p5:,.1f}–{p95:,.1f}）",
        "{ind}: year-end nowcast {p50:,.1f} 100m CNY (90% band {p5:,.1f}–{p95:,.1f})",
    ),
    "p_news": (
        "每期数据的影响（年末预测变动，亿元；达成概率变动，百分点）",
        "News: what each release moved (year-end nowcast, 100m CNY; probability, points)",
    ),
    "p_news_as_driver": ("作为驱动", "as driver"),
    "p_news_as_obs": ("作为观测", "as observation"),
    "p_required": (
        "余下月份需完成（亿元）：50%与80%把握，对比预测路径",
        "What the remaining months must bring (100m CNY): 50% and 80% chance, against the nowcast",
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
    "p_upload_tip": (
        "项目台账：CSV或Excel文件（.csv、.xlsx），不超过{limit} MB",
        "Project register: a CSV or Excel file (.csv, .xlsx), at most {limit} MB",
    ),
    "p_actuals_tip": (
        "统计快报：CSV文件（.csv），不超过{limit} MB",
        "Published figures: a CSV file (.csv), at most {limit} MB",
    ),
    "p_file_missing": ("找不到文件 {name}", "File not found: {name}"),
    "p_news_forecast": ("{ind}预测变动", "{ind} Δ"),
    "p_news_probability": ("概率变动（百分点）", "Δ P (pts)"),
    "p_cheapest_line": (
        "最省力的杠杆：{lever} {steps:.1f} × {step}",
        "Cheapest lever: {lever} {steps:.1f} × {step}",
    ),
    "p_step_points": ("+{n:g}个百分点", "+{n:g} point(s)"),
    "p_step_firms": ("+{n:g}家企业", "+{n:g} firms"),
    "p_step_amount": ("+{n:,.0f}亿元", "+{n:,.0f} 100m CNY"),
    # --- the monthly briefing (issue 24) ---------------------------------------------
    "brief_title": (
        "{city}{year}年1-{m}月经济运行分析与冲刺目标进展",
        "{city} {year}, months 1-{m}: the economy against the year's targets",
    ),
    "brief_subtitle": ("情景 {scenario}；生成于 {date}", "Scenario {scenario}; made {date}"),
    "brief_headline": ("一、总体情况", "1. The headline"),
    "brief_headline_line": (
        "{ind}：1-{m}月完成 {a:,.1f}亿元，季节进度 {sea:,.1f}亿元，{pace}；全年目标 "
        "{target:,.1f}亿元，年末预测 {p50:,.1f}亿元（90%区间 {p5:,.1f}–{p95:,.1f}），"
        "达成概率 {p}",
        "{ind}: {a:,.1f} 100m CNY in months 1-{m} against a seasonal pace of {sea:,.1f}, "
        "{pace}; target {target:,.1f}, year-end nowcast {p50:,.1f} (90% band "
        "{p5:,.1f}–{p95:,.1f}), probability of the target {p}",
    ),
    "brief_headline_untargeted": (
        "{ind}：1-{m}月完成 {a:,.1f}亿元（模型 {mod:,.1f}，{dm:+.1f}%）；年末预测 {p50:,.1f}亿元"
        "（90%区间 {p5:,.1f}–{p95:,.1f}）；未设目标",
        "{ind}: {a:,.1f} 100m CNY in months 1-{m} (the model {mod:,.1f}, {dm:+.1f}%); year-end "
        "nowcast {p50:,.1f} (90% band {p5:,.1f}–{p95:,.1f}); no target set",
    ),
    "brief_on_pace": ("达到进度", "on pace"),
    "brief_behind_pace": ("落后于进度", "behind pace"),
    "brief_both": ("两项目标同时达成的概率：{p}", "Probability of reaching both targets: {p}"),
    "brief_large_shock": (
        "注意：本年数据显示异常冲击（权重 {w:.2f}），区间覆盖从余下月份恢复到不恢复的情形",
        "Note: this year's releases look like a large shock (weight {w:.2f}): the band spans "
        "the remaining months recovering to not recovering",
    ),
    "brief_changes": ("二、与上月相比的变化及原因", "2. What changed since last month, and why"),
    "brief_changes_line": (
        "{m}月公布的{n}项数据使年末预测变动：地区生产总值 {gdp:+,.1f}亿元，规上工业总产值 "
        "{out:+,.1f}亿元",
        "The {n} release(s) of month {m} moved the year-end nowcast by {gdp:+,.1f} (GDP) "
        "and {out:+,.1f} (gross industrial output) 100m CNY",
    ),
    "brief_no_news": ("本月没有新公布的数据", "No release this month"),
    "brief_remaining": ("三、余下月份需完成", "3. What the remaining months must bring"),
    "brief_remaining_line": (
        "{ind}：1-{m}月 {a:,.1f}亿元；余下月份需完成 {r50:,.1f}亿元（同比 {g50:+.1f}%）可有50%"
        "把握，{r80:,.1f}亿元（同比 {g80:+.1f}%）可有80%把握",
        "{ind}: {a:,.1f} in months 1-{m}; the remaining months must bring {r50:,.1f} "
        "({g50:+.1f}% year on year) for a 50% chance, {r80:,.1f} ({g80:+.1f}%) for 80%",
    ),
    "brief_no_remaining": (
        "{ind}：无目标或已是全年数据",
        "{ind}: no target, or the year is complete",
    ),
    "brief_drivers": ("四、主要驱动与计划对比", "4. The drivers against plan"),
    "brief_drivers_table": (
        "公布值对比计划情景（增速为%，金额为亿元）",
        "Released against the plan scenario (growth in %, amounts in 100m CNY)",
    ),
    "brief_col_driver": ("驱动", "Driver"),
    "brief_col_released": ("公布", "Released"),
    "brief_col_plan": ("计划", "Plan"),
    "brief_col_gap": ("差距", "Gap"),
    "brief_fai_line": (
        "固定资产投资：1-{m}月增长 {a:+.1f}%，模型 {model:+.1f}%",
        "Fixed-asset investment: {a:+.1f}% in months 1-{m}, the model {model:+.1f}%",
    ),
    "brief_no_drivers": ("本年尚无公布的投资增速", "No investment growth released this year"),
    "brief_pipeline": ("五、项目推进与县市区排名", "5. The project pipeline and the county league"),
    "brief_register_line": (
        "项目台账 {n} 个项目，合同金额 {amount:,.1f}亿元（截至 {as_of}）",
        "The register: {n} projects, {amount:,.1f} 100m CNY contracted (as of {as_of})",
    ),
    "brief_no_register": ("未提供项目台账", "No project register given"),
    "brief_risks": ("六、风险项目", "6. Projects at risk"),
    "brief_risks_line": (
        "{n} 个项目存在延误风险，列出前 {shown} 个",
        "{n} project(s) at risk of delay; the first {shown} listed",
    ),
    "brief_levers": ("七、缩小差距的政策杠杆", "7. The levers that close the gap"),
    "brief_gap_line": (
        "{ind}：年末预测距目标 {gap:,.1f}亿元；下表为按所需步数排序的驱动",
        "{ind}: the nowcast is {gap:,.1f} 100m CNY short of the target; the drivers below "
        "close it, fewest steps first",
    ),
    "brief_no_gap": ("{ind}：预测已达到目标", "{ind}: the nowcast reaches the target"),
    "brief_col_step": ("每步", "Step"),
    "brief_col_effect": ("每步效果（亿元）", "Effect a step (100m CNY)"),
    "brief_col_steps": ("所需步数", "Steps needed"),
    "brief_col_needed": ("所需取值", "Value needed"),
    "brief_col_plausible": ("合理性", "Plausibility"),
    "brief_within_record": ("在本市历史记录范围内", "within the city's record"),
    "brief_tail": (
        "（拟合分布下达到该值的概率 {p}）",
        "(probability {p} under its fitted distribution)",
    ),
    "brief_cov_whole": (
        "整体模型 {inside}/{total}（{share}）",
        "whole model {inside}/{total} ({share})",
    ),
    "brief_cov_equation": (
        "产出方程 {inside}/{total}（{share}）",
        "output equation {inside}/{total} ({share})",
    ),
    "brief_cov_nowcast": (
        "年内预测 {inside}/{total}（{share}）",
        "nowcast {inside}/{total} ({share})",
    ),
    "brief_levers_note": (
        "步数越多越难实现：超出本市历史记录的幅度需另作论证（见不确定性页面的倒排分析）",
        "The more steps, the less plausible: a move beyond the city's record needs its own "
        "case (see the goal seeking on the uncertainty page)",
    ),
    "brief_methods": ("八、方法说明", "8. Methods"),
    "brief_data_line": (
        "数据：统计局公布数据 {n} 行，使用 {k} 项指标（{names}）",
        "Data: {n} row(s) of the bureau's releases, {k} indicator(s) used ({names})",
    ),
    "brief_left_out": (
        "未使用的行 {n} 行（文件第 {rows} 行：其他年份或城市）",
        "Rows left out: {n} (file rows {rows}: other years or cities)",
    ),
    "brief_model_line": (
        "模型：情景 {scenario}，以{base}年为基年校准；年末预测为模型的蒙特卡洛先验经逐期数据更新"
        "（卡尔曼滤波）",
        "Model: scenario {scenario}, calibrated on the base year {base}; the nowcast is the "
        "model's Monte Carlo updated release by release (a Kalman filter)",
    ),
    "brief_coverage_line": (
        "回测覆盖率（90%区间包含实际值的比例）：{text}",
        "Back-test coverage (share of outcomes inside the 90% band): {text}",
    ),
    "brief_noise_line": (
        "累计数与全年偏差的噪声 σ₁ = {sigma:.4f}",
        "Year-to-date noise σ₁ = {sigma:.4f}",
    ),
    "brief_register_source": ("台账来源：{source}", "Register: {source}"),
    "brief_file": ("简报", "briefing"),
    "brief_list_sep": ("；", "; "),
    "brief_name_sep": ("、", ", "),
    "brief_calibration_line": (
        "校准：数据包 {packs}，只用{base}年及以前公布的数据",
        "Calibration: data pack(s) {packs}, figures published for {base} and earlier only",
    ),
    "brief_provenance": (
        "来源：{files}；模型输入哈希 {hash}，随机种子 {seed}，{draws} 次抽样（详见同名JSON记录）",
        "Provenance: {files}; model inputs hash {hash}, seed {seed}, {draws} draws (the JSON "
        "record of the same name has every figure's source)",
    ),
    "p_brief": ("生成月度简报（HTML与Word）", "Make the monthly briefing (HTML and Word)"),
    "p_brief_making": ("正在生成简报，约需10秒…", "Making the briefing, about 10 s…"),
    # --- the tracking and uncertainty pages' workbooks (issue 24) ---------------------
    "x_tracking": ("跟踪", "tracking"),
    "x_uncertainty": ("不确定性", "uncertainty"),
    "x_through_month": ("截至月份", "Through month"),
    "x_actual": ("累计实绩（亿元）", "Actual, year to date (100m CNY)"),
    "x_seasonal_pace": ("季节进度（亿元）", "Seasonal pace (100m CNY)"),
    "x_calendar_pace": ("序时进度（亿元）", "Calendar pace (100m CNY)"),
    "x_probability_pct": ("达成概率（%）", "Probability (%)"),
    "x_both": ("两项均达成", "Both"),
    "x_parameter": ("参数名称", "Parameter name"),
    "x_sheet_status": ("进度与预测", "Status and nowcast"),
    "x_sheet_news": ("数据影响", "News"),
    "x_sheet_required": ("余下月份", "Remaining months"),
    "x_sheet_probability": ("达成概率", "Probability"),
    "x_sheet_bands": ("月度区间", "Monthly bands"),
    "x_sheet_tornado": ("龙卷风图", "Tornado"),
    "x_sheet_sobol": ("Sobol指数", "Sobol indices"),
    "x_sheet_goal": ("倒排路径", "Goal seek path"),
    "brief_chart_pace": ("季节进度", "Seasonal pace"),
    "brief_chart_tracking": ("{ind}：累计（亿元）", "{ind}: cumulative (100m CNY)"),
    "brief_chart_required": (
        "余下月份每月需完成（亿元）",
        "What each remaining month must bring (100m CNY)",
    ),
    "brief_no_remaining_chart": ("无余下月份", "No month remains"),
    "release_gdp": ("地区生产总值", "GDP"),
    "release_gross_industrial_output_above_scale": ("规上工业总产值", "Gross industrial output"),
    "release_gross_industrial_output_above_scale_growth_pct": (
        "规上工业总产值 增速 %",
        "Gross industrial output growth %",
    ),
    "release_va_industry_above_scale_real_growth_pct": (
        "规上工业增加值（实际）增速 %",
        "Above-scale industrial value added, real growth %",
    ),
    "release_ppi_yoy_pct": ("工业生产者出厂价格 PPI 同比 %", "PPI, year on year %"),
    "release_gdp_real_growth_pct": ("地区生产总值（实际）增速 %", "GDP real growth %"),
    "release_fai_growth_pct": ("固定资产投资 增速 %", "Fixed-asset investment growth %"),
    "release_fai_industrial_growth_pct": ("工业投资 增速 %", "Industrial investment growth %"),
    "release_fai_tech_upgrade_growth_pct": (
        "技改投资 增速 %",
        "Tech-upgrade investment growth %",
    ),
    # a release the table has no row for, named from the vocabulary's Chinese description
    "release_real": ("（实际）", " (real)"),
    "release_growth_pct": (" 增速 %", " growth %"),
    "release_pct": (" %", " %"),
    # register views (page tables and the register's Excel views)
    "v_count": ("{stage}个数", "{stage}: projects"),
    "v_amount": ("{stage}金额（亿元）", "{stage}: amount (100m CNY)"),
    "v_projects": ("项目个数", "Projects"),
    "v_signed_amount": ("签约金额（亿元）", "Signed (100m CNY)"),
    "v_started_share": ("开工率（按金额，%）", "Started, share of amount (%)"),
    "v_producing_share": ("投产率（按金额，%）", "Producing, share of amount (%)"),
    "v_county": ("县市区", "County"),
    "v_industry": ("行业", "Industry"),
    "v_rank": ("排名", "Rank"),
    "v_lag": ("签约到开工（月，中位数）", "Signing to start (months, median)"),
    "v_output_this_year": (
        "今年产出贡献（亿元，{base_year}年价）",
        "Output added this year (100m CNY, {base_year} prices)",
    ),
    "v_row": ("行号", "Row"),
    "v_reason": ("原因", "Reason"),
    "v_months_signed": ("签约月数", "Months since signing"),
    "v_reason_old": ("签约超过{months}个月未开工", "Signed over {months} months ago, not started"),
    "v_reason_due": ("计划今年投产但未开工", "Due to produce this year, not started"),
    "v_sheet_register": ("项目台账", "Register"),
    "v_sheet_funnel": ("月度进度", "Monthly progress"),
    "v_sheet_league": ("县市区排名", "County league table"),
    "v_sheet_report": ("导入提示", "Import warnings"),
    "industry_化工": ("化工", "Chemicals"),
    "industry_农产品加工": ("农产品加工", "Agri-food processing"),
    "industry_装备制造": ("装备制造", "Equipment manufacturing"),
    "industry_汽车零部件": ("汽车零部件", "Auto parts"),
    "industry_电子信息": ("电子信息", "Electronics and IT"),
    "industry_生物医药": ("生物医药", "Biomedicine"),
    "industry_新材料": ("新材料", "New materials"),
    "industry_纺织服装": ("纺织服装", "Textiles and apparel"),
    "industry_造纸包装": ("造纸包装", "Paper and packaging"),
    "industry_新能源": ("新能源", "New energy"),
    "industry_现代服务业": ("现代服务业", "Modern services"),
    "industry_基础设施": ("基础设施", "Infrastructure"),
    "industry_文旅": ("文旅", "Culture and tourism"),
    "industry_其他": ("其他", "Other"),
    # register import: the row report and refusals (English: what the command line prints)
    "reg_report_row": ("行号", "Row"),
    "reg_report_column": ("列", "Column"),
    "reg_report_value": ("值", "Value"),
    "reg_report_expected": ("应为", "Expected"),
    "reg_report_severity": ("级别", "Severity"),
    "reg_severity_error": ("错误", "error"),
    "reg_severity_warning": ("提示", "warning"),
    "reg_col_name": ("项目名称", "Project name"),
    "reg_col_county": ("县市区", "County"),
    "reg_col_industry": ("行业", "Industry"),
    "reg_col_category": ("项目类别", "Category"),
    "reg_col_signed": ("签约日期", "Signing date"),
    "reg_col_amount_100m_cny": ("签约金额(亿元)", "Amount (100m CNY)"),
    "reg_col_planned_start": ("计划开工", "Planned start"),
    "reg_col_actual_start": ("实际开工", "Actual start"),
    "reg_col_planned_production": ("计划投产", "Planned production"),
    "reg_col_actual_production": ("实际投产", "Actual production"),
    "reg_col_status": ("状态", "Status"),
    "reg_col_output_to_investment": ("产出强度", "Output per yuan invested"),
    "reg_not_text": (
        "不是UTF-8或GBK/GB18030编码的文本（第{byte}字节）：请另存为CSV UTF-8或Excel工作簿",
        "not UTF-8 or GBK/GB18030 text (byte {byte}): save the file as CSV UTF-8 or as an "
        "Excel workbook",
    ),
    "reg_too_big": (
        "{name}：{mb:.1f} MB，超过{limit:.0f} MB的上限",
        "{name}: {mb:.1f} MB is above the {limit:.0f} MB limit",
    ),
    "reg_not_xlsx": (
        "{name}：无法作为xlsx工作簿读取",
        "{name}: not a readable xlsx workbook ({error})",
    ),
    "reg_too_many_rows": (
        "{name}：超过{limit:,}行的上限",
        "{name}: more than {limit:,} rows, the limit",
    ),
    "reg_in_file": ("{name}：{detail}", "{name}: {detail}"),
    "reg_not_csv": (
        "{name}第{row}行：无法按CSV读取（单元格过长或引号不配对）",
        "{name}, row {row}: not readable as CSV ({error})",
    ),
    "reg_suffix": (
        "{name}：应为.csv或.xlsx文件，收到的是“{suffix}”",
        "{name}: expected a .csv or .xlsx file, got '{suffix}'",
    ),
    "reg_no_suffix": ("无扩展名", "no suffix"),
    "reg_empty": ("{name}：文件是空的", "{name}: the file is empty"),
    "reg_rows_above_limit": (
        "{name}：{n:,}行，超过{limit:,}行的上限",
        "{name}: {n:,} rows, above the limit of {limit:,}",
    ),
    "reg_both_mean": (
        "{source}：列{a!r}与{b!r}都表示“{column}”",
        "{source}: columns {a!r} and {b!r} both mean {column}",
    ),
    "reg_missing_columns": (
        "{source}：缺少列 {missing}；表头为 {header}",
        "{source}: missing column(s) {missing}; the header row has {header}",
    ),
    "reg_missing_columns_unknown": (
        "{source}：缺少列 {missing}；表头为 {header}（无法识别：{unknown}）",
        "{source}: missing column(s) {missing}; the header row has {header} (not recognised: "
        "{unknown})",
    ),
    "reg_no_counties": (
        "{source}：{city}的参数文件夹未列出县市区（base.yaml中的city.counties）；"
        "请先用 --counties 校准后再导入项目台账",
        "{source}: the parameter folder of {city} lists no counties (city.counties in "
        "base.yaml); calibrate it with --counties FILE before importing a register",
    ),
    "reg_failed": (
        "{source}：{rows}行中有{n}处问题，未导入任何数据",
        "{source}: {n} problem(s) in {rows} row(s); nothing imported",
    ),
    "reg_x_required": ("必填，不能为空", "a value (required)"),
    "reg_x_county": ("{zh}的县市区之一：{counties}", "a county of {zh} ({en}): {counties}"),
    "reg_x_industry": (
        "以下行业之一：{industries}（按原样保留）",
        "one of {industries} (kept as given)",
    ),
    "reg_x_category": ("工业或非工业", "工业 or 非工业 (or industrial, non-industrial)"),
    "reg_x_number": ("以亿元计的数字", "a number of 100m CNY"),
    "reg_x_finite": ("有限的数字（亿元）", "a finite number of 100m CNY"),
    "reg_x_positive": ("大于0的金额（亿元）", "a positive amount of 100m CNY"),
    "reg_x_10k": (
        "亿元；{a:g}像是万元（= {b:g}亿元）：请换算该列",
        "100m CNY (亿元); {a:g} looks like 万元, 10,000 CNY (= {b:g} 100m CNY): convert the column",
    ),
    "reg_x_date": (
        "日期，如 YYYY-MM-DD、YYYY/M/D 或 YYYY年M月D日",
        "a date such as YYYY-MM-DD or YYYY/M/D",
    ),
    "reg_x_after_start": (
        "不早于{column} {date}（投产早于开工）",
        "on or after {column} {date} (production before start)",
    ),
    "reg_x_after_signing": ("不早于签约日期 {date}", "on or after the signing date {date}"),
    "reg_x_window": (
        "在模拟区间 {start} 至 {end} 之内（区间外的不计入）",
        "within the simulated window {start} to {end} (ignored outside it)",
    ),
    "reg_x_status": ("以下状态之一：{statuses}", "one of {statuses}"),
    "reg_x_status_date": ("日期（状态为{status}）", "a date, since the status is {status}"),
    "reg_x_kappa_number": ("数字（每元投资的年产出，元）", "a number (yuan of output per yuan)"),
    "reg_x_kappa_range": (
        "每元投资的年产出（元），大于0且不超过{max:g}（模型说明：化工0.8……装配3.0）",
        "yuan of output per yuan invested, above 0 and at most {max:g} (MODEL.md: 0.8 "
        "chemicals … 3.0 assembly)",
    ),
    "reg_x_control": ("不含控制字符的文本", "text without control characters (NUL, …)"),
    "reg_x_duplicate": (
        "每个项目只列一次（与第{row}行的项目名称、县市区和签约日期相同）",
        "a project listed once (same name, county and signing date as row {row})",
    ),
    # released figures (actuals): refusals (English: what the command line prints)
    "act_row_fields": (
        "{name} 第{row}行：{got} 个字段，表头有 {expected} 个",
        "{name} row {row}: {got} fields, the header has {expected}",
    ),
    "act_missing_columns": (
        "{name}：缺少列 {missing}；文件的列为 {has}（简表的列为 indicator, period, value, unit；"
        "数据包另有 city, source_url, note）",
        "{name}: missing column(s) {missing}; has {has} (a data pack has city, period, "
        "indicator, value, unit, source_url, note)",
    ),
    "act_row_indicator": (
        "{name} 第{row}行：指标 {ind!r}：应为 {inds} 之一（或按数据包格式填写词表中的任一指标）",
        "{name} row {row}: indicator {ind!r}: expected one of {inds} (or write the file as a "
        "data pack for every indicator of the vocabulary)",
    ),
    "act_row_period": (
        "{name} 第{row}行：期间 {period!r}：应为{expected}",
        "{name} row {row}: period {period!r}: expected {expected}",
    ),
    "act_period_forms": (
        "年初至今的期间，如 YYYYM1-5、YYYYM5、YYYYQ2、YYYYH1 或 YYYY（全年）",
        "a year-to-date period such as YYYYM1-5, YYYYM5, YYYYQ2, YYYYH1 or YYYY (a year)",
    ),
    "act_month_range": ("1至12之间的月份", "a month between 1 and 12"),
    "act_row_value": (
        "{name} 第{row}行：数值 {value!r}：应为数字",
        "{name} row {row}: value {value!r}: expected a number",
    ),
    "act_row_fraction": (
        "{name} 第{row}行：数值 {value!r} 像是小数比率；"
        "增速以百分数填写，保留一位小数（{pct:.4g}% 应写作 {pct:.4g}）",
        "{name} row {row}: value {value!r} looks like a fraction; growth is written in percent "
        "with one decimal (write {pct:.4g} for {pct:.4g}%)",
    ),
    "act_row_unit": (
        "{name} 第{row}行：单位 {unit!r}：{ind} 的单位应为 {want}",
        "{name} row {row}: unit {unit!r}: expected {want} for {ind}",
    ),
    "act_empty": ("{name}：没有实绩数据", "{name}: no actual figures"),
    "act_duplicate": (
        "{name}：第{rows}行重复给出同一指标和期间",
        "{name}: rows {rows} give the same indicator and period twice",
    ),
    "act_pack": ("{name}：数据包有误：{detail}", "{detail}"),
    "act_no_year": (
        "没有{year}年（第一个计划年）的实绩",
        "no actual figures for {year}, the first plan year",
    ),
    "act_no_year_city": (
        "没有{year}年（第一个计划年）{city}的实绩（文件中的城市：{cities}）",
        "no actual figures for {year}, the first plan year, of {city} (the file has {cities})",
    ),
    "act_where": (
        "第{row}行（{ind} {period} = {value:g}）",
        "row {row} ({ind} {period} = {value:g})",
    ),
    "act_later_year": (
        "{name} {where}：晚于计划年{year}年；应为{year}年的实绩（年份是否写错？）",
        "{name} {where}: after the plan year {year}; expected figures of {year} (a mistyped year?)",
    ),
    "act_not_finite": ("{where}：应为有限的数字", "{where}: expected a finite number"),
    "act_ratio": (
        "{where}：是基年同期的{ratio:.2f}倍；应在{lo}至{hi}倍之间（单位为亿元而非万元；期间按公布口径）",
        "{where}: {ratio:.2f} times the base year's same months; expected {lo}-{hi} (100m CNY, not "
        "10,000 CNY; the period as published)",
    ),
    "act_pct_range": (
        "{where}：应为{lo:g}至{hi:g}之间的百分比",
        "{where}: expected a percentage from {lo:g} to {hi:g}",
    ),
    "act_not_running": (
        "第{row}行（{ind} {period} = {value:g}）：低于此前的年初至今累计 {prev:g}；"
        "应为累计值（是否填成了单月数？）",
        "row {row} ({ind} {period} = {value:g}): below the earlier year-to-date {prev:g}; "
        "expected a running total (is it a single month?)",
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
        "{plan_year} annual (100m CNY): 5th / 50th / 95th percentile",
    ),
    "fan_gdp": ("GDP 累计名义增速：扇形图（%）", "GDP, cumulative growth: fan chart (%)"),
    "fan_gio": (
        "规上工业总产值 累计增速：扇形图（%）",
        "Industrial output, cumulative growth: fan chart (%)",
    ),
    "median": ("中位数", "Median"),
    "band_50": ("50%区间", "50% band"),
    "tornado": (
        "龙卷风图：每个参数取5%与95%分位，其余取情景值（{plan_year}年，亿元）",
        "Tornado: each parameter at its 5th and 95th percentile, the others at the "
        "scenario's values ({plan_year}, 100m CNY)",
    ),
    "parameter": ("参数", "Parameter"),
    "at_low": ("取低值", "at low"),
    "at_high": ("取高值", "at high"),
    "sobol": ("Sobol全局敏感性指数", "Sobol global sensitivity indices"),
    "sobol_run": ("计算Sobol指数", "Compute Sobol indices"),
    "u_out_both_met": ("两项均达成（是/否）", "Both reached (yes/no)"),
    "u_out_gdp": ("GDP（亿元）", "GDP (100m CNY)"),
    "u_out_industrial_output": ("规上工业总产值（亿元）", "Industrial output (100m CNY)"),
    "u_out_gdp_met": ("GDP达成（是/否）", "GDP reached (yes/no)"),
    "u_out_industrial_output_met": (
        "规上工业总产值达成（是/否）",
        "Industrial output reached (yes/no)",
    ),
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
    "required_path": ("逐月累计里程碑（亿元）", "Monthly cumulative milestones (100m CNY)"),
    "calendar": ("序时", "calendar"),
    "seasonal": ("季节", "seasonal"),
    "projected": ("预计", "projected"),
    "unreachable": ("在参数范围内无法达到", "out of reach within the parameter's bounds"),
    "solve_reason_economics": (
        "原因在经济关系：该杠杆的作用在范围末端已趋平，即使大幅放宽上限也难以达到。",
        "The economics: this lever's effect flattens near the end of its range; a wider "
        "bound would not reach the target either.",
    ),
    "solve_reason_bound": (
        "原因在参数上限：杠杆仍有作用，按直线外推约需{needed:.4g}{unit}，超出允许范围。",
        "The bound: the lever still works; a straight line would need about {needed:.4g} "
        "{unit}, beyond what is allowed.",
    ),
    "solve_lever_probability": (
        "按该参数的拟合分布，取到如此有利的值的概率为{p:.2%}。",
        "A value this favourable has probability {p:.2%} under the parameter's fitted "
        "distribution.",
    ),
    "solve_within_record": (
        "该结果在数据包有记录的范围之内。",
        "Within the range the data pack records.",
    ),
    "seasonal_pace": ("季节进度", "Seasonal pace"),
    "target_line": ("目标", "Target"),
    "no_target": ("未设目标：显示预测与增速", "No target set: forecast and growth"),
    "month": ("月份", "Month"),
    "chart_waterfall_gdp": (
        "GDP 增量分解：{base_year} → {plan_year}（亿元）",
        "GDP change {base_year} → {plan_year} (100m CNY)",
    ),
    "chart_waterfall_gio": (
        "工业总产值增量分解：{base_year} → {plan_year}（亿元）",
        "Industrial output change {base_year} → {plan_year} (100m CNY)",
    ),
    "chart_fai": ("固定资产投资 按月（亿元）", "Fixed-asset investment by month (100m CNY)"),
    "chart_funnel": (
        "项目推进：历年签约项目年末所处阶段（亿元）",
        "Pipeline at year end, by stage (100m CNY)",
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
    "mech_exits": ("退出规上", "Firms leaving"),
    "mech_new_projects": ("招商项目", "New projects"),
    "mech_construction": ("建筑业", "Construction"),
    "mech_services": ("服务业", "Services"),
    "mech_primary": ("农业", "Primary"),
    "mech_shocks": ("冲击", "Shocks"),
    "mech_total": ("{plan_year}年", "{plan_year}"),
    # results table
    "table_title": ("结果表（亿元，现价）", "Results (100m CNY, current prices)"),
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
    "save_by": ("保存人（可选）", "Your name (optional)"),
    "save_exists_by": (
        "情景“{name}”已存在（{by} 保存于 {at}），点击“确认覆盖”替换它；被替换的版本会保留。",
        "Scenario “{name}” exists already (saved by {by} {at}): press Overwrite to replace it; "
        "the replaced version is kept.",
    ),
    "save_protected": (
        "“{name}”是校准生成的情景，只读，不能覆盖；请换一个名称保存。",
        "“{name}” is a calibrated scenario and read-only: save under another name.",
    ),
    "save_stale": (
        "未保存：情景“{name}”在您打开后已被 {by} 于 {at} 修改。已载入该版本的信息；"
        "请重新打开查看，或换一个名称保存。",
        "Not saved: “{name}” was changed by {by} at {at} after you opened it. Open it again "
        "to see that version, or save under another name.",
    ),
    "save_circle": (
        "未保存：情景会互相引用成环（{detail}）；请换一个名称。",
        "Not saved: the scenarios would extend each other in a circle ({detail}); choose "
        "another name.",
    ),
    "save_breaks": (
        "未保存：这样保存会使情景 {names} 无法载入（它们引用了该情景）；请换一个名称。",
        "Not saved: it would break {names} (they extend it); choose another name.",
    ),
    "save_invalid": ("未保存：{detail}", "Not saved: {detail}"),
    "save_busy": (
        "未保存：另一位同事正在保存，请稍后再试。",
        "Not saved: a colleague is saving right now; try again in a moment.",
    ),
    "save_undo": ("撤销覆盖", "Undo overwrite"),
    "save_undone": ("已恢复情景“{name}”之前的版本", "Restored the previous version of “{name}”"),
    "history_title": ("历史版本", "Earlier versions"),
    "history_item": ("{at} · {by}", "{at} · {by}"),
    "history_restore": ("恢复此版本", "Restore this version"),
    "history_restored": (
        "已将情景“{name}”恢复为 {at} 的版本（当前版本已保留）",
        "Restored “{name}” to the version of {at} (the current one is kept)",
    ),
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
    "col_target": ("目标（亿元）", "Target (100m CNY)"),
    "col_value": ("数值（亿元）", "Value (100m CNY)"),
    "col_gap": ("差距（亿元）", "Gap (100m CNY)"),
    "col_met": ("是否达成", "Reached"),
    "col_mechanism": ("来源", "Mechanism"),
    "col_change": ("增量（亿元）", "Change (100m CNY)"),
    "col_contribution_pct": ("贡献率（%）", "Contribution (%)"),
    "col_pull_pts": ("拉动（百分点）", "Pull (points)"),
    "col_key": ("字段", "Field"),
    "col_setting": ("设置", "Setting"),
    "col_setting_value": ("值", "Value"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "none": ("无", "none"),
    # series (annual and monthly columns); money in 亿元 at current prices
    "gross_industrial_output_100m_cny": ("规上工业总产值（亿元）", "Industrial output (100m CNY)"),
    "gio_existing_100m_cny": ("其中：存量企业（亿元）", "of which existing firms (100m CNY)"),
    "gio_tech_100m_cny": ("其中：技改新增（亿元）", "of which tech upgrades (100m CNY)"),
    "gio_new_firms_100m_cny": ("其中：新进规企业（亿元）", "of which new firms (100m CNY)"),
    "gio_exits_100m_cny": (
        "其中：退出规上企业（亿元）",
        "of which firms leaving the register (100m CNY)",
    ),
    "gio_projects_initial_100m_cny": (
        "其中：往年签约项目（亿元）",
        "of which projects signed before (100m CNY)",
    ),
    "gio_projects_new_100m_cny": (
        "其中：当年起签约项目（亿元）",
        "of which new projects (100m CNY)",
    ),
    "gio_shock_100m_cny": ("其中：冲击（亿元）", "of which shocks (100m CNY)"),
    "gross_industrial_output_real_100m_cny": (
        "规上工业总产值（{base_year}年价，亿元）",
        "Industrial output, {base_year} prices (100m CNY)",
    ),
    "fai_100m_cny": ("固定资产投资（亿元）", "Fixed-asset investment (100m CNY)"),
    "fai_projects_100m_cny": ("其中：招商项目（亿元）", "of which projects (100m CNY)"),
    "fai_tech_100m_cny": ("其中：技改（亿元）", "of which tech upgrades (100m CNY)"),
    "fai_other_100m_cny": ("其中：其他投资（亿元）", "of which other (100m CNY)"),
    "fai_industrial_100m_cny": ("工业投资（亿元）", "Industrial FAI (100m CNY)"),
    "fai_projects_industrial_100m_cny": (
        "其中：招商工业项目（亿元）",
        "of which industrial projects (100m CNY)",
    ),
    "fai_shock_100m_cny": ("其中：冲击（亿元）", "of which shocks (100m CNY)"),
    "va_primary_100m_cny": ("第一产业增加值（亿元）", "Primary VA (100m CNY)"),
    "va_industry_100m_cny": ("工业增加值（亿元）", "Industry VA (100m CNY)"),
    "va_construction_100m_cny": ("建筑业增加值（亿元）", "Construction VA (100m CNY)"),
    "va_tertiary_100m_cny": ("第三产业增加值（亿元）", "Tertiary VA (100m CNY)"),
    "gdp_100m_cny": ("地区生产总值（亿元）", "GDP (100m CNY)"),
    "gdp_real_100m_cny": (
        "地区生产总值（{base_year}年价，亿元）",
        "GDP, {base_year} prices (100m CNY)",
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
    "signed_100m_cny": ("签约额（亿元）", "Signed (100m CNY)"),
    "started_100m_cny": ("开工额（亿元）", "Started (100m CNY)"),
    "signed_cum_100m_cny": ("累计签约（亿元）", "Signed, cumulative (100m CNY)"),
    "started_cum_100m_cny": ("累计开工（亿元）", "Started, cumulative (100m CNY)"),
    "producing_cum_100m_cny": ("累计投产（亿元）", "Producing, cumulative (100m CNY)"),
    "full_cum_100m_cny": ("累计达产（亿元）", "Full capacity, cumulative (100m CNY)"),
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
    # compare page
    "c_title": (
        "{city}{goal_q}情景对比：哪种组合能达成目标",
        "{city} {goal_q}scenario comparison: which combination reaches the targets",
    ),
    "c_intro": (
        "同一批次的各情景并列比较：先看哪些组合两项目标均达成、其中最省力的（发力项最少）；"
        "再看年度值与目标、所选情景的逐月路径，二维参数网格另附热力图。金额为亿元，现价。",
        "The scenarios of one batch side by side: first which combinations reach both "
        "targets and the cheapest of them (fewest strong campaigns); then annual values "
        "against the targets, monthly paths of chosen scenarios and, for a two-parameter "
        "grid, a heat map. Money in 100m CNY at current prices.",
    ),
    "c_status": (
        "批次：{batch} · {n}个情景，{failed}个失败 · {draws} · 批次摘要 {digest}",
        "Batch: {batch} · {n} scenarios, {failed} failed · {draws} · digest {digest}",
    ),
    "c_draws": ("每个情景{n}次蒙特卡洛模拟", "{n} Monte Carlo draws per scenario"),
    "c_no_draws": ("确定性运行（无达成概率）", "deterministic runs (no probabilities)"),
    "c_failed_ids": ("运行失败：{ids}", "Failed: {ids}"),
    "c_targets": (
        "目标：GDP {gdp:,.0f}亿元，规上工业总产值 {gio:,.0f}亿元",
        "Targets: GDP {gdp:,.0f} 100m CNY, industrial output {gio:,.0f} 100m CNY",
    ),
    "c_short_industry": ("工业", "Industry"),
    "c_short_attraction": ("招商", "Attraction"),
    "c_short_investment": ("投资", "Investment"),
    "c_short_environment": ("环境", "Environment"),
    "c_level_plan": ("按计划", "plan"),
    "c_level_weak": ("偏弱", "weak"),
    "c_level_strong": ("发力", "strong"),
    "c_combo_part": ("{campaign}{level}", "{campaign} {level}"),
    "c_combo_sep": ("·", " · "),
    "c_extra_sep": (" ＋ ", " + "),
    "c_setting": ("{name}：{value}", "{name}: {value}"),
    "c_settings_sep": ("；", "; "),
    "c_on": ("启用", "on"),
    "c_off": ("关闭", "off"),
    "c_unknown": ("未知", "unknown"),
    "c_col_name": ("组合", "Combination"),
    "c_col_id": ("编号", "Point id"),
    "c_col_strong": ("发力项数", "Strong campaigns"),
    "c_col_verdict": ("结论", "Verdict"),
    "c_col_both": ("两项均达成", "Both reached"),
    "c_col_p_both": ("两项均达成概率（%）", "Chance both reached (%)"),
    "c_col_gdp_gap": ("GDP差距（亿元）", "GDP gap (100m CNY)"),
    "c_col_gio_gap": ("规上工业总产值差距（亿元）", "Industrial output gap (100m CNY)"),
    "c_col_item": ("项目", "Item"),
    "c_col_content": ("内容", "Content"),
    "c_v_cheapest": ("★ 最省力的达标组合", "★ cheapest that reaches both"),
    "c_v_reached": ("两项均达成", "reaches both"),
    "c_v_closest": ("最接近两项目标", "closest to both targets"),
    "c_v_highest": ("GDP最高", "highest GDP"),
    "c_decision_some": (
        "{n}个组合中有{k}个两项目标均达成。最省力的是「{name}」（{strong}项发力）："
        "GDP {gdp:,.1f}亿元，规上工业总产值 {gio:,.1f}亿元{p}。",
        "{k} of {n} combinations reach both targets. The cheapest is “{name}” ({strong} "
        "strong campaign(s)): GDP {gdp:,.1f} 100m CNY, industrial output {gio:,.1f} 100m CNY{p}.",
    ),
    "c_decision_none": (
        "{n}个组合均未同时达成两项目标。最接近的是「{name}」：GDP差距 {gdp_gap:+,.1f}亿元，"
        "规上工业总产值差距 {gio_gap:+,.1f}亿元{p}。",
        "None of the {n} combinations reaches both targets. The closest is “{name}”: GDP gap "
        "{gdp_gap:+,.1f} 100m CNY, industrial output gap {gio_gap:+,.1f} 100m CNY{p}.",
    ),
    "c_decision_p": ("，两项均达成概率 {p:.0%}", ", chance of reaching both {p:.0%}"),
    "c_decision_alone": (
        "单项看：{kg}个组合达到GDP目标，{ko}个达到规上工业总产值目标。",
        " Alone: {kg} reach the GDP target, {ko} the industrial output target.",
    ),
    "c_decision_untargeted": (
        "未设目标：按GDP从高到低排列；最高的是「{name}」（GDP {gdp:,.1f}亿元）。",
        "No targets set: sorted by GDP; the highest is “{name}” (GDP {gdp:,.1f} 100m CNY).",
    ),
    "c_decision_empty": ("没有运行成功的情景。", "No scenario ran successfully."),
    "c_h_ranking": (
        "组合排名：两项均达成的在前，最省力的居首",
        "Ranking: combinations reaching both targets first, the cheapest on top",
    ),
    "c_h_annual": ("年度值与目标（亿元）", "Annual values against the targets (100m CNY)"),
    "c_h_paths": (
        "逐月累计路径：首个情景与排名前列的组合（亿元）",
        "Monthly cumulative paths: the first scenario and the top of the ranking (100m CNY)",
    ),
    "c_h_heat": ("热力图（亿元）", "Heat map (100m CNY)"),
    "c_no_heat": ("不是二维参数网格：无热力图", "Not a two-parameter grid: no heat map"),
    "c_sheet_ranking": ("排名", "Ranking"),
    "c_sheet_annual": ("年度对比", "Annual"),
    "c_sheet_paths": ("月度路径", "Monthly paths"),
    "c_sheet_heat_gdp": ("热力图_GDP（亿元）", "Heat map GDP (100m CNY)"),
    "c_sheet_heat_gio": ("热力图_工业总产值（亿元）", "Heat map output (100m CNY)"),
    "c_sheet_about": ("说明", "About"),
    "c_about_batch": ("批次", "Batch"),
    "c_about_digest": ("批次摘要", "Batch digest"),
    "c_about_created": ("运行时间（UTC）", "Run at (UTC)"),
    "c_about_target_gdp": ("GDP目标（亿元）", "GDP target (100m CNY)"),
    "c_about_target_gio": ("规上工业总产值目标（亿元）", "Industrial output target (100m CNY)"),
    "c_file": ("{city}_情景对比_{plan_year}", "{city}_scenario_comparison_{plan_year}"),
    "c_write_failed": (
        "未能在服务器保存Excel副本（下载不受影响）",
        "Could not save the Excel copy on the server (the download still works)",
    ),
    # command line: what the commands print (English by default, see cli.PRINT_LANG)
    "cli_run_title": (
        "{city_zh}（{city_en}），情景 {scenario}",
        "{city_en} ({city_zh}), scenario {scenario}",
    ),
    "cli_run_year": (
        "{year}年，亿元，现价（括号内为基年{base_year}年）",
        "Year {year}, 100m CNY at current prices (base year {base_year} in brackets)",
    ),
    "cli_fai": ("固定资产投资", "Fixed-asset investment"),
    "cli_va_primary": ("第一产业增加值", "VA primary"),
    "cli_va_industry": ("工业增加值", "VA industry"),
    "cli_va_construction": ("建筑业增加值", "VA construction"),
    "cli_va_tertiary": ("第三产业增加值", "VA tertiary"),
    "cli_gdp_real_growth": ("GDP实际增长 %", "GDP real growth %"),
    "cli_gio_real_growth": ("规上工业总产值实际增长 %", "Industrial output real growth %"),
    "cli_targets": ("目标：", "Targets:"),
    "cli_no_target": ("（未设目标）", "(no target set)"),
    "cli_target_line": (
        "{value:8.1f}，目标 {target:.0f}：差距 {gap:+.1f} → {verdict}",
        "{value:8.1f} vs {target:.0f}: gap {gap:+.1f} → {verdict}",
    ),
    "cli_met": ("达成", "MET"),
    "cli_not_met": ("未达成", "NOT MET"),
    "cli_contrib_head": (
        "GDP较基年的增量，按来源（亿元）：",
        "GDP change over the base year by mechanism (100m CNY):",
    ),
    "cli_params_scenario": ("情景 {name}：{description}", "Scenario {name}: {description}"),
    "cli_params_campaigns": ("四大会战：{campaigns}", "Campaigns: {campaigns}"),
    "cli_params_shocks": ("启用的冲击：{shocks}", "Shocks on: {shocks}"),
    "cli_not_set": ("未设定", "not set"),
    "cli_n_values": ("[{n}个值]", "[{n} values]"),
    "cli_valid": (
        "{path}：有效（{name}；{n}个文件：{files}）",
        "{path}: valid ({name}; {n} file(s): {files})",
    ),
    "cli_restored": (
        "已恢复 {name} 之前的版本（被替换的版本已保留）",
        "restored the previous version of {name} (the replaced one is kept)",
    ),
    "axis_broken": ("≈ 纵轴自 {floor:,.0f} 起", "≈ axis from {floor:,.0f}"),
    "scenario_switched": (
        "已切换情景：从该情景保存的设定开始，之前的改动未带入。",
        "Scenario switched: it starts from its saved settings; earlier changes were not "
        "carried over.",
    ),
    "scenario_saved_label": ("已保存 · {name}（{by}）", "saved · {name} ({by})"),
    "cli_no_history": ("{name} 没有保留的版本", "{name}: no kept versions"),
    "cli_saved_by": ("{by} 保存于 {at}", "saved by {by} {at}"),
    "cli_mc_head": (
        "{city}，计划年 {plan_year}。情景：{scenario}；{draws}次模拟，种子 {seed}，{sampler}抽样；"
        "不确定性设定来自“{source}”（{n}个参数）",
        "{city}, plan year {plan_year}. Scenario: {scenario}; {draws} draws, seed {seed}, "
        "{sampler} sampling; uncertainty from '{source}' ({n} parameters)",
    ),
    "cli_mc_probability": (
        "达成目标的概率（GDP {gdp:g}亿，规上工业总产值 {gio:g}亿；0 = 未设目标，视为达成）：",
        "Probability of reaching the targets (GDP {gdp:g}, output {gio:g} 100m CNY; 0 = no target, "
        "always reached):",
    ),
    "cli_both": ("两项均达成", "both"),
    "cli_mc_no_targets": (
        "本参数文件夹未设目标：仅显示预测的范围。",
        "No targets in this parameter folder: the forecast's range only.",
    ),
    "cli_mc_quantiles": (
        "全年值，亿元（5% / 50% / 95%分位）：",
        "Annual value, 100m CNY (p5 / p50 / p95):",
    ),
    "cli_tornado_head": (
        "龙卷风图，{scenario}：每个参数取5%与95%分位，其余取情景值（亿元）；"
        "p_both为其余参数随机抽样（{draws}次）",
        "Tornado, {scenario}: each parameter at its p5 / p95, others at the scenario's values "
        "(100m CNY); p_both with the others drawn ({draws})",
    ),
    "cli_sobol_head": (
        "Sobol指数，{scenario}：{runs}次运行（S1为一阶指数，ST为总指数；*_met = 达成目标）",
        "Sobol indices, {scenario}: {runs} runs (S1 first order, ST total; *_met = meeting "
        "the target)",
    ),
    "cli_solve_head": (
        "逐月累计里程碑（亿元）；预计值{what}：",
        "Required cumulative path (100m CNY); projection {what}:",
    ),
    "cli_solve_at_solved": ("按求解值", "at the solved value"),
    "cli_solve_as_is": ("按情景现状", "as the scenario stands"),
    "cli_batch_done": (
        "{batch}：{n}个情景中{ok}个成功，{failed}个失败；结果见 {parquet} 与 results.csv",
        "{batch}: {ok} of {n} scenarios ok, {failed} failed; results in {parquet} and results.csv",
    ),
    "cli_batch_failed": ("  失败 {id}：{error}", "  failed {id}: {error}"),
    "cli_register_summary": (
        "{source}（{encoding}）：{projects}个项目，签约{amount:.1f}亿；{started}个已开工，"
        "{producing}个已投产；截至 {as_of}",
        "{source} ({encoding}): {projects} projects, {amount:.1f} 100m CNY signed; {started} "
        "started, "
        "{producing} producing; as of {as_of}",
    ),
    "cli_register_warning": (
        "  提示：第{row}行，{column}：{value!r}：应为{expected}",
        "  warning: row {row}, {column}: {value!r}: expected {expected}",
    ),
    "cli_views_written": ("视图已写入 {path}", "views written to {path}"),
    "cli_serving": (
        "正在 http://{host}:{port}/ 提供{page}页面（按Ctrl-C停止）",
        "Serving the {page} page on http://{host}:{port}/ (Ctrl-C stops it)",
    ),
    "cli_help_solve": (
        "倒排：满足目标的杠杆取值；无法达到时退出码为3",
        "goal seek (倒排): the lever value that meets a target; exit 3 if unreachable",
    ),
    "cli_help_register": ("导入并检查项目台账", "import and check a project register"),
    # notebooks (scenario_run.ipynb)
    "nb_overrides": (
        "覆盖的参数：{overrides}；输入摘要 {inputs_hash}",
        "overrides: {overrides}; inputs hash {inputs_hash}",
    ),
    # units of the schema
    "unit_亿元": ("亿元", "100m CNY"),
    "unit_亿元 per year": ("亿元/年", "100m CNY/year"),
    "unit_亿元 per firm-year": ("亿元/家·年", "100m CNY/firm-year"),
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
    params : simulation.economy.schema.Params or None
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


def scenario_label(name: str, description: str = "", lang: Lang = "zh") -> str:
    """Display name of a scenario: shipped ones by their meaning, saved ones by name.

    ``baseline``, ``uncertainty``, ``all_strong`` and ``<campaign>_<weak|strong>`` have
    rows here; ``shock_*`` scenarios take the two halves of their description
    (``中文 — English``, as ``calibrate`` writes it); any other name is shown as saved.
    """
    if f"scenario_{name}" in TEXT:
        return tr(f"scenario_{name}", lang)
    campaign, _, level = name.rpartition("_")
    if campaign in schema.CAMPAIGNS and level in ("weak", "strong"):
        return tr(
            "scenario_campaign",
            lang,
            campaign=tr(f"campaign_{campaign}", lang),
            level=tr(f"level_{level}", lang),
        )
    zh, sep, en = description.partition(" — ")
    if name.startswith("shock_") and sep:
        en = en.split(" (")[0]
        return zh.strip() if lang == "zh" else en[:1].upper() + en[1:]
    return name


#: Chinese planning terms in the schema's (English) descriptions → their English gloss, for
#: English tooltips (longest first when applied).
GLOSSARY: dict[str, str] = {
    "规上工业总产值": "gross output of above-scale industry",
    "招商签约": "investment-attraction signings",
    "工业投资": "industrial investment",
    "小进规": "firms newly above scale",
    "履约率": "fulfilment rate",
    "开工率": "start rate",
    "开门红": "January signing ceremony",
    "拿地即开工": "start on land acquisition",
    "履约": "fulfilment",
    "技改": "tech-upgrade",
    "招商": "investment attraction",
}
_PATH = re.compile(r"\b[a-z_]+\.[a-z0-9_]+\b")


def plain_text(text: str, lang: Lang = "zh") -> str:
    """Schema text for a reader: dotted parameter paths become their labels (「…」 / “…”)
    and, in English, Chinese planning terms their gloss (:data:`GLOSSARY`)."""
    paths = schema.numeric_paths()
    quote = ("「", "」") if lang == "zh" else ("“", "”")

    def label(m: re.Match) -> str:
        p = m.group()
        return f"{quote[0]}{param_label(p, lang)}{quote[1]}" if p in paths else p

    text = _PATH.sub(label, text)
    if lang == "en":
        for zh in sorted(GLOSSARY, key=len, reverse=True):
            text = text.replace(zh, GLOSSARY[zh])
    return text


def column_label(key: str, lang: Lang = "zh", **ctx: object) -> str:
    """Header for a result column (``ctx``: :func:`context`); the key when no row has it."""
    return tr(key, lang, **ctx) if key in TEXT else key
