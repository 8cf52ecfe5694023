"""The HTML report: one self-contained page for readers without Excel.

``-f html`` (or ``-o report.html``) writes a single file that opens in any browser
with no network: the styles, the charts (inline SVG, drawn here) and the script
that sorts and filters the tables are all inside it, and a Content-Security-Policy
forbids loading anything else. It shows what the xlsx cover shows (what was read,
coverage, the findings by severity, village and rule family, the as-of month and
the policy) and the findings table, sortable by any column and filterable by
severity, village, rule family and free text, in the ``--lang`` language.

Tables travel as JSON inside the page and are drawn by the script a page of rows at
a time, so a report of 100,000 findings stays quick to open. Every text is escaped
(HTML) or JSON-encoded with ``<`` escaped, so no cell can inject markup or script.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Sequence
from importlib import resources
from typing import Any

import pandas as pd

from civaudit.findings import plain as json_value
from civaudit.i18n import language, t
from civaudit.report.present import (
    SEVERITY_ORDER,
    ReportContext,
    as_of_lines,
    by_family,
    counts_by,
    coverage_overview,
    evidence_text,
    family_label,
    family_of,
    ordered,
    places,
    policy_line,
    reason_text,
    rule_statuses,
    rule_titles,
    unassessed,
)
from civaudit.report.xlsx import where_text

COLOURS = {"error": "#C00000", "warning": "#ED7D31", "info": "#5B9BD5"}
FILLS = {"error": "#F8CBAD", "warning": "#FFE699", "info": "#DDEBF7"}
PAGE_ROWS = 500
"""Rows drawn at once; the pager shows the rest."""

_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
    "img-src data:; base-uri 'none'; form-action 'none'"
)


def escape(value: Any) -> str:
    """Text for HTML: &, <, >, quotes escaped."""
    return html.escape("" if value is None else str(value), quote=True)


_e = escape


def _json(value: Any) -> str:
    """JSON safe inside a <script> element: ``<``, ``>``, ``&`` and line separators
    escaped, so no text can close the element."""
    text = json.dumps(value, ensure_ascii=False, default=str)
    for a, b in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                 ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):  # fmt: skip
        text = text.replace(a, b)
    return text


def _asset(name: str) -> str:
    """The page's stylesheet or script, shipped beside this module."""
    return (resources.files("civaudit.report") / name).read_text(encoding="utf-8")


def page(title: str, body: Iterable[str]) -> bytes:
    """A complete, self-contained HTML document: styles and script inline."""
    lang = "zh-CN" if language() == "zh" else "en"
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title><style>{_asset('page.css')}</style></head><body>",
        *body,
        f"<script>{_asset('page.js')}</script></body></html>",
    ]
    return "\n".join(parts).encode("utf-8")


def data_table(
    name: str,
    columns: Sequence[dict[str, Any]],
    rows: list[list[Any]],
    *,
    filters: Sequence[int] = (),
    severity: list[str] | None = None,
) -> str:
    """A table the page's script draws, sorts and filters: ``columns`` are dicts with
    ``key``, ``label`` and optionally ``cls`` (``num``, ``id``) and ``order`` (the
    values' sort order, e.g. severities)."""
    spec = {
        "columns": list(columns),
        "rows": rows,
        "filters": list(filters),
        "page": PAGE_ROWS,
        "severity": severity,
        "labels": {
            "search": t("html.search"),
            "all": t("html.all"),
            "shown": t("html.shown", shown="{shown}", total="{total}"),
            "sort": t("html.sort_hint"),
        },
    }
    return (
        f'<script type="application/json" id="{name}-data">{_json(spec)}</script>'
        f'<div class="table" id="{name}" data-source="{name}-data"></div>'
    )


def bar_chart(title: str, table: pd.DataFrame, *, bars: int = 15) -> str:
    """A stacked horizontal bar chart (inline SVG) of a counts table (error, warning,
    info per name), its first ``bars`` rows."""
    table = table.iloc[:bars]
    if not len(table):
        return ""
    label_w, bar_w, row_h, top = 150, 360, 22, 8
    height = top + row_h * len(table) + 40
    width = label_w + bar_w + 50
    most = max(int(table["total"].max()), 1)
    scale = bar_w / most
    out = [
        f'<div class="chart"><h3>{_e(title)}</h3>',
        f'<svg width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{_e(title)}">',
    ]
    for i, (name, row) in enumerate(table.iterrows()):
        y = top + i * row_h
        out.append(
            f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end" font-size="12">'
            f"{_e(name)}</text>"
        )
        x = label_w
        for s in SEVERITY_ORDER:
            w = int(row[s]) * scale
            if w > 0:
                out.append(
                    f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{row_h - 6}" '
                    f'fill="{COLOURS[s]}"><title>{_e(name)} · {_e(t("severity." + s))}: '
                    f"{int(row[s])}</title></rect>"
                )
            x += w
        out.append(
            f'<text x="{x + 4:.1f}" y="{y + 15}" font-size="11" fill="#57606a">'
            f"{int(row['total'])}</text>"
        )
    y = top + len(table) * row_h + 14
    x = label_w
    for s in SEVERITY_ORDER:
        out.append(f'<rect x="{x}" y="{y}" width="10" height="10" fill="{COLOURS[s]}"/>')
        out.append(
            f'<text x="{x + 14}" y="{y + 10}" font-size="12">{_e(t("severity." + s))}</text>'
        )
        x += 80
    out.append("</svg></div>")
    return "".join(out)


