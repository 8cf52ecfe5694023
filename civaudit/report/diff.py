"""The diff report out: JSON, JSON lines, CSV, Markdown, Excel and the terminal.

``render_diff(result, fmt, manifest=...)`` turns a ``civaudit.diff.DiffResult`` into
bytes: ``json`` (manifest, summary, changes, findings), ``jsonl`` and ``csv`` (the
findings, as ``audit`` writes them), ``md`` (counts per village and the findings, fit
for a CI job summary) and ``xlsx`` (a counts sheet with the run, the changes, and
the findings sheet every civaudit workbook carries). ``print_diff`` is the terminal
table. Each is a pure function of the result and the manifest, so each can be
tested as bytes or a string.
"""

from __future__ import annotations

import io
from typing import Any

import pandas as pd
from rich.console import Console
from rich.table import Table

from civaudit.diff import COMPARED, PLACE, STATUSES, DiffResult
from civaudit.errors import UsageError
from civaudit.i18n import t
from civaudit.report.findings import SEVERITIES, print_table, render_findings, summarize
from civaudit.report.output import defuse, json_document, json_value
from civaudit.report.present import policy_line
from civaudit.report.xlsx import Formats, findings_sheet, write_cell

DIFF_FORMATS = ("json", "jsonl", "csv", "parquet", "md", "xlsx", "html")
"""The file formats of ``civaudit diff`` (``table`` is ``print_diff``)."""


def output_changes(changes: pd.DataFrame) -> pd.DataFrame:
    """The changes table as reports show it: no internal indexes."""
    return changes.drop(columns=["old_index", "new_index"], errors="ignore")


def report_summary(result: DiffResult) -> dict[str, Any]:
    """The JSON summary: households per status and village, then the finding counts."""
    findings = summarize(result.findings)
    return {
        **result.summary(),
        "findings": findings["findings"],
        "by_severity": findings["by_severity"],
        "by_rule": findings["by_rule"],
        "findings_by_village": findings["by_village"],
    }


def render_diff(result: DiffResult, fmt: str, *, manifest: dict) -> bytes:
    """The diff report in ``fmt`` (one of DIFF_FORMATS) as bytes."""
    summary = report_summary(result)
    if fmt == "json":
        return json_document(
            {
                "civaudit": manifest,
                "summary": summary,
                "changes": output_changes(result.changes),
                "findings": result.findings,
            }
        )
    if fmt in ("jsonl", "csv", "parquet"):
        return render_findings(result.findings, fmt, manifest=manifest, summary=summary)
    if fmt == "md":
        return diff_markdown(result, manifest).encode("utf-8")
    if fmt == "xlsx":
        return diff_workbook(result, manifest)
    if fmt == "html":
        return diff_html(result, manifest)
    raise UsageError(f"unknown format {fmt!r}", f"use one of {', '.join(DIFF_FORMATS)}")


def place_labels(counts: pd.DataFrame) -> pd.Series:
    """``county/town/village`` with the unknown parts left out, else the file and sheet."""
    if not len(counts):
        return pd.Series([], dtype="object")
    parts = counts[list(PLACE)].astype("string").fillna("")
    joined = (parts["county"] + "/" + parts["town"] + "/" + parts["village"]).str.strip("/")
    joined = joined.str.replace(r"/{2,}", "/", regex=True)
    return joined.where(joined != "", counts["where"].astype("string")).astype("object")


def counts_table(result: DiffResult) -> tuple[list[str], list[list[Any]]]:
    """Headers and rows of the counts per village, in the current language."""
    headers = [
        t("diff.place"),
        t("diff.col.old"),
        t("diff.col.new"),
        *(t("diff.status." + s) for s in STATUSES),
    ]
    counts = result.counts
    labels = place_labels(counts)
    numbers = counts[["old", "new", *STATUSES]].astype("int64")
    rows = [
        [label, *values]
        for label, values in zip(labels.tolist(), numbers.values.tolist(), strict=True)
    ]
    return headers, rows


def print_diff(result: DiffResult, console: Console) -> None:
    """The terminal report: the counts per village, then the findings."""
    headers, rows = counts_table(result)
    table = Table(title=t("diff.counts"), title_justify="left")
    for header in headers:
        table.add_column(header)
    for row in rows:
        table.add_row(*(str(v) for v in row))
    console.print(table)
    print_table(result.findings, summarize(result.findings), console)


def diff_markdown(result: DiffResult, manifest: dict, limit: int = 500) -> str:
    """Counts per village and the findings as Markdown, fit for a CI job summary."""
    from tabulate import tabulate

    summary = report_summary(result)
    lines = [f"## civaudit: {t('diff.md_title')}", ""]
    lines.append(
        policy_line(manifest)
        + " · "
        + t("diff.md_as_of", old=manifest["old_as_of"], new=manifest["as_of"])
    )
    lines += ["", t("diff.summary", **{k: summary[k] for k in ("old", "new", *STATUSES)}), ""]
    headers, rows = counts_table(result)
    if rows:
        lines += [tabulate(rows, headers=headers, tablefmt="github"), ""]
    counts = summary["by_severity"]
    lines += [" · ".join(f"{t('severity.' + s)}: {counts[s]}" for s in SEVERITIES), ""]
    if summary["by_rule"]:
        rule_rows = [
            [r["rule"], t("severity." + r["severity"]), r["count"]] for r in summary["by_rule"]
        ]
        rule_headers = [t("col.rule"), t("col.severity"), t("audit.count")]
        lines += [tabulate(rule_rows, headers=rule_headers, tablefmt="github"), ""]
    shown = defuse(result.findings.head(limit))
    if len(shown):
        table = shown[["severity", "rule", "file", "sheet", "row", "cell", "message"]].copy()
        table["severity"] = table["severity"].map(lambda s: t("severity." + s))
        table["message"] = table["message"].str.replace("|", "\\|", regex=False)
        finding_headers = [t("col." + c) for c in table.columns]
        lines.append(tabulate(table.values.tolist(), headers=finding_headers, tablefmt="github"))
    if len(result.findings) > limit:
        lines += ["", t("audit.more", shown=limit, total=len(result.findings))]
    return "\n".join(lines) + "\n"


