"""Read and validate a policy TOML file.

A policy decides who is flagged, so a typo must never pass silently: an unknown
section or key, a wrong type, a negative amount, a rate outside [0, 1], an unknown
mode, a bad date or a missing ``[[standard]]`` is refused with the file, the line
and the key, and a hint (the nearest valid key where one is close).

Every number, date, text and list has a range (``RANGES``, ``TEXT_MAX``...): a
standard of 1e308 yuan or 2^63-1 phase-out months is a typo or an attack, and would
overflow silently downstream, so it is refused in one line naming the allowed range.
``[columns]`` is checked here exactly as ``--column`` is at audit time (known field,
a header text), so ``policy check`` passing means audit accepts the policy.
"""

from __future__ import annotations

import calendar
import difflib
import hashlib
import math
import re
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from civaudit.errors import PolicyError
from civaudit.limits import NAMES as LIMIT_NAMES
from civaudit.limits import Limits, option_name, parse_value
from civaudit.policy.model import (
    CATEGORIES,
    ROUNDING_MODES,
    SEVERITIES,
    SINGLE_BENEFITS,
    Addon,
    DeductionRules,
    ExternalRules,
    FrozenMap,
    IncomeRules,
    PhaseoutRules,
    Policy,
    RuleSettings,
    SinglePersonRules,
    Standard,
)
from civaudit.schema import FIELD_BY_NAME

_RULE_SHAPE = re.compile(r"^[a-z][a-z0-9]*(?:\.[a-z0-9]+(?:-[a-z0-9]+)*)?$")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_TOML_AT = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")


@dataclass(frozen=True)
class Range:
    """The values a policy number may take: ``low < value`` (``open_low``) or
    ``low <= value``, ``value <= high``; ``inf`` too where it means "no cap"."""

    low: float
    high: float
    open_low: bool = False
    inf: bool = False
    unit: str = ""  # the hint: what the number counts

    def holds(self, value: float) -> bool:
        if isinstance(value, float) and math.isinf(value):  # (an int of any size is finite)
            return value > 0 and self.inf
        above = value > self.low if self.open_low else value >= self.low
        return above and value <= self.high

    def text(self) -> str:
        low = f"{_figure(self.low)} {'<' if self.open_low else '≤'} value ≤ {_figure(self.high)}"
        return f"{low}, or inf" if self.inf else low


YEARLY_STANDARD = Range(0, 1_000_000, open_low=True, unit="yuan per person per year")
MONTHLY_AMOUNT = Range(0, 100_000, unit="yuan per month")
YEARLY_CAP = Range(0, 10_000_000, inf=True, unit="yuan per year, inf for no cap")
PERCENT = Range(0, 1_000, unit="percent of the monthly standard")
MULTIPLIER = Range(1, 100, unit="1.5 means one and a half times the standard")
MONTHS = Range(1, 120, unit="months")
FIRST_DAY = date(1950, 1, 1)
LAST_DAY = date(2099, 12, 31)
"""Dates a policy may give (as_of, a standard's from, phase-out until): a roster
month in the life of the scheme, not 9999-12."""
TEXT_MAX = 200
"""Characters in a name, a header text, a vehicle type."""
LIST_MAX = 1_000
"""Entries in a list or table: rule ids, severities, vehicle types."""
STANDARDS_MAX = 10_000
"""[[standard]] entries (every county of China, at a few dates each)."""


def _figure(value: float) -> str:
    return f"{int(value):,}" if value == int(value) else f"{value:,}"


