"""The engine: run the selected rules over the audit data and turn their hits into findings.

Rules say *which rows* have a problem and with what values (``rules.registry``);
this is the one place that says *where* that is for a user: file, sheet, Excel
row, A1 cell, place, household, person and name, all by merges over the loader's
tables, never a loop over findings. Only the final message text is formatted one
finding at a time.

Masking happens here (``mask=True``, the default): IDs and bank accounts inside
messages, evidence and the ``person``/``household`` columns are masked as the
contract says, so reporters never see a full number unless the user asked.

A finding about a person (a member row) carries that person's ID and name; one
about a household carries no ``person`` and the head's name, so a reader can still
find the family; one about a totals row or a whole village carries neither.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from civaudit.errors import UsageError
from civaudit.findings import FINDING_COLUMNS, Report, Severity, empty_findings, plain
from civaudit.i18n import language
from civaudit.policy.model import Policy
from civaudit.privacy import mask_accounts, mask_ids
from civaudit.rules import Rule, all_rules, matches
from civaudit.rules.inputs import AuditData
from civaudit.schema import FIELD_BY_NAME

STRING = pd.StringDtype("pyarrow")

LOCATION_COLUMNS = (
    "file",
    "sheet",
    "row",
    "county",
    "town",
    "village",
    "household",
    "person",
    "name",
)
"""Finding fields the engine looks up; a hit column of the same name overrides them."""

_RESERVED = {"table", "ref", "cell", "variant", "scope", *LOCATION_COLUMNS}

ID_KEYS = frozenset({"id_number", "id_original", "id_18", "head_id"})
"""Evidence keys holding ID numbers: masked whatever their shape (an invalid ID too)."""
ACCOUNT_KEYS = frozenset({"bank_account"})
"""Evidence keys holding bank accounts: only the last 4 characters are kept."""

_MEMBER_FIELDS = frozenset(f.name for f in FIELD_BY_NAME.values() if f.level == "member")

# A field at fault whose column may be mapped under another field name.
_FIELD_FALLBACK = {
    "id_number": "head_id",
    "head_id_number": "head_id",
    "name": "head_name",
    "rigid_expense_year": "rigid_expense_month",
    "rigid_expense_month": "rigid_expense_year",
    "per_capita_income_year": "per_capita_income_month",
    "per_capita_income_month": "per_capita_income_year",
}


def audit(
    roster,
    policy: Policy,
    *,
    as_of: date,
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
    lang: str | None = None,
    mask: bool = True,
    against: Mapping[str, pd.DataFrame] | None = None,
) -> Report:
    """Assess a loaded roster and run the rules: the library form of ``civaudit audit``.

    ``against`` holds external lists by kind, as ``civaudit.external.load_list`` gives them.
    A monthly workbook (``civaudit.series``) is audited at the as-of month, its month
    before giving the ``change.*`` findings.
    """
    from civaudit.series import audit_months  # series builds on the engine

    report, _ = audit_months(
        roster, policy, as_of=as_of, select=select, ignore=ignore, lang=lang, mask=mask,
        against=against,
    )  # fmt: skip
    return report


def select_rules(
    policy: Policy | None = None,
    *,
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
    rules: Iterable[Rule] | None = None,
) -> list[Rule]:
    """The rules a run uses: ``select`` (all when empty) minus ``ignore`` and the
    policy's ``rules.ignore``. Selectors are ids or family prefixes; commas split."""
    catalogue = list(all_rules() if rules is None else rules)
    select, ignore = _selectors(select), _selectors(ignore)
    ids = [r.id for r in catalogue]
    for selector in (*select, *ignore):
        if not any(matches(i, selector) for i in ids):
            raise UsageError(
                f"unknown rule or family {selector!r}",
                "`civaudit rules` lists the rule ids; a family is the part before the dot",
            )
    ignored = (*ignore, *(policy.rules.ignore if policy is not None else ()))
    return [
        r
        for r in catalogue
        if (not select or any(matches(r.id, s) for s in select))
        and not any(matches(r.id, s) for s in ignored)
    ]


def _selectors(values: Iterable[str]) -> tuple[str, ...]:
    """``['id,dup', 'phaseout']`` -> ``('id', 'dup', 'phaseout')``."""
    if isinstance(values, str):
        values = [values]
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


