"""Chinese everywhere: every user-facing text has zh and en, and what the commands print
under ``--lang zh`` holds no English sentence of the catalogue.

The catalogue is the message dictionary (``i18n.catalog.MESSAGES``), the help of every
command and option (``i18n.cli.HELP``), click's own texts (``i18n.cli.CLICK``) and the
error templates (``i18n.errors.ERRORS``), against which every ``raise ...Error(...)`` in
the package is checked.
"""

from __future__ import annotations

import ast
import inspect
import os
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from civaudit.cli import cli
from civaudit.cli.localize import commands
from civaudit.i18n import set_language
from civaudit.i18n.catalog import MESSAGES
from civaudit.i18n.cli import CLICK, HELP
from civaudit.i18n.errors import ERRORS, translate

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "civaudit"
SAMPLE = ROOT / "sample_data"
_ERRORS = {"CivauditError", "LoadError", "MappingError", "PolicyError", "UsageError"}
_WORDS = re.compile(r"[A-Za-z][a-z]+(?:[ ,'-]+[A-Za-z][a-z]*){2,}")


def _help_texts() -> list[str]:
    texts = []
    for command in commands(cli):
        texts.append(command.help)
        for param in command.params:
            texts.append(getattr(param, "help", None))
            if isinstance(getattr(param, "show_default", None), str):
                texts.append(param.show_default)
    return [inspect.cleandoc(t) for t in texts if t]


def test_every_command_and_option_help_has_chinese():
    missing = [text for text in _help_texts() if text not in HELP]
    assert missing == []


def _template(node) -> str | None:
    """An f-string or a string literal as a sample text, its expressions as X1, X2..."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        out, n = "", 0
        for value in node.values:
            if isinstance(value, ast.Constant):
                out += value.value
            else:
                n += 1
                out += f"X{n}"
        return out
    return None


def _raised_texts() -> list[tuple[str, str]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "generator" in path.parts:  # the developers' data generator
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in _ERRORS:
                for arg in node.args[:2]:
                    text = _template(arg)
                    if text and re.search("[A-Za-z]{3}", text):
                        found.append((f"{path.relative_to(ROOT)}:{node.lineno}", text))
    return found


def test_every_error_message_and_hint_has_chinese():
    texts = _raised_texts()
    assert len(texts) > 80
    untranslated = [(where, text) for where, text in texts if translate(text) == text]
    assert untranslated == []


def test_every_catalogue_entry_has_both_languages():
    for key, entry in MESSAGES.items():
        assert (entry.get("zh") and entry.get("en")) or entry.get("zh") == entry.get("en"), key
    assert all(zh for zh in HELP.values()) and all(zh for zh in CLICK.values())
    assert all(en and zh for en, zh in ERRORS)


def _english_sentences() -> set[str]:
    pairs = [(e.get("en", ""), e.get("zh", "")) for e in MESSAGES.values()]
    pairs += list(HELP.items()) + list(CLICK.items()) + list(ERRORS)
    sentences = set()
    for en, zh in pairs:
        for literal in re.split(r"\{[^{}]*\}", en):
            for match in _WORDS.finditer(literal):
                fragment = match.group(0).strip(" ,'-")
                if len(fragment) >= 12 and fragment not in zh:
                    sentences.add(fragment)
    return sentences


ENGLISH = _english_sentences()


def _zh(args: list[str]) -> str:
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    return result.output + (result.stderr if result.stderr_bytes is not None else "")


def _assert_chinese(text: str, what: str) -> None:
    found = sorted(s for s in ENGLISH if s in text)
    assert found == [], f"{what}: {found}"
    assert re.search("[\u4e00-\u9fff]", text), what


@pytest.fixture
def policy_files(tmp_path):
    good = tmp_path / "县政策.toml"
    good.write_text('[[standard]]\nregion = "13"\nyearly = 4800\n', encoding="utf-8")
    bad = tmp_path / "坏政策.toml"
    bad.write_text('[[standard]]\nregion = "13"\nyearly = "x"\n[foo]\n', encoding="utf-8")
    return good, bad


@pytest.mark.parametrize(
    "args",
    [
        ["--lang", "zh", "audit", str(SAMPLE), "-f", "table"],
        ["audit", "--lang", "zh", str(SAMPLE), "-f", "md"],
        ["--lang", "zh", "assess", str(SAMPLE), "-f", "table"],
        ["--lang", "zh", "inspect", str(SAMPLE)],
        ["--lang", "zh", "sample", str(SAMPLE), "--villages", "2", "--seed", "1", "-f", "table"],
        ["--lang", "zh", "sample", str(SAMPLE), "--villages", "2", "--seed", "1", "-f", "md"],
        ["--lang", "zh", "diff", str(SAMPLE), str(SAMPLE), "-f", "table"],
        ["--lang", "zh", "rules"],
    ],
    ids=lambda a: " ".join(x for x in a if not x.startswith("/"))[:40],
)
def test_commands_speak_chinese(args):
    try:
        _assert_chinese(_zh(args), " ".join(args))
    finally:
        set_language("en")


@pytest.mark.parametrize("command", ["", "audit", "assess", "inspect", "policy", "policy check",
                                     "diff", "sample", "rules"])  # fmt: skip
def test_help_is_chinese_with_lang_before_or_after_the_command(command):
    words = command.split()
    try:
        before = _zh(["--lang", "zh", *words, "-h"])
        after = _zh([*words, "--lang", "zh", "-h"])
    finally:
        set_language("en")
    _assert_chinese(before, f"{command} -h")
    assert before == after


def test_policy_show_speaks_chinese_around_the_toml():
    """The TOML itself is a file's content (bilingual comments, the policy's own name);
    what civaudit says about it is Chinese."""
    result = CliRunner().invoke(cli, ["--lang", "zh", "policy", "show"], catch_exceptions=False)
    set_language("en")
    _assert_chinese(result.stderr, "policy show")
    assert result.stdout.startswith("# 内置示例政策")


def test_policy_messages_and_errors_are_chinese(policy_files):
    good, bad = policy_files
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8"}

    def run(*args):
        out = subprocess.run([sys.executable, "-m", "civaudit", *args], capture_output=True,
                             env=env, timeout=120, cwd=ROOT)  # fmt: skip
        return out.returncode, out.stdout.decode() + out.stderr.decode()

    code, text = run("--lang", "zh", "policy", "check", str(good))
    assert code == 0 and "政策文件有效" in text
    for args in (
        ["policy", "check", str(bad), "--lang", "zh"],
        ["--lang", "zh", "audit", "不存在的文件夹"],
        ["--lang", "zh", "audit", str(SAMPLE), "--select", "nosuch"],
        ["--lang", "zh", "audit", str(SAMPLE), "--bogus"],
        ["--lang", "zh", "audit", str(SAMPLE), "-o", "r.txt"],
    ):
        code, text = run(*args)
        assert code == 2, (args, text)
        _assert_chinese(text, " ".join(args))
        assert "Traceback" not in text


def test_internal_names_do_not_reach_the_user():
    text = _zh(["--lang", "en", "assess", str(SAMPLE), "-f", "table"])
    header = next(line for line in text.splitlines() if "household" in line)
    assert "pc_income_month" not in header and "expected_base" not in header
    set_language("en")


def test_click_texts_are_translated_through_its_gettext():
    set_language("zh")
    try:
        assert click.core._("Usage:") == "用法："
    finally:
        set_language("en")
