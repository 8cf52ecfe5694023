"""Rules that need an external list (``--against KIND=FILE``).

Each list comes from ``civaudit.external.load_list``: one row per list row, with
``list_file``, ``list_sheet``, ``list_row`` and the 18-digit ``id_number``. A
member matches a list row when their IDs are equal (a 15-digit ID in either file
was already converted to its 18-digit form); the match is one merge of the
roster's IDs with the list's, never a loop. Blank, masked, number-damaged and
malformed IDs take no part (``external.MATCHABLE``): an accidental match would
accuse the wrong person.

A member found on a list several times gets one finding, pointing at the first
matching list row (file, sheet, row order) so an inspector can open both files;
the evidence says how many list rows matched where that matters (vehicles,
businesses, dwellings).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from civaudit.external import MATCHABLE
from civaudit.idcard import check_ids
from civaudit.normalize import clean_text
from civaudit.rules._common import STRING, column, number, text
from civaudit.rules.registry import hits, no_hits, rule

STATE_649 = "国务院令第649号（社会救助暂行办法）"
_ROSTER_ID = "members.id_number"

COVERAGE_OUTLIER_MULTIPLE = 2.0
"""A village is flagged when its recipients per population exceed this multiple of
the median over the villages given..."""
COVERAGE_MIN_VILLAGES = 3
"""...and at least this many villages have both recipients and a population (a
median of one or two villages says nothing)."""

_LIST_PLACE = ("list_file", "list_sheet", "list_row")
_WHERE_EN = "{list_file}, sheet {list_sheet}, row {list_row}"
_WHERE_ZH = "{list_file}，工作表 {list_sheet} 第 {list_row} 行"

# Words an illness column uses for "none" (a 健康状况 column says 健康).
_NOT_ILL = ("无", "否", "没有", "健康", "良好", "正常", "无病", "/", "-", "—", "0")
_VILLAGE_SUFFIX = re.compile(r"(村民委员会|村委会|居民委员会|居委会)$")


# --- matching -------------------------------------------------------------------------


def _status_column(key: str) -> str:
    return "id_status" if key == "id_number" else f"{key}_status"


def _usable(frame: pd.DataFrame, key: str) -> pd.Series:
    """Rows of ``frame`` whose ``key`` ID may take part in a match."""
    ids = text(frame, key)
    name = _status_column(key)
    # a frame built by hand may have no status column: check its IDs here
    status = text(frame, name) if name in frame else check_ids(ids)["id_status"].astype(STRING)
    return (ids.notna() & status.isin(MATCHABLE)).fillna(False).astype(bool)


def _roster_ids(data) -> pd.DataFrame:
    """Members with a matchable ID: ``_ref`` (member index) and ``_id``."""
    m = data.members
    keep = _usable(m, "id_number")
    return pd.DataFrame(
        {"_ref": m.index[keep.to_numpy()], "_id": text(m, "id_number")[keep].to_numpy(object)}
    )


def _list_ids(frame: pd.DataFrame, key: str) -> pd.DataFrame:
    """List rows with a matchable ``key`` ID, as ``_id`` plus the list's columns."""
    keep = _usable(frame, key)
    out = frame.loc[keep.to_numpy()].copy()
    out["_id"] = text(out, key).to_numpy(object)
    out["_list"] = out.index
    return out


def _pairs(data, kind: str, key: str = "id_number") -> pd.DataFrame:
    """Every (member, list row) with equal IDs, list rows in file, sheet, row order."""
    pairs = _roster_ids(data).merge(_list_ids(data.against[kind], key), on="_id", how="inner")
    return pairs.sort_values(["_ref", *_LIST_PLACE], kind="stable")


def _first(pairs: pd.DataFrame) -> pd.DataFrame:
    """The first pair per member (index = member), with ``_count`` pairs in all."""
    counts = pairs.groupby("_ref", sort=False).size()
    first = pairs.drop_duplicates("_ref").set_index("_ref")
    first["_count"] = counts.reindex(first.index)
    return first


def _member_hits(data, first: pd.DataFrame, **columns) -> pd.DataFrame:
    """One hit per member in ``first`` on its roster ID cell, naming the list row."""
    if not len(first):
        return no_hits()
    m = data.members
    mask = pd.Series(m.index.isin(first.index), index=m.index)
    place = {c: first[c] for c in _LIST_PLACE}
    extra = {k: (column(first, v) if isinstance(v, str) else v) for k, v in columns.items()}
    return hits("members", mask, field="id_number", **place, **extra)


