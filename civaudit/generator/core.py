"""generate_county: model -> planted problems -> files + answer key."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from civaudit.generator.model import Model, build_model
from civaudit.generator.problems import Override, Plant, plant_problems
from civaudit.generator.render import (
    FilePlan,
    FileStyle,
    SheetLoc,
    Values,
    plan_files,
    render_sheet,
)
from civaudit.generator.spec import LAYOUT_CODES, RosterSpec
from civaudit.generator.writers import CsvWriter, HtmlWriter, XlsxWriter, XmlWriter, cell_name

KEY_COLUMNS = ("rule", "file", "sheet", "row", "cell", "household", "person", "detail", "may_also")
ENCODINGS = {"csv-gbk": "gb18030", "csv-utf8": "utf-8-sig"}


def generate_county(spec: RosterSpec, out_dir: str | Path) -> tuple[list[Path], pd.DataFrame]:
    """Write the spec's roster files under ``out_dir``; return them and the key.

    The answer key (one row per planted problem, see `KEY_COLUMNS`) is also
    written to ``out_dir/answer_key.tsv`` (UTF-8). ``row`` is the 1-based Excel
    row, ``cell`` the A1 cell at fault (empty when the whole household is),
    ``person`` the true ID of the person concerned.
    """
    out_dir = Path(out_dir)
    model, plans, plants, overrides, earlier = _prepare(spec)
    values = Values(model)
    hh_row = np.full(model.n_households, -1, dtype=np.int64)
    mem_row = np.full(model.n_members, -1, dtype=np.int64)
    hh_sheet = np.full(model.n_households, -1, dtype=np.int64)
    mem_sheet = np.full(model.n_households, -1, dtype=np.int64)  # sheet of its members
    by_field = _by_field(overrides)
    # the months before the last of a monthly workbook: what differs then
    by_field_earlier = _by_field({**overrides, **earlier}) if earlier else by_field
    mem_slot = np.full(model.n_members, -1, dtype=np.int64)  # a wide sheet's member column

    files: list[Path] = []
    locs: list[SheetLoc] = []
    for fi, plan in enumerate(plans):
        rng = np.random.default_rng([spec.seed, 2, fi])
        style = FileStyle.draw(rng, plan.spec)
        path = out_dir / plan.path
        path.parent.mkdir(parents=True, exist_ok=True)
        writer = _writer(plan.spec.fmt, path, plan.sheets[0].title)
        for sheet in plan.sheets:
            k = len(locs)
            mine = [p for p in plants if p.target == k]
            cells = by_field if sheet.last else by_field_earlier
            loc = render_sheet(
                model, values, plan, sheet, style, writer, rng, cells, mine, hh_row, mem_row,
                mem_slot,
            )  # fmt: skip
            if plan.part != "person" and sheet.last:
                hh_sheet[sheet.households] = k
            if plan.part != "household" and sheet.last:
                mem_sheet[sheet.households] = k
            locs.append(loc)
        if plan.spec.hidden_sheet and plan.spec.fmt in ("xlsx", "xml-xls"):
            _code_sheet(writer, model)
        writer.close()
        files.append(path)

    key = _answer_key(model, plants, locs, hh_row, mem_row, hh_sheet, mem_sheet, mem_slot)
    out_dir.mkdir(parents=True, exist_ok=True)
    key.to_csv(
        out_dir / "answer_key.tsv", sep="\t", index=False, encoding="utf-8", lineterminator="\n"
    )
    return files, key


def generate_frames(spec: RosterSpec) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The roster in memory: households, members, and the key (no file cells).

    The same people and planted problems as `generate_county` with this spec
    writes, as a perfect loader would read them (canonical snake_case columns);
    for benchmarks that skip Excel. Key rows carry rule, household, person,
    field, detail and may_also.
    """
    model, _, plants, _, _ = _prepare(spec)
    key = pd.DataFrame(
        [
            {
                "rule": p.rule,
                "household": str(model.hh["cert"][p.hh]) if p.hh >= 0 else "",
                "person": p.person,
                "field": p.field,
                "detail": p.detail,
                "may_also": p.may_also,
            }
            for p in plants
        ],
        columns=["rule", "household", "person", "field", "detail", "may_also"],
    )
    return model.households, model.members, key


def _writer(fmt: str, path: Path, title: str):
    if fmt == "xlsx":
        return XlsxWriter(path, title)
    if fmt == "html-xls":
        return HtmlWriter(path, title)
    if fmt == "xml-xls":
        return XmlWriter(path, title)
    return CsvWriter(path, ENCODINGS[fmt])


def _by_field(overrides: dict[tuple[str, int], Override]) -> dict[str, dict[int, Override]]:
    by_field: dict[str, dict[int, Override]] = {}
    for (fld, entity), o in overrides.items():
        by_field.setdefault(fld, {})[entity] = o
    return by_field