def load_policy(path: str | Path, *, known_rules: set[str] | None = None) -> Policy:
    """Load and validate a policy file. ``sha256`` is of the file's bytes."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PolicyError(
            f"{path}: cannot read the policy file ({exc.strerror or exc})",
            "check the path; `civaudit policy init FILE` writes a template",
        ) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PolicyError(
            f"{path}: the policy file is not UTF-8 text (byte {exc.start})",
            "save it as UTF-8 (in WPS/Notepad: Save As, encoding UTF-8)",
        ) from None
    policy = parse_policy(text, source=str(path), known_rules=known_rules)
    return _with_hash(policy, hashlib.sha256(data).hexdigest())


def parse_policy(
    text: str, source: str = "<string>", *, known_rules: set[str] | None = None
) -> Policy:
    """Parse and validate policy TOML text; ``source`` names it in error messages."""
    try:
        raw = tomllib.loads(text)
    except RecursionError:  # tomllib descends once per [ or {: a hostile file, not a bug
        raise PolicyError(
            f"{source}: arrays or tables are nested too deeply to read",
            "a policy nests two levels at most: [[standard]] entries, the severity table",
        ) from None
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        at = _TOML_AT.search(message)
        where = f"{source}, line {at.group(1)}" if at else source
        problem = _TOML_AT.sub("", message)
        raise PolicyError(
            f"{where}: TOML syntax error: {problem}",
            'fix the syntax; text values need quotes (rounding = "ceil-yuan"), '
            "numbers do not (yearly = 4800)",
        ) from None
    policy = _Validator(text, source, known_rules).policy(raw)
    return _with_hash(policy, hashlib.sha256(text.encode("utf-8")).hexdigest())


def _with_hash(policy: Policy, sha256: str) -> Policy:
    return replace(policy, sha256=sha256)


# --- the schema ---------------------------------------------------------------

Check = Callable[["_Validator", str, Any], Any]


@dataclass(frozen=True)
class _Key:
    name: str
    check: Check
    attr: str | None = None  # dataclass field, when it differs from the key


class _Validator:
    def __init__(self, text: str, source: str, known_rules: set[str] | None) -> None:
        self.lines = text.splitlines()
        self.source = source
        self.known_rules = known_rules
        self.section: str = ""
        self.item: int | None = None  # 1-based entry of an array of tables

    # -- errors ----------------------------------------------------------------

    def fail(
        self, key: str | None, problem: str, hint: str = "", *, label: str | None = None
    ) -> PolicyError:
        """An error naming the file, the line of ``key`` and its dotted path."""
        return PolicyError(f"{self.where(key)}: {self.path(label or key)}: {problem}", hint)

    def out_of_range(self, key: str, shown: str, allowed: str, hint: str = "") -> PolicyError:
        """``policy.toml, line 3: key standard[1].yearly = 1e+308 is out of range
        (0 < value ≤ 1,000,000)``: one line with the file, the key and the range."""
        return PolicyError(
            f"{self.where(key)}: key {self.path(key)} = {shown} is out of range ({allowed})",
            hint,
        )

    def where(self, key: str | None) -> str:
        """``policy.toml, line 3`` (the file alone where the key's line is not known)."""
        line = self.line_of(key)
        return f"{self.source}, line {line}" if line else self.source

    def bounded_text(self, key: str, value: str) -> str:
        if len(value) > TEXT_MAX:
            raise PolicyError(
                f"{self.where(key)}: key {self.path(key)} is {len(value):,} characters long "
                f"(at most {TEXT_MAX} characters)",
                "shorten it",
            )
        return value

    def bounded_list(self, key: str | None, value: list | dict, most: int = LIST_MAX) -> None:
        if len(value) > most:
            raise PolicyError(
                f"{self.where(key)}: key {self.path(key)} lists {len(value):,} entries "
                f"(at most {most:,} entries)",
                "shorten it",
            )

    def path(self, key: str | None) -> str:
        section = self.section
        if self.item is not None:
            section = f"{section}[{self.item}]"
        if not key:
            return f"[{section}]" if section else "policy"
        return f"{section}.{key}" if section else key

    def line_of(self, key: str | None) -> int | None:
        """The line of ``key`` in the current section (or of the section header)."""
        header_line = None
        count = 0
        inside = self.section == ""
        key_re = None
        if key is not None:
            k = re.escape(key)
            key_re = re.compile(rf"""^\s*(?:{k}|"{k}"|'{k}')\s*=|[{{,]\s*(?:{k}|"{k}"|'{k}')\s*=""")
        for number, line in enumerate(self.lines, start=1):
            stripped = line.strip()
            header = _header(stripped)
            if header is not None:
                name, is_array = header
                inside = False
                if name == self.section or (
                    not is_array and self.section and name.startswith(self.section + ".")
                ):
                    if is_array:
                        count += 1
                        inside = self.item is None or count == self.item
                    else:
                        inside = True
                    if inside:
                        header_line = number
                continue
            if inside and key_re is not None and key_re.search(line):
                return number
        if key_re is not None and self.section == "":
            return None
        return header_line

    # -- the whole file ----------------------------------------------------------

    def policy(self, raw: dict[str, Any]) -> Policy:
        self.unknown(raw, _SECTIONS, what="section")
        for name in _SECTIONS:
            value = raw.get(name)
            if value is None:
                continue
            if name in ("standard", "addon"):
                if not isinstance(value, list):
                    self.section = name  # a [standard] table: point at its header
                    line = self.line_of(None) or None
                    self.section = ""
                    line = line or self.line_of(name)
                    where = f"{self.source}, line {line}" if line else self.source
                    raise PolicyError(
                        f"{where}: {name}: must be a list of tables, written [[{name}]]",
                        f"write [[{name}]] (double brackets) above each entry",
                    )
            elif not isinstance(value, dict):
                raise self.fail(name, "must be a table", f"write the section header [{name}]")
        info = self.table(raw, "policy", _POLICY_KEYS)
        standards = self.standards(raw.get("standard"))
        income = IncomeRules(**self.table(raw, "income", _INCOME_KEYS))
        deduction = DeductionRules(**self.table(raw, "deduction", _DEDUCTION_KEYS))
        if deduction.employment_rate > 0 and deduction.employment_cap == 0:
            self.section = "deduction"
            raise self.fail(
                "employment_rate",
                f"is {deduction.employment_rate} but employment_cap is 0, "
                "so no employment cost would ever be deducted",
                "set employment_cap (yuan per year; inf = no cap)",
            )
        phaseout = PhaseoutRules(**self.table(raw, "phaseout", _PHASEOUT_KEYS))
        if phaseout.months > phaseout.max_months:
            self.section = "phaseout"
            raise self.fail(
                "months",
                f"{phaseout.months} is longer than max_months = {phaseout.max_months}",
                "shorten months or raise max_months",
            )
        single = SinglePersonRules(**self.table(raw, "single_person", _SINGLE_KEYS))
        addons = self.addons(raw.get("addon"))
        external = ExternalRules(**self.table(raw, "external", _EXTERNAL_KEYS))
        rules = RuleSettings(**self.table(raw, "rules", _RULES_KEYS))
        columns = self.columns(raw.get("columns"))
        limits = self.limits(raw.get("limits"))
        self.section, self.item = "", None
        return Policy(
            standards=standards,
            income=income,
            deduction=deduction,
            phaseout=phaseout,
            single_person=single,
            addons=addons,
            external=external,
            rules=rules,
            columns=columns,
            limits=limits,
            source=self.source,
            **info,
        )

    def unknown(self, table: dict[str, Any], valid: Iterable[str], *, what: str = "key") -> None:
        valid = list(valid)
        for key in table:
            if key in valid:
                continue
            near = difflib.get_close_matches(key, valid, n=1, cutoff=0.6)
            hint = f"did you mean '{near[0]}'? " if near else ""
            where = f"[{self.section}]" if self.section else "a policy file"
            hint += f"valid {what}s in {where}: {', '.join(valid)}"
            if what == "section":
                # The line of an unknown section is its header (or its top-level key).
                self.section = key
                line = self.line_of(None)
                if line is None:
                    self.section = ""
                    line = self.line_of(key)
                where = f"{self.source}, line {line}" if line else self.source
                if isinstance(table[key], (dict, list)):
                    raise PolicyError(f"{where}: unknown section [{key}]", hint)
                raise PolicyError(f"{where}: {key}: unknown key outside any section", hint)
            raise self.fail(key, f"unknown {what}", hint)

    def table(self, raw: dict[str, Any], section: str, keys: tuple[_Key, ...]) -> dict[str, Any]:
        self.section, self.item = section, None
        return self.fields(raw.get(section) or {}, keys)

    def fields(self, table: dict[str, Any], keys: tuple[_Key, ...]) -> dict[str, Any]:
        self.unknown(table, [k.name for k in keys])
        out = {}
        for key in keys:
            if key.name in table:
                out[key.attr or key.name] = key.check(self, key.name, table[key.name])
        return out

    def standards(self, entries: list[Any] | None) -> tuple[Standard, ...]:
        self.section, self.item = "standard", None
        if not entries:
            raise PolicyError(
                f"{self.source}: no [[standard]]: the policy gives no dibao standard",
                'add one: [[standard]] region = "13" yearly = 4800 (yuan per person per '
                "year), one entry per region prefix and start date",
            )
        self.bounded_list(None, entries, STANDARDS_MAX)
        out: list[Standard] = []
        seen: dict[tuple[str, date | None], int] = {}
        for number, entry in enumerate(entries, start=1):
            self.item = number
            if not isinstance(entry, dict):
                raise self.fail(None, "must be a table of region, yearly and from")
            values = self.fields(entry, _STANDARD_KEYS)
            for required in ("region", "yearly"):
                if required not in values:
                    raise self.fail(
                        None,
                        f"has no {required}",
                        'each [[standard]] needs region = "13" and yearly = 4800',
                    )
            standard = Standard(**values)
            twin = seen.get((standard.region, standard.from_))
            if twin is not None:
                raise self.fail(
                    "region",
                    f"region {standard.region!r} from {standard.from_ or 'always'} "
                    f"is given twice (also in [[standard]] #{twin})",
                    "keep one entry per region and start date",
                )
            seen[(standard.region, standard.from_)] = number
            out.append(standard)
        self.item = None
        return tuple(out)

    def addons(self, entries: list[Any] | None) -> tuple[Addon, ...]:
        self.section, self.item = "addon", None
        out: list[Addon] = []
        seen: dict[str, int] = {}
        for number, entry in enumerate(entries or [], start=1):
            self.item = number
            if not isinstance(entry, dict):
                raise self.fail(None, "must be a table of category and an amount")
            values = self.fields(entry, _ADDON_KEYS)
            if "category" not in values:
                raise self.fail(None, "has no category", f"one of {', '.join(CATEGORIES)}")
            given = [k for k in ("percent_of_standard", "amount") if k in values]
            if len(given) != 1:
                raise self.fail(
                    given[1] if given else None,
                    "needs exactly one of percent_of_standard and amount",
                    "percent_of_standard = 10 (of the monthly standard) or amount = 60 "
                    "(yuan per month)",
                )
            category = values["category"]
            if category in seen:
                raise self.fail(
                    "category",
                    f"{category!r} is given twice (also in [[addon]] #{seen[category]})",
                    "keep one add-on per category",
                )
            seen[category] = number
            out.append(Addon(**values))
        self.item = None
        return tuple(out)

    def columns(self, table: dict[str, Any] | None) -> FrozenMap:
        """As ``--column FIELD=HEADER`` is checked at audit time: a field the roster
        loader knows, and a header text (or a column letter) that is not blank."""
        self.section, self.item = "columns", None
        fields = sorted(FIELD_BY_NAME)
        for key, value in (table or {}).items():
            if key not in FIELD_BY_NAME:
                near = difflib.get_close_matches(key, fields, n=1, cutoff=0.6)
                hint = f"did you mean '{near[0]}'? " if near else ""
                raise self.fail(
                    key, "unknown field", hint + "`civaudit inspect` shows the field of each column"
                )
            if not isinstance(value, str):
                raise self.fail(
                    key,
                    f"must be a header text in quotes, got {_show(value)}",
                    'e.g. id_number = "公民身份号码"',
                )
            if not value.strip():
                raise self.fail(key, "is blank", 'e.g. id_number = "公民身份号码"')
            self.bounded_text(key, value)
        return FrozenMap(table or {})

    def limits(self, table: dict[str, Any] | None) -> Limits:
        """The ``[limits]`` table: the names of ``--limit`` (``member_bytes`` or
        ``member-bytes``), each a number, a size ("4GiB") or "none"."""
        self.section, self.item = "limits", None
        names = [n.replace("-", "_") for n in LIMIT_NAMES]
        values: dict[str, float] = {}
        for key, value in (table or {}).items():
            name = option_name(key)
            if name not in LIMIT_NAMES:
                self.unknown({key: value}, names)
            try:
                values[name.replace("-", "_")] = parse_value(name, value)
            except ValueError as exc:
                hint = 'a number, a size such as "4GiB", or "none"'
                raise self.fail(key, str(exc), hint) from None
        return Limits().with_values(values)

    # -- value checks ---------------------------------------------------------------

    def number(
        self, key: str, value: Any, *, what: str = "a number", within: Range | None = None
    ) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.fail(key, f"must be {what}, got {_show(value)}", "write it without quotes")
        if isinstance(value, int) and abs(value) > 2**53 and within and not within.holds(value):
            raise self.out_of_range(key, str(value), within.text(), within.unit)  # exact
        try:
            value = float(value)
        except OverflowError:  # an integer past any float: out of every range
            raise self.fail(key, f"must be {what}, got {_show(value)}", "") from None
        if math.isnan(value):
            raise self.fail(key, "must be a number, got nan", "")
        return value

    def ranged(self, key: str, value: float, within: Range) -> float:
        if not within.holds(value):
            raise self.out_of_range(key, _number(value), within.text(), within.unit)
        return value

    def amount(self, key: str, value: Any, *, within: Range = MONTHLY_AMOUNT) -> float:
        value = self.number(key, value, what="an amount in yuan", within=within)
        if value < 0:
            raise self.fail(key, f"must not be negative, got {_show(value)}", "amounts are >= 0")
        if math.isinf(value) and not within.inf:
            raise self.fail(key, "must be a finite amount, got inf", "")
        return self.ranged(key, value, within)

    def integer(self, key: str, value: Any, *, within: Range = MONTHS) -> int:
        number = self.number(key, value, what="a whole number", within=within)
        if math.isinf(number) or number != int(number):
            raise self.fail(key, f"must be a whole number, got {_show(value)}", "")
        if number < within.low:
            raise self.fail(key, f"must be at least {_figure(within.low)}, got {_show(value)}", "")
        return int(self.ranged(key, number, within))

    def rate(self, key: str, value: Any) -> float:
        value = self.number(key, value, what="a rate between 0 and 1")
        if not 0 <= value <= 1:
            raise self.fail(
                key,
                f"must be a rate between 0 and 1, got {_show(value)}",
                "write 5% as 0.05",
            )
        return value

    def multiplier(self, key: str, value: Any) -> float:
        value = self.number(key, value, what="a multiple of the standard", within=MULTIPLIER)
        if not 1 <= value < math.inf:
            raise self.fail(
                key,
                f"must be a multiple of the standard, at least 1, got {_show(value)}",
                "1.5 means one and a half times the standard",
            )
        return self.ranged(key, value, MULTIPLIER)

    def flag(self, key: str, value: Any) -> bool:
        if not isinstance(value, bool):
            raise self.fail(key, f"must be true or false, got {_show(value)}", "no quotes")
        return value

    def text(self, key: str, value: Any) -> str:
        if not isinstance(value, str):
            raise self.fail(key, f"must be text in quotes, got {_show(value)}", "")
        return self.bounded_text(key, value)

    def choice(self, key: str, value: Any, choices: tuple[str, ...]) -> str:
        value = self.text(key, value)
        if value not in choices:
            near = [c for c in choices if value and c.startswith(value)]
            near = near or difflib.get_close_matches(value, choices, n=1, cutoff=0.5)
            hint = f"did you mean '{near[0]}'? " if near else ""
            raise self.fail(key, f"unknown value {value!r}", hint + f"one of: {', '.join(choices)}")
        return value

    def day(self, key: str, value: Any, *, month_end: bool = False) -> date:
        if isinstance(value, datetime):
            raise self.fail(key, f"must be a date without a time, got {value}", 'e.g. "2019-10-01"')
        if isinstance(value, date):
            return self.dated(key, value)
        text = self.text(key, value).strip()
        found = None
        try:
            if m := _DAY.match(text):
                found = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            elif m := _MONTH.match(text):
                year, month = int(m.group(1)), int(m.group(2))
                day = calendar.monthrange(year, month)[1] if month_end else 1
                found = date(year, month, day)
        except ValueError:
            pass
        if found is None:
            raise self.fail(key, f"is not a date: {value!r}", 'write "YYYY-MM-DD" or "YYYY-MM"')
        return self.dated(key, found, shown=repr(value))

    def dated(self, key: str, value: date, *, shown: str | None = None) -> date:
        if not FIRST_DAY <= value <= LAST_DAY:
            allowed = f"{FIRST_DAY.isoformat()} ≤ date ≤ {LAST_DAY.isoformat()}"
            raise self.out_of_range(key, shown or value.isoformat(), allowed)
        return value

    def optional_day(self, key: str, value: Any, *, month_end: bool = False) -> date | None:
        if isinstance(value, str) and not value.strip():
            return None
        return self.day(key, value, month_end=month_end)

    def region(self, key: str, value: Any) -> str:
        if not isinstance(value, str) or not re.fullmatch(r"\d{1,6}", value.strip()):
            raise self.fail(
                key,
                f"must be 1 to 6 digits of a region code in quotes, got {_show(value)}",
                'e.g. region = "13" (Hebei) or "130723" (one county)',
            )
        return value.strip()

    def categories(self, key: str, value: Any) -> tuple[str, ...]:
        if not isinstance(value, list):
            raise self.fail(key, f"must be a list, got {_show(value)}", _list_hint(CATEGORIES))
        self.bounded_list(key, value)
        out = tuple(self.choice(key, v, CATEGORIES) for v in value)
        if len(set(out)) != len(out):
            raise self.fail(key, "lists a category twice", "")
        return out

    def rule_id(self, key: str, rule: Any, label: str | None = None) -> str:
        if not isinstance(rule, str):
            raise self.fail(key, f"rule ids are text in quotes, got {_show(rule)}", "")
        self.bounded_text(key, rule)
        if self.known_rules is None:
            if not _RULE_SHAPE.match(rule):
                raise self.fail(
                    key,
                    f"{rule!r} is not a rule id (family.name, e.g. id.checksum)",
                    "`civaudit rules` lists them",
                    label=label,
                )
            return rule
        families = {r.split(".", 1)[0] for r in self.known_rules}
        if rule not in self.known_rules and rule not in families:
            near = difflib.get_close_matches(rule, sorted(self.known_rules), n=1, cutoff=0.6)
            hint = f"did you mean '{near[0]}'? " if near else ""
            raise self.fail(
                key, f"unknown rule {rule!r}", hint + "`civaudit rules` lists them", label=label
            )
        return rule

    def words(self, key: str, value: Any) -> tuple[str, ...]:
        """A list of non-empty texts, each once (``exempt_vehicles``)."""
        if not isinstance(value, list):
            raise self.fail(key, f"must be a list of texts, got {_show(value)}", 'e.g. ["摩托车"]')
        self.bounded_list(key, value)
        out = tuple(self.text(key, v).strip() for v in value)
        if not all(out):
            raise self.fail(key, "holds an empty text", "remove it or write a vehicle type")
        if len(set(out)) != len(out):
            raise self.fail(key, "lists a text twice", "")
        return out

    def ignore(self, key: str, value: Any) -> tuple[str, ...]:
        if not isinstance(value, list):
            raise self.fail(key, f"must be a list of rule ids, got {_show(value)}", "")
        self.bounded_list(key, value)
        return tuple(self.rule_id(key, v) for v in value)

    def severity(self, key: str, value: Any) -> FrozenMap:
        if not isinstance(value, dict):
            raise self.fail(
                key, f"must be a table, got {_show(value)}", 'e.g. { "id.masked" = "warning" }'
            )
        self.bounded_list(key, value)
        out = {}
        for rule, level in value.items():
            label = f'severity."{rule}"'
            self.rule_id(rule, rule, label)
            level = self.text(rule, level) if not isinstance(level, str) else level
            if level not in SEVERITIES:
                raise self.fail(
                    rule,
                    f"unknown severity {level!r}",
                    f"one of: {', '.join(SEVERITIES)}",
                    label=label,
                )
            out[rule] = level
        return FrozenMap(out)


def _header(line: str) -> tuple[str, bool] | None:
    if line.startswith("[["):
        end = line.find("]]")
        return (_unquote(line[2:end]), True) if end > 0 else None
    if line.startswith("["):
        end = line.find("]")
        return (_unquote(line[1:end]), False) if end > 0 else None
    return None


def _unquote(name: str) -> str:
    return name.strip().strip("\"'")


def _number(value: float) -> str:
    """A number as the policy would write it: 4800, 0.05, 1e+308."""
    return str(int(value)) if value == int(value) and abs(value) < 1e16 else repr(value)


def _show(value: Any) -> str:
    if isinstance(value, str):
        return f"text {value!r}"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (list, dict)):
        return "a list" if isinstance(value, list) else "a table"
    return repr(value)