def _simple(data, kind: str, **columns) -> pd.DataFrame:
    pairs = _pairs(data, kind)
    return _member_hits(data, _first(pairs), **columns) if len(pairs) else no_hits()


def _where(en: str, zh: str) -> dict[str, str]:
    return {"en": en.replace("{where}", _WHERE_EN), "zh": zh.replace("{where}", _WHERE_ZH)}


# --- the rules --------------------------------------------------------------------------


@rule(
    id="ext.deceased",
    severity="error",
    needs=("against.deaths", _ROSTER_ID),
    title={"zh": "已死亡仍在享受", "en": "Deceased person still listed"},
    description={
        "zh": "成员在死亡名单上，死亡日期不晚于核查月份（死亡未退出）。",
        "en": "A member is on the deaths list with a death date on or before the roster month.",
    },
    clause=STATE_649,
    message={
        "dated": _where(
            "On the deaths list ({where}): died {death_date}, on or before {as_of}",
            "在死亡名单上（{where}）：{death_date} 死亡，不晚于核查日期 {as_of}",
        ),
        "undated": _where(
            "On the deaths list ({where}) with no readable death date",
            "在死亡名单上（{where}），名单没有可读的死亡日期",
        ),
    },
)
def deceased(data) -> pd.DataFrame:
    pairs = _pairs(data, "deaths")
    if not len(pairs):
        return no_hits()
    died = pd.to_datetime(column(pairs, "death_date"), errors="coerce")
    dated = (died <= pd.Timestamp(data.as_of)).fillna(False).astype(bool)
    undated = died.isna()
    pairs = pairs.assign(_undated=undated, _died=died)[dated | undated]
    # a dated row beats an undated one, the earliest death first
    pairs = pairs.sort_values(["_ref", "_undated", "_died", *_LIST_PLACE], kind="stable")
    first = _first(pairs)
    return _member_hits(
        data,
        first,
        death_date=first["_died"].dt.date.astype("object").where(first["_died"].notna(), None),
        as_of=data.as_of,
        variant=pd.Series(np.where(first["_undated"], "undated", "dated"), index=first.index),
    )


@rule(
    id="ext.tekun",
    severity="error",
    needs=("against.tekun", _ROSTER_ID),
    title={"zh": "同时享受低保和特困供养", "en": "Also on the extremely-poor (特困) roster"},
    description={
        "zh": "成员同时在特困人员供养名单上，不得同时享受低保。",
        "en": "A member is also on the extremely-poor (特困) roster and may not draw dibao too.",
    },
    clause=STATE_649,
    message=_where("Also on the 特困 roster ({where})", "同时在特困供养名单上（{where}）"),
)
def tekun(data) -> pd.DataFrame:
    return _simple(data, "tekun")


@rule(
    id="ext.public-employee",
    severity="error",
    needs=("against.payroll", _ROSTER_ID),
    title={"zh": "财政供养人员享受低保", "en": "Public employee on the roster"},
    description={
        "zh": "成员在财政供养人员名单上。",
        "en": "A member is on a public payroll (财政供养).",
    },
    clause=STATE_649,
    message=_where(
        "On the public payroll ({where}; employer: {employer})",
        "在财政供养人员名单上（{where}；单位：{employer}）",
    ),
)
def public_employee(data) -> pd.DataFrame:
    return _simple(data, "payroll", employer="employer")


@rule(
    id="ext.cadre",
    severity="error",
    needs=("against.cadres", _ROSTER_ID),
    title={"zh": "村干部本人享受低保", "en": "Village cadre on the roster"},
    description={
        "zh": "村干部或经办人员本人是低保对象。",
        "en": "A village cadre or caseworker is a recipient.",
    },
    clause=STATE_649,
    message=_where(
        "Is a cadre on the cadres list ({where}; post: {position})",
        "本人在村干部名单上（{where}；职务：{position}）",
    ),
)
def cadre(data) -> pd.DataFrame:
    return _simple(data, "cadres", position="position")


