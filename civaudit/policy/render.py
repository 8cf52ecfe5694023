"""Policies as TOML text: the commented template and the policy in force.

``policy_template()`` is what ``civaudit policy init`` writes: every key with its
meaning and default, in Chinese and English. ``policy_to_toml(policy)`` is what
``civaudit policy show`` prints: every key spelled out after defaults, so an
inspector sees exactly which numbers were used. Both parse back (tests hold them
to it).
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Mapping
from datetime import date

from civaudit.limits import show as show_limit
from civaudit.policy.model import Policy


def policy_template() -> str:
    """A commented policy file whose values are the defaults (plus one example standard)."""
    return _TEMPLATE


def policy_to_toml(policy: Policy) -> str:
    """The policy in force, every key explicit; parses back to an equal Policy."""
    lines: list[str] = []
    if policy.is_example:
        lines.append("# 内置示例政策：数字仅为示例，不是正式标准。")
        lines.append("# Built-in example policy: illustrative numbers, not an official standard.")
    else:
        lines.append(f"# Policy in force / 生效的政策: {policy.source}")
    if policy.sha256:
        lines.append(f"# sha256: {policy.sha256}")
    lines.append("")
    lines += ["[policy]", f"name = {_str(policy.name)}", f"as_of = {_date(policy.as_of)}", ""]
    for s in policy.standards:
        lines += [
            "[[standard]]",
            f"region = {_str(s.region)}",
            f"yearly = {_num(s.yearly)}",
            f"from = {_date(s.from_)}",
            "",
        ]
    i = policy.income
    lines += [
        "[income]",
        f"near_multiplier = {_num(i.near_multiplier)}",
        f"rounding = {_str(i.rounding)}",
        f"tolerance = {_num(i.tolerance)}",
        "",
    ]
    d = policy.deduction
    lines += [
        "[deduction]",
        f"medical_cap = {_num(d.medical_cap)}",
        f"education_cap = {_num(d.education_cap)}",
        f"care_cap = {_num(d.care_cap)}",
        f"other_cap = {_num(d.other_cap)}",
        f"employment_rate = {_num(d.employment_rate)}",
        f"employment_cap = {_num(d.employment_cap)}",
        f"total_ratio_cap = {_num(d.total_ratio_cap)}",
        f"expenditure_type_only = {_bool(d.expenditure_type_only)}",
        "",
    ]
    p = policy.phaseout
    lines += [
        "[phaseout]",
        f"months = {p.months}",
        f"max_months = {p.max_months}",
        f"until = {_date(p.until)}",
        f"ceiling_multiplier = {_num(p.ceiling_multiplier)}",
        f"registered_poor_only = {_bool(p.registered_poor_only)}",
        f"step_down = {_num(p.step_down)}",
        "",
    ]
    sp = policy.single_person
    lines += [
        "[single_person]",
        f"ceiling_multiplier = {_num(sp.ceiling_multiplier)}",
        f"categories = [{', '.join(_str(c) for c in sp.categories)}]",
        f"benefit = {_str(sp.benefit)}",
        f"fixed_amount = {_num(sp.fixed_amount)}",
        f"registered_poor_only = {_bool(sp.registered_poor_only)}",
        "",
    ]
    if not policy.addons:
        lines += ["# [[addon]]: none / 无分类施保", ""]
    for a in policy.addons:
        lines += ["[[addon]]", f"category = {_str(a.category)}"]
        if a.percent_of_standard is not None:
            lines.append(f"percent_of_standard = {_num(a.percent_of_standard)}")
        if a.amount is not None:
            lines.append(f"amount = {_num(a.amount)}")
        lines += [f"stack = {_bool(a.stack)}", ""]
    lines += [
        "[external]",
        f"exempt_vehicles = [{', '.join(_str(v) for v in policy.external.exempt_vehicles)}]",
        "",
    ]
    r = policy.rules
    lines += [
        "[rules]",
        f"ignore = [{', '.join(_str(x) for x in r.ignore)}]",
        f"severity = {_inline(r.severity)}",
        "",
        "[columns]",
    ]
    lines += [f"{_str(k)} = {_str(v)}" for k, v in policy.columns.items()]
    lines += ["", "[limits]"]
    for f in dataclasses.fields(policy.limits):
        text = show_limit(f.name.replace("_", "-"), getattr(policy.limits, f.name))
        lines.append(f"{f.name} = {text if text.isdigit() else _str(text)}")
    return "\n".join(lines) + "\n"


def _str(value: str) -> str:
    # A JSON string is a valid TOML basic string (same escapes).
    return json.dumps(value, ensure_ascii=False)


def _num(value: float) -> str:
    if math.isinf(value):
        return "inf"
    if float(value).is_integer():
        return f"{value:.1f}"
    return repr(float(value))


def _bool(value: bool) -> str:
    return "true" if value else "false"


def _date(value: date | None) -> str:
    return _str(value.isoformat() if value else "")


def _inline(mapping: Mapping[str, str]) -> str:
    if not mapping:
        return "{}"
    return "{ " + ", ".join(f"{_str(k)} = {_str(v)}" for k, v in mapping.items()) + " }"


_TEMPLATE = """\
# civaudit 政策文件 / civaudit policy file
#
# 每一项都可省略，省略时取下面写出的默认值；只有 [[standard]] 必须至少有一条。
# Every key may be left out and then takes the default written here; only
# [[standard]] is required (at least one).
# 金额单位：元。Money is in yuan (元).
# 检查本文件 / check this file:  civaudit policy check FILE

