"""Rules that need an external list (``--against KIND=FILE``).

They are in the catalogue so ``civaudit rules`` lists them and a run says why they
did not run; their checks arrive with the external-list loader. Matching will be
on the normalised 18-digit ID (a 15-digit ID matches its 18-digit form).
"""

from __future__ import annotations

from civaudit.rules.registry import Rule, add_rule

_ROSTER_ID = "members.id_number"


def _external(
    rule_id: str, severity: str, kinds: tuple[str, ...], title: dict, description: dict, clause: str
) -> Rule:
    return add_rule(
        Rule(
            id=rule_id,
            family=rule_id.split(".", 1)[0],
            severity=severity,
            needs=(*(f"against.{k}" for k in kinds), _ROSTER_ID),
            title=title,
            description=description,
            clause=clause,
            message={"zh": title["zh"], "en": title["en"]},
            check=None,
        )
    )


STATE_649 = "国务院令第649号（社会救助暂行办法）"

_external(
    "ext.deceased",
    "error",
    ("deaths",),
    {"zh": "已死亡仍在享受", "en": "Deceased person still listed"},
    {
        "zh": "成员在死亡名单上，死亡日期不晚于核查月份（死亡未退出）。",
        "en": "A member is on the deaths list with a death date on or before the roster month.",
    },
    STATE_649,
)
_external(
    "ext.tekun",
    "error",
    ("tekun",),
    {"zh": "同时享受低保和特困供养", "en": "Also on the extremely-poor (特困) roster"},
    {
        "zh": "成员同时在特困人员供养名单上，不得同时享受低保。",
        "en": "A member is also on the extremely-poor (特困) roster and may not draw dibao too.",
    },
    STATE_649,
)
_external(
    "ext.public-employee",
    "error",
    ("payroll",),
    {"zh": "财政供养人员享受低保", "en": "Public employee on the roster"},
    {
        "zh": "成员在财政供养人员名单上。",
        "en": "A member is on a public payroll (财政供养).",
    },
    STATE_649,
)
_external(
    "ext.cadre",
    "error",
    ("cadres",),
    {"zh": "村干部本人享受低保", "en": "Village cadre on the roster"},
    {
        "zh": "村干部或经办人员本人是低保对象。",
        "en": "A village cadre or caseworker is a recipient.",
    },
    STATE_649,
)
_external(
    "ext.cadre-relative-unfiled",
    "error",
    ("cadres", "filings"),
    {"zh": "干部近亲属享受低保未备案", "en": "Cadre's relative not filed"},
    {
        "zh": "成员是村干部或经办人员的近亲属，没有备案记录。",
        "en": "A member is a close relative of a village cadre or caseworker with no filing "
        "record.",
    },
    "国发〔2012〕45号（近亲属享受低保备案制度）",
)
_external(
    "ext.vehicle",
    "warning",
    ("vehicles",),
    {"zh": "拥有非必需机动车", "en": "Owns a non-exempt vehicle"},
    {"zh": "成员名下有非生产必需的机动车。", "en": "A member owns a non-exempt vehicle."},
    STATE_649 + " 第九条（家庭财产状况）",
)
_external(
    "ext.business",
    "warning",
    ("business",),
    {"zh": "登记经营实体", "en": "Runs a registered business"},
    {"zh": "成员登记有工商经营实体。", "en": "A member runs a registered business."},
    STATE_649 + " 第九条（家庭财产状况）",
)
_external(
    "ext.housing",
    "warning",
    ("housing",),
    {"zh": "拥有商品住房", "en": "Owns commercial housing"},
    {"zh": "成员名下有商品住房。", "en": "A member owns commercial housing."},
    STATE_649 + " 第九条（家庭财产状况）",
)
_external(
    "ext.missed-eligible",
    "warning",
    ("low-income",),
    {"zh": "疑似漏保", "en": "Possibly eligible but not listed"},
    {
        "zh": "低收入或建档立卡名单上的家庭，有重度残疾或重病成员、收入低于标准，"
        "却不在低保花名册上。",
        "en": "A household on the low-income or registered-poor list, with a severely disabled "
        "or ill member and income below the standard, is not on the roster.",
    },
    STATE_649 + " 第九条",
)
_external(
    "village.coverage-outlier",
    "info",
    ("population",),
    {"zh": "村低保覆盖率异常", "en": "Village coverage far above the county"},
    {
        "zh": "一个村的低保对象占人口的比例远高于全县中位数。",
        "en": "A village's recipients per population are far above the county median.",
    },
    "核查实务 / inspection practice（覆盖率异常）",
)
