"""Messages of the external lists (``--against KIND=FILE``), merged into the catalogue."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "against.loaded": {
        "zh": "外部名单 {kind}（{label}）：{path}，{rows} 行",
        "en": "external list {kind} ({label}): {path}, {rows} rows",
    },
    "against.kind.deaths": {"zh": "死亡人员名单", "en": "deaths"},
    "against.kind.tekun": {"zh": "特困供养人员名单", "en": "extremely poor (特困)"},
    "against.kind.payroll": {"zh": "财政供养人员名单", "en": "public payroll"},
    "against.kind.cadres": {"zh": "村干部及近亲属名单", "en": "village cadres and relatives"},
    "against.kind.filings": {"zh": "近亲属备案名单", "en": "relatives' filings"},
    "against.kind.vehicles": {"zh": "车辆登记名单", "en": "vehicle registry"},
    "against.kind.business": {"zh": "工商登记名单", "en": "business registry"},
    "against.kind.housing": {"zh": "房产登记名单", "en": "housing registry"},
    "against.kind.low-income": {"zh": "低收入人口名单", "en": "low-income list"},
    "against.kind.population": {"zh": "各村户籍人口", "en": "population by village"},
}