[policy]
# 政策名称，报告中显示。The policy's name, shown in every report.
name = ""
# 花名册所属月份 "YYYY-MM"（空 = 从表头或命令行取得）。
# The roster month "YYYY-MM" (empty = from the sheet title or --as-of).
as_of = ""

# 农村低保标准，元/人/年。每个地区前缀、每个起始日期一条。
# Rural dibao standard in yuan per person per year; one entry per region prefix
# and start date. 最长匹配的区划代码前缀优先；同一前缀取 as_of 当日或之前最近的一条。
# The longest matching region-code prefix wins; for one prefix, the latest entry
# whose `from` is on or before as_of.
# 下面的数字只是示例，请改为本地正式标准！
# The number below is an EXAMPLE: replace it with your local official standard!
[[standard]]
region = "13"           # 区划代码前缀（"13" 河北省，"130723" 一个县）/ region-code prefix
yearly = 4800           # 元/人/年 / yuan per person per year
from = "2019-01-01"     # 起始日期，可省略 / start date, optional

[income]
# 低保边缘倍数：人均收入低于标准的这个倍数为低保边缘。
# Near-dibao (低保边缘) band: per-capita income below this multiple of the standard.
near_multiplier = 1.5
# 补差金额取整方式 / rounding of the benefit, applied once at the end:
#   "ceil-yuan"    有小数进一到元 / round up to the whole yuan
#   "half-up-yuan" 四舍五入到元 / half up to the whole yuan
#   "half-up-fen"  四舍五入到分 / half up to the fen
rounding = "ceil-yuan"
# 发放金额与核算金额相差超过此数（元/月）即列出。
# A recorded benefit further than this (yuan per month) from the recomputed one is flagged.
tolerance = 1.0

[deduction]
# 刚性支出扣除上限，元/年；inf = 不设上限。
# Rigid-expenditure deduction caps in yuan per year; inf = no cap.
medical_cap = inf       # 自付医疗费用 / medical out-of-pocket
education_cap = inf     # 非义务教育支出 / non-compulsory education
care_cap = inf          # 残疾康复护理支出 / disability rehabilitation and care
other_cap = inf         # 花名册只有一列“刚性支出”时 / a roster's single rigid-expense column
# 必要就业成本：工资性收入的比例（0 到 1），及其上限（元/年）。
# Necessary employment cost: a rate (0 to 1) of wage income, and its cap (yuan per year).
# 设了比例请同时设上限 / when you set a rate, set the cap too (inf = no cap).
employment_rate = 0.0
employment_cap = 0.0
# 扣除总额不超过家庭总收入的这个比例（0 到 1）。
# The total deduction is at most this share (0 to 1) of gross income.
total_ratio_cap = 1.0
# true = 只对标为“支出型困难”的家庭扣除。
# true = deduct only for households marked expenditure-type (支出型困难).
expenditure_type_only = false

