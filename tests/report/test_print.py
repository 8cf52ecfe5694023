"""The sample's report on paper: LibreOffice prints it to PDF, pdftotext reads it back.

The summary and the findings take at most 6 A4 pages, the whole workbook with the
roster copies at most 40, and the verdict columns are on the first page of the
findings. Skipped only where LibreOffice or poppler is not installed (CI installs
them: .ci/run).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from civaudit.cli import cli
from civaudit.i18n.catalog import MESSAGES

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")

pytestmark = pytest.mark.skipif(
    SOFFICE is None or PDFTOTEXT is None,
    reason="needs LibreOffice (soffice) and poppler-utils (pdftotext); .ci/run installs them",
)


def to_pdf(xlsx: Path, work: Path) -> Path:
    """The workbook printed by LibreOffice, with a profile of its own (never the user's,
    and never shared with another run)."""
    profile = (work / "lo-profile").as_uri()
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(work), str(xlsx)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    pdf = work / (xlsx.stem + ".pdf")
    assert pdf.exists()
    return pdf


def pages(pdf: Path) -> list[str]:
    text = subprocess.run(
        [PDFTOTEXT, "-layout", str(pdf), "-"], check=True, capture_output=True, timeout=120
    ).stdout.decode("utf-8")
    return text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_sample_report_prints_on_few_pages_with_the_verdicts_on_the_first(tmp_path, lang):
    xlsx = tmp_path / "report.xlsx"
    result = CliRunner().invoke(
        cli, ["--lang", lang, "audit", str(SAMPLE), "-q", "-o", str(xlsx)], catch_exceptions=False
    )
    assert xlsx.exists(), result.stderr
    printed = pages(to_pdf(xlsx, tmp_path))
    title = MESSAGES["report.title"][lang]
    report_pages = [p for p in printed if p.lstrip().startswith(title)]
    assert 2 <= len(report_pages) <= 6, len(report_pages)  # cover + findings
    assert len(printed) <= 40, len(printed)
    assert printed[: len(report_pages)] == report_pages  # they come first
    first_findings = report_pages[1]
    verdicts = ("col.verdict", "col.inspector", "col.checked_on", "col.note")
    for key in verdicts:
        assert MESSAGES[key][lang].split(" ")[0] in first_findings, key
    assert MESSAGES["col.description"][lang] in first_findings
