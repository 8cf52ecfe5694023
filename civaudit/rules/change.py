"""Changes between two snapshots (动态管理): the rules ``civaudit diff`` runs.

They read what ``civaudit.diff`` puts beside NEW's audit data: ``data.old`` (OLD's
audit data), ``data.changes`` (one row per household with its status and its
``old_index``/``new_index``) and ``data.persons`` (the person IDs of each
household). A single roster has none of these, so on ``civaudit audit`` every
``change.*`` rule is skipped as "needs two snapshots (civaudit diff)". Findings
point at the NEW row; the OLD place is in the evidence (``old_file``,
``old_sheet``, ``old_row``) and in the message.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from civaudit.rules._common import column, household_keys, month_text, number, places, text
from civaudit.rules.registry import Text, concat_hits, hits, no_hits, rule
from civaudit.schema import FIELD_BY_NAME

TWO_SNAPSHOTS: Text = {
    "zh": "需要前后两期花名册（civaudit diff）",
    "en": "needs two snapshots (civaudit diff)",
}
DYNAMIC = "国务院令第649号 第十三条（动态管理）"
PHASEOUT = "民发〔2018〕90号"
MATCHING = "花名册动态管理 / household matching between snapshots"
CENT = 0.005

_KEY_LABELS = {
    "cert_no": ("低保证号", "certificate number"),
    "head_id": ("户主身份证号", "head's ID"),
    "head_name+village": ("户主姓名+村", "head's name and village"),
}


def _snapshots(*needs: str):
    """A ``skip`` for a change rule: two snapshots, each with these columns.

    ``needs`` are ``table.column`` (``a|b``: either will do) looked up in OLD and
    NEW alike; the reason names the snapshot that lacks one.
    """

    def skip(data) -> Text | None:
        old = getattr(data, "old", None)
        if old is None or getattr(data, "changes", None) is None:
            return TWO_SNAPSHOTS
        for side, snapshot in (("old", old), ("new", data)):
            for need in needs:
                options = [o.split(".", 1) for o in need.split("|")]
                if any(name in snapshot.table(table) for table, name in options):
                    continue
                labels = [FIELD_BY_NAME[name] for _, name in options if name in FIELD_BY_NAME]
                zh = "”或“".join(dict.fromkeys(f.zh for f in labels))
                en = " or ".join(dict.fromkeys(f.en for f in labels))
                where_zh = "上期（OLD）" if side == "old" else "本期（NEW）"
                return {
                    "zh": f"{where_zh}花名册没有“{zh}”列",
                    "en": f"the {side.upper()} roster has no column for {en}",
                }
        return None

    return skip


def _is_diff(data) -> bool:
    return getattr(data, "old", None) is not None and getattr(data, "changes", None) is not None


def _pairs(data) -> pd.DataFrame:
    """Households on both rosters (changed or unchanged)."""
    c = data.changes
    return c[c["status"].isin(["changed", "unchanged"])]


def _rows(frame: pd.DataFrame, refs: pd.Series) -> pd.DataFrame:
    """Rows of ``frame`` for household indexes ``refs``, aligned with ``refs``."""
    return frame.reindex(pd.Index(refs.astype("int64"))).set_axis(refs.index)


def _old_place(pairs: pd.DataFrame) -> dict[str, pd.Series]:
    """The OLD place as evidence, and as text for the message."""
    name = text(pairs, "old_file").str.replace(r"^.*[\\/]", "", regex=True)  # the file's name
    old = pd.DataFrame(
        {"file": name, "sheet": pairs["old_sheet"], "row": pairs["old_row"]}, index=pairs.index
    )
    return {
        "old_file": pairs["old_file"],
        "old_sheet": pairs["old_sheet"],
        "old_row": pairs["old_row"],
        "_old_place": places(old),
    }


def _on_new(refs: pd.Series, mask: pd.Series, **columns) -> pd.DataFrame:
    """Hits on NEW household rows: ``mask`` and ``columns`` are aligned with ``refs``."""
    index = pd.Index(refs.astype("int64"))
    moved = {k: (v.set_axis(index) if isinstance(v, pd.Series) else v) for k, v in columns.items()}
    return hits("households", mask.fillna(False).astype(bool).set_axis(index), **moved)


# --- the rules ------------------------------------------------------------------------


@rule(
    id="change.benefit-rise",
    severity="warning",
    title={"zh": "低保金增加但收入未减少", "en": "Benefit rose with no fall in income"},
    description={
        "zh": "前后两期花名册（civaudit diff）：同一户的月保障金增加超过容差，但家庭收入"
        "（毛收入、净收入、月人均收入）没有减少，家庭人口、保障人口和低保标准也没有增加，"
        "施保方式未变。只比较两期都能核算的家庭。",
        "en": "Two snapshots (civaudit diff): a household's monthly benefit rose by more than "
        "the tolerance, yet its income (gross, net, per capita) did not fall, and neither its "
        "size, its covered persons nor the standard rose, nor did its coverage mode change. "
        "Only households assessed in both snapshots are compared.",
    },
    clause=f"{DYNAMIC}; policy: income.tolerance",
    message={
        "zh": "月保障金由 {old_benefit} 元增至 {new_benefit} 元，但家庭年净收入未减少"
        "（{old_net_income} → {new_net_income} 元），家庭人口（{old_household_size} → "
        "{new_household_size}）、保障人口（{old_covered} → {new_covered}）和月标准"
        "（{old_standard_month} → {new_standard_month} 元）均未增加（上期：{old_place}）",
        "en": "Benefit rose from {old_benefit} to {new_benefit} a month, yet net income did not "
        "fall ({old_net_income} -> {new_net_income} a year) and size ({old_household_size} "
        "-> {new_household_size}), covered persons ({old_covered} -> {new_covered}) and the "
        "monthly standard ({old_standard_month} -> {new_standard_month}) did not rise "
        "(OLD: {old_place})",
    },
    skip=_snapshots(
        "households.benefit_month",
        "households.gross_income_year|households.wage_income|households.business_income"
        "|households.property_income|households.transfer_income"
        "|households.per_capita_income_year|households.per_capita_income_month",
    ),
)
def benefit_rise(data) -> pd.DataFrame:
    if not _is_diff(data):
        return no_hits()
    p = _pairs(data)
    before, after = _rows(data.old.assessed, p["old_index"]), _rows(data.assessed, p["new_index"])

    rise = number(after, "recorded_base") - number(before, "recorded_base")
    assessed = text(before, "state").eq("ok") & text(after, "state").eq("ok")
    fell = pd.Series(False, index=p.index)
    for name in ("gross_income", "net_income", "pc_income_month"):
        fell |= (number(after, name) < number(before, name) - CENT).fillna(False)
    grew = pd.Series(False, index=p.index)
    for name in ("household_size", "covered", "standard_month"):
        grew |= (number(after, name) > number(before, name) + CENT).fillna(False)
    mode = text(before, "coverage").ne(text(after, "coverage")).fillna(False).astype(bool)
    tolerance = data.policy.income.tolerance
    mask = (rise > tolerance + 1e-9).fillna(False) & assessed.fillna(False) & ~fell & ~grew & ~mode
    return _on_new(
        p["new_index"],
        mask,
        field="benefit_month",
        old_benefit=number(before, "recorded_base"),
        new_benefit=number(after, "recorded_base"),
        rise=rise.round(2),
        old_net_income=number(before, "net_income"),
        new_net_income=number(after, "net_income"),
        old_household_size=number(before, "household_size"),
        new_household_size=number(after, "household_size"),
        old_covered=number(before, "covered"),
        new_covered=number(after, "covered"),
        old_standard_month=number(before, "standard_month").round(2),
        new_standard_month=number(after, "standard_month").round(2),
        tolerance=tolerance,
        matched_on=p["matched_on"],
        **_old_place(p),
    )


@rule(
    id="change.size-no-members",
    severity="warning",
    title={
        "zh": "家庭人口变化但成员未增减",
        "en": "Household size changed, no member added or removed",
    },
    description={
        "zh": "前后两期花名册（civaudit diff）：同一户填写的家庭人口变了，但两期列出的家庭成员"
        "（按身份证号）完全相同。只比较两期都列出成员行的家庭。",
        "en": "Two snapshots (civaudit diff): the household size recorded for a household "
        "changed while the members listed (by ID number) are the same in both. Only "
        "households with member rows in both snapshots are compared.",
    },
    clause=f"{DYNAMIC}; 花名册内部一致性 / roster consistency",
    message={
        "zh": "家庭人口由 {old_household_size} 变为 {new_household_size}，但两期列出的 "
        "{members} 名成员相同，无人增减（上期：{old_place}）",
        "en": "Household size went from {old_household_size} to {new_household_size}, but the "
        "same {members} members are listed in both snapshots (OLD: {old_place})",
    },
    skip=_snapshots("households.household_size", "members.id_number"),
)
def size_no_members(data) -> pd.DataFrame:
    if not _is_diff(data):
        return no_hits()
    p = _pairs(data)
    before = number(_rows(data.old.households, p["old_index"]), "household_size")
    after = number(_rows(data.households, p["new_index"]), "household_size")
    members_before = number(p, "old_members")
    members_after = number(p, "new_members")
    same = (
        column(p, "members_added").str.len().eq(0)
        & column(p, "members_removed").str.len().eq(0)
        & members_before.eq(members_after)
    ).fillna(False)
    mask = (before != after) & before.notna() & after.notna() & same
    return _on_new(
        p["new_index"],
        mask,
        field="household_size",
        old_household_size=before,
        new_household_size=after,
        members=members_after,
        matched_on=p["matched_on"],
        **_old_place(p),
    )


@rule(
    id="change.readded",
    severity="warning",
    title={"zh": "退出后又重新纳入", "en": "Household removed and re-added"},
    description={
        "zh": "前后两期花名册（civaudit diff）：本期新增的家庭（上期没有与之对应的户），其户主"
        "正是上期一户已退出家庭的户主，或其全部成员（按身份证号）都在上期同一户已退出的家庭中，"
        "即退出后以新的证号重新纳入；或者它的最初享受月早于上期花名册的日期、所在村在上期"
        "花名册中，上期却没有这一户。",
        "en": "Two snapshots (civaudit diff): a household new in NEW (no OLD household "
        "matches it) whose head headed an OLD household that has left the roster, or all of "
        "whose people (by ID) were in one such household: it left and re-entered under a new "
        "key. Or its first-paid month is before OLD's date and its village is on OLD, yet OLD "
        "does not list it.",
    },
    clause=DYNAMIC,
    message={
        "head": {
            "zh": "本期新增户，但户主原是上期已退出的 {old_household} 户的户主：退出后以新的"
            "户号重新纳入（上期：{old_place}）",
            "en": "New in NEW, but its head headed household {old_household}, which left the "
            "roster: removed and re-added under a new key (OLD: {old_place})",
        },
        "members": {
            "zh": "本期新增户，但其 {persons} 人都在上期已退出的 {old_household} 户中：退出后"
            "重新纳入（上期：{old_place}）",
            "en": "New in NEW, but all {persons} of its people were in household "
            "{old_household}, which left the roster: removed and re-added (OLD: {old_place})",
        },
        "start": {
            "zh": "本期新增户，但最初享受月 {start_month} 早于上期花名册日期 {old_as_of}，"
            "上期同村花名册却没有这一户：可能退出后重新纳入，或上期漏列",
            "en": "New in NEW, but first paid in {start_month}, before OLD's date {old_as_of}, "
            "and OLD's roster of its village does not list it: re-added, or missing from OLD",
        },
    },
    skip=_snapshots(),
)
def readded(data) -> pd.DataFrame:
    if not _is_diff(data):
        return no_hits()
    c = data.changes
    added = c[c["status"] == "added"]
    removed = c[c["status"] == "removed"]
    if not len(added):
        return no_hits()
    by_people = _same_people(data, added, removed)
    rest = added[~added["new_index"].isin(by_people["new_index"])]
    by_start = _started_before(data, rest)
    return concat_hits([by_people.drop(columns="new_index"), by_start])


def _same_people(data, added: pd.DataFrame, removed: pd.DataFrame) -> pd.DataFrame:
    """Added households sharing their head, or all their people, with a removed one."""
    persons = data.persons
    if not len(removed) or not len(persons):
        return no_hits().assign(new_index=pd.Series(dtype="int64"))
    new_p = persons[(persons["side"] == "new") & persons["ref"].isin(added["new_index"])]
    old_p = persons[(persons["side"] == "old") & persons["ref"].isin(removed["old_index"])]
    pairs = new_p.merge(old_p, on="id", suffixes=("_new", "_old"))
    if not len(pairs):
        return no_hits().assign(new_index=pd.Series(dtype="int64"))
    pairs["both_heads"] = pairs["head_new"] & pairs["head_old"]
    shared = (
        pairs.groupby(["ref_new", "ref_old"], sort=True)
        .agg(shared=("id", "size"), head=("both_heads", "any"))
        .reset_index()
    )
    total = new_p.groupby("ref").size()
    shared["persons"] = shared["ref_new"].map(total)
    shared = shared[shared["head"] | (shared["shared"] == shared["persons"])]
    shared = shared.sort_values(
        ["ref_new", "head", "shared", "ref_old"], ascending=[True, False, False, True]
    ).drop_duplicates("ref_new")
    if not len(shared):
        return no_hits().assign(new_index=pd.Series(dtype="int64"))
    old_rows = removed.set_index(removed["old_index"].astype("int64"))
    gone = old_rows.reindex(shared["ref_old"].to_numpy()).set_axis(shared.index)
    old_h = _rows(data.old.households, shared["ref_old"])
    refs = shared["ref_new"]
    how = pd.Series(np.where(shared["head"], "head", "members"), index=shared.index)
    return _on_new(
        refs,
        pd.Series(True, index=shared.index),
        variant=how,
        how=how,
        field=_key_field(data),
        old_household=column(old_h, "household").astype("object"),
        shared=shared["shared"],
        persons=shared["persons"],
        **_old_place(gone),
    ).assign(new_index=refs.to_numpy())


def _started_before(data, added: pd.DataFrame) -> pd.DataFrame:
    """Added households first paid before OLD's date, in a village OLD lists."""
    if not len(added) or "start_month" not in data.households:
        return no_hits()
    new_h = _rows(data.households, added["new_index"])
    start = pd.to_datetime(column(new_h, "start_month"), errors="coerce")
    old_month = pd.Timestamp(data.old.as_of).to_period("M").to_timestamp()
    villages = text(data.old.households, "village").dropna().unique()
    village = text(new_h, "village")
    mask = (start < old_month).fillna(False) & village.isin(villages).fillna(False)
    return _on_new(
        added["new_index"],
        mask.astype(bool),
        variant="start",
        how="start",
        field="start_month",
        start_month=month_text(start),
        old_as_of=data.old.as_of.isoformat(),
    )


