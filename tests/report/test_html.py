"""The HTML report: one self-contained page, opened in a real headless Chromium (Debian's
chromium and chromium-driver; .ci/run installs them), screenshot and filters checked.

Nothing here downloads a browser or a driver: Selenium is given the driver's path, so
its manager never runs. Skipped only where chromium or chromedriver is not installed.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from civaudit.cli import cli
from civaudit.findings import empty_findings
from civaudit.report.findings import summarize
from civaudit.report.html import audit_html

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")


def _report(tmp_path: Path, lang: str) -> Path:
    out = tmp_path / f"report-{lang}.html"
    CliRunner().invoke(
        cli, ["--lang", lang, "audit", str(SAMPLE), "-q", "-o", str(out)], catch_exceptions=False
    )
    return out


def test_the_page_is_self_contained_and_escapes_every_text(tmp_path):
    finding = {c: None for c in empty_findings().columns}
    finding.update(rule="id.checksum", severity="error", file="a.xlsx", sheet="s", row=3,
                   message="</script><script>alert(1)</script>", name="<b>张三</b>",
                   evidence={"raw": "<img src=x onerror=alert(1)>"})  # fmt: skip
    findings = pd.DataFrame([finding])
    manifest = {"version": "t", "policy": {"name": "<i>p</i>", "example": False},
                "as_of": "2019-10-01", "as_of_source": "--as-of", "inputs": []}  # fmt: skip
    text = audit_html(findings, summarize(findings), manifest).decode("utf-8")
    assert "</script><script>alert" not in text and "<img src=x" not in text
    assert "<b>张三</b>" not in text and "<i>p</i>" not in text
    assert "Content-Security-Policy" in text and "default-src 'none'" in text
    assert not re.search(r"(src|href)\s*=\s*[\"']?(https?:)?//", text)
    assert "http://" not in text and "https://" not in text


def test_audit_writes_html_in_each_language(tmp_path):
    zh = _report(tmp_path, "zh").read_text(encoding="utf-8")
    en = _report(tmp_path, "en").read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in zh and "低保花名册核查报告" in zh and "按村统计" in zh
    assert '<html lang="en">' in en and "Dibao roster audit report" in en
    assert zh.count("<svg") == 2 and "朱家营子村" in zh  # village and family charts


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if CHROMIUM is None or DRIVER is None:
        pytest.skip("needs chromium and chromedriver (Debian: chromium chromium-driver)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tmp_path_factory.mktemp("chromium-profile")
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                 f"--user-data-dir={profile}", "--window-size=1400,1000"):  # fmt: skip
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(executable_path=DRIVER))
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def _rows(driver) -> list[str]:
    return [tr.text for tr in driver.find_elements("css selector", "#findings table.data tbody tr")]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_chromium_draws_the_report_and_its_filters_work(browser, tmp_path, lang):
    from selenium.webdriver.support.ui import Select

    page = _report(tmp_path, lang)
    browser.get(page.as_uri())
    assert len(_rows(browser)) == 32
    loaded = browser.execute_script("return performance.getEntriesByType('resource').length")
    assert loaded == 0  # nothing fetched: no CDN, no font, no image
    shot = tmp_path / f"report-{lang}.png"
    assert browser.save_screenshot(str(shot))
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 30_000

    warning = "警告" if lang == "zh" else "warning"
    Select(
        browser.find_element("css selector", "#findings select.filter-severity")
    ).select_by_value(warning)
    rows = _rows(browser)
    assert len(rows) == 11 and all(r.startswith(warning) for r in rows)
    assert browser.find_element("id", "findings").get_attribute("data-shown") == "11"

    Select(
        browser.find_element("css selector", "#findings select.filter-severity")
    ).select_by_value("")
    search = browser.find_element("css selector", "#findings input.search")
    search.send_keys("朱家营子村")
    rows = _rows(browser)
    assert 0 < len(rows) < 33 and all("朱家营子村" in r for r in rows)
    search.clear()
    search.send_keys("id.checksum")
    assert len(_rows(browser)) == 1

    search.clear()
    search.send_keys(" ")  # an input event with nothing to search: all rows again
    headers = browser.find_elements("css selector", "#findings thead th")
    rule = 6  # the rule id column
    headers[rule].click()
    ids = [
        td.text
        for td in browser.find_elements(
            "css selector", f"#findings tbody tr td:nth-child({rule + 1})"
        )
    ]
    assert len(ids) == 32 and ids == sorted(ids)
