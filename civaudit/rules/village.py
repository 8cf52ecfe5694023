"""Village patterns: what one household's row cannot show, but a whole village can."""

from __future__ import annotations

import pandas as pd

from civaudit.rules._common import number, place_records, text
from civaudit.rules.registry import hits, no_hits, rule

UNIFORM_SHARE = 0.8
"""A village is flagged when at least this share of its households get one amount..."""
UNIFORM_MIN_HOUSEHOLDS = 10
"""...and it has at least this many households with a recorded amount."""


@rule(
    id="village.uniform-amounts",
    severity="info",
    needs=("households.village", "households.benefit_month"),
    title={"zh": "全村保障金额雷同", "en": "Same amount for most of a village"},
    description={
        "zh": f"一个村有{UNIFORM_MIN_HOUSEHOLDS}户以上领取保障金，其中至少{UNIFORM_SHARE:.0%}的家庭"
        "月保障金完全相同：差额补助应随各户收入而不同，雷同金额提示平均分配。",
        "en": f"In a village with at least {UNIFORM_MIN_HOUSEHOLDS} paid households, "
        f"{UNIFORM_SHARE:.0%} or more get exactly the same monthly amount: a gap payment "
        "follows each household's income, so equal amounts suggest the money was shared out.",
    },
    clause="国务院令第649号（按人均收入差额发放）",
    message={
        "zh": "{village}有 {same}/{households} 户（{percent}%）月保障金同为 {amount} 元",
        "en": "{same} of {households} households in {village} ({percent}%) get the same "
        "{amount} a month",
    },
)
def uniform_amounts(data) -> pd.DataFrame:
    h = data.households
    amount = number(h, "benefit_month")
    village = text(h, "village")
    keys = [c for c in ("county", "town") if c in h]
    frame = pd.DataFrame({"amount": amount, "village": village}, index=h.index)
    for c in keys:
        frame[c] = text(h, c).fillna("")
    frame = frame[village.notna() & (amount > 0).fillna(False)]
    if not len(frame):
        return no_hits()
    group = [*keys, "village"]
    counts = frame.groupby(group, sort=False).size().rename("households")
    same = frame.groupby([*group, "amount"], sort=False).size().rename("same").reset_index()
    same = same.sort_values(
        [*group, "same", "amount"], ascending=[True] * len(group) + [False, True]
    )
    top = same.drop_duplicates(group).merge(counts.reset_index(), on=group)
    top = top[
        (top["households"] >= UNIFORM_MIN_HOUSEHOLDS)
        & (top["same"] >= UNIFORM_SHARE * top["households"])
    ]
    if not len(top):
        return no_hits()
    uniform = frame.reset_index().merge(top[group], on=group).set_index("index")
    ordered = place_records(h.loc[uniform.index]).join(uniform[group])
    ordered = ordered.sort_values(["file", "sheet", "row"], kind="stable")
    first = ordered.reset_index().drop_duplicates(group)[[*group, "index"]]
    top = top.merge(first, on=group)
    mask = pd.Series(False, index=h.index)
    mask.loc[top["index"].to_numpy()] = True
    top = top.set_index("index")
    return hits(
        "households",
        mask,
        village=top["village"].reindex(h.index),
        households=top["households"].reindex(h.index),
        same=top["same"].reindex(h.index),
        amount=top["amount"].reindex(h.index),
        share=(top["same"] / top["households"]).round(3).reindex(h.index),
        _percent=(top["same"] / top["households"] * 100).round(0).reindex(h.index),
        scope="village",
    )
