"""Write the SYNTHETIC sample register and the register templates.

    .venv/bin/python scripts/make_sample_register.py

The sample is invented (seeded, reproducible) to exercise the import, the views and the
simulation from a register; it is not Jingzhou's ledger. It holds the one fact the seed
document gives about individual projects: the concentrated start of 8 February 2022 (246
projects, 1189亿). Everything else (amounts, counties, industries, dates) is drawn.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import openpyxl

from simulation.register import COLUMNS, COUNTIES, INDUSTRIES

ROOT = Path(__file__).resolve().parent.parent
SEED = 20220208
AS_OF = dt.date(2022, 5, 31)


def main() -> None:
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

    # the concentrated start of 8 February 2022: 246 projects, 1189亿 in all
    w = rng.lognormal(0, 0.9, 246)
    amounts = np.round(w / w.sum() * 1189, 2)
    amounts[-1] = round(1189 - amounts[:-1].sum(), 2)
    for a in amounts:
        add(
            day(dt.date(2020, 9, 1), dt.date(2022, 1, 20)),
            a,
            rng.random() < 0.8,
            start=dt.date(2022, 2, 8),
            planned_production=day(dt.date(2022, 10, 1), dt.date(2024, 6, 30)),
            status="已开工",
        )
    # already producing (signed 2019-2020, in production since 2021)
    for _ in range(40):
        s = day(dt.date(2019, 1, 1), dt.date(2020, 6, 30))
        st = s + dt.timedelta(days=int(rng.integers(60, 300)))
        prod = min(st + dt.timedelta(days=int(rng.integers(300, 600))), AS_OF)
        add(s, rng.lognormal(1.0, 0.8), True, start=st, production=prod, status="已投产")
    # signed in 2021 or at the 2022 开门红, not started yet (some with planned dates)
    for _ in range(90):
        s = day(dt.date(2021, 3, 1), dt.date(2022, 4, 30))
        ps = s + dt.timedelta(days=int(rng.integers(60, 400))) if rng.random() < 0.6 else None
        add(s, rng.lognormal(1.2, 0.9), rng.random() < 0.8, planned_start=ps)
    # started in 2021 or spring 2022 outside the concentrated start
    for _ in range(60):
        s = day(dt.date(2020, 6, 1), dt.date(2022, 2, 28))
        st = min(s + dt.timedelta(days=int(rng.integers(30, 400))), AS_OF)
        add(s, rng.lognormal(1.0, 0.8), rng.random() < 0.85, start=st, status="已开工")
    rows.sort(key=lambda r: r["signed"])
    out = ROOT / "params" / "registers" / "sample_register_SYNTHETIC.csv"
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
        "荆州开发区",
        "新材料",
        "工业",
        "2022/1/8",
        "12.5",
        "2022/3/1",
        "",
        "2023/6/30",
        "",
        "已签约",
        "1.5",
    ]
    tpl = ROOT / "params" / "templates"
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
    from simulation.register import REQUIRED

    for c, (zh, al) in COLUMNS.items():
        aliases.append([zh, ", ".join((c, *al)), "是" if c in REQUIRED else ""])
    wb.save(tpl / "register_template.xlsx")
    print(f"wrote templates in {tpl}")


if __name__ == "__main__":
    main()
