"""Messages of the file kinds and the information system's export pairs, merged into the
catalogue."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "kind.xls": {"zh": "BIFF（Excel 97-2003 二进制）", "en": "BIFF (Excel 97-2003 binary)"},
    "kind.xlsx": {"zh": "OOXML（Excel 2007 及以后）", "en": "OOXML (Excel 2007 and later)"},
    "kind.xlsm": {"zh": "OOXML（含宏）", "en": "OOXML with macros"},
    "kind.xlsb": {"zh": "Excel 二进制工作簿（xlsb）", "en": "Excel binary workbook (xlsb)"},
    "kind.ods": {"zh": "ODS（OpenDocument 表格）", "en": "ODS (OpenDocument spreadsheet)"},
    "kind.csv": {"zh": "CSV 文本", "en": "CSV text"},
    "kind.html": {"zh": "HTML 表格", "en": "HTML table"},
    "kind.spreadsheetml": {
        "zh": "SpreadsheetML（Excel 2003 XML）",
        "en": "SpreadsheetML (Excel 2003 XML)",
    },
    "kind.named": {"zh": "扩展名为 {suffix}", "en": "named {suffix}"},
    "inspect.pair.households": {
        "zh": "系统导出家庭表：{total} 户，{joined} 户与人员表（{files}）对应，"
        "{unjoined} 户没有成员",
        "en": "export pair, household file: {total} households, {joined} joined to members "
        "({files}), {unjoined} without members",
    },
    "inspect.pair.members": {
        "zh": "系统导出人员表：{total} 人，{joined} 人与家庭表（{files}）对应，"
        "{unjoined} 人找不到所属家庭",
        "en": "export pair, person file: {total} members, {joined} joined to households "
        "({files}), {unjoined} without a household",
    },
    "inspect.pair.mismatch": {
        "zh": "家庭表与人员表户主不一致：{count} 户",
        "en": "households whose head differs between the two files: {count}",
    },
}
