"""`civaudit rules`: the rule catalogue."""

from __future__ import annotations

import json

import click
from rich.table import Table

from civaudit.cli.console import SafeConsole, write_stdout
from civaudit.i18n import language, t
from civaudit.rules import all_rules


def catalogue(lang: str) -> list[dict]:
    """The rule catalogue as plain data, in the given language."""
    return [
        {
            "id": r.id,
            "family": r.family,
            "severity": r.severity,
            "needs": list(r.needs),
            "title": r.title.get(lang) or r.title["en"],
            "description": r.description.get(lang) or r.description["en"],
            "clause": r.clause,
        }
        for r in all_rules()
    ]


def markdown_table(lang: str = "en") -> str:
    """The README's rule table (a test keeps the README equal to it)."""
    lines = ["| rule | severity | needs | what it flags |", "|---|---|---|---|"]
    for r in catalogue(lang):
        needs = ", ".join(f"`{n}`" for n in r["needs"])
        lines.append(f"| `{r['id']}` | {r['severity']} | {needs} | {r['title']} |")
    return "\n".join(lines) + "\n"


@click.command()
@click.option(
    "-f", "--format", "fmt", type=click.Choice(["table", "md", "json"]), default="table",
    help="Output format.",
)  # fmt: skip
def rules(fmt: str) -> int:
    """List the rule catalogue: id, family, default severity, the data it needs,
    what it flags, and the policy clause or standard it rests on.

    \b
    Examples:
      civaudit rules
      civaudit --lang zh rules -f md
    """
    lang = language()
    if fmt == "json":
        write_stdout((json.dumps(catalogue(lang), ensure_ascii=False, indent=1) + "\n").encode())
    elif fmt == "md":
        write_stdout(markdown_table(lang).encode("utf-8"))
    else:
        table = Table()
        for col in ("rule", "severity", "clause", "message"):
            table.add_column(t("col." + col), overflow="fold")
        for r in catalogue(lang):
            table.add_row(r["id"], t("severity." + r["severity"]), r["clause"], r["title"])
        SafeConsole().print(table)
    return 0
