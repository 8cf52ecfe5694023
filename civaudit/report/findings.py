"""Findings out: JSON, JSON lines, CSV, Parquet, Markdown, the terminal table.

Each format is a pure function from the findings frame (contract columns: rule,
severity, message, clause, file, sheet, row, cell, county, town, village,
household, person, name, evidence) to bytes or console output, so each can be
tested as a string. The inspectors' Excel workbook is in ``report.workbook``.
"""

from __future__ import annotations

import pandas as pd
from rich.console import Console
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from civaudit.i18n import t
from civaudit.report.output import cell_text, defuse, json_document
from civaudit.report.present import policy_line
from civaudit.report.stream import STREAM_FORMATS, table_bytes

SEVERITIES = ("error", "warning", "info")


def summarize(findings: pd.DataFrame) -> dict:
    """Counts by severity, by rule and by village (JSON-ready)."""
    by_severity = findings["severity"].value_counts()
    by_rule = findings.groupby(["rule", "severity"], sort=True).size()
    place = findings["village"].fillna(findings["sheet"]).fillna("")
    by_village = place.value_counts().sort_index()
    return {
        "findings": len(findings),
        "by_severity": {s: int(by_severity.get(s, 0)) for s in SEVERITIES},
        "by_rule": [
            {"rule": rule, "severity": severity, "count": int(n)}
            for (rule, severity), n in by_rule.items()
        ],
        "by_village": {str(k): int(v) for k, v in by_village.items()},
    }


def render_findings(
    findings: pd.DataFrame, fmt: str, *, manifest: dict, summary: dict, extra: dict | None = None
) -> bytes:
    """``extra`` (JSON and Markdown) holds what the run checked and what it did not:
    ``coverage`` (``Report.coverage_summary()``), ``rules`` (each rule's status and
    sentences), ``as_of`` (each file's month) and ``warnings``."""
    extra = extra or {}
    if fmt == "json":
        return json_document(
            {"civaudit": manifest, "summary": summary, **extra, "findings": findings}
        )
    if fmt in STREAM_FORMATS:  # jsonl, csv, parquet: the streamed writer, one partition
        return table_bytes(findings, fmt)
    if fmt == "md":
        return markdown(findings, summary, manifest, extra=extra).encode("utf-8")
    if fmt == "html":
        from civaudit.report.html import audit_html

        return audit_html(findings, summary, manifest)
    raise ValueError(fmt)


def markdown(
    findings: pd.DataFrame,
    summary: dict,
    manifest: dict,
    limit: int = 500,
    *,
    extra: dict | None = None,
) -> str:
    """A report fit for a CI job summary: what was checked and what was not (coverage,
    rules not run, the roster month), counts by rule, then the findings."""
    from tabulate import tabulate

    extra = extra or {}
    lines = [f"## civaudit: {t('audit.md_title')}", ""]
    lines.append(f"{policy_line(manifest)} · {t('audit.md_as_of')}: {manifest['as_of'] or '—'}")
    lines.append("")
    lines += checked_markdown(extra)
    counts = summary["by_severity"]
    lines.append(" · ".join(f"{t('severity.' + s)}: {counts[s]}" for s in SEVERITIES))
    lines.append("")
    for failed in summary.get("not_audited", []):
        lines += [f"**{t('audit.not_audited')}**: {failed['error']}", ""]
    if summary["by_rule"]:
        rows = [[r["rule"], t("severity." + r["severity"]), r["count"]] for r in summary["by_rule"]]
        headers = [t("col.rule"), t("col.severity"), t("audit.count")]
        lines += [tabulate(rows, headers=headers, tablefmt="github"), ""]
    shown = defuse(findings.head(limit))
    if len(shown):
        table = shown[["severity", "rule", "file", "sheet", "row", "cell", "message"]].copy()
        table["severity"] = table["severity"].map(lambda s: t("severity." + s))
        table["message"] = table["message"].str.replace("|", "\\|", regex=False)
        headers = [t("col." + c) for c in table.columns]
        lines.append(tabulate(table.values.tolist(), headers=headers, tablefmt="github"))
    if len(findings) > limit:
        lines += ["", t("audit.more", shown=limit, total=len(findings))]
    return "\n".join(lines) + "\n"