def severity_of(rule: Rule, policy: Policy | None) -> str:
    """The rule's severity after the policy's ``rules.severity`` (an id beats a family)."""
    overrides = policy.rules.severity if policy is not None else {}
    if rule.id in overrides:
        return str(Severity.parse(overrides[rule.id]))
    if rule.family in overrides:
        return str(Severity.parse(overrides[rule.family]))
    return rule.severity


def skip_reason(rule: Rule, data: AuditData, lang: str = "en") -> str | None:
    """Why ``rule`` cannot run on ``data`` (None when it can)."""
    lang = lang if lang in ("zh", "en") else "en"
    kinds = [k for k in rule.against if k not in data.against]
    if kinds:
        flags = ", ".join(f"--against {k}" for k in kinds)
        return {"zh": f"需要外部名单：{flags}", "en": f"needs {flags}"}[lang]
    if rule.check is None:
        return {"zh": "本版本尚未实现", "en": "not implemented in this version"}[lang]
    missing = [need for need in rule.needs if not data.has(need)]
    if missing:
        return _missing_text(missing, lang)
    if rule.skip is not None:
        reason = rule.skip(data)
        if reason:
            return reason.get(lang) or reason["en"]
    return None


def run_rules(
    data: AuditData,
    *,
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
    lang: str | None = None,
    mask: bool = True,
    rules: Iterable[Rule] | None = None,
) -> Report:
    """Run the selected rules and return their findings, sorted by file, sheet, row, rule.

    A rule whose needs are absent is skipped with the reason, never run.
    """
    lang = lang or language()
    chosen = select_rules(data.policy, select=select, ignore=ignore, rules=rules)
    locations = _Locations(data)
    run: list[str] = []
    skipped: dict[str, str] = {}
    frames: list[pd.DataFrame] = []
    for rule in chosen:
        reason = skip_reason(rule, data, lang)
        if reason is not None:
            skipped[rule.id] = reason
            continue
        found = rule.check(data)
        run.append(rule.id)
        _validate(rule, found)
        if len(found):
            frames.append(_findings(rule, found, data, locations, lang=lang, mask=mask))
    if frames:
        findings = pd.concat(frames, ignore_index=True)
        findings = findings.sort_values(
            ["file", "sheet", "row", "rule"], kind="stable", na_position="last"
        ).reset_index(drop=True)
        for col in FINDING_COLUMNS:  # plain objects, None where unknown
            if col not in ("row", "evidence"):
                findings[col] = _objects(findings[col])
    else:
        findings = empty_findings()
    return Report(findings=findings, rules_run=tuple(run), rules_skipped=skipped)


def finding_key(findings: pd.DataFrame) -> pd.Series:
    """A finding's identity for baselines: rule, file, sheet, household, person and the
    field at fault (from the evidence); never the row number, so a finding survives
    rows being inserted above it."""
    if not len(findings):
        return pd.Series([], dtype="object", index=findings.index)
    parts = [findings[c].astype("string").fillna("") for c in ("rule", "file", "sheet")]
    parts += [findings[c].astype("string").fillna("") for c in ("household", "person")]
    fields = findings["evidence"].astype("object").str.get("field")
    parts.append(fields.astype("string").fillna(""))
    key = parts[0]
    for part in parts[1:]:
        key = key + "\x1f" + part
    return key.astype("object")


# --- where a hit is -------------------------------------------------------------------