def _counts_html(title: str, label: str, table: pd.DataFrame) -> str:
    rows = [
        f"<tr><td>{_e(name)}</td>"
        + "".join(f'<td class="num">{int(values[s])}</td>' for s in (*SEVERITY_ORDER, "total"))
        + "</tr>"
        for name, values in table.iterrows()
    ]
    header = "".join(f"<th>{_e(t('severity.' + s))}</th>" for s in SEVERITY_ORDER)
    return (
        f'<details><summary>{_e(title)}</summary><table class="counts"><thead><tr>'
        f"<th>{_e(label)}</th>{header}<th>{_e(t('report.total'))}</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></details>"
    )


def _head(manifest: dict, context: ReportContext, title: str) -> list[str]:
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
    ]
    return [f"<h1>{_e(title)}</h1>", *(f'<p class="meta">{_e(line)}</p>' for line in lines)]


def audit_html(
    findings: pd.DataFrame,
    summary: dict,
    manifest: dict,
    context: ReportContext | None = None,
) -> bytes:
    """The audit's HTML report (see the module docstring)."""
    context = context or ReportContext()
    title = t("report.title")
    body = _head(manifest, context, title)
    body.append(f'<p class="note">{_e(t("xlsx.flag_note"))}</p>')

    body.append(f"<h2>{_e(t('report.read'))}</h2>")
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
    read += [f"{t('audit.not_audited')}: {f['error']}" for f in summary.get("not_audited", [])]
    body += [f"<p>{_e(line)}</p>" for line in read]

    body.append(f"<h2>{_e(t('report.coverage'))}</h2>")
    overview = coverage_overview(context.coverage)
    if overview is None:
        body.append(f"<p>{_e(t('report.coverage.none'))}</p>")
    else:
        body.append(
            "<p>"
            + _e(
                t(
                    "report.coverage.line",
                    households=f"{overview['households']:,}",
                    assessed=f"{overview['assessed']:,}",
                    unassessed=f"{overview['unassessed']:,}",
                    share=f"{overview['share']:.1%}",
                )
            )
            + "</p>"
        )

    body.append(f'<h2>{_e(t("report.by_severity"))}</h2><div class="cards">')
    counts = summary.get("by_severity", {})
    for s in SEVERITY_ORDER:
        body.append(
            f'<div class="card {s}" id="count-{s}">{_e(t("severity." + s))}'
            f"<b>{int(counts.get(s, 0))}</b></div>"
        )
    total = sum(int(counts.get(s, 0)) for s in SEVERITY_ORDER)
    body.append(f'<div class="card total">{_e(t("report.total"))}<b>{total}</b></div></div>')

    if len(findings):
        village = counts_by(findings, places(findings))
        family = by_family(findings)
        body.append('<div class="charts">')
        body.append(bar_chart(t("report.chart.village"), village))
        body.append(bar_chart(t("report.chart.family"), family))
        body.append("</div>")
        body.append(_counts_html(t("report.by_village"), t("col.village"), village))
        body.append(_counts_html(t("report.by_family"), t("report.family"), family))

    body += audit_findings_section(findings, context)

    missing = unassessed(context.coverage)
    if len(missing):
        body.append(f"<h2>{_e(t('sheet.unassessed'))}</h2>")
        columns = [
            {"key": "village", "label": t("col.village")},
            {"key": "household", "label": t("col.household"), "cls": "id"},
            {"key": "name", "label": t("col.name")},
            {"key": "where", "label": t("col.where")},
            {"key": "reason", "label": t("col.reason")},
        ]
        rows = [
            [p, json_value(h), json_value(n), where_text(f, s, r), reason_text(why)]
            for p, h, n, f, s, r, why in zip(
                missing["place"],
                missing["household"],
                missing["name"],
                missing["file"],
                missing["sheet"],
                missing["row"],
                missing["reason"],
                strict=True,
            )
        ]
        body.append(data_table("unassessed", columns, rows, filters=[0, 4]))

    statuses = rule_statuses(context.rules)
    if len(statuses):
        body.append(f"<h2>{_e(t('sheet.rules'))}</h2>")
        columns = [
            {"key": "rule", "label": t("col.rule_id"), "cls": "id"},
            {"key": "title", "label": t("col.title")},
            {"key": "status", "label": t("col.status")},
            {"key": "sentence", "label": t("col.sentence")},
        ]
        rows = [
            [r, ti, t("status." + str(s)), se]
            for r, ti, s, se in zip(
                statuses["rule"],
                statuses["title"],
                statuses["status"],
                statuses["sentence"],
                strict=True,
            )
        ]
        body.append(data_table("rules", columns, rows, filters=[2]))
    return page(title, body)


