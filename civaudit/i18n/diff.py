"""Messages and labels of `civaudit diff` (merged into the main catalogue)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "diff.as_of_old": {
        "zh": "上期（OLD）月份：{date}（来源：{source}）",
        "en": "OLD as of {date} (from {source})",
    },
    "diff.as_of_new": {
        "zh": "本期（NEW）月份：{date}（来源：{source}）",
        "en": "NEW as of {date} (from {source})",
    },
    "as_of.new": {"zh": "同本期（未给出 --old-as-of）", "en": "NEW's date: no --old-as-of"},
    "as_of.--old-as-of": {"zh": "--old-as-of 参数", "en": "--old-as-of"},
    "diff.summary": {
        "zh": "上期 {old} 户，本期 {new} 户：新增（动态纳入）{added} 户，退出 {removed} 户，"
        "变更 {changed} 户，未变 {unchanged} 户，无法比对 {ambiguous} 户。",
        "en": "OLD {old} households, NEW {new}: {added} added, {removed} removed, "
        "{changed} changed, {unchanged} unchanged, {ambiguous} ambiguous.",
    },
    "diff.old_after_new": {
        "zh": "上期月份 {old} 晚于本期月份 {new}",
        "en": "OLD is dated {old}, after NEW ({new})",
    },
    "diff.old_after_new_hint": {
        "zh": "命令格式为 civaudit diff 上期 本期；请交换两个路径，或检查 --as-of/--old-as-of",
        "en": "the order is civaudit diff OLD NEW: swap the paths or check --as-of/--old-as-of",
    },
    "diff.md_title": {"zh": "前后两期花名册比对（动态管理）", "en": "changes between two rosters"},
    "diff.md_as_of": {"zh": "上期 {old} → 本期 {new}", "en": "OLD {old} → NEW {new}"},
    "diff.counts": {"zh": "按村统计变动户数", "en": "Households by village"},
    "diff.changes": {"zh": "变动明细", "en": "Changes"},
    "diff.place": {"zh": "地点", "en": "place"},
    "diff.col.old": {"zh": "上期户数", "en": "OLD"},
    "diff.col.new": {"zh": "本期户数", "en": "NEW"},
    "diff.status.added": {"zh": "新增", "en": "added"},
    "diff.status.removed": {"zh": "退出", "en": "removed"},
    "diff.status.changed": {"zh": "变更", "en": "changed"},
    "diff.status.unchanged": {"zh": "未变", "en": "unchanged"},
    "diff.status.ambiguous": {"zh": "无法比对", "en": "ambiguous"},
    "diff.col.status": {"zh": "状态", "en": "status"},
    "diff.col.matched_on": {"zh": "比对依据", "en": "matched on"},
    "diff.col.key": {"zh": "户标识", "en": "key"},
    "diff.col.changed": {"zh": "变化项", "en": "changed"},
    "diff.col.where": {"zh": "文件·工作表", "en": "file · sheet"},
    "diff.more": {
        "zh": "（仅显示前 {shown} 行，共 {total} 行；完整结果请用 -o 输出到文件）",
        "en": "(first {shown} of {total} rows shown; use -o for all of them)",
    },
    "diff.sheet.counts": {"zh": "按村统计", "en": "Counts"},
    "diff.sheet.changes": {"zh": "变动明细", "en": "Changes"},
    "diff.col.members_added": {"zh": "新增成员", "en": "members added"},
    "diff.col.members_removed": {"zh": "减少成员", "en": "members removed"},
    "diff.field.cert_no": {"zh": "低保证号", "en": "certificate number"},
    "diff.field.head_name": {"zh": "户主姓名", "en": "head's name"},
    "diff.field.household_size": {"zh": "家庭人口", "en": "household size"},
    "diff.field.covered": {"zh": "保障人口", "en": "covered persons"},
    "diff.field.gross_income": {"zh": "家庭年总收入", "en": "gross income"},
    "diff.field.benefit": {"zh": "月保障金", "en": "benefit"},
    "diff.field.category": {"zh": "保障类别", "en": "category"},
    "diff.field.phaseout": {"zh": "渐退", "en": "phase-out"},
    "diff.field.phaseout_start": {"zh": "渐退起始月", "en": "phase-out start"},
    "diff.field.members": {"zh": "成员行数", "en": "member rows"},
}
