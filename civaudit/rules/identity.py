"""Identity: resident ID numbers checked against GB 11643-1999 and the person's record.

The loader has already classified every ID (``id_status``, see ``civaudit.idcard``);
these rules turn that classification into findings with the values that show it.
IDs are checked on the member rows; a one-row-per-household roster's 户主身份证号
is the head's member row there, so it is checked too.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from civaudit.idcard import checksum_char
from civaudit.rules._common import age_at, days, masked_only, number, shown_id, text
from civaudit.rules.registry import concat_hits, hits, rule

GB11643 = "GB 11643-1999"
GB2260 = "GB 11643-1999; GB/T 2260"

_SHAPE = r"^\d{17}[\dX]$"


def _status(data, value: str) -> pd.Series:
    return data.members["id_status"].isin([value])


@rule(
    id="id.invalid",
    severity="error",
    needs=("members.id_status",),
    title={"zh": "身份证号无效", "en": "Invalid ID number"},
    description={
        "zh": "身份证号不是18位（或15位旧号），含数字和末位X以外的字符，或出生日期不可能。",
        "en": "The ID number is not 18 characters (or a 15-digit legacy ID), has characters "
        "other than digits and a final X, or holds an impossible birth date.",
    },
    clause=GB11643,
    message={
        "length": {
            "zh": "身份证号 {id_number} 有 {length} 位，应为18位",
            "en": "ID number {id_number} has {length} characters, not 18",
        },
        "characters": {
            "zh": "身份证号 {id_number} 含有数字和末位X以外的字符",
            "en": "ID number {id_number} has characters other than digits and a final X",
        },
        "birth-date": {
            "zh": "身份证号 {id_number} 中的出生日期 {birth} 不可能",
            "en": "ID number {id_number}: birth date {birth} is impossible",
        },
    },
    skip=masked_only,
)
def invalid_id(data) -> pd.DataFrame:
    bad = _status(data, "invalid")
    m = data.members.loc[bad, [c for c in ("id_number", "id_original") if c in data.members]]
    normal = text(m, "id_number").fillna("")
    length = normal.str.len()
    shaped = normal.str.fullmatch(_SHAPE).fillna(False).astype(bool)
    variant = np.where(length != 18, "length", np.where(~shaped, "characters", "birth-date"))
    return hits(
        "members",
        bad,
        field="id_number",
        variant=pd.Series(variant, index=m.index),
        id_number=shown_id(m),
        length=shown_id(m).str.len(),
        birth=normal.str.slice(6, 14).where(shaped),
    )


@rule(
    id="id.checksum",
    severity="error",
    needs=("members.id_status",),
    title={"zh": "身份证号校验码错误", "en": "Wrong ID check character"},
    description={
        "zh": "第18位校验码与前17位按 GB 11643 计算的结果不符，号码有录入错误。",
        "en": "The 18th (check) character does not match the one GB 11643 computes from "
        "the first 17 digits: the number was mistyped.",
    },
    clause=GB11643,
    message={
        "zh": "身份证号 {id_number} 校验码应为 {expected}",
        "en": "ID number {id_number}: check character should be {expected}",
    },
    skip=masked_only,
)
def wrong_checksum(data) -> pd.DataFrame:
    m = data.members
    bad = _status(data, "checksum")
    normal = text(m, "id_number")
    rows = bad[bad].index
    expected = pd.Series(pd.NA, index=m.index, dtype="object")
    if len(rows):
        expected.loc[rows] = checksum_char(normal.loc[rows].str.slice(0, 17)).to_numpy(object)
    return hits(
        "members",
        bad,
        field="id_number",
        id_number=shown_id(m),
        check=normal.str.slice(17, 18),
        expected=expected,
    )


@rule(
    id="id.precision-lost",
    severity="error",
    needs=("members.id_status",),
    title={"zh": "身份证号以数字存储、精度丢失", "en": "ID number stored as a number"},
    description={
        "zh": "18位身份证号以数字格式存入 Excel，只保留15位有效数字，末几位已丢失且无法恢复，须按"
        "身份证或户口簿重新录入。",
        "en": "An 18-digit ID typed into a number cell keeps only 15 significant digits: the "
        "last digits are gone for good and must be re-entered from the ID card.",
    },
    clause=GB11643,
    message={
        "zh": "身份证号 {id_number} 以数字存储，末几位已丢失，须按证件重新录入",
        "en": "ID number {id_number} was stored as a number: its last digits are lost; "
        "re-enter it from the ID card",
    },
    skip=masked_only,
)
def precision_lost(data) -> pd.DataFrame:
    m = data.members
    return hits(
        "members", _status(data, "precision-lost"), field="id_number", id_number=shown_id(m)
    )


@rule(
    id="id.masked",
    severity="info",
    needs=("members.id_status",),
    title={"zh": "身份证号已脱敏", "en": "Masked ID number"},
    description={
        "zh": "身份证号已脱敏（公示用表：以 * 或 x 遮盖部分数字，或只留前后几位），无法校验，"
        "也无法与其他名单精确比对。",
        "en": "The ID number is masked (a publicity sheet: digits hidden by * or x, or only the "
        "first and last digits kept): it can be neither checked nor matched exactly against "
        "other lists.",
    },
    clause=GB11643,
    message={
        "zh": "身份证号 {id_number} 已脱敏，无法校验或比对",
        "en": "ID number {id_number} is masked: it cannot be checked or matched",
    },
)
def masked_id(data) -> pd.DataFrame:
    m = data.members
    return hits("members", _status(data, "masked"), field="id_number", id_number=shown_id(m))


@rule(
    id="id.legacy-15",
    severity="warning",
    needs=("members.id_legacy", "members.id_status"),
    title={"zh": "15位旧身份证号", "en": "Legacy 15-digit ID number"},
    description={
        "zh": "15位（1999年以前的）身份证号，比对时已换算为18位，花名册应更新为18位号码。",
        "en": "A 15-digit (pre-1999) ID number: it is compared in its 18-digit form, and the "
        "roster should be updated to it.",
    },
    clause=GB11643,
    message={
        "zh": "15位旧身份证号 {id_original}，对应18位号码为 {id_18}",
        "en": "15-digit ID number {id_original}; its 18-digit form is {id_18}",
    },
    skip=masked_only,
)
def legacy_id(data) -> pd.DataFrame:
    m = data.members
    legacy = m["id_legacy"].astype("boolean").fillna(False).astype(bool) & _status(data, "valid")
    return hits(
        "members",
        legacy,
        field="id_number",
        id_original=text(m, "id_original"),
        id_18=text(m, "id_number"),
    )


@rule(
    id="id.region-unknown",
    severity="warning",
    needs=("members.id_region_known",),
    title={"zh": "身份证号行政区划代码未知", "en": "Unknown region code in ID number"},
    description={
        "zh": "身份证号前6位不是任何时期的 GB/T 2260 行政区划代码（已撤销的县的代码仍然有效）。",
        "en": "The first six digits are not a GB/T 2260 region code of any period (codes of "
        "abolished counties stay valid).",
    },
    clause=GB2260,
    message={
        "zh": "身份证号 {id_number} 的行政区划代码 {region} 不在 GB/T 2260 中",
        "en": "ID number {id_number}: region code {region} is not in GB/T 2260 at any time",
    },
    skip=masked_only,
)
def unknown_region(data) -> pd.DataFrame:
    m = data.members
    unknown = ~m["id_region_known"].astype("boolean")
    return hits(
        "members",
        unknown,
        field="id_number",
        id_number=shown_id(m),
        region=text(m, "id_region").fillna(text(m, "id_number").str.slice(0, 6)),
    )


AGE_TOLERANCE = 1
"""Years a recorded age may differ from the ID's age at the roster date (birthdays,
and ages filled in months before the roster date)."""

_SEX_ZH = {"M": "男", "F": "女"}
_SEX_EN = {"M": "male", "F": "female"}


@rule(
    id="id.mismatch",
    severity="warning",
    needs=("members.id_status", "members.sex|members.birth_date|members.age"),
    title={
        "zh": "性别、出生日期或年龄与身份证号不符",
        "en": "Sex, birth date or age differ from the ID",
    },
    description={
        "zh": "花名册记录的性别、出生日期或年龄（核查日期时，允许相差1岁）与身份证号不一致。",
        "en": "The recorded sex, birth date or age (at the roster date, within one year) "
        "differs from what the ID number says.",
    },
    clause=GB11643,
    message={
        "sex": {
            "zh": "性别记为{recorded}，身份证号 {id_number} 为{from_id}",
            "en": "Sex recorded as {recorded}, ID number {id_number} says {from_id}",
        },
        "birth-date": {
            "zh": "出生日期记为 {recorded}，身份证号 {id_number} 为 {from_id}",
            "en": "Birth date recorded as {recorded}, ID number {id_number} says {from_id}",
        },
        "age": {
            "zh": "年龄记为 {recorded} 岁，按身份证号 {id_number} 应为 {from_id} 岁",
            "en": "Age recorded as {recorded}, ID number {id_number} gives {from_id}",
        },
    },
)
def id_mismatch(data) -> pd.DataFrame:
    m = data.members
    parts = []
    if "sex" in m and "id_sex" in m:
        recorded, from_id = text(m, "sex"), text(m, "id_sex")
        differ = recorded.notna() & from_id.notna() & recorded.ne(from_id)
        recorded, from_id = recorded[differ], from_id[differ]
        parts.append(
            hits(
                "members",
                differ,
                field="sex",
                variant="sex",
                recorded=recorded,
                from_id=from_id,
                _recorded_zh=recorded.map(_SEX_ZH),
                _recorded_en=recorded.map(_SEX_EN),
                _from_id_zh=from_id.map(_SEX_ZH),
                _from_id_en=from_id.map(_SEX_EN),
            )
        )
    if "birth_date" in m and "id_birth" in m:
        recorded, from_id = days(m, "birth_date"), days(m, "id_birth")
        month_only = text(m, "birth_date_precision").eq("month").fillna(False).astype(bool)
        month = "datetime64[M]"
        same_month = recorded.to_numpy(month) == from_id.to_numpy(month)
        same = np.where(month_only, same_month, recorded == from_id)
        differ = recorded.notna() & from_id.notna() & ~pd.Series(same, index=m.index)
        recorded, from_id, month_only = recorded[differ], from_id[differ], month_only[differ]
        recorded_text = recorded.dt.strftime("%Y-%m-%d").where(
            ~month_only, recorded.dt.strftime("%Y-%m")
        )
        parts.append(
            hits(
                "members",
                differ,
                field="birth_date",
                variant="birth-date",
                recorded=recorded_text,
                from_id=from_id.dt.strftime("%Y-%m-%d"),
            )
        )
    if "age" in m and "id_birth" in m and data.as_of is not None:  # ages need the month
        recorded = number(m, "age")
        from_id = age_at(days(m, "id_birth"), data.as_of)
        differ = (recorded - from_id).abs() > AGE_TOLERANCE
        parts.append(
            hits(
                "members",
                differ,
                field="age",
                variant="age",
                recorded=recorded,
                from_id=from_id,
            )
        )
    found = concat_hits(parts)
    if len(found):  # the ID as the cell shows it, looked up for the hits only
        columns = [c for c in ("id_number", "id_original") if c in m]
        shown = shown_id(m.loc[pd.unique(found["ref"]), columns]).reindex(found["ref"])
        at = list(found.columns).index("variant") + 1
        found.insert(at, "id_number", shown.to_numpy(dtype=object))
    return found