def _prepare(spec: RosterSpec) -> tuple[Model, list[FilePlan], list[Plant], dict, dict]:
    model = build_model(spec)
    plans = plan_files(model)
    n = model.n_households
    layout = np.full(n, -1, dtype=np.int64)
    traits = {name: np.zeros(n, dtype=bool) for name in ("masked", "matchable", "repeat")}
    traits["monthly"] = np.zeros(n, dtype=bool)
    totals_sheets = []
    k = 0
    for plan in plans:
        fspec = plan.spec
        for sheet in plan.sheets:
            layout[sheet.households] = LAYOUT_CODES[fspec.layout]
            traits["masked"][sheet.households] = bool(fspec.masked)
            traits["matchable"][sheet.households] = fspec.masked not in ("", "ends")
            traits["repeat"][sheet.households] = fspec.repeat_household and fspec.layout == "member"
            traits["monthly"][sheet.households] = fspec.months > 1
            if (fspec.totals or fspec.subtotals) and sheet.last:
                totals_sheets.append(k)
            k += 1
    if (layout < 0).any():
        missing = sorted(set(model.hh["village"][layout < 0].tolist()))
        raise ValueError(f"villages {missing} are in no file")
    rng = np.random.default_rng([spec.seed, 1])
    plants, overrides, earlier = plant_problems(model, rng, layout, totals_sheets, traits)
    return model, plans, plants, overrides, earlier


def _answer_key(
    model: Model, plants: list[Plant], locs, hh_row, mem_row, hh_sheet, mem_sheet, mem_slot
) -> pd.DataFrame:
    rows: list[dict] = []
    where: dict[int, str] = {}
    for i, p in enumerate(plants):
        if p.hh < 0:
            continue
        if mem_sheet[p.hh] != hh_sheet[p.hh]:
            # an export pair: a finding about a person (or about a household whose
            # row is missing) is in the person file, the rest in the household file
            on_member = p.member >= 0 and p.on != "household"
            if on_member or hh_row[p.hh] < 0:
                k = int(mem_sheet[p.hh])
                r = int(mem_row[p.member if p.member >= 0 else model.hh["first"][p.hh]])
            else:
                k, r = int(hh_sheet[p.hh]), int(hh_row[p.hh])
        else:
            k = int(hh_sheet[p.hh])
            r = int(mem_row[p.member]) if p.member >= 0 else int(hh_row[p.hh])
        loc = locs[k]
        col = loc.columns.get(p.field) if p.field else None
        if p.member >= 0 and p.field in loc.slots and p.on != "household":
            col = loc.slots[p.field].get(int(mem_slot[p.member]), col)  # its numbered column
        cell = cell_name(r, col) if col is not None else ""
        rows.append(
            {
                "rule": p.rule,
                "file": loc.file,
                "sheet": loc.sheet,
                "row": r + 1,
                "cell": cell,
                "household": str(model.hh["cert"][p.hh]),
                "person": p.person,
                "detail": p.detail,
                "may_also": p.may_also,
                "_i": i,
                "_k": k,
            }
        )
        where[i] = f"{loc.file}{'!' + loc.sheet if loc.sheet else ''}!{cell or r + 1}"
    for row in rows:
        p = plants[row.pop("_i")]
        if p.partner >= 0:
            row["detail"] = f"{row['detail']} {where[p.partner]}"
    for k, loc in enumerate(locs):
        for t in loc.totals:
            rows.append(
                {
                    "rule": t["plant"].rule,
                    "file": loc.file,
                    "sheet": loc.sheet,
                    "row": t["row"] + 1,
                    "cell": cell_name(t["row"], t["col"]),
                    "household": "",
                    "person": "",
                    "detail": t["detail"],
                    "may_also": "",
                    "_k": k,
                }
            )
    key = pd.DataFrame(rows, columns=[*KEY_COLUMNS, "_k"])
    key = key.sort_values(["_k", "row", "cell", "rule"], kind="stable").drop(columns="_k")
    return key.reset_index(drop=True)


def _code_sheet(writer, model: Model) -> None:
    """A hidden sheet of drop-down lists, as templates from the county carry."""
    from civaudit.generator import data

    lists = [
        ("保障类别", list(model.hh["scheme"])),
        (
            "与户主关系",
            [
                "户主",
                "配偶",
                "子",
                "女",
                "儿媳",
                "孙子",
                "孙女",
                "父亲",
                "母亲",
                "兄弟姐妹",
                "其他",
            ],
        ),
        ("残疾类别", list(data.DISABILITY_TYPES)),
        ("劳动能力", list(data.WORK_ABILITY)),
        ("施保方式", ["整户", "单人"]),
    ]
    lists = [(h, list(dict.fromkeys(v))) for h, v in lists]
    writer.add_sheet("代码表", [12.0] * len(lists), hidden=True)
    depth = max(len(v) for _, v in lists)
    writer.row(0, [h for h, _ in lists], ["header"] * len(lists))
    for r in range(depth):
        writer.row(r + 1, [v[r] if r < len(v) else None for _, v in lists], ["cell"] * len(lists))
