"""Household structure, ages and the sheet's own totals rows.

One loader trap is undone here rather than reported twice: in a block or
member layout a second 户主 row starts a new block, so a household with two heads
arrives as two households, the second with no household cells of its own (or
the same household key). ``rules._common.continued`` finds those, and the size and
head checks count the two as one household.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from civaudit.normalize.arrow import arrow_mask, to_arrow
from civaudit.rules._common import ages, column, number, owners, repeat_cells, text
from civaudit.rules.registry import concat_hits, hits, no_hits, rule
from civaudit.schema import FIELD_BY_NAME

HEAD_MIN_AGE = 18
"""A head under this age is a finding (warning)."""
HEAD_CHILD_AGE = 16
"""Under this age the message says so: a child heading a household (still a
warning; domain.md calls it an error, but a 16-year-old head can be lawful when the
parents are dead or away, so the inspector decides)."""
MAX_AGE = 110
"""Older than this at the roster date is implausible."""
TOTALS_TOLERANCE = 0.5
"""Yuan (or persons) a totals cell may differ from the sum of its rows."""


@rule(
    id="household.size-mismatch",
    severity="error",
    needs=("households.household_size|households.covered_count",),
    title={"zh": "家庭人口与成员或保障人口不符", "en": "Household size does not add up"},
    description={
        "zh": "家庭人口与列出的成员行数不符，或保障人口大于家庭人口，或保障人口小于1。",
        "en": "The household size differs from the member rows listed, or covered persons "
        "exceed the household size, or are fewer than one.",
    },
    clause="花名册内部一致性 / roster consistency (1 <= 保障人口 <= 家庭人口)",
    message={
        "rows": {
            "zh": "家庭人口为 {household_size}，但列出了 {member_rows} 名成员",
            "en": "Household size is {household_size} but {member_rows} members are listed",
        },
        "covered-above": {
            "zh": "保障人口 {covered_count} 大于家庭人口 {household_size}",
            "en": "Covered persons {covered_count} exceed the household size {household_size}",
        },
        "covered-below": {
            "zh": "保障人口为 {covered_count}，至少应为1",
            "en": "Covered persons are {covered_count}; there must be at least one",
        },
    },
)
def size_mismatch(data) -> pd.DataFrame:
    h = data.households
    size, covered = number(h, "household_size"), number(h, "covered_count")
    owner = owners(data)
    rows = number(h, "member_rows").groupby(owner, dropna=True).sum(min_count=1)
    rows = owner.map(rows).astype("float64")
    is_owner = pd.Series(owner.to_numpy() == h.index.to_numpy(), index=h.index)
    evidence = {"household_size": size, "member_rows": rows, "covered_count": covered}
    return concat_hits(
        [
            hits(
                "households",
                is_owner & size.notna() & rows.notna() & size.ne(rows),
                field="household_size",
                variant="rows",
                **evidence,
            ),
            hits(
                "households",
                covered > size,
                field="covered_count",
                variant="covered-above",
                **evidence,
            ),
            hits(
                "households",
                covered < 1,
                field="covered_count",
                variant="covered-below",
                **evidence,
            ),
        ]
    )


def _no_member_rows(data):
    if data.facts.heads:  # some household counts its heads (the whole run's, in a shard)
        return None
    return {
        "zh": "花名册每户一行，没有逐人的与户主关系",
        "en": "the roster has one row per household: no relation to the head per member",
    }


@rule(
    id="household.head",
    severity="error",
    needs=("households.heads",),
    title={"zh": "户主缺失或多于一人", "en": "No head or several heads"},
    description={
        "zh": "一户中没有户主（户主/本人），或有不止一名户主。",
        "en": "A household has no member marked as head (户主/本人), or more than one.",
    },
    clause="花名册内部一致性 / roster consistency (每户一名户主)",
    message={
        "none": {
            "zh": "该户 {member_rows} 名成员中没有户主",
            "en": "None of the household's {member_rows} members is marked as head",
        },
        "several": {
            "zh": "该户有 {heads} 名户主（第 {rows} 行）",
            "en": "The household has {heads} heads (rows {rows})",
        },
    },
    skip=_no_member_rows,
)
def head_problem(data) -> pd.DataFrame:
    h, m = data.households, data.members
    owner = owners(data)
    heads = number(h, "heads").groupby(owner).sum(min_count=1)
    heads = owner.map(heads).astype("float64")
    rows = number(h, "member_rows").groupby(owner).sum(min_count=1)
    rows = owner.map(rows).astype("float64")
    is_owner = pd.Series(owner.to_numpy() == h.index.to_numpy(), index=h.index)
    none = hits(
        "households",
        is_owner & (heads == 0),
        field="relation",
        variant="none",
        heads=heads,
        member_rows=rows,
    )
    several = is_owner & (heads > 1)
    if not several.any():
        return none
    if "role" not in m or "hh" not in m or "hh" not in h:
        return concat_hits(
            [none, hits("households", several, variant="several", heads=heads, member_rows=rows)]
        )
    # The finding sits on the second head's row, where the extra 户主 is written; its
    # household and place are the owner's (a split-off block has none of its own).
    index_of_hh = pd.Series(h.index, index=h["hh"].to_numpy())
    member_owner = m["hh"].map(index_of_hh).map(owner)
    is_head = m["role"].isin(["head"]).to_numpy(dtype=bool)
    in_several = member_owner.map(several).fillna(False).astype(bool)
    heads_rows = m.loc[is_head & in_several, ["row"]].assign(_owner=member_owner)
    heads_rows = heads_rows.sort_values(["_owner", "row"], kind="stable")
    second = heads_rows.groupby("_owner", sort=False).cumcount() == 1
    listed = heads_rows.groupby("_owner", sort=False)["row"].agg(
        lambda r: ", ".join(str(int(x)) for x in r)
    )
    owner_place = {
        c: member_owner.map(column(h, c)) for c in ("household", "county", "town", "village")
    }
    return concat_hits(
        [
            none,
            hits(
                "members",
                second.reindex(m.index, fill_value=False),
                field="relation",
                variant="several",
                heads=member_owner.map(heads),
                member_rows=member_owner.map(rows),
                rows=member_owner.map(listed),
                **owner_place,
            ),
        ]
    )


@rule(
    id="household.head-minor",
    severity="warning",
    needs=("members.role", "members.id_birth|members.birth_date|members.age"),
    title={"zh": "户主未成年", "en": "Head of household under 18"},
    description={
        "zh": "户主在核查日期未满18周岁（未满16周岁时特别注明）。",
        "en": "The head is under 18 at the roster date (the message says so when under 16).",
    },
    clause="《民法典》第十七条、第十八条（成年与完全民事行为能力）",
    message={
        "under-18": {
            "zh": "户主{name}在核查日期年仅 {age} 岁，未满18周岁",
            "en": "Head of household {name} is {age} at the roster date, under 18",
        },
        "under-16": {
            "zh": "户主{name}在核查日期年仅 {age} 岁，未满16周岁",
            "en": "Head of household {name} is only {age} at the roster date, under 16",
        },
    },
)
def minor_head(data) -> pd.DataFrame:
    m = data.members
    known = ages(data)
    head = m["role"].isin(["head"]).to_numpy(dtype=bool)
    minor = head & (known["age"] < HEAD_MIN_AGE).fillna(False)
    variant = np.where(known["age"] < HEAD_CHILD_AGE, "under-16", "under-18")
    return hits(
        "members",
        minor,
        field=known["source"],
        variant=variant,
        age=known["age"],
        birth_date=known["birth"][minor].dt.strftime("%Y-%m-%d"),
    )


@rule(
    id="person.age-implausible",
    severity="warning",
    needs=("members.id_birth|members.birth_date|members.age",),
    title={"zh": "年龄不合常理", "en": "Implausible age"},
    description={
        "zh": "成员在核查日期超过110岁，或出生日期晚于核查日期。",
        "en": "A member is older than 110 at the roster date, or born after it.",
    },
    clause="GB 11643-1999（出生日期码）",
    message={
        "old": {
            "zh": "{name}在核查日期已 {age} 岁（出生日期 {birth_date}），超过110岁",
            "en": "{name} is {age} at the roster date (born {birth_date}), over 110",
        },
        "unborn": {
            "zh": "{name}的出生日期 {birth_date} 晚于核查日期 {as_of}",
            "en": "{name} was born {birth_date}, after the roster date {as_of}",
        },
    },
)
def implausible_age(data) -> pd.DataFrame:
    known = ages(data)
    as_of = pd.Timestamp(data.as_of)
    unborn = (known["birth"] > as_of).fillna(False) | (known["age"] < 0).fillna(False)
    old = (known["age"] > MAX_AGE).fillna(False) & ~unborn
    variant = np.where(unborn, "unborn", "old")
    found = old | unborn
    return hits(
        "members",
        found,
        field=known["source"],
        variant=variant,
        age=known["age"],
        birth_date=known["birth"][found].dt.strftime("%Y-%m-%d"),
        as_of=data.as_of.isoformat(),
    )


@rule(
    id="household.inconsistent-repeat",
    severity="warning",
    needs=("issues.issue", "issues.cell"),
    title={
        "zh": "同一户各成员行的户信息不一致",
        "en": "Household field differs between its member rows",
    },
    description={
        "zh": "每人一行的花名册在每名成员行上重复填写户的信息（家庭收入、保障金、人口等），"
        "同一户的这些值应当相同；每户只按户主行（没有户主时按第一行）的值读取一次。"
        "值不一致时报告该户，列出不一致的单元格；金额或人数不一致的户不再作收入和保障金核算。",
        "en": "A member-level roster repeats the household's fields (income, benefit, size...) "
        "on every member row, and the copies of one household must agree; each is read once, "
        "from the head's row (else the first). A household whose copies disagree is reported "
        "with the cells that differ; one whose amounts or counts disagree gets no income or "
        "benefit finding.",
    },
    clause="花名册内部一致性 / roster consistency (每户一个值)",
    message={
        "zh": "该户各成员行的{what}不一致：按 {read_cell} 的 {value} 读取，但 {cells}",
        "en": "The household's rows disagree on {what}: read as {value} from {read_cell}, "
        "but {cells}",
    },
)
def inconsistent_repeat(data) -> pd.DataFrame:
    cells = repeat_cells(data)
    if not len(cells):
        return no_hits()
    cells = cells.sort_values(["household_at", "field", "row"], kind="stable")
    shown = cells["cell"].astype(str) + " = " + cells["raw"].astype("object").map(str)
    group = [cells["household_at"].to_numpy(), cells["field"].to_numpy()]
    listed = shown.groupby(group, sort=False).agg(list)
    first = cells.groupby(group, sort=False).head(1)
    h = data.households.loc[first["household_at"].to_numpy()]
    value = pd.Series(None, index=first.index, dtype="object")
    for name in first["field"].unique():  # the value each household was read with
        here = (first["field"] == name).to_numpy()
        if name in h:
            got = h[name].iloc[np.flatnonzero(here)]
            if pd.api.types.is_datetime64_any_dtype(got):
                got = got.dt.strftime("%Y-%m")
            value[here] = got.astype("object").to_numpy()
    letters = data.columns
    if {"file", "sheet", "field", "column"} <= set(letters):
        letters = letters[letters["how"].isin(["alias", "user"])] if "how" in letters else letters
        letters = letters.drop_duplicates(["file", "sheet", "field"]).set_index(
            ["file", "sheet", "field"]
        )["column"]
        probe = pd.MultiIndex.from_arrays(
            [h["file"].to_numpy(), h["sheet"].to_numpy(), first["field"].to_numpy()]
        )
        letter = pd.Series(letters.reindex(probe).to_numpy(), index=first.index)
    else:
        letter = pd.Series(None, index=first.index, dtype="object")
    read_cell = letter.astype("string") + pd.Series(h["row"].to_numpy(), index=first.index).astype(
        "Int64"
    ).astype("string")
    fields = first["field"].astype("object")
    labels = {k: (f.zh, f.en) for k, f in FIELD_BY_NAME.items()}
    return hits(
        "issues",
        pd.Series(True, index=first.index),
        cell=first["cell"],
        field=fields,
        value=value,
        read_cell=read_cell.astype("object"),
        cells=pd.Series(listed.to_numpy(), index=first.index),
        _what_zh=fields.map(lambda f: labels.get(f, (f, f))[0]),
        _what_en=fields.map(lambda f: labels.get(f, (f, f))[1]),
    )


STOPPED = r"停保|停发|暂停|终止|退保|退出|注销|取消|迁出|死亡|已故|去世|身故"
"""Words of a 保障状态 or 停保原因 cell that say the household is no longer to be paid
(a phase-out, 渐退, is still paid and matches none of them)."""
_DECEASED = r"死亡|已故|去世|身故"


@rule(
    id="household.stopped-paid",
    severity="warning",
    needs=("households.benefit_month", "households.status|households.stop_reason"),
    title={"zh": "已停保或死亡仍记保障金", "en": "Stopped or deceased yet a benefit recorded"},
    description={
        "zh": "保障状态或停保原因写明停保、终止、退出、注销或死亡，该户却仍记有大于零的月保障金"
        "（已停保仍发放、死亡未退出）。整表都是停保户的（停保名单）不报。",
        "en": "The status or stop-reason cell says the household is stopped, ended, withdrawn, "
        "cancelled or deceased, yet a monthly benefit above zero is recorded for it (paid "
        "after stopping; deceased not removed). A sheet of stopped households only (a list "
        "of those stopped) is not reported.",
    },
    clause="国务院令第649号（社会救助暂行办法）（停发最低生活保障金）",
    message={
        "stopped": {
            "zh": "标为“{marked}”，仍记有月保障金 {benefit_month}",
            "en": "Marked '{marked}', yet a monthly benefit of {benefit_month} is recorded",
        },
        "deceased": {
            "zh": "记为“{marked}”（死亡），仍记有月保障金 {benefit_month}",
            "en": "Recorded as '{marked}' (deceased), yet a monthly benefit of {benefit_month} "
            "is recorded",
        },
    },
)
def stopped_paid(data) -> pd.DataFrame:
    h = data.households
    status, reason = text(h, "status"), text(h, "stop_reason")
    by_status, by_reason = _says_stopped(status), _says_stopped(reason)
    stopped = by_status | by_reason
    if not stopped.any():  # the usual roster: no household marked, nothing more to do
        return no_hits()
    # a sheet whose every household is stopped lists them (停保名单 with the amount
    # they had): only a pay roster that still holds a stopped household is a finding
    where = pd.DataFrame({"file": column(h, "file"), "sheet": column(h, "sheet")})
    active = pd.MultiIndex.from_frame(where[~stopped].drop_duplicates())
    benefit = number(h, "benefit_month")
    hit = np.flatnonzero(stopped & (benefit > 0).to_numpy())
    hit = hit[pd.MultiIndex.from_frame(where.iloc[hit]).isin(active)]
    at = h.index[hit]  # the evidence is built on the hits only
    status, reason, named = status.iloc[hit], reason.iloc[hit], by_status[hit]
    marked = status.where(named, reason)
    deceased = marked.str.contains(_DECEASED).fillna(False).astype(bool).to_numpy()
    return hits(
        "households",
        pd.Series(True, index=at),
        field=pd.Series(np.where(named, "status", "stop_reason"), index=at),
        variant=pd.Series(np.where(deceased, "deceased", "stopped"), index=at),
        _marked=marked.astype("object"),  # the message's words; the evidence has the cells
        status=status.astype("object"),
        stop_reason=reason.astype("object"),
        benefit_month=benefit.iloc[hit],
    )


def _says_stopped(values: pd.Series) -> np.ndarray:
    """Which cells hold a word of ``STOPPED`` (Arrow's regex over the column at once)."""
    if not values.notna().any():
        return np.zeros(len(values), dtype=bool)
    return arrow_mask(pc.match_substring_regex(to_arrow(values), STOPPED))


_SUBTOTAL = r"小计|本页"
# a printed roster's running total, page by page (本页小计 then 累计): every row above it
_CUMULATIVE = r"累计"


def _sums(rows: np.ndarray, values: np.ndarray, lo: np.ndarray, hi: np.ndarray):
    """Sum and count of ``values`` whose row is strictly between lo and hi (rows sorted)."""
    known = ~np.isnan(values)
    csum = np.concatenate([[0.0], np.cumsum(np.where(known, values, 0.0))])
    ccount = np.concatenate([[0], np.cumsum(known)])
    a = np.searchsorted(rows, lo, side="right")
    b = np.searchsorted(rows, hi, side="left")
    b = np.maximum(a, b)
    return csum[b] - csum[a], ccount[b] - ccount[a], b - a


@rule(
    id="roster.totals-mismatch",
    severity="warning",
    needs=("totals.label",),
    title={"zh": "合计/小计与明细不符", "en": "Totals row does not match its rows"},
    description={
        "zh": "合计/总计行与本表数据行之和不符，小计/本页小计行与上一小计以来各行之和不符，"
        "或累计行与其上各行之和不符（允许相差0.5）。",
        "en": "A 合计/总计 row differs from the sum of its sheet's data rows, a 小计/本页小计 "
        "row from the rows since the previous subtotal, or a 累计 row from the rows above it "
        "(by more than 0.5).",
    },
    clause="花名册内部一致性 / roster consistency (合计 = 明细之和)",
    message={
        "total": {
            "zh": "“{label}”行的{what}为 {recorded}，本表数据行合计为 {computed}",
            "en": "'{label}' row: {what} is {recorded}, the sheet's data rows add up to {computed}",
        },
        "subtotal": {
            "zh": "“{label}”行的{what}为 {recorded}，上一小计以来各行合计为 {computed}",
            "en": "'{label}' row: {what} is {recorded}, the rows since the previous subtotal "
            "add up to {computed}",
        },
        "cumulative": {
            "zh": "“{label}”行的{what}为 {recorded}，本表其上各行合计为 {computed}",
            "en": "'{label}' row: {what} is {recorded}, the sheet's rows above it add up to "
            "{computed}",
        },
    },
)
def totals_mismatch(data) -> pd.DataFrame:
    t = data.totals
    fields = [
        c for c in t.columns if c in FIELD_BY_NAME and FIELD_BY_NAME[c].kind in ("money", "count")
    ]
    if not len(t) or not fields:
        return no_hits()
    # Every sheet at once: a row's place is sheet code x _ROWS + Excel row, so one
    # sorted cumulative sum answers "the sum of the rows between a and b" everywhere.
    tables = {"households": data.households, "members": data.members}
    present = {name: frame for name, frame in tables.items() if len(frame)}
    codes = _sheet_codes([t, *present.values()])
    t_code, keys = codes[0], dict(zip(present, codes[1:], strict=True))
    order = np.lexsort((number(t, "row").to_numpy(), t_code))
    t, t_code = t.iloc[order], t_code[order]
    code = t_code.astype(np.float64) * _ROWS
    label = text(t, "label").fillna("")
    is_sub = label.str.contains(_SUBTOTAL, regex=True).fillna(False).astype(bool).to_numpy()
    is_cum = ~is_sub & label.str.contains(_CUMULATIVE).fillna(False).astype(bool).to_numpy()
    is_total = ~is_sub & ~is_cum
    trows = number(t, "row").to_numpy()
    groups = t_code
    prev_sub = _previous(np.where(is_sub, trows, np.nan), groups)
    prev_tot = _previous(np.where(is_total, trows, np.nan), groups)
    lo_since = code + np.nan_to_num(np.where(is_sub, prev_sub, prev_tot), nan=0.0)
    hi = code + trows
    several_totals = pd.Series(is_total).groupby(groups).transform("sum").to_numpy() > 1
    parts = []
    for field in fields:
        table = "members" if FIELD_BY_NAME[field].level == "member" else "households"
        if table not in keys or field not in tables[table]:
            continue
        source = tables[table]
        place = keys[table].astype(np.float64) * _ROWS + number(source, "row").to_numpy()
        sort = np.argsort(place, kind="stable")
        rows = place[sort]
        values = number(source, field).to_numpy()[sort]
        whole, n_whole, _ = _sums(rows, values, code, code + _ROWS - 1)
        since, n_since, _ = _sums(rows, values, lo_since, hi)
        above, n_above, _ = _sums(rows, values, code, hi)
        recorded = number(t, field).to_numpy()
        computed = np.select([is_sub, is_cum], [since, above], whole)
        counted = np.select([is_sub, is_cum], [n_since, n_above], n_whole)
        off = np.abs(recorded - computed) > TOTALS_TOLERANCE
        # several 合计 rows in one sheet (one per village, say) may each total only
        # the rows since the previous one
        off &= ~several_totals | ~is_total | (np.abs(recorded - since) > TOTALS_TOLERANCE)
        bad = pd.Series(~np.isnan(recorded) & (counted > 0) & off, index=t.index)
        name = FIELD_BY_NAME[field]
        parts.append(
            hits(
                "totals",
                bad,
                field=field,
                variant=pd.Series(
                    np.select([is_sub, is_cum], ["subtotal", "cumulative"], "total"), index=t.index
                ),
                label=label,
                recorded=pd.Series(recorded, index=t.index),
                computed=pd.Series(np.round(computed, 2), index=t.index),
                difference=pd.Series(np.round(recorded - computed, 2), index=t.index),
                rows=pd.Series(counted, index=t.index),
                _what_zh=name.zh,
                _what_en=name.en,
            )
        )
    return concat_hits(parts)


_ROWS = 10_000_000  # more rows than any sheet holds (Excel stops at 1,048,576)


def _sheet_codes(frames: list[pd.DataFrame]) -> list[np.ndarray]:
    """One integer per (file, sheet), shared by all ``frames``: factorised once over
    their concatenation rather than by joining strings row by row."""
    lengths = [len(f) for f in frames]
    files = pd.factorize(pd.concat([column(f, "file") for f in frames], ignore_index=True))[0]
    sheets = pd.factorize(pd.concat([column(f, "sheet") for f in frames], ignore_index=True))[0]
    pairs = pd.factorize(files.astype(np.int64) * (sheets.max() + 2) + sheets)[0]
    return np.split(pairs, np.cumsum(lengths)[:-1])


def _previous(values: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """For each position, the last non-NaN value before it in the same group."""
    series = pd.Series(values)
    return series.groupby(groups).shift().groupby(groups).ffill().to_numpy()