def _key_field(data) -> str:
    return "cert_no" if "cert_no" in data.households else "head_id_number"


@rule(
    id="change.phaseout-restart",
    severity="error",
    title={"zh": "渐退期重新起算", "en": "Phase-out period restarted"},
    description={
        "zh": "前后两期花名册（civaudit diff）：本期处于渐退期的家庭，渐退起始月晚于上期所填的"
        "起始月，即渐退期被重新起算、变相延长。",
        "en": "Two snapshots (civaudit diff): a household in phase-out in NEW whose phase-out "
        "start month is later than the one OLD gives: the period was restarted, which "
        "lengthens it.",
    },
    clause=f"{PHASEOUT}; policy: phaseout.months",
    message={
        "zh": "渐退起始月由上期的 {old_start} 改为 {new_start}（推后 {months_later} 个月），"
        "渐退期被重新起算（上期：{old_place}）",
        "en": "Phase-out start moved from {old_start} to {new_start} ({months_later} months "
        "later): the period was restarted (OLD: {old_place})",
    },
    skip=_snapshots("households.phaseout_start"),
)
def phaseout_restart(data) -> pd.DataFrame:
    if not _is_diff(data):
        return no_hits()
    p = _pairs(data)
    before, after = _rows(data.old.assessed, p["old_index"]), _rows(data.assessed, p["new_index"])
    start_before = pd.to_datetime(column(before, "phaseout_start"), errors="coerce")
    start_after = pd.to_datetime(column(after, "phaseout_start"), errors="coerce")
    in_phaseout = column(after, "phaseout").astype("boolean").fillna(False).astype(bool)
    single = column(after, "single").astype("boolean").fillna(False).astype(bool)
    months = (start_after.dt.year - start_before.dt.year) * 12 + (
        start_after.dt.month - start_before.dt.month
    )
    mask = in_phaseout & ~single & (months > 0).fillna(False)
    return _on_new(
        p["new_index"],
        mask,
        field="phaseout_start",
        old_start=month_text(start_before),
        new_start=month_text(start_after),
        months_later=months,
        phaseout_months=data.policy.phaseout.months,
        matched_on=p["matched_on"],
        **_old_place(p),
    )