[phaseout]
# 低保渐退期 / phase-out period
months = 6              # 渐退月数 / length in months
max_months = 12         # 最长允许月数 / the longest period allowed
# 固定截止日期（如 "2020-12-31"），代替月数；空 = 按月数。
# A fixed last day (e.g. "2020-12-31") instead of months; empty = use months.
until = ""
# 人均收入须低于标准的这个倍数。Per-capita income must be below this multiple of the standard.
ceiling_multiplier = 1.5
# true = 只有建档立卡贫困户可以渐退。true = only registered-poor households (建档立卡).
registered_poor_only = true
# 每月递减比例（0 到 1）：第 k 个月最多发放原金额 x (1 - step_down x (k - 1))。
# Monthly step-down (0 to 1): month k pays at most the previous amount x
# (1 - step_down x (k - 1)). 0 = the previous amount continues unchanged.
step_down = 0.0

[single_person]
# 单人保 / single-person coverage
# 人均收入须低于标准的这个倍数。Per-capita income must be below this multiple of the standard.
ceiling_multiplier = 1.5
# 可单人保的类别 / qualifying categories:
#   "severe-disability" 重度残疾（一、二级，或三级智力、精神）/ grade 1-2, or grade 3
#                       intellectual or mental
#   "serious-illness"   重病 / seriously ill
#   "elderly"           老年人（60 岁及以上）/ aged 60 or over
#   "minor"             未成年人（不满 18 岁）/ under 18
categories = ["severe-disability", "serious-illness"]
# 单人保金额 / benefit: "full-standard" 全额标准 / the full monthly standard;
#   "fixed" 固定金额 fixed_amount / a fixed amount; "own-gap" 本人差额 / the person's own gap
benefit = "full-standard"
fixed_amount = 0.0      # 元/月，benefit = "fixed" 时使用 / yuan per month
# true = 只有建档立卡贫困户可以单人保。true = only registered-poor households.
registered_poor_only = true

# 分类施保：默认没有。每个类别一条，按月标准的百分比或固定金额（元/月/人）。
# 每人只取最高的一项，stack = true 的项目另行叠加。
# Classified add-ons (分类施保): none by default. One entry per category: a percent of
# the monthly standard or a fixed amount (yuan per person per month). A person gets
# the highest add-on; entries with stack = true are paid on top.
# [[addon]]
# category = "elderly"          # elderly | minor | severe-disability | serious-illness
# percent_of_standard = 10      # 或 / or: amount = 60
# stack = false

[external]
# 外部名单（--against）相关设置 / settings of the external-list rules (--against)
# 不计入家庭财产的车辆类型：车辆类型含其中任一词即不列出（“二轮摩托车”含“摩托车”）。
# Vehicle types that do not count: a vehicle whose type contains one of these words
# is not reported by ext.vehicle (二轮摩托车 contains 摩托车).
exempt_vehicles = ["残疾人机动轮椅车", "摩托车", "农用车"]

[rules]
# 不运行的规则（规则编号或类别）/ rules not to run (ids or families): ["village", "id.masked"]
ignore = []
# 改变规则的严重程度 / change a rule's severity: error | warning | info
severity = {}

[columns]
# 手工指定列：字段 = "表头文字" / map columns by hand: field = "header text"
# id_number = "公民身份号码"

[limits]
# 读取一个文件的资源上限（防压缩炸弹等）；默认值足以读取 150 万人的全省花名册。
# 可写数字、"4GiB" 之类的大小，或 "none" 表示不设上限。同名命令行选项：--limit member-bytes=4GiB
# Resource limits on one input file (zip bombs and the like); the defaults read a
# 1.5-million-member provincial roster. A number, a size such as "4GiB", or "none".
# member_bytes = "3GiB"       # 压缩包内单个部件解压后的大小 / unpacked size of one archive part
# ratio = 100                 # 部件解压后与压缩后大小之比 / unpacked to packed size of a part
# cells = 200000000           # 一张工作表已用区域的单元格数 / cells in a sheet's used range
# range_ratio = 20            # 已用区域单元格数与有数据单元格数之比 / range cells per data cell
# cell_chars = 32767          # 一个单元格的字符数 / characters in one cell
# csv_fields = 16384          # CSV 一行的字段数 / fields in one CSV line
# csv_field_chars = 32767     # CSV 一个字段的字符数 / characters in one CSV field
# stream_bytes = "512MiB"     # 工作表 XML 超过此大小时逐行读取 / past this a sheet is streamed
"""