def audit_findings_section(
    findings: pd.DataFrame, context: ReportContext | None = None
) -> list[str]:
    """The findings heading and table (or a line saying there are none)."""
    out = [f"<h2>{_e(t('audit.findings'))}</h2>"]
    if len(findings):
        out.append(_findings_table(findings, context or ReportContext()))
    else:
        out.append(f"<p>{_e(t('report.no_findings'))}</p>")
    return out


def _findings_table(findings: pd.DataFrame, context: ReportContext) -> str:
    data = ordered(findings)
    titles = rule_titles()
    heads = context.heads or {}
    severity_labels = [t("severity." + s) for s in SEVERITY_ORDER]
    columns = [
        {"key": "severity", "label": t("col.severity"), "order": severity_labels, "cls": "nw"},
        {"key": "village", "label": t("col.village"), "cls": "nw"},
        {"key": "family", "label": t("report.family"), "cls": "nw"},
        {"key": "head", "label": t("col.head"), "cls": "nw"},
        {"key": "who", "label": t("col.who")},
        {"key": "title", "label": t("col.title")},
        {"key": "rule", "label": t("col.rule_id"), "cls": "id"},
        {"key": "message", "label": t("col.description")},
        {"key": "evidence", "label": t("col.evidence_text")},
        {"key": "where", "label": t("col.where")},
    ]
    rows = [
        [
            t("severity." + sev),
            place,
            family_label(family_of(rule)),
            heads.get(household) if isinstance(household, str) else None,
            "\n".join(str(v) for v in (name, person) if isinstance(v, str) and v),
            titles.get(rule, rule),
            rule,
            message,
            evidence_text(evidence),
            where_text(file, sheet, row),
        ]
        for sev, place, rule, household, name, person, message, evidence, file, sheet, row in zip(
            data["severity"],
            data["place"],
            data["rule"],
            data["household"],
            data["name"],
            data["person"],
            data["message"],
            data["evidence"],
            data["file"],
            data["sheet"],
            data["row"],
            strict=True,
        )
    ]
    return data_table(
        "findings", columns, rows, filters=[0, 1, 2], severity=data["severity"].tolist()
    )


def frame_html(frame: pd.DataFrame, *, title: str, manifest: dict | None = None) -> bytes:
    """Any result table (assess, sample, the diff's changes) as a sortable, filterable
    page: columns with few distinct values get a filter."""
    body = [f"<h1>{_e(title)}</h1>"]
    if manifest:
        policy = manifest.get("policy") or {}
        if policy:
            body.append(f'<p class="meta">{_e(t("report.policy", name=policy.get("name")))}</p>')
        if manifest.get("as_of"):
            body += [f'<p class="meta">{_e(line)}</p>' for line in as_of_lines(None, manifest)]
    body.append(frame_table("table", frame))
    return page(title, body)


def frame_table(name: str, frame: pd.DataFrame) -> str:
    """A DataFrame as a ``data_table``; lists joined, numbers kept numbers."""
    columns, filters = [], []
    for i, col in enumerate(frame.columns):
        series = frame[col]
        numeric = pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)
        columns.append({"key": str(col), "label": str(col), "cls": "num" if numeric else ""})
        if not numeric and 1 < series.astype("string").nunique() <= 30:
            filters.append(i)
    rows = [[_cell(v) for v in row] for row in frame.itertuples(index=False, name=None)]
    return data_table(name, columns, rows, filters=filters)


def _cell(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return "; ".join(str(_cell(v)) for v in value)
    if isinstance(value, dict):
        return evidence_text(value) or json.dumps(value, ensure_ascii=False, default=str)
    value = json_value(value)
    return value if value is None or isinstance(value, int | float | str) else str(value)


__all__ = [
    "audit_findings_section",
    "audit_html",
    "bar_chart",
    "data_table",
    "escape",
    "frame_html",
    "frame_table",
    "page",
]
