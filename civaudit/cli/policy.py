"""`civaudit policy init|show|check`: write, show and validate policy files."""

from __future__ import annotations

from pathlib import Path

import click

from civaudit.cli.console import say, write_stdout
from civaudit.errors import UsageError
from civaudit.i18n import t
from civaudit.policy import EXAMPLE_POLICY, load_policy, policy_template, policy_to_toml
from civaudit.report.output import atomic_write


@click.group()
def policy() -> None:
    """Write a commented policy template, show the policy in force, or check a file.

    \b
    Examples:
      civaudit policy init 县政策.toml
      civaudit policy check 县政策.toml
      civaudit policy show --policy 县政策.toml
    """


@policy.command()
@click.argument("path", type=click.Path(path_type=Path, dir_okay=False), required=False)
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def init(path: Path | None, force: bool) -> int:
    """Write a commented template (every key, its meaning and default) to PATH or stdout.

    \b
    Example:
      civaudit policy init 县政策.toml
    """
    text = policy_template()
    if path is None:
        write_stdout(text.encode("utf-8"))
        return 0
    if path.exists() and not force:
        raise UsageError(f"{path}: already exists", "choose another name or add --force")
    atomic_write(path, text.encode("utf-8"))
    say(t("policy.written", path=str(path)), err=True)
    return 0


@policy.command()
@click.option("--policy", "policy_path", type=click.Path(path_type=Path, dir_okay=False))
def show(policy_path: Path | None) -> int:
    """Print the policy in force, every default filled in.

    \b
    Example:
      civaudit policy show --policy 县政策.toml
    """
    chosen = load_policy(policy_path) if policy_path else EXAMPLE_POLICY
    if chosen.is_example:
        say(t("run.example_policy"), err=True)
    write_stdout(policy_to_toml(chosen).encode("utf-8"))
    return 0


@policy.command()
@click.argument("path", type=click.Path(path_type=Path, dir_okay=False))
def check(path: Path) -> int:
    """Validate a policy file: exit 0 if it is sound, 2 with file, line and key if not.

    \b
    Example:
      civaudit policy check 县政策.toml
    """
    loaded = load_policy(path)
    say(t("policy.ok", path=str(path), name=loaded.title))
    return 0