def _no_relatives(data):
    cadres = data.against["cadres"]
    if "relative_id" in cadres and _usable(cadres, "relative_id").any():
        return None
    return {
        "zh": "干部名单没有可用的亲属身份证号（亲属身份证号列）",
        "en": "the cadres list gives no relative's ID number (亲属身份证号 column)",
    }


@rule(
    id="ext.cadre-relative-unfiled",
    severity="error",
    needs=("against.cadres", "against.filings", _ROSTER_ID),
    title={"zh": "干部近亲属享受低保未备案", "en": "Cadre's relative not filed"},
    description={
        "zh": "成员是村干部或经办人员的近亲属，没有备案记录。",
        "en": "A member is a close relative of a village cadre or caseworker with no filing "
        "record.",
    },
    clause="国发〔2012〕45号（近亲属享受低保备案制度）",
    message=_where(
        "Relative ({relation}) of cadre {cadre_name} on the cadres list ({where}), "
        "with no filing record",
        "是村干部{cadre_name}的近亲属（{relation}；干部名单 {where}），没有备案记录",
    ),
    skip=_no_relatives,
)
def cadre_relative_unfiled(data) -> pd.DataFrame:
    pairs = _pairs(data, "cadres", key="relative_id")
    if not len(pairs):
        return no_hits()
    pairs = pairs.assign(_pair=np.arange(len(pairs)))
    pairs["_cadre"] = text(pairs, "id_number").where(_usable(pairs, "id_number")).to_numpy(object)
    filings = _list_ids(data.against["filings"], "id_number")
    filed_on = pd.to_datetime(column(filings, "filing_date"), errors="coerce")
    in_time = (filed_on <= pd.Timestamp(data.as_of)) | filed_on.isna()
    their_cadre = text(filings, "cadre_id").where(_usable(filings, "cadre_id"))
    filings = pd.DataFrame(
        {
            "_id": filings["_id"].to_numpy(object),
            "_filed_cadre": their_cadre.to_numpy(object),
            "_in_time": in_time.to_numpy(bool),
        }
    )
    joined = pairs[["_pair", "_id", "_cadre"]].merge(filings, on="_id", how="inner")
    # a filing names the relative; when it also names the cadre, it must be this cadre
    same_cadre = (
        joined["_filed_cadre"].isna()
        | joined["_cadre"].isna()
        | joined["_filed_cadre"].eq(joined["_cadre"])
    )
    filed = joined.loc[(same_cadre & joined["_in_time"]).to_numpy(bool), "_pair"].unique()
    unfiled = pairs[~pairs["_pair"].isin(filed)]
    first = _first(unfiled)
    return _member_hits(
        data,
        first,
        cadre_name="name",
        cadre_id="_cadre",
        relation="relation",
    )


@rule(
    id="ext.vehicle",
    severity="warning",
    needs=("against.vehicles", _ROSTER_ID),
    title={"zh": "拥有非必需机动车", "en": "Owns a non-exempt vehicle"},
    description={
        "zh": "成员名下有非生产必需的机动车。",
        "en": "A member owns a non-exempt vehicle.",
    },
    clause=STATE_649 + " 第九条（家庭财产状况）",
    message=_where(
        "Owns a vehicle of type {vehicle_type} ({plate}) on the vehicles list ({where}), "
        "not an exempt type",
        "名下有{vehicle_type}（{plate}；车辆名单 {where}），不属于免计车辆",
    ),
)
def vehicle(data) -> pd.DataFrame:
    pairs = _pairs(data, "vehicles")
    if not len(pairs):
        return no_hits()
    kinds = clean_text(text(pairs, "vehicle_type"), squeeze_spaces=True)
    words = [w for w in data.policy.external.exempt_vehicles if w]
    exempt = pd.Series(False, index=pairs.index)
    if words:
        pattern = "|".join(re.escape(w) for w in words)
        exempt = kinds.str.contains(pattern, regex=True).fillna(False).astype(bool)
    first = _first(pairs[~exempt.to_numpy(bool)])
    return _member_hits(data, first, vehicle_type="vehicle_type", plate="plate", vehicles="_count")