def _list_hint(choices: tuple[str, ...]) -> str:
    return "e.g. [" + ", ".join(f'"{c}"' for c in choices[:2]) + "]"


def _k(name: str, check: Check, attr: str | None = None) -> _Key:
    return _Key(name, check, attr)


_POLICY_KEYS = (
    _k("name", _Validator.text),
    _k("as_of", _Validator.optional_day),
)
_STANDARD_KEYS = (
    _k("region", _Validator.region),
    _k("yearly", lambda v, k, x: _positive(v, k, x)),
    _k("from", _Validator.optional_day, attr="from_"),
)
_INCOME_KEYS = (
    _k("near_multiplier", _Validator.multiplier),
    _k("rounding", lambda v, k, x: v.choice(k, x, ROUNDING_MODES)),
    _k("tolerance", _Validator.amount),  # yuan per month
)
_DEDUCTION_KEYS = (
    *(
        _k(cap, lambda v, k, x: v.amount(k, x, within=YEARLY_CAP))
        for cap in ("medical_cap", "education_cap", "care_cap", "other_cap")
    ),
    _k("employment_rate", _Validator.rate),
    _k("employment_cap", lambda v, k, x: v.amount(k, x, within=YEARLY_CAP)),
    _k("total_ratio_cap", _Validator.rate),
    _k("expenditure_type_only", _Validator.flag),
)
_PHASEOUT_KEYS = (
    _k("months", _Validator.integer),
    _k("max_months", _Validator.integer),
    _k("until", lambda v, k, x: v.optional_day(k, x, month_end=True)),
    _k("ceiling_multiplier", _Validator.multiplier),
    _k("registered_poor_only", _Validator.flag),
    _k("step_down", _Validator.rate),
)
_SINGLE_KEYS = (
    _k("ceiling_multiplier", _Validator.multiplier),
    _k("categories", _Validator.categories),
    _k("benefit", lambda v, k, x: v.choice(k, x, SINGLE_BENEFITS)),
    _k("fixed_amount", _Validator.amount),
    _k("registered_poor_only", _Validator.flag),
)
_ADDON_KEYS = (
    _k("category", lambda v, k, x: v.choice(k, x, CATEGORIES)),
    _k("percent_of_standard", lambda v, k, x: v.amount(k, x, within=PERCENT)),
    _k("amount", _Validator.amount),
    _k("stack", _Validator.flag),
)
_EXTERNAL_KEYS = (_k("exempt_vehicles", _Validator.words),)
_RULES_KEYS = (
    _k("ignore", _Validator.ignore),
    _k("severity", _Validator.severity),
)
_SECTIONS = (
    "policy",
    "standard",
    "income",
    "deduction",
    "phaseout",
    "single_person",
    "addon",
    "external",
    "rules",
    "columns",
    "limits",
)


def _positive(v: _Validator, key: str, value: Any) -> float:
    if v.number(key, value, what="an amount in yuan", within=YEARLY_STANDARD) == 0:
        raise v.fail(key, "must be more than 0", "the yearly standard in yuan per person")
    return v.amount(key, value, within=YEARLY_STANDARD)