class _Locations:
    """The finding fields (file, sheet, row, place, household, person, name) of the
    rows rules hit, looked up for those rows only: on a province roster a rule hits
    a few thousand of a million rows."""

    def __init__(self, data: AuditData) -> None:
        self.data = data
        self.columns = self._cells(data.columns)
        self._hh_index: pd.Index | None = None
        self._hh_rows = np.zeros(0, dtype="int64")

    def at(self, table: str, refs: pd.Index) -> pd.DataFrame:
        """Location columns (and ``hh``) of rows ``refs`` of ``table``, indexed by refs."""
        if table == "lists":  # a row of an external list is no roster row
            return pd.DataFrame(index=refs, columns=[*LOCATION_COLUMNS, "hh"], dtype="object")
        frame = getattr(self.data, table)
        return getattr(self, "_" + table)(frame.reindex(refs))

    def _households(self, h: pd.DataFrame) -> pd.DataFrame:
        out = pd.DataFrame(index=h.index)
        for col in ("file", "sheet", "county", "town", "village", "household"):
            out[col] = _text(h, col)
        out["row"] = _int(h, "row")
        out["person"] = pd.Series(pd.NA, index=h.index, dtype="object")
        out["name"] = _text(h, "head_name")
        out["hh"] = _int(h, "hh")
        return out[[*LOCATION_COLUMNS, "hh"]]

    def _by_hh(self, hh: pd.Series) -> pd.DataFrame:
        """Household fields for a Series of ``hh`` numbers (NA where unknown)."""
        h = self.data.households
        if self._hh_index is None:
            numbers = h["hh"].astype("Int64") if "hh" in h else pd.Series(dtype="Int64")
            first = (numbers.notna() & ~numbers.duplicated()).to_numpy(dtype=bool)
            self._hh_index = pd.Index(numbers[first])
            self._hh_rows = np.flatnonzero(first)
        at = self._hh_index.get_indexer(pd.Index(hh.astype("Int64")))
        known = at >= 0
        found = self._households(h.iloc[self._hh_rows[at[known]]]).reset_index(drop=True)
        out = found.reindex(np.cumsum(known) - 1).reset_index(drop=True)
        out.loc[~known] = pd.NA
        return out.set_axis(hh.index)

    def _members(self, m: pd.DataFrame) -> pd.DataFrame:
        out = pd.DataFrame(index=m.index)
        out["file"], out["sheet"], out["row"] = _text(m, "file"), _text(m, "sheet"), _int(m, "row")
        out["person"] = _text(m, "id_number")
        out["name"] = _text(m, "name")
        out["hh"] = _int(m, "hh")
        place = self._by_hh(out["hh"])
        for col in ("county", "town", "village", "household"):
            out[col] = place[col]
        return out[[*LOCATION_COLUMNS, "hh"]]

    def _issues(self, i: pd.DataFrame) -> pd.DataFrame:
        out = pd.DataFrame(index=i.index)
        out["file"], out["sheet"], out["row"] = _text(i, "file"), _text(i, "sheet"), _int(i, "row")
        keys = ["file", "sheet", "row"]
        m = self.data.members
        near = m[m["row"].isin(out["row"].dropna())] if "row" in m else m
        members = self._members(near)
        person = out[keys].merge(
            members[[*keys, "person", "name", "hh"]].dropna(subset=["row"]).drop_duplicates(keys),
            on=keys,
            how="left",
        )
        h = self.data.households
        house = out[keys].merge(
            self._households(h[h["row"].isin(out["row"].dropna())] if "row" in h else h)[
                [*keys, "hh"]
            ]
            .dropna(subset=["row"])
            .drop_duplicates(keys),
            on=keys,
            how="left",
        )
        hh = person["hh"].fillna(house["hh"]).set_axis(i.index)
        member_field = _text(i, "field").isin(_MEMBER_FIELDS).astype(bool)
        place = self._by_hh(hh)
        out["person"] = person["person"].set_axis(i.index).where(member_field)
        out["name"] = person["name"].set_axis(i.index).where(member_field, place["name"])
        for col in ("county", "town", "village", "household"):
            out[col] = place[col]
        out["hh"] = hh
        return out[[*LOCATION_COLUMNS, "hh"]]

    def _totals(self, t: pd.DataFrame) -> pd.DataFrame:
        out = pd.DataFrame(index=t.index)
        for col in LOCATION_COLUMNS:
            out[col] = _int(t, col) if col == "row" else _text(t, col)
        out[["county", "town", "village", "household", "person", "name"]] = pd.NA
        out["hh"] = pd.Series(pd.NA, index=t.index, dtype="Int64")
        return out[[*LOCATION_COLUMNS, "hh"]]

    @staticmethod
    def _cells(columns: pd.DataFrame) -> pd.DataFrame:
        """file, sheet, field -> column letter, for the fields a sheet maps."""
        need = {"file", "sheet", "column", "field"}
        if not need <= set(columns):
            return pd.DataFrame({c: pd.Series(dtype="object") for c in need})
        mapped = columns[columns["field"].notna()]
        if "how" in mapped:
            mapped = mapped[~mapped["how"].isin(["unmapped", "duplicate", "clash", "superseded"])]
        cells = mapped[["file", "sheet", "field", "column"]].astype("object")
        return cells.drop_duplicates(["file", "sheet", "field"])

    def cells(self, where: pd.DataFrame, fields: pd.Series) -> pd.Series:
        """A1 references: the column of ``fields`` in each row's sheet, plus the row."""
        if not len(where):
            return pd.Series([], dtype="object", index=where.index)
        probe = pd.DataFrame(
            {
                "file": where["file"].astype("object").to_numpy(),
                "sheet": where["sheet"].astype("object").to_numpy(),
                "field": fields.astype("object").to_numpy(),
            }
        )
        letter = probe.merge(self.columns, on=["file", "sheet", "field"], how="left")["column"]
        other = probe.assign(field=probe["field"].map(_FIELD_FALLBACK))
        second = other.merge(self.columns, on=["file", "sheet", "field"], how="left")["column"]
        letter = letter.fillna(second).set_axis(where.index)
        row = where["row"].astype("Int64").astype(STRING)
        cell = (letter.astype(STRING) + row).astype("object")
        return cell.where(cell.notna(), None)

    def own_cells(self, found: pd.DataFrame, where: pd.DataFrame, looked: pd.Series) -> pd.Series:
        """``looked`` with the cells of members spread from a wide or list sheet
        (``io.members``): such a member's fields come from its own columns, named per
        member row by ``member_cells`` (``name=G;id_number=H``), not the sheet's mapping."""
        m = self.data.members
        if "member_cells" not in m or "field" not in found or not len(found):
            return looked
        on = found["table"].eq("members").to_numpy(dtype=bool)
        if not on.any():
            return looked
        texts = m["member_cells"].reindex(pd.Index(found["ref"][on])).astype("object")
        fields = found["field"][on].astype("object").to_numpy()
        spread = texts.notna().to_numpy() & np.isin(fields, list(_MEMBER_FIELDS))
        if not spread.any():
            return looked
        pairs = pd.DataFrame({"text": texts.to_numpy()[spread], "field": fields[spread]})
        letters = {}
        for text, field in pairs.drop_duplicates().itertuples(index=False):  # few distinct
            table = dict(part.split("=", 1) for part in str(text).split(";") if "=" in part)
            letters[(text, field)] = table.get(field)
        letter = pd.Series(
            [letters[key] for key in zip(pairs["text"], pairs["field"], strict=True)],
            dtype="object",
        )
        rows = where["row"][on][spread].astype("Int64").astype(STRING).to_numpy()
        cells = (letter.astype(STRING) + pd.Series(rows, dtype=STRING)).astype("object")
        out = looked.copy()
        at = found.index[on][spread]
        out.loc[at] = cells.where(cells.notna(), None).to_numpy()
        return out


