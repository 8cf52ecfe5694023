"""The inspectors' Excel report: a working document to print, fill in and send back.

Sheets, in order:

- the cover (汇总): what was read, how many households could be assessed, the
  findings by severity, by village and by rule family with a chart of each, the
  as-of month and the policy, and how to use the workbook;
- the findings (问题清单, ``report.xlsx.findings_sheet``): sorted by severity,
  village and household, the verdict columns on the first printed page width;
- the households that could not be assessed (未核算户) and the rules run, skipped
  or not requested with their reasons (规则), where the engine gave them;
- a faithful copy of each roster sheet (text stays text, numbers and dates keep
  their type and number format, merged ranges and column widths as in the source)
  with the flagged rows coloured and a comment naming the rules.

Every sheet prints on A4 landscape, one page wide, with its header rows repeated,
the title and as-of date in the page header and page numbers in the footer. Text
is always written as text, so a cell starting with ``=`` never runs as a formula.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from civaudit.i18n import t
from civaudit.io.layout import BOOL, DATE, NUMBER, TEXT, SheetCapture
from civaudit.privacy import mask_accounts, mask_ids, mask_ids_in_text
from civaudit.report.output import cell_text
from civaudit.report.present import (
    SEVERITY_ORDER,
    ReportContext,
    as_of_lines,
    by_family,
    counts_by,
    coverage_overview,
    places,
    policy_line,
    reason_text,
    rule_statuses,
    unassessed,
)
from civaudit.report.split import check_fits
from civaudit.report.xlsx import (
    FILL,
    Formats,
    column_label,
    display_width,
    findings_sheet,
    set_print,
    sheet_name,
    where_text,
)

CHART_BARS = 15
"""Villages (or families) drawn in a chart: the ones with the most findings."""
TABLE_ROWS = 40
"""Villages listed on the cover; the rest are added up in one line."""
_PADDING = 0.7109375  # what Excel adds to a column width when it stores it
_SEVERITY_COLOURS = {"error": "#C00000", "warning": "#ED7D31", "info": "#5B9BD5"}


@dataclass(frozen=True)
class SheetCopy:
    """A roster sheet to copy into the report.

    ``capture`` (from the loader, ``load_roster(keep_rows=N)``) holds the first rows
    with their cell types, number formats, merged ranges and widths; without it the
    text grid ``cells`` is copied as text. ``number_columns`` are mapped to money or
    count fields: a text file's (CSV) numbers there are written as numbers.
    """

    file: str
    sheet: str
    cells: pd.DataFrame  # index = Excel row, columns = 0-based column numbers
    header_row: int = 1  # the (last) header row, where the verdict columns go
    id_columns: tuple[int, ...] = ()
    account_columns: tuple[int, ...] = ()
    capture: SheetCapture | None = None
    number_columns: tuple[int, ...] = ()
    total_rows: int | None = None  # rows in the source sheet, when more than ``cells``


def inspector_workbook(
    findings: pd.DataFrame,
    summary: dict,
    manifest: dict,
    copies: list[SheetCopy],
    *,
    row_limit: int,
    mask: bool,
    context: ReportContext | None = None,
) -> bytes:
    """The workbook as bytes (see the module docstring)."""
    import xlsxwriter

    context = context or ReportContext()
    check_fits(findings, context.coverage)  # xlsxwriter would drop the rows past the cap
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer,
        {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False},
    )
    book.set_properties(
        {"title": t("report.title"), "comments": "civaudit " + str(manifest.get("version"))}
    )
    fmt = Formats(book)
    as_of = f"{t('audit.md_as_of')}: {manifest.get('as_of')}"

    used = {t("sheet.summary").lower(), t("sheet.findings").lower(),
            t("sheet.unassessed").lower(), t("sheet.rules").lower()}  # fmt: skip
    names: list[str] = []
    links: dict[tuple[str, str], tuple[str, int]] = {}
    truncated: list[str] = []
    for number, copy in enumerate(copies, start=1):
        stem = Path(copy.file).stem
        label = stem if copy.sheet == stem else f"{stem}-{copy.sheet}"
        name = sheet_name(f"{number}-{label}", used)
        names.append(name)
        cells = _cells(copy)
        last = int(min(cells.index.max(), row_limit)) if len(cells) else 0
        links[(copy.file, copy.sheet)] = (name, last)
        total = _total_rows(copy)
        if total > row_limit:
            truncated.append(t("report.truncated", sheet=name, limit=row_limit, total=total))

    _summary_sheet(book, fmt, findings, summary, manifest, context, truncated, as_of)
    heads = dict(context.heads) if context.heads is not None else {}
    findings_sheet(book, fmt, findings, heads=heads, links=links, as_of=as_of)
    _unassessed_sheet(book, fmt, context.coverage, links, as_of)
    _rules_sheet(book, fmt, context.rules, as_of)
    flags = _row_flags(findings, {(c.file, c.sheet) for c in copies})
    for name, copy in zip(names, copies, strict=True):
        mine = flags.get((copy.file, copy.sheet), {})
        _copy_sheet(book, fmt, name, copy, mine, row_limit=row_limit, mask=mask, as_of=as_of)
    book.worksheets()[0].activate()
    book.close()
    return buffer.getvalue()


# --- the cover --------------------------------------------------------------------------


def _summary_sheet(book, fmt, findings, summary, manifest, context, truncated, as_of) -> None:
    ws = book.add_worksheet(t("sheet.summary"))
    ws.set_column(0, 0, 34)
    ws.set_column(1, 4, 9)
    ws.set_column(5, 5, 2)
    ws.set_column(6, 14, 8.5)
    note = book.add_format({"text_wrap": True, "valign": "top", "italic": True})
    row = 0
    ws.write_string(row, 0, t("report.title"), fmt.title)
    lines = [
        policy_line(manifest),
        *as_of_lines(context.as_of, manifest),
        t(
            "report.generated",
            version=manifest.get("version"),
            when=str(manifest.get("finished") or manifest.get("started") or "")[:16].replace(
                "T", " "
            ),
        ),
        t("xlsx.flag_note"),
    ]
    for line in lines:
        row += 1
        ws.write_string(row, 0, line)
    row += 1
    ws.set_row(row, 32)
    ws.merge_range(row, 0, row, 14, t("report.how_to"), note)

    row += 2
    ws.write_string(row, 0, t("report.read"), fmt.subtitle)
    inputs = manifest.get("inputs", [])
    sheets = [s for f in inputs for s in f.get("sheets", [])]
    read = [
        t(
            "report.read.files",
            files=len(inputs),
            sheets=len(sheets),
            rows=f"{sum(s.get('rows_kept', 0) for s in sheets):,}",
        )
    ]
    if context.households is not None:
        read.append(
            t(
                "report.read.people",
                households=f"{context.households:,}",
                members=f"{context.members or 0:,}",
            )
        )
    skipped = [
        f"{Path(f['path']).name}: {s['name']} ({t('reason.' + s['reason'])})"
        for f in inputs
        for s in f.get("sheets_skipped", [])
    ]
    if skipped:
        read.append(t("report.read.skipped_sheets", sheets="; ".join(skipped)))
    read += [f"{t('audit.not_audited')}: {f['error']}" for f in summary.get("not_audited", [])]
    read += truncated
    for line in read:
        row += 1
        ws.write_string(row, 0, line)

    row += 2
    ws.write_string(row, 0, t("report.coverage"), fmt.subtitle)
    overview = coverage_overview(context.coverage)
    row += 1
    if overview is None:
        ws.write_string(row, 0, t("report.coverage.none"))
    else:
        ws.write_string(
            row,
            0,
            t(
                "report.coverage.line",
                households=f"{overview['households']:,}",
                assessed=f"{overview['assessed']:,}",
                unassessed=f"{overview['unassessed']:,}",
                share=f"{overview['share']:.1%}",
            ),
        )
        if overview["reasons"]:
            row += 1
            ws.write_string(row, 0, t("report.coverage.reason"), fmt.header)
            ws.write_string(row, 1, t("report.households"), fmt.header)
            for reason, n in overview["reasons"].items():
                row += 1
                ws.write_string(row, 0, reason_text(reason), fmt.cell)
                ws.write_number(row, 1, n, fmt.number)

    row += 2
    ws.write_string(row, 0, t("report.by_severity"), fmt.subtitle)
    counts = summary.get("by_severity", {})
    row += 1
    for c, s in enumerate(SEVERITY_ORDER):
        ws.write_string(row, 1 + c, t("severity." + s), fmt.severity[s])
    ws.write_string(row, 4, t("report.total"), fmt.header)
    ws.write_string(row, 0, t("audit.count"), fmt.header)
    row += 1
    ws.write_string(row, 0, t("audit.findings"), fmt.cell)
    for c, s in enumerate(SEVERITY_ORDER):
        ws.write_number(row, 1 + c, int(counts.get(s, 0)), fmt.number)
    ws.write_number(row, 4, int(sum(counts.get(s, 0) for s in SEVERITY_ORDER)), fmt.number)
    if context.rules is not None and len(context.rules):
        status = context.rules["status"].value_counts()
        row += 1
        ws.write_string(
            row,
            0,
            t(
                "report.rules_line",
                run=int(status.get("run", 0)),
                skipped=int(status.get("skipped", 0)),
                not_requested=int(status.get("not-requested", 0)),
            ),
        )

    if len(findings):
        row += 2
        village = counts_by(findings, places(findings))
        row = _count_table(
            book, ws, fmt, row, t("report.by_village"), t("col.village"), village,
            t("report.chart.village"),
        )  # fmt: skip
        row += 2
        row = _count_table(
            book, ws, fmt, row, t("report.by_family"), t("report.family"), by_family(findings),
            t("report.chart.family"),
        )  # fmt: skip
    else:
        row += 2
        ws.write_string(row, 0, t("report.no_findings"))

    row += 2
    ws.merge_range(row, 0, row + 2, 14, t("report.copies_note"), note)
    row += 2
    set_print(ws, title=t("report.title"), as_of=as_of, repeat=None)
    ws.fit_to_pages(1, 1 if row < 75 else 0)


def _count_table(book, ws, fmt, row, title, label, table, chart_title) -> int:
    """A table of counts (name, error, warning, info, total) and, beside it, a stacked
    bar chart of its first CHART_BARS rows. Returns the last row used."""
    ws.write_string(row, 0, title, fmt.subtitle)
    row += 1
    top = row
    ws.write_string(row, 0, label, fmt.header)
    for c, s in enumerate(SEVERITY_ORDER):
        ws.write_string(row, 1 + c, t("severity." + s), fmt.severity[s])
    ws.write_string(row, 4, t("report.total"), fmt.header)
    shown = table.iloc[:TABLE_ROWS]
    rest = table.iloc[TABLE_ROWS:]
    for name, values in shown.iterrows():
        row += 1
        ws.write_string(row, 0, str(name), fmt.cell)
        for c, s in enumerate((*SEVERITY_ORDER, "total")):
            ws.write_number(row, 1 + c, int(values[s]), fmt.number)
    if len(rest):
        row += 1
        ws.write_string(row, 0, t("report.others", n=len(rest)), fmt.cell)
        for c, s in enumerate((*SEVERITY_ORDER, "total")):
            ws.write_number(row, 1 + c, int(rest[s].sum()), fmt.number)
    bars = min(len(shown), CHART_BARS)
    if bars:
        chart = book.add_chart({"type": "bar", "subtype": "stacked"})
        name = ws.get_name()
        for c, s in enumerate(SEVERITY_ORDER):
            chart.add_series(
                {
                    "name": [name, top, 1 + c],
                    "categories": [name, top + 1, 0, top + bars, 0],
                    "values": [name, top + 1, 1 + c, top + bars, 1 + c],
                    "fill": {"color": _SEVERITY_COLOURS[s]},
                    "border": {"none": True},
                    "gap": 60,
                }
            )
        chart.set_title({"name": chart_title, "name_font": {"size": 11}})
        chart.set_legend({"position": "bottom"})
        chart.set_y_axis({"reverse": True, "num_font": {"size": 9}})
        chart.set_x_axis({"major_gridlines": {"visible": True}, "num_font": {"size": 9}})
        height = max(220, 20 * bars + 110)
        chart.set_size({"width": 560, "height": height})
        ws.insert_chart(top, 6, chart, {"x_offset": 4, "y_offset": 2})
        row = max(row, top + math.ceil(height / 20))
    return row


# --- households not assessed, rules -----------------------------------------------------


def _unassessed_sheet(book, fmt, coverage, links, as_of) -> None:
    table = unassessed(coverage)
    if not len(table):
        return
    ws = book.add_worksheet(t("sheet.unassessed"))
    columns = [("village", 12), ("household", 20), ("name", 10), ("location", 26),
               ("reason", 50)]  # fmt: skip
    for c, (col, width) in enumerate(columns):
        ws.write_string(0, c, column_label(col), fmt.header)
        ws.set_column(c, c, width)
    for r, row in enumerate(table.itertuples(index=False), start=1):
        ws.write_string(r, 0, cell_text(row.place), fmt.cell)
        ws.write_string(r, 1, cell_text(row.household), fmt.cell)
        ws.write_string(r, 2, cell_text(row.name), fmt.cell)
        label = where_text(row.file, row.sheet, row.row)
        target = links.get((row.file, row.sheet))
        excel_row = int(row.row) if row.row is not None and row.row == row.row else None
        if target is not None and excel_row is not None and excel_row <= target[1] and r < 65000:
            name = target[0].replace("'", "''")
            ws.write_url(r, 3, f"internal:'{name}'!A{excel_row}", fmt.link, label)
        else:
            ws.write_string(r, 3, label, fmt.cell)
        ws.write_string(r, 4, reason_text(row.reason), fmt.cell)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, len(table), len(columns) - 1)
    set_print(ws, title=t("sheet.unassessed"), as_of=as_of)


def _rules_sheet(book, fmt, rules, as_of) -> None:
    table = rule_statuses(rules)
    if not len(table):
        return
    ws = book.add_worksheet(t("sheet.rules"))
    columns = [("rule_id", 26), ("title", 28), ("status", 9), ("sentence", 70)]
    for c, (col, width) in enumerate(columns):
        ws.write_string(0, c, t("col." + col), fmt.header)
        ws.set_column(c, c, width)
    skipped = book.add_format({"border": 1, "valign": "top", "text_wrap": True,
                               "bg_color": "#FFF2CC"})  # fmt: skip
    for r, row in enumerate(table.itertuples(index=False), start=1):
        cell = skipped if row.status == "skipped" else fmt.cell
        ws.write_string(r, 0, str(row.rule), cell)
        ws.write_string(r, 1, str(row.title), cell)
        ws.write_string(r, 2, t("status." + str(row.status)), cell)
        ws.write_string(r, 3, cell_text(row.sentence), cell)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, len(table), len(columns) - 1)
    set_print(ws, title=t("sheet.rules"), as_of=as_of)


# --- roster copies ----------------------------------------------------------------------


def _cells(copy: SheetCopy) -> pd.DataFrame:
    return copy.capture.cells if copy.capture is not None else copy.cells


def _total_rows(copy: SheetCopy) -> int:
    if copy.total_rows is not None:
        return copy.total_rows
    if copy.capture is not None and copy.capture.total_rows:
        return copy.capture.total_rows
    cells = _cells(copy)
    return int(cells.index.max()) if len(cells) else 0


def _copy_sheet(book, fmt, name, copy, flags, *, row_limit, mask, as_of) -> None:
    """One roster sheet as in its source, flagged rows filled and commented."""
    ws = book.add_worksheet(name)
    capture = copy.capture or SheetCapture(copy.cells)
    cells = capture.cells
    keep = np.asarray(cells.index <= row_limit)
    cells = cells[keep]
    kinds = capture.kinds[keep] if capture.kinds is not None else None
    formats = capture.formats[keep] if capture.formats is not None else None
    columns = list(cells.columns)
    if kinds is None:
        kinds = np.where(cells.notna().to_numpy(), TEXT, 0).astype(np.uint8)
        for col in copy.number_columns:
            if col in columns:
                j = columns.index(col)
                kinds[kinds[:, j] == TEXT, j] = NUMBER  # written as a number where it is one
    else:
        kinds = kinds.copy()
    masked = {}
    if mask:
        for col in copy.id_columns:
            if col in columns:
                masked[col] = mask_ids_in_text(mask_ids(cells[col]))  # an ID, or a list holding IDs
        for col in copy.account_columns:
            if col in columns:
                masked[col] = mask_accounts(cells[col])
        for col in masked:
            j = columns.index(col)
            kinds[kinds[:, j] != 0, j] = TEXT  # a masked number is text
    number_formats = capture.number_formats
    rows = cells.index.to_numpy()
    fills = np.array([flags.get(int(r), (None, None))[0] for r in rows], dtype=object)
    for r, fill in zip(rows, fills, strict=True):
        height = capture.heights.get(int(r) - 1)
        if fill is not None or height is not None:
            ws.set_row(int(r) - 1, height, fmt.rows[fill] if fill is not None else None)

    def cell_format(fill, code):
        if fill is None and code is None:
            return None
        if code is None:
            return fmt.rows[fill]
        props = {"num_format": code}
        if fill is not None:
            props["bg_color"] = FILL[fill]
        return fmt.cached(**props)

    merged_tops = {(m[0], m[1]): m for m in capture.merges if m[0] < row_limit}
    merge_values: dict[tuple[int, int], tuple] = {}
    fill_codes = [None if f is None else f for f in fills]
    formats_made: dict[tuple, object] = {}

    def cached_format(fill, code):
        key = (fill, code)
        if key not in formats_made:
            formats_made[key] = cell_format(fill, code)
        return formats_made[key]

    for j, col in enumerate(columns):
        series = masked[col] if col in masked else cells[col]
        kind_col = kinds[:, j]
        present = np.flatnonzero(kind_col)
        if not len(present):
            continue
        values = series.iloc[present].astype("object").tolist()
        numbers = dates = None
        if (kind_col[present] == NUMBER).any():
            numbers = pd.to_numeric(series.iloc[present], errors="coerce").to_numpy(float)
        if (kind_col[present] == DATE).any():
            parsed = pd.to_datetime(series.iloc[present], errors="coerce", format="ISO8601")
            dates = [None if pd.isna(d) else d.to_pydatetime() for d in parsed]
        format_col = formats[present, j] if formats is not None else None
        c = int(col)
        for k, i in enumerate(present.tolist()):
            text = values[k]
            if text is None or text != text:
                continue
            r = int(rows[i]) - 1
            kind = kind_col[i]
            code = None
            if format_col is not None and format_col[k] >= 0:
                code = number_formats[format_col[k]]
            fill = fill_codes[i]
            if kind == NUMBER and numbers is not None and math.isfinite(numbers[k]):
                value, write = numbers[k], "number"
            elif (
                kind == DATE and dates is not None and dates[k] is not None and dates[k] == dates[k]
            ):
                value, write = dates[k], "date"
                code = code or "yyyy-mm-dd"
            elif kind == BOOL and str(text).strip().lower() in ("true", "false", "1", "0"):
                value, write = str(text).strip().lower() in ("true", "1"), "bool"
            else:
                value, write, code = str(text), "string", None
            cf = cached_format(fill, code)
            if (r, c) in merged_tops:
                merge_values[(r, c)] = (value, cf)
            elif write == "number":
                ws.write_number(r, c, value, cf)
            elif write == "string":
                ws.write_string(r, c, value, cf)
            elif write == "date":
                ws.write_datetime(r, c, value, cf)
            else:
                ws.write_boolean(r, c, value, cf)
    for (r1, c1), (_, _, r2, c2) in merged_tops.items():
        value, cf = merge_values.get((r1, c1), ("", None))
        if cf is None:
            fill = flags.get(r1 + 1, (None, None))[0]
            cf = fmt.rows[fill] if fill is not None else fmt.cached(valign="top")
        try:
            ws.merge_range(r1, c1, min(r2, row_limit - 1), c2, value, cf)
        except Exception:  # an overlapping range in a damaged source: leave it unmerged
            continue
    width = max(columns) + 1 if columns else 0
    for c in range(width):
        source = capture.widths.get(c)
        if source is not None:  # stored widths carry Excel's padding; xlsxwriter adds it
            source = max(source - _PADDING, 0.0)
        hidden = c in capture.hidden_columns
        if source is None and c in columns:
            sample = cells[c].dropna().astype(str).head(200).tolist()
            source = min(max([display_width(v) for v in sample] + [6]) + 1, 40)
        if source is not None or hidden:
            ws.set_column(c, c, source if source is not None else 8.43, None,
                          {"hidden": True} if hidden else None)  # fmt: skip
    for excel_row, (_, comment) in flags.items():
        if excel_row <= row_limit:
            ws.write_comment(
                excel_row - 1, _free_column(excel_row - 1, capture.merges, width), comment,
                {"x_scale": 3, "y_scale": 2, "author": "civaudit"},
            )  # fmt: skip
    header = max(copy.header_row, 1)
    ws.write_string(header - 1, width, column_label("verdict"), fmt.verdict_header)
    ws.write_string(header - 1, width + 1, column_label("note"), fmt.verdict_header)
    ws.set_column(width, width, 10)
    ws.set_column(width + 1, width + 1, 16)
    ws.freeze_panes(header, 0)
    ws.hide_gridlines(0)
    set_print(ws, title=f"{Path(copy.file).name} {copy.sheet}", as_of=as_of, repeat=header - 1)


def _free_column(row: int, merges, width: int) -> int:
    """The first column of ``row`` a comment can sit on: not inside a merged range
    (only a range's top-left cell keeps a comment)."""
    covered = {
        c
        for r1, c1, r2, c2 in merges
        if r1 <= row <= r2
        for c in range(c1, c2 + 1)
        if (row, c) != (r1, c1)
    }
    return next((c for c in range(max(width, 1) + 1) if c not in covered), 0)


def _row_flags(
    findings: pd.DataFrame, wanted: set[tuple[str, str]] | None = None
) -> dict[tuple[str, str], dict[int, tuple[str, str]]]:
    """(file, sheet) -> Excel row -> (worst severity, comment text naming the rules),
    for the sheets in ``wanted`` (all when None)."""
    if findings.empty or wanted == set():
        return {}
    rows = findings[findings["row"].notna()]
    if wanted is not None:
        keys = pd.MultiIndex.from_arrays([rows["file"], rows["sheet"]])
        rows = rows[keys.isin(list(wanted))]
    rank = rows["severity"].map({"error": 0, "warning": 1, "info": 2}).fillna(3)
    rows = rows.assign(_rank=rank, _row=rows["row"].astype("int64"))
    rows = rows.sort_values(["file", "sheet", "_row", "_rank"], kind="stable")
    labels = {s: t("severity." + s) for s in ("error", "warning", "info")}
    flags: dict[tuple[str, str], dict[int, tuple[str, str]]] = {}
    current: tuple | None = None
    lines: list[str] = []
    for file, sheet, row, severity, rule, message in zip(
        rows["file"], rows["sheet"], rows["_row"], rows["severity"], rows["rule"],
        rows["message"], strict=True,
    ):  # fmt: skip
        key = (file, sheet, int(row))
        if key != current:
            lines = []
            flags.setdefault((file, sheet), {})[key[2]] = (severity, "")
            current = key
        if len(lines) < 10:
            lines.append(f"[{labels.get(severity, severity)}] {rule}: {message}")
            worst = flags[(file, sheet)][key[2]][0]
            flags[(file, sheet)][key[2]] = (worst, "\n".join(lines))
    return flags


__all__ = ["SheetCopy", "inspector_workbook"]