def checked_markdown(extra: dict) -> list[str]:
    """Markdown lines for coverage (per reason, the files not fully assessed), the
    rules not run with their sentences, each file's month and the warnings."""
    from tabulate import tabulate

    from civaudit import coverage as cov
    from civaudit.i18n import language

    lang = language()
    lines: list[str] = []
    coverage = extra.get("coverage")
    if coverage is not None:
        lines += [f"### {t('coverage.md_title')}", ""]
        lines += [f"- {line}" for line in cov.coverage_lines(coverage, lang)]
        lines.append("")
        rows = [
            [f"{f['file']} · {s['sheet']}", s["households"], s["assessed"],
             cov.percent_text(s["percent"]),
             ", ".join(f"{t('coverage.reason.' + r)}: {n}" for r, n in s["by_reason"].items())]
            for f in coverage["files"]
            for s in f["sheets"]
            if s["not_assessed"]
        ]  # fmt: skip
        if rows:
            headers = [
                t("coverage.md_file"),
                t("coverage.md_households"),
                t("coverage.md_assessed"),
                "%",
                t("coverage.md_reason"),
            ]
            lines += [tabulate(rows, headers=headers, tablefmt="github"), ""]
    rules = extra.get("rules")
    if rules:
        frame = pd.DataFrame(rules)
        lines += [f"### {t('audit.md_rules')}", ""]
        lines += [f"- {line.strip()}" for line in cov.rule_lines(frame, lang)]
        lines.append("")
    as_of = extra.get("as_of")
    if as_of:
        rows = [[r["file"], r["as_of"] or "—", t("as_of." + r["source"])] for r in as_of]
        headers = [t("col.file"), t("as_of.md"), t("audit.md_source")]
        lines += [tabulate(rows, headers=headers, tablefmt="github"), ""]
    for warning in extra.get("warnings") or ():
        lines += [f"> {warning[lang]}", ""]
    return lines


def print_table(findings: pd.DataFrame, summary: dict, console: Console, limit: int = 200) -> None:
    """The terminal report: counts by rule and by village, then the findings."""
    by_rule = Table(title=t("audit.by_rule"), title_justify="left")
    for label in (t("col.rule"), t("col.severity"), t("audit.count")):
        by_rule.add_column(label)
    for r in summary["by_rule"]:
        by_rule.add_row(r["rule"], _severity(r["severity"]), str(r["count"]))
    console.print(by_rule)
    if summary["by_village"]:
        by_village = Table(title=t("audit.by_village"), title_justify="left")
        by_village.add_column(t("col.village"))
        by_village.add_column(t("audit.count"))
        for village, n in summary["by_village"].items():
            by_village.add_row(village, str(n))
        console.print(by_village)
    shown = findings.head(limit)
    if console.width >= WIDE:
        listing = Table(title=t("audit.findings"), title_justify="left", show_lines=False)
        listing.add_column(t("col.severity"), no_wrap=True)
        listing.add_column(t("col.rule"), no_wrap=True)
        listing.add_column(t("col.where"), overflow="fold")
        listing.add_column(t("col.household"), no_wrap=True)
        listing.add_column(t("col.message"), overflow="fold", ratio=1)
        for f in shown.itertuples(index=False):
            listing.add_row(
                _severity(f.severity), f.rule, _where(f), cell_text(f.household), str(f.message)
            )
        console.print(listing)
    else:
        # A narrow terminal: one finding per block, so IDs and rule ids stay whole.
        console.print(Text(t("audit.findings"), style="italic"))
        for f in shown.itertuples(index=False):
            head = Text.assemble(
                (f"{t('severity.' + f.severity)} ", _COLOURS[f.severity]), (f.rule, "bold")
            )
            console.print(head, no_wrap=True, overflow="ellipsis", crop=True)
            where = _where(f)
            if f.household:
                where += f" · {t('col.household')} {f.household}"
            console.print(Padding(Text(where, overflow="fold"), (0, 0, 0, 2)))
            console.print(Padding(Text(str(f.message), overflow="fold"), (0, 0, 0, 2)))
    if len(findings) > limit:
        console.print(t("audit.more", shown=limit, total=len(findings)))


WIDE = 120
"""Terminal columns from which the findings are a table; narrower, one block each."""
_COLOURS = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def _where(f) -> str:
    return f"{f.file} · {f.sheet} · {f.cell or f.row}"


def _severity(severity: str) -> str:
    colour = {"error": "red", "warning": "yellow", "info": "cyan"}[severity]
    return f"[{colour}]{t('severity.' + severity)}[/]"