def _text(frame: pd.DataFrame, name: str) -> pd.Series:
    if name not in frame:
        return pd.Series(pd.NA, index=frame.index, dtype="object")
    return frame[name].astype(STRING).astype("object").where(frame[name].notna(), pd.NA)


def _int(frame: pd.DataFrame, name: str) -> pd.Series:
    if name not in frame:
        return pd.Series(pd.NA, index=frame.index, dtype="Int64")
    return pd.to_numeric(frame[name], errors="coerce").astype("Int64")


# --- hits -> findings -----------------------------------------------------------------


def _validate(rule: Rule, found: pd.DataFrame) -> None:
    if not isinstance(found, pd.DataFrame) or not {"table", "ref"} <= set(found.columns):
        raise TypeError(f"rule {rule.id}: check must return a frame with 'table' and 'ref'")


def _findings(
    rule: Rule,
    found: pd.DataFrame,
    data: AuditData,
    locations: _Locations,
    *,
    lang: str,
    mask: bool,
) -> pd.DataFrame:
    found = found.reset_index(drop=True)
    where = pd.DataFrame(index=found.index, columns=list(LOCATION_COLUMNS), dtype="object")
    where["row"] = pd.Series(pd.NA, index=found.index, dtype="Int64")
    for table, part in found.groupby("table", sort=False):
        looked = locations.at(str(table), pd.Index(list(part["ref"]))).set_axis(part.index)
        for col in LOCATION_COLUMNS:
            where.loc[part.index, col] = looked[col].to_numpy(dtype=object)
    where["row"] = pd.to_numeric(where["row"], errors="coerce").astype("Int64")
    for col in LOCATION_COLUMNS:  # the rule's own values win where it gives one
        if col in found:
            given = found[col].notna()
            if col == "row":
                values = pd.to_numeric(found[col], errors="coerce").astype("Int64")
                where[col] = values.where(given, where[col])
            else:
                where[col] = found[col].astype("object").where(given, where[col])
    scope = found["scope"] if "scope" in found else pd.Series(None, index=found.index)
    village_wide = scope.eq("village").fillna(False).astype(bool)
    if village_wide.any():  # a finding about a whole village has no row or person
        where.loc[village_wide, ["household", "person", "name"]] = pd.NA
        where["row"] = where["row"].mask(village_wide)

    cell = pd.Series(None, index=found.index, dtype="object")
    if "cell" in found:
        cell = found["cell"].astype("object").where(found["cell"].notna(), None)
    if "field" in found:
        looked = locations.own_cells(found, where, locations.cells(where, found["field"]))
        cell = cell.where(cell.notna() & cell.astype(str).ne(""), looked)
    cell = cell.mask(village_wide, None)

    evidence_cols = [c for c in found.columns if c not in _RESERVED and not c.startswith("_")]
    evidence = {c: _evidence_values(found[c], c, mask) for c in evidence_cols}

    person = where["person"]
    household = where["household"]
    if mask:
        person = _mask_strong(person)
        household = _mask_shaped(household)
    out = pd.DataFrame(
        {
            "rule": rule.id,
            "severity": severity_of(rule, data.policy),
            "message": _messages(
                rule, found, evidence, where.assign(household=household), cell, person, lang
            ),
            "clause": rule.clause,
            "file": where["file"],
            "sheet": where["sheet"],
            "row": where["row"],
            "cell": cell,
            "county": where["county"],
            "town": where["town"],
            "village": where["village"],
            "household": _objects(household),
            "person": _objects(person),
            "name": where["name"],
            "evidence": _records(evidence, len(found)),
        },
        index=found.index,
    )
    return out[list(FINDING_COLUMNS)]


