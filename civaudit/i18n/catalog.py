"""The message catalogue: key -> {"zh": ..., "en": ...}. Both languages for every key."""

from __future__ import annotations

from civaudit.i18n import coverage as _coverage
from civaudit.i18n import diff as _diff
from civaudit.i18n import exports as _exports
from civaudit.i18n import external as _external
from civaudit.i18n import report as _report
from civaudit.i18n import sample as _sample

MESSAGES: dict[str, dict[str, str]] = {
    # inspect
    "inspect.file": {"zh": "文件", "en": "File"},
    "inspect.kind": {"zh": "类型", "en": "kind"},
    "inspect.bytes": {"zh": "字节", "en": "bytes"},
    "inspect.encoding": {"zh": "编码", "en": "encoding"},
    "inspect.sheet": {"zh": "工作表", "en": "Sheet"},
    "inspect.header_rows": {"zh": "表头行", "en": "header rows"},
    "inspect.title": {"zh": "标题", "en": "title"},
    "inspect.title_month": {"zh": "标题中的月份", "en": "month in title"},
    "inspect.layout": {"zh": "布局", "en": "layout"},
    "inspect.rows": {
        "zh": "读取 {read} 行，保留 {kept} 行数据：{households} 户，{members} 人",
        "en": "{read} {read|row|rows} read, {kept} data {kept|row|rows} kept: {households} "
        "{households|household|households}, {members} {members|member|members}",
    },
    "inspect.skipped": {"zh": "跳过的行", "en": "rows skipped"},
    "inspect.columns": {"zh": "列映射", "en": "Column mapping"},
    "inspect.column": {"zh": "列", "en": "column"},
    "inspect.header": {"zh": "表头", "en": "header"},
    "inspect.field": {"zh": "字段", "en": "field"},
    "inspect.how": {"zh": "方式", "en": "how"},
    "inspect.unparsed": {"zh": "无法解析的值", "en": "values that could not be parsed"},
    "inspect.ambiguous": {"zh": "有歧义的日期", "en": "ambiguous dates"},
    "inspect.ids": {"zh": "身份证号状况", "en": "ID-number health"},
    "inspect.none": {"zh": "无", "en": "none"},
    "inspect.skipped_sheet": {"zh": "跳过的工作表", "en": "sheet skipped"},
    "inspect.failed": {"zh": "无法读取", "en": "could not be read"},
    "how.alias": {"zh": "自动", "en": "alias"},
    "how.user": {"zh": "用户指定", "en": "user"},
    "how.unmapped": {"zh": "未映射", "en": "unmapped"},
    "how.duplicate": {"zh": "重复（已忽略）", "en": "duplicate (ignored)"},
    "how.clash": {"zh": "冲突（未读取）", "en": "clash (not read)"},
    "how.superseded": {"zh": "被替代（未读取）", "en": "superseded (not read)"},
    "how.slot": {"zh": "成员列", "en": "member column"},
    "basis.alias": {"zh": "别名（{detail}）", "en": "alias ({detail})"},
    "basis.parent": {"zh": "上级表头 {detail}", "en": "parent {detail}"},
    "basis.unit": {"zh": "单位 {detail}", "en": "unit {detail}"},
    "basis.parent-unit": {"zh": "上级表头的单位 {detail}", "en": "parent's unit {detail}"},
    "basis.sheet-unit": {"zh": "表格注明的单位 {detail}", "en": "sheet's unit {detail}"},
    "basis.words": {"zh": "表头字样 {detail}", "en": "header words {detail}"},
    "basis.shape": {"zh": "数据形态：{detail}", "en": "values: {detail}"},
    "basis.context": {"zh": "其他列：{detail}", "en": "other columns: {detail}"},
    "basis.user": {"zh": "用户指定", "en": "by hand"},
    "basis.slot": {"zh": "第 {detail} 名成员", "en": "member {detail}"},
    "detail.name-lists": {
        "zh": "{value} 的单元格列出多个姓名",
        "en": "{value} of cells list several names",
    },
    "detail.id-lists": {
        "zh": "{value} 的单元格列出多个身份证号",
        "en": "{value} of cells list several ID numbers",
    },
    "detail.one-name": {"zh": "每格一个姓名", "en": "one name per cell"},
    "detail.one-id": {"zh": "每格一个身份证号", "en": "one ID number per cell"},
    "detail.short-numbers": {"zh": "短号码，不是身份证号", "en": "short numbers, not ID numbers"},
    "detail.id-column": {"zh": "另有一列是身份证号", "en": "another column holds the ID numbers"},
    "detail.household-rows": {"zh": "每户一行", "en": "one row per household"},
    "inspect.unplaced": {"zh": "无法确定含义的列", "en": "columns not placed"},
    "inspect.month_columns": {
        "zh": "{first} … {last} 每列一个月份（全年发放台账），不作为月保障金读取；"
        "核查其中一个月：--column benefit_month={header} --as-of YYYY-MM",
        "en": "{first} … {last} hold a month each (a year's payment ledger) and are not read "
        "as the benefit; to audit one month: --column benefit_month={header} --as-of YYYY-MM",
    },
    "inspect.clashes": {"zh": "多列对应同一字段", "en": "columns claiming one field"},
    "inspect.clash": {
        "zh": "{field}：读取 {kept}，未读取 {others}",
        "en": "{field}: {kept} read, {others} not read",
    },
    "how.numbered": {"zh": "编号成员列", "en": "numbered member"},
    "how.list": {"zh": "成员名单（一格多人）", "en": "member list"},
    "layout.household": {"zh": "每户一行", "en": "one row per household"},
    "layout.member": {"zh": "每人一行（含户主身份证号）", "en": "one row per member"},
    "layout.block": {
        "zh": "按户分块（户信息纵向合并）",
        "en": "household blocks (head fields merged over member rows)",
    },
    "layout.wide": {
        "zh": "每户一行，成员按编号分列（成员一姓名、成员二姓名…）",
        "en": "one row per household, members in numbered columns",
    },
    "layout.list": {
        "zh": "每户一行，成员名单在一个单元格中",
        "en": "one row per household, its members listed in a cell",
    },
    "reason.title": {"zh": "标题/说明", "en": "title/notes"},
    "reason.blank": {"zh": "空行", "en": "blank"},
    "reason.column-numbers": {"zh": "列序号行", "en": "column numbers"},
    "reason.repeated-header": {"zh": "重复表头", "en": "repeated header"},
    "reason.totals": {"zh": "合计/小计", "en": "totals"},
    "reason.footer": {"zh": "表尾（制表人等）", "en": "footer"},
    "reason.hidden": {"zh": "隐藏", "en": "hidden"},
    "reason.very-hidden": {"zh": "深度隐藏", "en": "very hidden"},
    "reason.empty": {"zh": "空表", "en": "empty"},
    "reason.unreadable": {"zh": "无法读取", "en": "unreadable"},
    "reason.no-roster-header": {"zh": "未找到花名册表头", "en": "no roster header"},
    "id.valid": {"zh": "有效", "en": "valid"},
    "id.blank": {"zh": "空白", "en": "blank"},
    "id.masked": {"zh": "脱敏（含*）", "en": "masked"},
    "id.precision-lost": {"zh": "以数字存储、精度丢失", "en": "precision lost"},
    "id.invalid": {"zh": "格式无效", "en": "invalid"},
    "id.checksum": {"zh": "校验码错误", "en": "bad checksum"},
    "id.legacy-15": {"zh": "15位旧号", "en": "15-digit"},
    "id.region-unknown": {"zh": "行政区划未知", "en": "region unknown"},
    # runs
    "run.example_policy": {
        "zh": "注意：未指定 --policy，使用内置示例政策（数字仅为示例，并非官方标准）。",
        "en": "Note: no --policy given; using the built-in example policy "
        "(illustrative numbers, not an official standard).",
    },
    "run.policy": {"zh": "政策：{name}", "en": "Policy: {name}"},
    "run.as_of": {"zh": "核查月份：{date}（来源：{source}）", "en": "As of {date} (from {source})"},
    "as_of.--as-of": {"zh": "--as-of 参数", "en": "--as-of"},
    "as_of.policy": {"zh": "政策文件", "en": "the policy file"},
    "as_of.sheet title": {"zh": "表格标题", "en": "the sheet title"},
    "as_of.month series": {
        "zh": "按月工作簿的最近月份",
        "en": "the latest month of the monthly workbook",
    },
    "months.audited": {
        "zh": "按月工作簿 {file}：核查 {audited}",
        "en": "Monthly workbook {file}: audited {audited}",
    },
    "months.previous": {
        "zh": "  上月 {previous} 作为上期花名册，比对动态变动（change.*）",
        "en": "  {previous} compared as the month before (change.* rules)",
    },
    "months.others": {
        "zh": "  其余月份只读取、不核查：{others}",
        "en": "  other months read, not audited: {others}",
    },
    "inspect.months": {
        "zh": "按月工作簿：{months}；核查 --as-of 所在月份（默认最近一月），上月作为上期比对变动",
        "en": "monthly workbook: {months}; the --as-of month (default: the latest) is "
        "audited, the month before it compared with it",
    },
    "as_of.today": {"zh": "今天", "en": "today"},
    "assess.summary": {
        "zh": "共核算 {total} 户：{ok} 户完成，{bad} 户数据不全无法核算。",
        "en": "{total} {total|household|households}: {ok} assessed, {bad} could not be "
        "assessed (data missing).",
    },
    "assess.more": {
        "zh": "（仅显示前 {shown} 户，共 {total} 户；完整结果请用 -o 输出到文件）",
        "en": "(first {shown} of {total} households shown; use -o for the full table)",
    },
    "policy.written": {"zh": "已写入政策模板：{path}", "en": "Policy template written: {path}"},
    "policy.ok": {"zh": "{path}：政策文件有效（{name}）", "en": "{path}: policy is valid ({name})"},
    # audit
    "audit.summary": {
        "zh": "发现问题 {total} 条：错误 {errors}，警告 {warnings}，提示 {infos}。",
        "en": "{total} {total|finding|findings}: {errors} {errors|error|errors}, {warnings} "
        "{warnings|warning|warnings}, {infos} info.",
    },
    "audit.baseline": {
        "zh": "其中 {new} 条不在基线 {path} 中。",
        "en": "{new} of them are not in the baseline {path}.",
    },
    "audit.skipped": {
        "zh": "{n} 条规则因缺少数据未运行：{rules}（详见报告的 rules_skipped）",
        "en": "{n} {n|rule|rules} skipped for missing data: {rules} (reasons in the report's "
        "rules_skipped)",
    },
    "audit.not_audited": {"zh": "未核查（无法读取）", "en": "not audited"},
    "audit.md_title": {"zh": "低保花名册核查结果", "en": "dibao roster audit"},
    "audit.md_policy": {"zh": "政策", "en": "Policy"},
    "audit.md_example": {
        "zh": "内置示例政策，数字仅为示例",
        "en": "built-in example, illustrative numbers",
    },
    "audit.md_as_of": {"zh": "核查月份", "en": "as of"},
    "audit.count": {"zh": "条数", "en": "count"},
    "audit.by_rule": {"zh": "按规则统计", "en": "Findings by rule"},
    "audit.by_village": {"zh": "按村统计", "en": "Findings by village"},
    "audit.findings": {"zh": "问题清单", "en": "Findings"},
    "audit.more": {
        "zh": "（仅显示前 {shown} 条，共 {total} 条；完整结果请用 -o 输出到文件）",
        "en": "(first {shown} of {total} findings shown; use -o for all of them)",
    },
    "severity.error": {"zh": "错误", "en": "error"},
    "severity.warning": {"zh": "警告", "en": "warning"},
    "severity.info": {"zh": "提示", "en": "info"},
    "col.rule": {"zh": "规则", "en": "rule"},
    "col.severity": {"zh": "级别", "en": "severity"},
    "col.message": {"zh": "问题说明", "en": "message"},
    "col.clause": {"zh": "依据", "en": "clause"},
    "col.file": {"zh": "文件", "en": "file"},
    "col.sheet": {"zh": "工作表", "en": "sheet"},
    "col.row": {"zh": "行", "en": "row"},
    "col.cell": {"zh": "单元格", "en": "cell"},
    "col.county": {"zh": "县(区)", "en": "county"},
    "col.town": {"zh": "乡镇", "en": "town"},
    "col.village": {"zh": "村", "en": "village"},
    "col.household": {"zh": "户", "en": "household"},
    "col.person": {"zh": "身份证号", "en": "person"},
    "col.name": {"zh": "姓名", "en": "name"},
    "col.evidence": {"zh": "证据", "en": "evidence"},
    "col.verdict": {"zh": "核查结论", "en": "核查结论 (verdict)"},
    "col.note": {"zh": "说明", "en": "说明 (note)"},
    "col.where": {"zh": "位置", "en": "where"},
    "xlsx.summary": {"zh": "汇总", "en": "Summary"},
    "xlsx.findings": {"zh": "问题清单", "en": "Findings"},
    "xlsx.inputs": {"zh": "输入文件数", "en": "input files"},
    "xlsx.flag_note": {
        "zh": "每条问题只是核查线索，需要入户核实，不是结论。",
        "en": "Each finding starts a human check; it is not a verdict.",
    },
    "xlsx.truncated": {
        "zh": "工作表 {sheet} 只复制了前 {limit} 行（共 {total} 行；可用 --sheet-rows 调整）",
        "en": "sheet {sheet}: only the first {limit} of {total} rows copied (--sheet-rows)",
    },
    "progress.load": {"zh": "读取", "en": "loading"},
    "progress.assess": {"zh": "核算中", "en": "assessing"},
    "progress.rules": {"zh": "运行规则", "en": "running the rules"},
    # errors
    "error.internal": {
        "zh": "内部错误：{error}。请加 --debug 重新运行以查看详细信息，并报告此问题。",
        "en": "internal error: {error}. Run again with --debug for the traceback, and report it.",
    },
    "error.prefix": {"zh": "错误", "en": "error"},
    "error.aborted": {"zh": "已中止", "en": "aborted"},
    "error.interrupted": {
        "zh": "已中断（Ctrl-C）：未写完的输出文件不会留下",
        "en": "interrupted (Ctrl-C): no output file is left half written",
    },
}

# Each command's own messages live beside this catalogue; one dictionary serves all.
for _part in (
    _sample.MESSAGES,
    _external.MESSAGES,
    _diff.MESSAGES,
    _exports.MESSAGES,
    _report.MESSAGES,
):
    MESSAGES.update(_part)
MESSAGES.update(_coverage.MESSAGES)  # coverage, rule statuses, the roster month, the place