def change_labels() -> dict[str, str]:
    """Column headers of the changes sheet, in the current language."""
    labels = {
        "status": t("diff.col.status"),
        "matched_on": t("diff.col.matched_on"),
        "key": t("diff.col.key"),
        "county": t("col.county"),
        "town": t("col.town"),
        "village": t("col.village"),
        "head_name": t("diff.field.head_name"),
        "changed": t("diff.col.changed"),
        "members_added": t("diff.col.members_added"),
        "members_removed": t("diff.col.members_removed"),
    }
    for side in ("old", "new"):
        prefix = t(f"diff.col.{side}")
        for col in ("file", "sheet", "row"):
            labels[f"{side}_{col}"] = f"{prefix} {t('col.' + col)}"
        for name in COMPARED:
            labels[f"{side}_{name}"] = f"{prefix} {t('diff.field.' + name)}"
    return labels


def diff_workbook(result: DiffResult, manifest: dict) -> bytes:
    """The xlsx report: a counts sheet (with the run), the changes, the findings.

    Text is written as text (never a formula); IDs are as masked as the result.
    """
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    book.set_properties({"title": "civaudit diff", "comments": "civaudit " + manifest["version"]})
    fmt = Formats(book)

    ws = book.add_worksheet(t("diff.sheet.counts"))
    ws.set_column(0, 0, 36)
    ws.set_column(1, 7, 11)
    ws.write_string(0, 0, t("diff.md_title"), fmt.title)
    summary = report_summary(result)
    info = [
        policy_line(manifest),
        t(
            "diff.as_of_old",
            date=manifest["old_as_of"],
            source=t("as_of." + manifest["old_as_of_source"]),
        ),
        t("diff.as_of_new", date=manifest["as_of"], source=t("as_of." + manifest["as_of_source"])),
        t("diff.summary", **{k: summary[k] for k in ("old", "new", *STATUSES)}),
        f"civaudit {manifest['version']}",
        t("xlsx.flag_note"),
    ]
    for r, line in enumerate(info, start=1):
        ws.write_string(r, 0, line)
    top = len(info) + 2
    headers, rows = counts_table(result)
    for c, header in enumerate(headers):
        ws.write_string(top, c, header, fmt.header)
    for r, row in enumerate(rows, start=top + 1):
        for c, value in enumerate(row):
            write_cell(ws, r, c, json_value(value))
    ws.freeze_panes(top + 1, 0)

    ws = book.add_worksheet(t("diff.sheet.changes"))
    changes = output_changes(result.changes)
    labels = change_labels()
    shown = {
        "status": changes["status"].map(lambda s: t("diff.status." + s)),
        "changed": changes["changed"].map(lambda names: [t("diff.field." + n) for n in names]),
    }
    for c, col in enumerate(changes.columns):
        ws.write_string(0, c, labels.get(col, col), fmt.header)
        values = shown.get(col, changes[col])
        for r, value in enumerate(values.tolist(), start=1):
            if isinstance(value, list):
                value = "; ".join(str(v) for v in value)
            write_cell(ws, r, c, json_value(value))
        ws.set_column(c, c, 30 if col.endswith("_file") else 14)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(len(changes), 1), max(len(changes.columns) - 1, 0))

    findings_sheet(book, fmt, result.findings)
    book.worksheets()[0].activate()
    book.close()
    return buffer.getvalue()


def diff_html(result: DiffResult, manifest: dict) -> bytes:
    """The HTML page: the run, the counts per village, the changes and the findings."""
    from civaudit.report.html import audit_findings_section, data_table, escape, frame_table, page

    _e = escape

    summary = report_summary(result)
    body = [
        f"<h1>{_e(t('diff.md_title'))}</h1>",
        f'<p class="meta">{_e(policy_line(manifest))}</p>',
        '<p class="meta">'
        + _e(t("diff.md_as_of", old=manifest["old_as_of"], new=manifest["as_of"]))
        + "</p>",
        f"<p>{_e(t('diff.summary', **{k: summary[k] for k in ('old', 'new', *STATUSES)}))}</p>",
        f"<h2>{_e(t('diff.counts'))}</h2>",
    ]
    headers, rows = counts_table(result)
    columns = [
        {"key": f"c{i}", "label": h, "cls": "num" if i else ""} for i, h in enumerate(headers)
    ]
    body.append(data_table("counts", columns, [[json_value(v) for v in r] for r in rows]))
    changes = output_changes(result.changes)
    shown = changes.assign(
        status=changes["status"].map(lambda s: t("diff.status." + s)),
        changed=changes["changed"].map(lambda names: [t("diff.field." + n) for n in names]),
    ).rename(columns=change_labels())
    body += [f"<h2>{_e(t('diff.sheet.changes'))}</h2>", frame_table("changes", shown)]
    body += audit_findings_section(result.findings)
    return page(t("diff.md_title"), body)


__all__ = [
    "DIFF_FORMATS",
    "change_labels",
    "counts_table",
    "diff_html",
    "diff_markdown",
    "diff_workbook",
    "output_changes",
    "place_labels",
    "print_diff",
    "render_diff",
    "report_summary",
]