@rule(
    id="ext.business",
    severity="warning",
    needs=("against.business", _ROSTER_ID),
    title={"zh": "登记经营实体", "en": "Runs a registered business"},
    description={"zh": "成员登记有工商经营实体。", "en": "A member runs a registered business."},
    clause=STATE_649 + " 第九条（家庭财产状况）",
    message=_where(
        "Registered business {business_name} ({credit_code}) on the business list ({where})",
        "登记有经营实体{business_name}（{credit_code}；工商名单 {where}）",
    ),
)
def business(data) -> pd.DataFrame:
    return _simple(
        data,
        "business",
        business_name="business_name",
        credit_code="credit_code",
        businesses="_count",
    )


@rule(
    id="ext.housing",
    severity="warning",
    needs=("against.housing", _ROSTER_ID),
    title={"zh": "拥有商品住房", "en": "Owns commercial housing"},
    description={"zh": "成员名下有商品住房。", "en": "A member owns commercial housing."},
    clause=STATE_649 + " 第九条（家庭财产状况）",
    message=_where(
        "Owns housing at {housing_address} ({housing_cert}, {floor_area} m²) on the housing "
        "list ({where})",
        "名下有住房：{housing_address}（{housing_cert}，{floor_area} 平方米；房产名单 {where}）",
    ),
)
def housing(data) -> pd.DataFrame:
    return _simple(
        data,
        "housing",
        housing_address="housing_address",
        housing_cert="housing_cert",
        floor_area="floor_area",
        dwellings="_count",
    )


# --- missed eligible: a household of the list, not of the roster ------------------------


@rule(
    id="ext.missed-eligible",
    severity="warning",
    needs=("against.low-income", _ROSTER_ID),
    title={"zh": "疑似漏保", "en": "Possibly eligible but not listed"},
    description={
        "zh": "低收入或建档立卡名单上的家庭，有重度残疾或重病成员，或收入低于标准，"
        "却不在低保花名册上。",
        "en": "A household on the low-income or registered-poor list, with a severely disabled "
        "or ill member or income below the standard, is not on the roster.",
    },
    clause=STATE_649 + " 第九条",
    message=_where(
        "On the low-income list ({where}) with {why}, but on no roster given",
        "在低收入名单上（{where}），{why}，却不在所给的花名册上",
    ),
)
def missed_eligible(data) -> pd.DataFrame:
    lst = data.against["low-income"]
    if not len(lst):
        return no_hits()
    key = _household_key(lst)
    rows = lst.assign(_key=key.to_numpy(object))[key.notna().to_numpy(bool)]
    if not len(rows):
        return no_hits()
    roster = pd.concat(
        [text(data.members, "id_number"), text(data.households, "head_id_number")]
    ).dropna()
    on_roster = text(rows, "id_number").isin(roster) | text(rows, "head_id").isin(roster)
    on_roster = on_roster.fillna(False).astype(bool).groupby(rows["_key"]).any()

    grade = number(rows, "disability_grade")
    mind = text(rows, "disability_type").isin(["intellectual", "mental"]).fillna(False)
    severe = ((grade <= 2) | ((grade == 3) & mind)).fillna(False).astype(bool)
    illness = text(rows, "illness").str.strip()
    ill = (illness.notna() & ~illness.isin(_NOT_ILL)).fillna(False).astype(bool)
    severe = severe.groupby(rows["_key"]).any()
    ill = ill.groupby(rows["_key"]).any()

    pc_month = _pc_income_month(rows).groupby(rows["_key"]).first()
    lead = _representative(rows)
    region = text(lead, "id_number").str.slice(0, 6)
    standard = data.policy.standard_for(region, data.as_of) / 12
    below = (pc_month.reindex(lead.index) < standard).fillna(False).astype(bool)

    severe, ill = severe.reindex(lead.index), ill.reindex(lead.index)
    missed = (severe | ill | below) & ~on_roster.reindex(lead.index).fillna(False)
    lead = lead[missed.to_numpy(bool)]
    if not len(lead):
        return no_hits()
    pc = pc_month.reindex(lead.index).round(2)
    std = standard.reindex(lead.index).round(2)
    why_en, why_zh = _why(severe[lead.index], ill[lead.index], below[lead.index], pc, std)
    frame = lead.reset_index(drop=True).set_index("_list")
    mask = pd.Series(True, index=frame.index)
    values = {
        "file": text(frame, "list_file"),
        "sheet": text(frame, "list_sheet"),
        "row": number(frame, "list_row"),
        "person": text(frame, "id_number"),
        "name": text(frame, "name").fillna(text(frame, "head_name")),
        "household": pd.Series(lead.index.to_numpy(object), index=frame.index),
        "county": text(frame, "county"),
        "town": text(frame, "town"),
        "village": text(frame, "village"),
    }
    evidence = {
        "severe_disability": severe[lead.index],
        "serious_illness": ill[lead.index],
        "pc_income_month": pc,
        "standard_month": std,
        "_why_en": why_en,
        "_why_zh": why_zh,
    }
    return hits(
        "lists",
        mask,
        **values,
        list_file=values["file"],
        list_sheet=values["sheet"],
        list_row=values["row"].astype("Int64"),
        **{k: pd.Series(v.to_numpy(), index=frame.index) for k, v in evidence.items()},
    )