def _objects(values: pd.Series) -> pd.Series:
    values = values.astype("object")
    return values.where(values.notna(), None)


def _evidence_values(values: pd.Series, key: str, mask: bool) -> list[Any]:
    """One evidence column as plain JSON values, masked where it holds IDs or accounts."""
    if mask and key in ID_KEYS:
        values = _mask_strong(values)
    elif mask and key in ACCOUNT_KEYS:
        values = mask_accounts(values.astype("object").where(values.notna(), None))
    elif mask and (values.dtype == object or isinstance(values.dtype, pd.StringDtype)):
        values = _mask_shaped(values)
    return [plain(v) for v in values.astype("object").tolist()]


def _mask_shaped(values: pd.Series) -> pd.Series:
    """``privacy.mask_ids`` on the text values only: what looks like an ID is masked."""
    values = values.astype("object")
    is_text = values.map(lambda v: isinstance(v, str))
    if not is_text.any():
        return values
    out = values.copy()
    out[is_text] = mask_ids(values[is_text]).astype("object").to_numpy(dtype=object)
    return out


def _mask_strong(values: pd.Series) -> pd.Series:
    """Mask ID-number text of any shape: first 6 and last 4 characters kept (shorter
    texts keep only the last 4), so even a mistyped ID is not shown in full."""
    text = values.astype("object").where(values.notna(), None).astype(STRING)
    n = text.str.len().fillna(0).astype("int64")
    stars_long = pd.Series("*", index=text.index, dtype="object").str.repeat(
        (n - 10).clip(lower=0).tolist()
    )
    stars_short = pd.Series("*", index=text.index, dtype="object").str.repeat(
        (n - 4).clip(lower=0).tolist()
    )
    long_form = text.str.slice(0, 6) + stars_long.astype(STRING) + text.str.slice(-4)
    short_form = stars_short.astype(STRING) + text.str.slice(-4)
    masked = long_form.where(n > 10, short_form.where(n > 4, text))
    return masked.astype("object").where(text.notna(), None)


def _records(evidence: dict[str, list[Any]], n: int) -> list[dict[str, Any]]:
    if not evidence:
        return [{} for _ in range(n)]
    keys = list(evidence)
    columns = [evidence[k] for k in keys]
    return [dict(zip(keys, values, strict=True)) for values in zip(*columns, strict=True)]


