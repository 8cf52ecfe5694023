"""The rule catalogue: a ``Rule`` per contract id, registered by the ``@rule`` decorator.

A rule's ``check`` is a pure function of the ``AuditData`` that returns a tidy
frame of hits, one row per problem (pandera's failure cases):

- ``table`` ('households' | 'members' | 'issues' | 'totals') and ``ref`` (the
  index label in that table) say where; the engine turns them into file, sheet,
  row, place, household, person and name; 'lists' is a row of an external list
  with no roster row behind it (``ext.missed-eligible``): the hit gives its file,
  sheet, row and the other finding fields itself;
- ``field`` (optional) names the field at fault, so the engine can give the A1
  cell from the column mapping; or ``cell`` gives it directly;
- ``variant`` (optional) picks one of several message templates;
- ``scope`` = 'village' marks a finding about a whole village: no row, cell,
  household, person or name;
- a column named like a finding field (``household``, ``village``...) replaces
  what the engine would look up, where it is not NA;
- columns starting with ``_`` feed the message only (``_what_zh``/``_what_en``
  give the placeholder ``{what}`` per language);
- every other column is evidence: the values that triggered the rule.

``needs`` lists what the check reads as ``table.column``; ``a|b`` means either
will do; ``against.KIND`` an external list (``--against KIND=FILE``). When a need
is missing the engine skips the rule with the reason instead of running it, so a
check may index its needs without guarding. ``skip`` covers the other reasons a
rule cannot judge (the policy defines no add-ons, the roster lists no member
rows): it returns ``{"zh": ..., "en": ...}`` or None.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from civaudit.rules.inputs import AuditData

Text = Mapping[str, str]  # {"zh": ..., "en": ...}
Check = Callable[["AuditData"], pd.DataFrame]
Skip = Callable[["AuditData"], Text | None]

TABLES: tuple[str, ...] = ("households", "members", "issues", "totals", "lists")
SOURCES: tuple[str, ...] = ("households", "members", "assessed", "issues", "totals", "columns")
SEVERITY_LEVELS: tuple[str, ...] = ("error", "warning", "info")
HIT_COLUMNS: tuple[str, ...] = ("table", "ref")


@dataclass(frozen=True)
class Rule:
    """One contract rule: its id, default severity, what it needs, its texts and check.

    ``message`` is ``{lang: template}``, or ``{variant: {lang: template}}`` when the
    check returns a ``variant`` column. ``check`` is None for rules a later
    version implements (the external lists): they are listed and always skipped.
    """

    id: str
    family: str
    severity: str
    needs: tuple[str, ...]
    title: Text
    description: Text
    clause: str
    message: Mapping[str, Any]
    check: Check | None = None
    skip: Skip | None = None

    def template(self, lang: str, variant: str | None = None) -> str:
        """The message template in ``lang`` (English when a language is missing)."""
        texts = self.message
        if variant is not None and variant in texts:
            texts = texts[variant]
        elif "en" not in texts:  # variants only: the first is the default
            texts = next(iter(texts.values()))
        return texts.get(lang) or texts["en"]

    @property
    def against(self) -> tuple[str, ...]:
        """The external-list kinds this rule needs (``--against KIND=FILE``)."""
        return tuple(n.split(".", 1)[1] for n in self.needs if n.startswith("against."))


RULES: dict[str, Rule] = {}
"""Every registered rule by id, in registration (catalogue) order."""


def rule(
    *,
    id: str,
    severity: str,
    needs: Iterable[str] = (),
    title: Text,
    description: Text,
    clause: str,
    message: Mapping[str, Any],
    skip: Skip | None = None,
) -> Callable[[Check], Check]:
    """Register the decorated function as the check of rule ``id``."""

    def register(check: Check) -> Check:
        add_rule(
            Rule(
                id=id,
                family=id.split(".", 1)[0],
                severity=severity,
                needs=tuple(needs),
                title=title,
                description=description,
                clause=clause,
                message=message,
                check=check,
                skip=skip,
            )
        )
        return check

    return register


def add_rule(new: Rule) -> Rule:
    """Register a rule object (the decorator's back end; also for unimplemented rules)."""
    if new.id in RULES:
        raise ValueError(f"rule {new.id!r} is registered twice")
    if new.severity not in SEVERITY_LEVELS:
        raise ValueError(f"rule {new.id!r}: unknown severity {new.severity!r}")
    for text in (new.title, new.description):
        if set(text) != {"zh", "en"}:
            raise ValueError(f"rule {new.id!r}: titles and descriptions need zh and en")
    for need in new.needs:
        for option in need.split("|"):
            source = option.split(".", 1)[0]
            if source not in (*SOURCES, "against") or "." not in option:
                raise ValueError(f"rule {new.id!r}: bad need {option!r}")
    RULES[new.id] = new
    return new


def all_rules() -> tuple[Rule, ...]:
    return tuple(RULES.values())


def get_rule(rule_id: str) -> Rule:
    try:
        return RULES[rule_id]
    except KeyError:
        raise KeyError(f"unknown rule {rule_id!r}") from None


def matches(rule_id: str, selector: str) -> bool:
    """A selector is a rule id or a family prefix (``id``, ``phaseout``)."""
    selector = selector.strip()
    return rule_id == selector or rule_id.startswith(selector + ".")


# --- building hits --------------------------------------------------------------------


def no_hits() -> pd.DataFrame:
    """The empty hit frame (a rule that found nothing)."""
    return pd.DataFrame({"table": pd.Series(dtype="object"), "ref": pd.Series(dtype="object")})


def hits(table: str, mask: pd.Series, **columns: Any) -> pd.DataFrame:
    """One hit per True in ``mask`` (NA counts as False) on rows of ``table``.

    ``columns`` are Series aligned with ``mask`` (taken at the hit rows), or
    scalars repeated on every hit; a None scalar adds no column. A Series that
    names a row more than once (a row paired with two others) gives that row its
    first value: one hit per row of ``mask``, never a reindexing error.
    """
    if table not in TABLES:
        raise ValueError(f"unknown table {table!r}")
    keep = mask.fillna(False).astype(bool).to_numpy() if len(mask) else np.zeros(0, bool)
    refs = mask.index[keep]
    out = pd.DataFrame({"table": table, "ref": refs.to_numpy(dtype=object)})
    for name, value in columns.items():
        if value is None:
            continue
        if isinstance(value, pd.Series):
            if not value.index.is_unique:
                value = value[~value.index.duplicated(keep="first")]
            out[name] = value.reindex(refs).to_numpy(dtype=object) if len(refs) else []
        elif isinstance(value, np.ndarray):
            out[name] = value[keep]
        else:
            out[name] = [value] * len(out)
    return out


def concat_hits(frames: Iterable[pd.DataFrame]) -> pd.DataFrame:
    """Hits of several sub-checks of one rule as one frame."""
    frames = [f for f in frames if len(f)]
    if not frames:
        return no_hits()
    return pd.concat(frames, ignore_index=True)