def _household_key(lst: pd.DataFrame) -> pd.Series:
    """A household per list row: the head's ID; in a block where the head's cells are
    merged over the member rows, the head's ID carried down; else the row's own ID."""
    own = text(lst, "id_number").where(_usable(lst, "id_number"))
    head = text(lst, "head_id").where(_usable(lst, "head_id"))
    role = text(lst, "role")
    is_head = role.eq("head").fillna(False).astype(bool)
    member = role.notna() & ~is_head
    anchor = head.fillna(own.where(is_head))
    sheet = text(lst, "list_file").fillna("") + "\x1f" + text(lst, "list_sheet").fillna("")
    carried = anchor.groupby(sheet.to_numpy(object)).ffill()
    anchor = anchor.fillna(carried.where(member.fillna(False).astype(bool)))
    return anchor.fillna(own)


def _pc_income_month(rows: pd.DataFrame) -> pd.Series:
    """Recorded per-capita monthly income per row: the monthly figure, else the yearly one
    / 12, else the household's yearly total / size / 12, else the members' own incomes."""
    size = number(rows, "household_size").where(lambda s: s > 0)
    pc = number(rows, "per_capita_income_month")
    pc = pc.fillna(number(rows, "per_capita_income_year") / 12)
    pc = pc.fillna(number(rows, "gross_income_year") / size / 12)
    own = number(rows, "income_year")
    if own.notna().any():
        key = rows["_key"]
        listed = own.notna().groupby(key).transform("any")
        total = own.groupby(key).transform("sum")
        people = size.groupby(key).transform("first").fillna(key.map(key.value_counts()))
        pc = pc.fillna((total / people / 12).where(listed))
    return pc