@rule(
    id="change.ambiguous-key",
    severity="warning",
    title={"zh": "户的标识重复，无法比对", "en": "Household key repeated, not compared"},
    description={
        "zh": "前后两期花名册（civaudit diff）：同一个低保证号（或户主身份证号、户主姓名+村）"
        "在一期花名册中出现两次以上，无法确定对应哪一户，这些家庭不作比对（不猜测）。",
        "en": "Two snapshots (civaudit diff): the same certificate number (or head's ID, or "
        "head's name and village) occurs more than once in a snapshot, so which household "
        "is which cannot be told; these households are not compared (never guessed).",
    },
    clause=MATCHING,
    message={
        "zh": "{key_label} {key} 在上期出现 {old_rows} 次、本期出现 {new_rows} 次，无法确定"
        "对应关系，未作比对",
        "en": "{key_label} {key} is on {old_rows} row(s) of OLD and {new_rows} of NEW: the "
        "household cannot be matched and is not compared",
    },
    skip=_snapshots(),
)
def ambiguous_key(data) -> pd.DataFrame:
    if not _is_diff(data):
        return no_hits()
    c = data.changes
    amb = c[c["status"] == "ambiguous"]
    if not len(amb):
        return no_hits()
    counts = {}
    for side, frame in (("old", data.old.households), ("new", data.households)):
        keys = household_keys(frame).melt(var_name="tier", value_name="key").dropna()
        counts[side] = keys.groupby(["tier", "key"]).size()
    probe = pd.MultiIndex.from_arrays([amb["matched_on"], amb["key"]])
    old_rows = counts["old"].reindex(probe).fillna(0).astype("int64").set_axis(amb.index)
    new_rows = counts["new"].reindex(probe).fillna(0).astype("int64").set_axis(amb.index)
    fields = amb["matched_on"].map({"cert_no": "cert_no", "head_id": "head_id_number"})
    fields = fields.fillna("head_name")
    labels = amb["matched_on"].map(_KEY_LABELS)
    common = {
        "key": amb["key"],
        "key_field": amb["matched_on"],
        "old_rows": old_rows,
        "new_rows": new_rows,
        "field": fields,
        "_key_label_zh": labels.str[0],
        "_key_label_en": labels.str[1],
    }
    on_new = amb["new_index"].notna()
    frames = []
    if on_new.any():
        part = amb[on_new]
        frames.append(
            _on_new(
                part["new_index"],
                pd.Series(True, index=part.index),
                snapshot="new",
                **{k: v[on_new] for k, v in common.items()},
            )
        )
    if (~on_new).any():
        part = amb[~on_new]
        old_h = _rows(data.old.households, part["old_index"])
        located = {
            name: column(old_h, name).astype("object")
            for name in ("file", "sheet", "county", "town", "village", "household")
        }
        frame = pd.DataFrame(
            {
                "table": "households",
                "ref": None,
                "snapshot": "old",
                **{k: v[~on_new] for k, v in common.items()},
                **located,
                "row": column(old_h, "row").astype("Int64"),
                "name": column(old_h, "head_name").astype("object"),
            },
            index=part.index,
        )
        frames.append(frame.reset_index(drop=True))
    return concat_hits(frames)