# --- messages -------------------------------------------------------------------------


class _Values(dict):
    def __missing__(self, key: str) -> str:
        return "?"


_FORMATTER = string.Formatter()


def _messages(
    rule: Rule,
    found: pd.DataFrame,
    evidence: dict[str, list[Any]],
    where: pd.DataFrame,
    cell: pd.Series,
    person: pd.Series,
    lang: str,
) -> list[str]:
    """Each finding's sentence: the rule's template filled with its (masked) values."""
    columns: dict[str, list[str]] = {}
    for key, values in evidence.items():
        columns[key] = [_show(v, lang) for v in values]
    for col in found.columns:  # message-only values; NA leaves the evidence value
        if not col.startswith("_"):
            continue
        name, _, suffix = col[1:].rpartition("_")
        if suffix not in ("zh", "en"):
            name = col[1:]
        elif suffix != lang:
            continue
        values = [plain(v) for v in found[col].tolist()]
        before = columns.get(name, ["—"] * len(values))
        columns[name] = [before[i] if v is None else _show(v, lang) for i, v in enumerate(values)]
    for key, values in (
        ("file", where["file"]),
        ("sheet", where["sheet"]),
        ("row", where["row"]),
        ("name", where["name"]),
        ("county", where["county"]),
        ("town", where["town"]),
        ("village", where["village"]),
        ("household", where["household"]),
        ("cell", cell),
        ("person", person),
    ):
        columns.setdefault(key, [_show(plain(v), lang) for v in values.astype("object").tolist()])
    variants = found["variant"].tolist() if "variant" in found else [None] * len(found)
    keys = list(columns)
    rows = zip(*(columns[k] for k in keys), strict=True)
    out = []
    for variant, values in zip(variants, rows, strict=True):
        template = rule.template(lang, None if _missing(variant) else str(variant))
        out.append(_FORMATTER.vformat(template, (), _Values(zip(keys, values, strict=True))))
    return out


def _missing(value: Any) -> bool:
    return value is None or (not isinstance(value, list | dict | str) and bool(pd.isna(value)))


def _show(value: Any, lang: str) -> str:
    """A plain evidence value as message text: 400 not 400.0, 266.67 not 266.666...,
    1.5 not 1.50."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return ("是" if value else "否") if lang == "zh" else ("yes" if value else "no")
    if isinstance(value, float):
        text = f"{value:.2f}".rstrip("0").rstrip(".")
        return "0" if text == "-0" else text
    if isinstance(value, list):
        return "; ".join(_show(v, lang) for v in value)
    if isinstance(value, dict):
        return ", ".join(_show(v, lang) for v in value.values())
    return str(value)


def _missing_text(missing: list[str], lang: str) -> str:
    """'the roster has no column for sex, birth date or age' (any one would do)."""
    labels = []
    for need in missing:
        names = list(dict.fromkeys(_need_label(o, lang) for o in need.split("|")))
        if lang == "zh":
            labels.append("“" + "”或“".join(names) + "”")
        else:
            labels.append(
                ", ".join(names[:-1]) + " or " + names[-1] if len(names) > 1 else names[0]
            )
    if lang == "zh":
        return "花名册没有" + "，也没有".join(labels) + "列"
    return "the roster has no column for " + "; nor for ".join(labels)


# Columns the loader derives from another field (the one a user would add or map).
_DERIVED = {
    "role": "relation",
    "member_rows": "relation",
    "heads": "relation",
    "birth_date_precision": "birth_date",
}


def _need_label(need: str, lang: str) -> str:
    source, _, name = need.partition(".")
    if source == "assessed":
        return "核算结果" if lang == "zh" else "the assessment"
    if name.startswith("head_id_"):
        name = "head_id"
    elif name.startswith("id_"):
        name = "id_number"
    name = _DERIVED.get(name, name)
    field_ = FIELD_BY_NAME.get(name)
    if field_ is None:
        return name
    return field_.zh if lang == "zh" else field_.en


__all__ = [
    "ACCOUNT_KEYS",
    "ID_KEYS",
    "AuditData",
    "audit",
    "finding_key",
    "run_rules",
    "select_rules",
    "severity_of",
    "skip_reason",
]