def _representative(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per household (index = household key): the head's row, else the first."""
    not_head = ~text(rows, "id_number").eq(rows["_key"]).fillna(False).astype(bool)
    order = rows.assign(_not_head=not_head.to_numpy(bool), _list=rows.index)
    order = order.sort_values(["_key", "_not_head", *_LIST_PLACE], kind="stable")
    lead = order.drop_duplicates("_key").set_index("_key")
    for place in ("county", "town", "village", "head_name"):
        if place in rows:  # a place or name written on another row of the household
            lead[place] = text(lead, place).fillna(
                text(rows, place).groupby(rows["_key"]).first().reindex(lead.index)
            )
    return lead


def _why(severe, ill, below, pc, standard) -> tuple[pd.Series, pd.Series]:
    """The reasons as message text, built column-wise."""
    index = severe.index
    pc, standard = _amount_text(pc), _amount_text(standard)
    amounts_en = "income " + pc + " a month, below the standard " + standard
    amounts_zh = "月人均收入 " + pc + " 元，低于标准 " + standard + " 元"
    parts_en = [
        pd.Series(np.where(severe, "a severely disabled member", None), index=index),
        pd.Series(np.where(ill, "a seriously ill member", None), index=index),
        amounts_en.where(below.to_numpy(bool)),
    ]
    parts_zh = [
        pd.Series(np.where(severe, "有重度残疾成员", None), index=index),
        pd.Series(np.where(ill, "有重病成员", None), index=index),
        amounts_zh.where(below.to_numpy(bool)),
    ]
    return _join(parts_en, "; "), _join(parts_zh, "，")


def _amount_text(values: pd.Series) -> pd.Series:
    """400 not 400.0, 266.67 not 266.666... (for the few households reported)."""
    shown = values.map(lambda v: f"{v:.2f}".rstrip("0").rstrip("."), na_action="ignore")
    return shown.astype(STRING)


def _join(parts: list[pd.Series], sep: str) -> pd.Series:
    out = pd.Series(pd.NA, index=parts[0].index, dtype=STRING)
    for part in parts:
        part = part.astype(STRING)
        out = (out + sep + part).fillna(out).fillna(part)
    return out


# --- village coverage ------------------------------------------------------------------


@rule(
    id="village.coverage-outlier",
    severity="info",
    needs=("against.population", "households.village"),
    title={"zh": "村低保覆盖率异常", "en": "Village coverage far above the county"},
    description={
        "zh": "一个村的低保对象占人口的比例远高于全县中位数。",
        "en": "A village's recipients per population are far above the county median.",
    },
    clause="核查实务 / inspection practice（覆盖率异常）",
    message={
        "en": "{village}: {recipients} recipients for a population of {population} "
        "({percent}%), above {multiple} x the median of the villages ({median_percent}%)",
        "zh": "{village}低保对象 {recipients} 人，户籍人口 {population} 人（{percent}%），"
        "超过各村中位数（{median_percent}%）的 {multiple} 倍",
    },
)
def coverage_outlier(data) -> pd.DataFrame:
    h = data.households
    pop = data.against["population"]
    if not len(h) or not len(pop):
        return no_hits()
    use_town = text(h, "town").notna().any() and text(pop, "town").notna().any()
    keys = ["_town", "_village"] if use_town else ["_village"]

    recipients = number(data.assessed, "covered").reindex(h.index)
    for fallback in ("covered_count", "household_size", "member_rows"):
        recipients = recipients.fillna(number(h, fallback))
    order = h.sort_values(["file", "sheet", "row"], kind="stable").index
    roster = pd.DataFrame(
        {"_ref": order, "_recipients": recipients.loc[order].to_numpy(), **_places(h.loc[order])}
    ).dropna(subset=keys)
    villages = roster.groupby(keys, sort=False).agg(
        recipients=("_recipients", "sum"), _ref=("_ref", "first")
    )

    listed = pop.sort_values(list(_LIST_PLACE), kind="stable")
    listed = pd.DataFrame(
        {
            "_population": number(listed, "population").to_numpy(),
            "_shown_village": text(listed, "village").to_numpy(object),
            "_shown_town": text(listed, "town").to_numpy(object),
            **{c: listed[c].to_numpy(object) for c in _LIST_PLACE},
            **_places(listed),
        }
    ).dropna(subset=keys)
    population = listed.groupby(keys, sort=False).agg(
        population=("_population", "sum"),
        village=("_shown_village", "first"),
        town=("_shown_town", "first"),
        **{c: (c, "first") for c in _LIST_PLACE},
    )
    both = villages.join(population, how="inner")
    both = both[(both["population"] > 0) & both["recipients"].notna()]
    if len(both) < COVERAGE_MIN_VILLAGES:
        return no_hits()
    rate = both["recipients"] / both["population"]
    median = float(rate.median())
    flagged = both[(rate > COVERAGE_OUTLIER_MULTIPLE * median).to_numpy(bool)] if median > 0 else []
    if not len(flagged):
        return no_hits()
    flagged = flagged.assign(rate=rate[flagged.index]).set_index("_ref")
    mask = pd.Series(h.index.isin(flagged.index), index=h.index)
    return hits(
        "households",
        mask,
        scope="village",
        recipients=flagged["recipients"],
        population=flagged["population"],
        rate=flagged["rate"].round(4),
        median_rate=round(median, 4),
        multiple=COVERAGE_OUTLIER_MULTIPLE,
        list_file=flagged["list_file"],
        list_sheet=flagged["list_sheet"],
        list_row=flagged["list_row"],
        _percent=(flagged["rate"] * 100).round(1),
        _median_percent=round(median * 100, 1),
    )


def _places(frame: pd.DataFrame) -> dict[str, np.ndarray]:
    """Village and town names compared alike: cleaned, without 村委会-style suffixes."""
    out = {}
    for name in ("town", "village"):
        values = clean_text(text(frame, name).astype(STRING), squeeze_spaces=True)
        values = values.str.replace(_VILLAGE_SUFFIX, "", regex=True)
        out[f"_{name}"] = values.where(values.str.len() > 0).to_numpy(object)
    return out
