"""Messages of coverage, rule statuses, the roster month and the place (zh and en).

What a run checked and what it did not: households not assessed and why, rules run,
skipped or not requested and what would let them run, each file's month and where it
came from. Merged into the main catalogue; ``civaudit.coverage`` builds the sentences
of a Report in both languages from these templates.
"""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # why a household was not assessed (civaudit.coverage.REASONS)
    "coverage.reason.income-missing": {
        "zh": "缺少家庭收入（表中没有收入列）",
        "en": "household income missing (no income column)",
    },
    "coverage.reason.income-blank": {"zh": "家庭收入为空", "en": "household income blank"},
    "coverage.reason.income-unreadable": {
        "zh": "家庭收入无法读取",
        "en": "household income unreadable",
    },
    "coverage.reason.size-missing": {
        "zh": "缺少家庭人口（表中没有人口列，也没有成员行）",
        "en": "household size missing (no size column, no member rows)",
    },
    "coverage.reason.size-blank": {"zh": "家庭人口为空", "en": "household size blank"},
    "coverage.reason.size-unreadable": {
        "zh": "家庭人口无法读取",
        "en": "household size unreadable",
    },
    "coverage.reason.size-below-one": {"zh": "家庭人口小于1", "en": "household size below 1"},
    "coverage.reason.region-unknown": {
        "zh": "没有可用的身份证号，无法确定行政区划和标准",
        "en": "no usable ID number to tell the region and its standard",
    },
    "coverage.reason.no-standard": {
        "zh": "政策中没有该地区的低保标准",
        "en": "the policy has no standard for the region",
    },
    "coverage.reason.month-missing": {
        "zh": "没有花名册月份，而政策的标准随月份变化",
        "en": "no roster month, and the policy's standard depends on it",
    },
    "coverage.reason.phaseout-amount-missing": {
        "zh": "渐退户没有记录保障金额",
        "en": "phase-out household with no recorded benefit",
    },
    # what to do about it
    "coverage.hint.income-missing": {
        "zh": "用 --column gross_income_year=表头 指定收入列",
        "en": "map the income column with --column gross_income_year=HEADER",
    },
    "coverage.hint.size-missing": {
        "zh": "用 --column household_size=表头 指定人口列",
        "en": "map the size column with --column household_size=HEADER",
    },
    "coverage.hint.month-missing": {
        "zh": "用 --as-of YYYY-MM 给出花名册月份",
        "en": "give the roster month with --as-of YYYY-MM",
    },
    "coverage.hint.no-standard": {
        "zh": "在政策文件中为该地区加一条 [[standard]]",
        "en": "add a [[standard]] for the region to the policy",
    },
    # summaries
    "coverage.line": {
        "zh": "{total} 户中 {assessed} 户已核算（{percent}）",
        "en": "{assessed} of {total} households assessed ({percent})",
    },
    "coverage.not_assessed": {
        "zh": "{total} 户中 {n} 户未核算：{reason}（见 {files}）",
        "en": "{n} of {total} households not assessed: {reason} (see {files})",
    },
    "coverage.none": {"zh": "没有可核算的户", "en": "no households to assess"},
    "coverage.low": {
        "zh": "注意：只有 {percent} 的户得到核算，收入和保障金类规则只检查了这些户；"
        "“无问题”不代表其余的户没有问题。",
        "en": "Note: only {percent} of the households were assessed; the income and benefit "
        "rules checked only those, so few findings do not mean the others are clean.",
    },
    "coverage.benefit_unchecked": {
        "zh": "已核算但没有记录保障金的户：{n}（未比对保障金额）",
        "en": "assessed households with no recorded benefit: {n} (benefit not compared)",
    },
    "coverage.required": {
        "zh": "核算覆盖率 {percent} 低于 --require-coverage {required}%",
        "en": "coverage {percent} is below --require-coverage {required}%",
    },
    "coverage.more_files": {"zh": "等 {n} 个文件", "en": "and {n} more"},
    "coverage.md_title": {"zh": "核算覆盖", "en": "Coverage"},
    "coverage.md_reason": {"zh": "未核算原因", "en": "reason not assessed"},
    "coverage.md_households": {"zh": "户数", "en": "households"},
    "coverage.md_file": {"zh": "文件 · 工作表", "en": "file · sheet"},
    "coverage.md_assessed": {"zh": "已核算", "en": "assessed"},
    "audit.md_rules": {"zh": "规则", "en": "Rules"},
    "audit.md_source": {"zh": "来源", "en": "from"},
    # rule statuses (civaudit.coverage.rule_statuses)
    "rules.status.run": {"zh": "已运行", "en": "run"},
    "rules.status.skipped": {"zh": "未运行（缺数据）", "en": "skipped"},
    "rules.status.not-requested": {"zh": "未要求", "en": "not requested"},
    "rules.line": {
        "zh": "规则：{run} 条已运行，{skipped} 条未运行，{not_requested} 条未要求",
        "en": "Rules: {run} run, {skipped} not run, {not_requested} not requested",
    },
    "rules.skipped_group": {
        "zh": "  未运行 {n} 条（{rules}）：{text}",
        "en": "  {n} not run ({rules}): {text}",
    },
    "rules.partly_group": {
        "zh": "  部分运行 {n} 条（{rules}）：{text}",
        "en": "  {n} run in part ({rules}): {text}",
    },
    "rules.lists_group": {
        "zh": "  未运行 {n} 条（{rules}）：需要外部名单，"
        "用 --against 类别=文件 提供（类别：{kinds}）",
        "en": "  {n} not run ({rules}): they need external lists; give --against KIND=FILE "
        "(KIND: {kinds})",
    },
    "rules.reason.run-partly": {
        "zh": "只在有花名册月份的 {n} 户上运行；"
        "未在 {files} 的 {missing} 户上运行（没有花名册月份）",
        "en": "run on the {n} households with a roster month; not on the {missing} of {files} "
        "(no roster month)",
    },
    "rules.reason.needs-list": {
        "zh": "需要外部名单：{lists}",
        "en": "needs an external list: {lists}",
    },
    "rules.list": {
        "zh": "{label}（--against {kind}=文件）",
        "en": "{label} (--against {kind}=FILE)",
    },
    "rules.reason.missing-column": {
        "zh": "需要{fields}列（表头如 {headers}；或用 --column {field}=表头 指定）",
        "en": "needs a column for {fields} (a header such as {headers}; "
        "or map one with --column {field}=HEADER)",
    },
    "rules.reason.needs-pair": {
        "zh": "核对系统导出的家庭表与人员表的对应关系：请同时给出两个文件",
        "en": "checks the join of the information system's export pair: give its household "
        "file and its person file together",
    },
    "rules.reason.no-month": {
        "zh": "需要花名册月份：--as-of、政策的 as_of、表格标题、文件名和文件夹名都没有给出；"
        "请用 --as-of YYYY-MM 指定",
        "en": "needs the roster month: neither --as-of, the policy's as_of, the sheet titles, "
        "the file names nor the folder names give one; give --as-of YYYY-MM",
    },
    "rules.reason.needs-diff": {
        "zh": "比较前后两期花名册：请用 civaudit diff 上期 本期",
        "en": "compares two snapshots: run civaudit diff OLD NEW",
    },
    "rules.reason.not-implemented": {
        "zh": "本版本尚未实现",
        "en": "not implemented in this version",
    },
    "rules.reason.not-selected": {
        "zh": "不在 --select 之列（{selected}）",
        "en": "not among --select {selected}",
    },
    "rules.reason.ignored": {"zh": "被 --ignore 排除", "en": "left out by --ignore"},
    "rules.reason.policy-ignored": {
        "zh": "被政策文件的 [rules] ignore 排除",
        "en": "left out by the policy's [rules] ignore",
    },
    # the roster month (civaudit.asof)
    "as_of.option": {"zh": "--as-of 参数", "en": "--as-of"},
    "as_of.title": {"zh": "表格标题", "en": "the sheet title"},
    "as_of.sheet-name": {"zh": "工作表名", "en": "the sheet name"},
    "as_of.file-name": {"zh": "文件名", "en": "the file name"},
    "as_of.folder": {"zh": "文件夹名", "en": "the folder name"},
    "as_of.none": {"zh": "无", "en": "nowhere"},
    "as_of.files": {
        "zh": "核查月份：{date}（来源：{source}），{n} 个文件",
        "en": "As of {date} (from {source}): {n} files",
    },
    "as_of.sep": {"zh": "、", "en": ", "},
    "as_of.file": {
        "zh": "  {file}：{date}（来源：{source}）",
        "en": "  {file}: {date} (from {source})",
    },
    "as_of.missing": {
        "zh": "没有花名册月份：{files}。需要月份的规则（年龄、渐退期、死亡名单、前后比对）"
        "不在这些文件上运行；请用 --as-of YYYY-MM 指定，或在表格标题、文件名中写明月份。",
        "en": "No roster month for {files}: the rules that need one (ages, phase-out, "
        "deaths, changes) are not run on them; give --as-of YYYY-MM, or name the month in "
        "the sheet title or the file name.",
    },
    "as_of.missing_assess": {
        "zh": "没有花名册月份：{files}。这些户按无月份核算（标准仅在不随月份变化时使用，"
        "年龄取表中记录，渐退期不判断是否已满）；请用 --as-of YYYY-MM 指定。",
        "en": "No roster month for {files}: assessed without one (the standard only where it "
        "does not depend on the month, recorded ages, phase-out periods not placed); give "
        "--as-of YYYY-MM.",
    },
    "as_of.conflict": {
        "zh": "警告：{file}：{chosen_source}为 {chosen}，但{other_source}为 {other}；"
        "按 {chosen} 核查",
        "en": "Warning: {file}: {chosen_source} says {chosen}, but {other_source} says {other}; "
        "audited as of {chosen}",
    },
    "as_of.md": {"zh": "核查月份", "en": "Roster month"},
    "inspect.month": {
        "zh": "花名册月份：{month}（来源：{source}）",
        "en": "roster month {month} (from {source})",
    },
    "inspect.no_month": {
        "zh": "没有花名册月份（标题、工作表名、文件名和文件夹名都没有写明；核查时用 --as-of 指定）",
        "en": "no roster month (neither the title, the sheet name, the file name nor the folders "
        "name one; give --as-of when auditing)",
    },
    "diff.no_month": {
        "zh": "本期（NEW）没有花名册月份："
        "--as-of、政策的 as_of、表格标题、文件名和文件夹名都没有给出",
        "en": "NEW has no roster month: neither --as-of, the policy's as_of, the sheet titles, "
        "the file names nor the folder names give one",
    },
    "diff.no_month_hint": {"zh": "请用 --as-of YYYY-MM 指定", "en": "give --as-of YYYY-MM"},
    # the place (civaudit.place)
    "place.source.column": {"zh": "列", "en": "column"},
    "place.source.title": {"zh": "标题", "en": "title"},
    "place.source.file-name": {"zh": "文件名", "en": "file name"},
    "place.source.folder": {"zh": "文件夹", "en": "folder"},
    "place.source.sheet-name": {"zh": "工作表名", "en": "sheet name"},
    "place.line": {"zh": "地点", "en": "place"},
    "place.source.address": {"zh": "家庭住址", "en": "address"},
    "place.sheet": {
        "zh": "地点：{places}",
        "en": "place: {places}",
    },
    "place.names": {"zh": "{n} 个", "en": "{n} names"},
    # sample: villages named by the evidence (civaudit.sample.SOURCES)
    "sample.from.title": {"zh": "表格标题（{n} 个村）", "en": "sheet titles ({n})"},
    "sample.from.file-name": {"zh": "文件名（{n} 个村）", "en": "file names ({n})"},
    "sample.from.folder": {"zh": "文件夹名（{n} 个村）", "en": "folder names ({n})"},
    "sample.from.sheet-name": {"zh": "以村命名的工作表（{n} 个村）", "en": "sheet names ({n})"},
    "sample.source.title": {"zh": "标题", "en": "title"},
    "sample.source.file-name": {"zh": "文件名", "en": "file name"},
    "sample.source.folder": {"zh": "文件夹", "en": "folder"},
    "sample.source.sheet-name": {"zh": "工作表名", "en": "sheet name"},
    "place.level.county": {"zh": "县", "en": "county"},
    "place.level.town": {"zh": "乡镇", "en": "town"},
    "place.level.village": {"zh": "村", "en": "village"},
    # silent no-ops made to speak
    "noop.column": {
        "zh": "--column {field}={header}：没有任何工作表有这个表头；现有表头：{headers}",
        "en": "--column {field}={header}: no sheet has that header; the headers are: {headers}",
    },
    "noop.column_hint": {
        "zh": "用上面列出的表头之一（或列字母，如 --column {field}=E）",
        "en": "use one of the headers listed (or a column letter, e.g. --column {field}=E)",
    },
    "noop.baseline_mask": {
        "zh": "警告：基线报告 {path} {baseline}，本次运行{current}；已按脱敏后的号码比对，"
        "结果可能不准。请用相同的脱敏设置重新运行（{fix}）。",
        "en": "Warning: the baseline {path} was written {baseline}, this run is {current}: "
        "findings were matched on masked numbers and may be wrong; re-run with the same "
        "masking ({fix}).",
    },
    "noop.masked": {"zh": "身份证号脱敏", "en": "with masked IDs"},
    "noop.unmasked": {"zh": "身份证号未脱敏", "en": "with full IDs (--no-mask)"},
    "noop.fix_mask": {"zh": "去掉 --no-mask", "en": "without --no-mask"},
    "noop.fix_no_mask": {"zh": "加上 --no-mask", "en": "with --no-mask"},
    "noop.pair_members": {
        "zh": "警告：{file} 像是系统导出的人员表（有户主身份证号，没有户级金额），但没有与之配对的"
        "家庭表：以下规则无法运行：{rules}。请同时给出家庭表（农村低保家庭查询_…）。",
        "en": "Warning: {file} looks like the person file of an export pair (户主身份证号, no "
        "household amounts) but no household file joined it: these rules cannot run: "
        "{rules}. Give the household file (农村低保家庭查询_…) too.",
    },
    "noop.pair_households": {
        "zh": "警告：{file} 像是系统导出的家庭表，但没有与之配对的人员表："
        "以下规则无法运行：{rules}。请同时给出人员表（农村低保人员查询_…）。",
        "en": "Warning: {file} looks like the household file of an export pair but no person "
        "file joined it: these rules cannot run: {rules}. Give the person file "
        "(农村低保人员查询_…) too.",
    },
}
