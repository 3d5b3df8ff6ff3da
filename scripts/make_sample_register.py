"""Write a parameter folder's SYNTHETIC sample register and the register templates.

    .venv/bin/python scripts/make_sample_register.py [--params-dir DIR]

The sample is invented (seeded, reproducible) to exercise the import, the views and the
simulation from a register; it is no city's ledger. Counties come from the folder's
``city.counties`` and dates are laid on its plan year. It holds the one fact a folder may
give about individual projects: the concentrated start (``pipeline.concentrated_start_*``;
for the shipped folder 246 projects, 1189亿 on 8 February of the plan year). Everything else
(amounts, counties, industries, dates) is drawn.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

import numpy as np
import openpyxl

from simulation import load_scenario
from simulation.io.register import COLUMNS, INDUSTRIES

ROOT = Path(__file__).resolve().parent.parent
SEED = 20220208


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--params-dir", type=Path, default=ROOT / "params")
    folder = ap.parse_args().params_dir
    params = load_scenario("base", params_dir=folder).params
    COUNTIES = params.city.counties
    if not COUNTIES:
        raise SystemExit(f"{folder}/base.yaml lists no counties (city.counties)")
    Y = params.calendar.base_year + 1  # the plan year

    def D(year_offset: int, month: int, day_: int) -> dt.date:
        """A date in the plan year (offset 0) or the years around it."""
        return dt.date(Y + year_offset, month, day_)

    AS_OF = D(0, 5, 31)
    n_cs = 246 if params.pipeline.concentrated_start_100m_cny > 0 else 0
    cs_total = params.pipeline.concentrated_start_100m_cny
    cs_day = D(0, params.pipeline.concentrated_start_month, 8)
    rng = np.random.default_rng(SEED)
    rows = []

    def add(
        signed,
        amount,
        industrial,
        start=None,
        planned_start=None,
        production=None,
        planned_production=None,
        status="已签约",
    ):
        county = COUNTIES[rng.integers(len(COUNTIES))]
        industry = INDUSTRIES[rng.integers(10)] if industrial else INDUSTRIES[10 + rng.integers(3)]
        rows.append(
            {
                "name": f"样例项目{len(rows) + 1:03d}（{industry}）",
                "county": county,
                "industry": industry,
                "category": "工业" if industrial else "非工业",
                "signed": signed,
                "amount_100m_cny": round(float(amount), 2),
                "planned_start": planned_start,
                "actual_start": start,
                "planned_production": planned_production,
                "actual_production": production,
                "status": status,
                "output_to_investment": round(float(rng.uniform(0.8, 2.5)), 2)
                if industrial
                else None,
            }
        )

    def day(a: dt.date, b: dt.date) -> dt.date:
        return a + dt.timedelta(days=int(rng.integers((b - a).days + 1)))

    # the concentrated start (the shipped folder: 8 February, 246 projects, 1189亿 in all)
    w = rng.lognormal(0, 0.9, n_cs)
    amounts = np.round(w / w.sum() * cs_total, 2) if n_cs else w
    if n_cs:
        amounts[-1] = round(cs_total - amounts[:-1].sum(), 2)
    for a in amounts:
        add(
            day(D(-2, 9, 1), D(0, 1, 20)),
            a,
            rng.random() < 0.8,
            start=cs_day,
            planned_production=day(D(0, 10, 1), D(2, 6, 30)),
            status="已开工",
        )
    # already producing (signed three and two years before the plan year)
    for _ in range(40):
        s = day(D(-3, 1, 1), D(-2, 6, 30))
        st = s + dt.timedelta(days=int(rng.integers(60, 300)))
        prod = min(st + dt.timedelta(days=int(rng.integers(300, 600))), AS_OF)
        add(s, rng.lognormal(1.0, 0.8), True, start=st, production=prod, status="已投产")
    # signed in the base year or at the plan year's 开门红, not started yet
    for _ in range(90):
        s = day(D(-1, 3, 1), D(0, 4, 30))
        ps = s + dt.timedelta(days=int(rng.integers(60, 400))) if rng.random() < 0.6 else None
        add(s, rng.lognormal(1.2, 0.9), rng.random() < 0.8, planned_start=ps)
    # started in the base year or the plan year's spring, outside the concentrated start
    for _ in range(60):
        s = day(D(-2, 6, 1), D(0, 2, 28))
        st = min(s + dt.timedelta(days=int(rng.integers(30, 400))), AS_OF)
        add(s, rng.lognormal(1.0, 0.8), rng.random() < 0.85, start=st, status="已开工")
    rows.sort(key=lambda r: r["signed"])
    out = folder / "registers" / "sample_register_SYNTHETIC.csv"
    out.parent.mkdir(parents=True, exist_ok=True)
    header = [COLUMNS[c][0] for c in COLUMNS]
    lines = [",".join(header)]
    for r in rows:
        vals = []
        for c in COLUMNS:
            v = r[c]
            vals.append(
                "" if v is None else v.strftime("%Y/%-m/%-d") if isinstance(v, dt.date) else str(v)
            )
        lines.append(",".join(vals))
    out.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")  # as Excel saves "CSV UTF-8"
    print(f"wrote {out} ({len(rows)} projects, {sum(r['amount_100m_cny'] for r in rows):.1f}亿)")
    # templates: the header with one example row
    example = [
        "某某新材料项目",
        COUNTIES[0],
        "新材料",
        "工业",
        f"{Y}/1/8",
        "12.5",
        f"{Y}/3/1",
        "",
        f"{Y + 1}/6/30",
        "",
        "已签约",
        "1.5",
    ]
    tpl = folder / "templates"
    tpl.mkdir(parents=True, exist_ok=True)
    (tpl / "register_template.csv").write_text(
        ",".join(header) + "\n" + ",".join(example) + "\n", encoding="utf-8-sig"
    )
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "项目台账"
    ws.append(header)
    ws.append(example)
    aliases = wb.create_sheet("说明 Fields")
    aliases.append(["列名", "English / aliases", "必填 required"])
    from simulation.io.register import REQUIRED

    for c, (zh, al) in COLUMNS.items():
        aliases.append([zh, ", ".join((c, *al)), "是" if c in REQUIRED else ""])
    wb.save(tpl / "register_template.xlsx")
    print(f"wrote templates in {tpl}")


if __name__ == "__main__":
    main()
