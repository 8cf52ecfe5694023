"""Error messages and hints in Chinese, and the translation of an error at the CLI.

The library raises its errors in English (stable text for logs, scripts and other
programs; a worker process need not know the user's language). The CLI shows each
one in the ``--lang`` language: ``translate`` matches the message, and each part of
it after a ``where: `` prefix, against the English templates below and writes the
Chinese template with the same values. A test walks every ``raise ...Error(...)`` in
the package and fails when a message or hint has no template here.
"""

from __future__ import annotations

import re
from functools import cache

# (English template, Chinese template). Placeholders match any text; their values
# are translated in turn (a nested message), else kept as they are (a path, a key).
ERRORS: tuple[tuple[str, str], ...] = (
    # the command line
    ("no input could be read: nothing was audited", "没有任何输入文件可以读取：未进行核查"),
    ("{baseline}: is not a civaudit JSON report", "{baseline}：不是 civaudit 的 JSON 报告"),
    ("give a file written with -f json", "请给出用 -f json 写出的文件"),
    ("the Dask engine needs dask and distributed", "Dask 引擎需要安装 dask 和 distributed"),
    (
        "pip install civaudit[dask], or use --engine local",
        "请运行 pip install civaudit[dask]，或使用 --engine local",
    ),
    (
        "cannot reach the Dask scheduler at {address}: {error}",
        "无法连接 {address} 的 Dask 调度器：{error}",
    ),
    (
        "start one with `dask scheduler` and `dask worker ADDRESS`, or check --scheduler",
        "请用 `dask scheduler` 和 `dask worker 地址` 启动集群，或检查 --scheduler",
    ),
    ("unknown engine {engine}", "未知的引擎 {engine}"),
    ("use --engine local or --engine dask", "请使用 --engine local 或 --engine dask"),
    ("--old-as-of {given} is not a date", "--old-as-of {given} 不是日期"),
    ("--as-of {given} is not a date", "--as-of {given} 不是日期"),
    ("{option} {given} is not a date", "{option} {given} 不是日期"),
    ("write YYYY-MM or YYYY-MM-DD", "请写作 YYYY-MM 或 YYYY-MM-DD"),
    ("--column {value} is not FIELD=HEADER", "--column {value} 不是“字段=表头”的形式"),
    ("e.g. --column id_number=公民身份号码", "例如 --column id_number=公民身份号码"),
    ("xlsx cannot be written to the terminal", "xlsx 不能输出到终端"),
    ("parquet cannot be written to the terminal", "parquet 是二进制格式，不能输出到终端"),
    (
        "give -o FILE.parquet, or send stdout to a file or a pipe",
        "请用 -o 文件名.parquet，或把标准输出重定向到文件或管道",
    ),
    (
        "the xlsx report needs a sheet of {rows} rows, past Excel's {cap} rows a sheet",
        "xlsx 报告需要一张 {rows} 行的工作表，超过 Excel 每张工作表 {cap} 行的上限",
    ),
    (
        "use --split-by county (one workbook per county) or a jsonl, csv or parquet output",
        "请用 --split-by county（每个县一个工作簿），或输出 jsonl、csv 或 parquet 格式",
    ),
    ("use a jsonl, csv or parquet output", "请输出 jsonl、csv 或 parquet 格式"),
    ("--split-by applies to the xlsx report", "--split-by 只用于 xlsx 报告"),
    ("--split-by {level}: unknown", "--split-by {level}：无法识别"),
    ("give -o FILE.xlsx", "请用 -o 文件名.xlsx"),
    ("give -o 入户核查.xlsx", "请用 -o 入户核查.xlsx"),
    ("{target}: the table format is for the terminal", "{target}：table 格式只用于终端显示"),
    ("give -f or an extension", "请用 -f 指定格式，或使用带扩展名的文件名"),
    ("{path}: already exists", "{path}：文件已存在"),
    ("choose another name or add --force", "请换一个文件名，或加 --force 覆盖"),
    (
        "{selector} is not a change rule: civaudit diff runs the change.* rules",
        "{selector} 不是变动规则：civaudit diff 只运行 change.* 规则",
    ),
    (
        "`civaudit rules` lists them; check one snapshot with `civaudit audit`",
        "`civaudit rules` 列出全部规则；核查单期花名册请用 `civaudit audit`",
    ),
    ("unknown rule or family {selector}", "未知的规则或规则类别 {selector}"),
    # resource limits (civaudit.limits, io.guard)
    ("--limit {spec} is not NAME=VALUE", "--limit {spec} 不是“名称=数值”的形式"),
    ("--limit {spec}: unknown limit {name}", "--limit {spec}：未知的上限名称 {name}"),
    ("--limit {spec}: {problem}", "--limit {spec}：{problem}"),
    ("the limits: {names}", "可用的上限：{names}"),
    ("give a number, or none to turn the limit off", "请给出数值，或用 none 取消该上限"),
    ("must be a number of bytes, e.g. 4GiB", "须为字节数，例如 4GiB"),
    ('a number, a size such as "4GiB", or "none"', "请写数值、“4GiB”这样的大小，或“none”"),
    (
        "part {part} unpacks to {size} bytes, past the limit of {limit} for one part of a workbook",
        "压缩包内部件 {part} 解压后有 {size} 字节，超过单个部件 {limit} 的上限",
    ),
    (
        "part {part} unpacks {times} times its packed size, past the limit of {limit} "
        "(a zip bomb?)",
        "压缩包内部件 {part} 解压后是压缩大小的 {times} 倍，超过 {limit} 倍的上限（疑似压缩炸弹）",
    ),
    (
        "part {part} holds more than the {size} bytes it declares (a forged or damaged archive)",
        "压缩包内部件 {part} 的实际内容超过其声明的 {size} 字节（压缩包被伪造或已损坏）",
    ),
    (
        "part {part} holds fewer bytes than it declares (a damaged archive)",
        "压缩包内部件 {part} 的实际内容少于其声明的大小（压缩包已损坏）",
    ),
    (
        "{where} spans {rows} rows x {cols} columns ({cells} cells), past the limit of "
        "{limit} cells in one sheet",
        "{where}的已用区域为 {rows} 行 × {cols} 列（{cells} 个单元格），超过每张工作表 {limit} "
        "个单元格的上限",
    ),
    (
        "{where} spans {rows} rows x {cols} columns but holds at most {held} cells, past the "
        "limit of {limit} range cells per cell it holds",
        "{where}的已用区域为 {rows} 行 × {cols} 列，但文件中最多只有 {held} 个单元格，超过已用区域"
        "单元格数与实有单元格数之比 {limit} 的上限",
    ),
    ("sheet part {part}", "工作表部件 {part} "),
    ("sheet '{sheet}' ({part})", "工作表“{sheet}”（{part}）"),
    (
        "cell {cell} holds {chars} characters, past the limit of {limit} in one cell",
        "单元格 {cell} 有 {chars} 个字符，超过单个单元格 {limit} 个字符的上限",
    ),
    ("must be a number", "须为数值"),
    ("must be more than 0", "须大于 0"),
    (
        "line {line} has {fields} fields, past the limit of {limit} fields in one CSV line",
        "第 {line} 行有 {fields} 个字段，超过 CSV 每行 {limit} 个字段的上限",
    ),
    (
        "line {line} has a field past the limit of {limit} characters in one CSV field",
        "第 {line} 行有一个字段超过 CSV 单个字段 {limit} 个字符的上限",
    ),
    (
        "if the file is genuine, raise it with --limit {name}=N or [limits] {key} in the policy",
        "如果文件确属正常，可用 --limit {name}=N 或政策文件 [limits] 中的 {key} 放宽此上限",
    ),
    (
        "`civaudit rules` lists the rule ids; a family is the part before the dot",
        "`civaudit rules` 列出规则编号；规则类别是点号前的部分",
    ),
    ("`civaudit rules` lists them", "`civaudit rules` 列出全部规则"),
    ("unknown format {fmt}", "未知的输出格式 {fmt}"),
    ("use one of {choices}", "请使用其中之一：{choices}"),
    ("use one of {choices} or give -f", "请使用其中之一：{choices}，或用 -f 指定格式"),
    (
        "{path}: cannot tell the output format from the extension",
        "{path}：无法从扩展名判断输出格式",
    ),
    (
        "{path}: is one of the inputs; civaudit never writes to an input",
        "{path}：是输入文件之一；civaudit 从不写入输入文件",
    ),
    ("choose another output file name", "请换一个输出文件名"),
    (
        "{path}: has no findings sheet with a {column} column",
        "{path}：没有带“{column}”列的问题清单工作表",
    ),
    (
        "give the report workbook written with -o report.xlsx",
        "请给出用 -o 报告.xlsx 写出的核查报告工作簿",
    ),
    (
        "{path}: cannot be read as a civaudit xlsx report ({kind})",
        "{path}：无法作为 civaudit 的 xlsx 报告读取（{kind}）",
    ),
    # sample
    ("--villages {value} is not all, a count or a rate", "--villages {value} 不是 all、村数或比例"),
    (
        "give all, a number of villages (5) or a rate (0.2)",
        "请给出 all、村数（如 5）或比例（如 0.2）",
    ),
    ("e.g. 5 or 0.2", "例如 5 或 0.2"),
    ("--weight {weight} is unknown", "--weight {weight} 无法识别"),
    ("--within {within} is unknown", "--within {within} 无法识别"),
    ("--share {share}: a rate is within 0..1", "--share {share}：比例应在 0 到 1 之间"),
    ("e.g. 0.1 for 10%", "例如 0.1 表示 10%"),
    ("--min-per-village {n}: must be 0 or more", "--min-per-village {n}：不能小于 0"),
    ("e.g. 3", "例如 3"),
    ("--seed {seed}: must be a whole number, 0 or more", "--seed {seed}：应为不小于 0 的整数"),
    ("e.g. --seed 2019", "例如 --seed 2019"),
    ("--villages {value}: need at least 1", "--villages {value}：至少为 1"),
    ("give all, N or a rate", "请给出 all、村数或比例"),
    ("--villages {value}: a rate is within 0..1", "--villages {value}：比例应在 0 到 1 之间"),
    ("e.g. 0.2 for 20%", "例如 0.2 表示 20%"),
    # external lists
    (
        "{where}: the {kind} list has no ID-number column; found {found}",
        "{where}：{kind} 名单没有身份证号列；找到的列：{found}",
    ),
    (
        "lists are matched on ID numbers: name the column 身份证号 (the list needs {what})",
        "名单按身份证号比对：请把该列命名为“身份证号”（该名单需要 {what}）",
    ),
    ("unknown list kind {kind}", "未知的名单类型 {kind}"),
    ("one of: {choices}", "可选：{choices}"),
    (
        "{path}: no sheet holds a {kind} list: no header row with its columns{found}",
        "{path}：没有工作表含 {kind} 名单：找不到含所需列的表头行{found}",
    ),
    ("the {kind} list needs a header row naming {what}", "{kind} 名单需要一行表头，写明 {what}"),
    (
        "{where}: the population list has no {columns} column; found {found}",
        "{where}：人口名单没有 {columns} 列；找到的列：{found}",
    ),
    (
        "name its columns 村 (the village) and 户籍人口 (its population)",
        "请把列命名为“村”（村名）和“户籍人口”（人口数）",
    ),
    ("--against {value} is not KIND=FILE", "--against {value} 不是“类型=文件”的形式"),
    (
        "e.g. --against deaths=死亡名单.xlsx; kinds: {choices}",
        "例如 --against deaths=死亡名单.xlsx；类型有：{choices}",
    ),
    ("--against {value}: unknown list kind {kind}", "--against {value}：未知的名单类型 {kind}"),
    ("{lead}the kinds are: {choices}", "{lead}类型有：{choices}"),
    (
        "{path}: no spreadsheet files found for --against {kind}",
        "{path}：没有找到 --against {kind} 的表格文件",
    ),
    (
        "give .xlsx .xlsm .xls .xlsb .ods or .csv files, or a folder holding them",
        "请给出 .xlsx .xlsm .xls .xlsb .ods 或 .csv 文件，或包含它们的文件夹",
    ),
    (
        "give .xlsx .xlsm .xls .xlsb .ods or .csv files",
        "请给出 .xlsx .xlsm .xls .xlsb .ods 或 .csv 文件",
    ),
    # reading files
    ("{where}: no roster header found{detail}", "{where}：找不到花名册表头{detail}"),
    (
        "map the columns with --column id_number=<header> (and name=, household_size=, ...)",
        "请用 --column id_number=<表头> 指定列（以及 name=、household_size= 等）",
    ),
    ("--column names unknown field(s): {fields}", "--column 中有未知字段：{fields}"),
    ("run 'civaudit inspect' to see the field names", "运行 civaudit inspect 查看字段名"),
    ("{path}: is an HTML page with no table in it", "{path}：是一个不含表格的 HTML 网页"),
    (
        "export the roster again, or open it in Excel or WPS and save it as .xlsx",
        "请重新导出花名册，或用 Excel/WPS 打开后另存为 .xlsx",
    ),
    ("{path}: has no sheet '{sheet}'", "{path}：没有名为“{sheet}”的工作表"),
    ("its tables are: {names}", "其中的表格有：{names}"),
    ("its sheets are: {names}", "其中的工作表有：{names}"),
    (
        "{path}: the XML declares entities, which civaudit does not expand",
        "{path}：该 XML 声明了实体，civaudit 不会展开",
    ),
    ("open it in Excel or WPS and save it as .xlsx", "请用 Excel 或 WPS 打开后另存为 .xlsx"),
    (
        "{path}: is SpreadsheetML (Excel 2003 XML) with no worksheet",
        "{path}：是没有工作表的 SpreadsheetML（Excel 2003 XML）文件",
    ),
    ("export the roster again", "请重新导出花名册"),
    (
        "{path}: the SpreadsheetML is damaged or truncated ({detail})",
        "{path}：SpreadsheetML 文件已损坏或不完整（{detail}）",
    ),
    (
        "export it again, or open it in Excel or WPS and save it as .xlsx",
        "请重新导出，或用 Excel/WPS 打开后另存为 .xlsx",
    ),
    ("{path}: is not a spreadsheet civaudit reads", "{path}：不是 civaudit 能读取的表格文件"),
    ("{path}: is a zip archive, not a workbook", "{path}：是 zip 压缩包，不是工作簿"),
    ("unpack it and give the spreadsheets inside", "请解压后给出其中的表格文件"),
    ("{path}: is a folder", "{path}：是文件夹"),
    ("pass the folder itself, not a file in it", "请直接给出文件夹，而不是其中的文件"),
    ("{path}: the file is empty (0 bytes)", "{path}：文件为空（0 字节）"),
    ("{path}: is not a spreadsheet (unrecognised content)", "{path}：不是表格文件（内容无法识别）"),
    (
        "check the file was exported completely, or open and save it as .xlsx",
        "请检查文件是否完整导出，或打开后另存为 .xlsx",
    ),
    ("{path}: the workbook is password-protected", "{path}：工作簿设有密码保护"),
    ("the workbook is password-protected", "工作簿设有密码保护"),
    (
        "open it in Excel or WPS with its password and save an unprotected copy",
        "请用 Excel 或 WPS 输入密码打开，另存一份不加密的副本",
    ),
    (
        "open it with its password and save an unprotected copy",
        "请输入密码打开，另存一份不加密的副本",
    ),
    ("{path}: no sheet could be read ({detail})", "{path}：没有可以读取的工作表（{detail}）"),
    ("{path}: text encoding not recognised", "{path}：无法识别文本编码"),
    ("save it as UTF-8 or GBK CSV", "请另存为 UTF-8 或 GBK 编码的 CSV"),
    (
        "{path}: looks like UTF-16 or binary data, not CSV text",
        "{path}：看起来是 UTF-16 或二进制数据，不是 CSV 文本",
    ),
    ("save it as UTF-8 CSV", "请另存为 UTF-8 编码的 CSV"),
    ("{path}: the CSV file has no values", "{path}：CSV 文件中没有数据"),
    ("{path}: no such file or folder", "{path}：文件或文件夹不存在"),
    ("{path}: no such file", "{path}：文件不存在"),
    ("check the path", "请检查路径"),
    ("{path}: cannot be read ({reason})", "{path}：无法读取（{reason}）"),
    ("check its permissions", "请检查文件权限"),
    ("a CSV file has one sheet, '{name}'", "CSV 文件只有一个工作表“{name}”"),
    ("{path}: the workbook is damaged or truncated", "{path}：工作簿已损坏或不完整"),
    (
        "export or copy it again, or open it in Excel/WPS and save a repaired copy",
        "请重新导出或复制，或用 Excel/WPS 打开并另存修复后的副本",
    ),
    ("{path}: CSV cannot be parsed ({detail})", "{path}：CSV 无法解析（{detail}）"),
    ("cannot be read as a workbook ({reason})", "无法作为工作簿读取（{reason}）"),
    ("the reader crashed: {reason}", "读取程序出错：{reason}"),
    ("{files}: no spreadsheet files found", "{files}：没有找到表格文件"),
    (
        "{path}: is a link to {target}, which does not exist",
        "{path}：是指向 {target} 的链接，而该目标不存在",
    ),
    ("{path}: is a link in a loop (it leads back to itself)", "{path}：是循环链接（指回自身）"),
    ("point the link at the file or remove it", "请让链接指向文件，或删除该链接"),
    (
        "{path}: is a link back to the folder {real}, already searched (a loop)",
        "{path}：是指回已搜索过的文件夹 {real} 的链接（循环）",
    ),
    (
        "the files there are read once; remove the link to silence this",
        "其中的文件只读取一次；删除该链接即不再提示",
    ),
    ("{name}: no sheet holds a roster{detail}", "{name}：没有工作表含有花名册{detail}"),
    ("check the file holds the roster", "请检查该文件是否包含花名册"),
    ("sheet '{sheet}'", "工作表“{sheet}”"),
    # policy files
    ("{path}: cannot read the policy file ({reason})", "{path}：无法读取政策文件（{reason}）"),
    (
        "check the path; `civaudit policy init FILE` writes a template",
        "请检查路径；`civaudit policy init 文件` 可写出模板",
    ),
    (
        "{path}: the policy file is not UTF-8 text (byte {n})",
        "{path}：政策文件不是 UTF-8 文本（第 {n} 字节）",
    ),
    (
        "save it as UTF-8 (in WPS/Notepad: Save As, encoding UTF-8)",
        "请另存为 UTF-8 编码（在 WPS/记事本中：另存为，编码选 UTF-8）",
    ),
    ("{where}: TOML syntax error: {problem}", "{where}：TOML 语法错误：{problem}"),
    (
        "{source}: arrays or tables are nested too deeply to read",
        "{source}：数组或表嵌套层数过深，无法读取",
    ),
    (
        "a policy nests two levels at most: [[standard]] entries, the severity table",
        "政策文件最多嵌套两层：[[standard]] 各条、severity 表",
    ),
    (
        'fix the syntax; text values need quotes (rounding = "ceil-yuan"), numbers do not '
        "(yearly = 4800)",
        '请修正语法；文字值要加引号（rounding = "ceil-yuan"），数字不加（yearly = 4800）',
    ),
    (
        "{source}: no [[standard]]: the policy gives no dibao standard",
        "{source}：没有 [[standard]]：政策文件未给出低保标准",
    ),
    (
        'add one: [[standard]] region = "13" yearly = 4800 (yuan per person per year), one '
        "entry per region prefix and start date",
        '请添加：[[standard]] region = "13" yearly = 4800（元/人·年），每个区划前缀和起始日期一条',
    ),
    ("{where}: {key}: unknown key outside any section", "{where}：{key}：不属于任何节的未知键"),
    (
        "{where}: {name}: must be a list of tables, written [[{table}]]",
        "{where}：{name}：应为表的列表，写作 [[{table}]]",
    ),
    (
        "write [[{name}]] (double brackets) above each entry",
        "请在每一条上方写 [[{name}]]（双方括号）",
    ),
    ("{where}: unknown section [{key}]", "{where}：未知的节 [{key}]"),
    ("{where}, line {line}", "{where}，第 {line} 行"),
    ("must be a table", "应为表（section）"),
    ("write the section header [{name}]", "请写出节标题 [{name}]"),
    ("unknown key", "未知的键"),
    ("unknown section", "未知的节"),
    ("must be a number, got {value}", "应为数字，实际为 {value}"),
    ("must not be negative, got {value}", "不能为负数，实际为 {value}"),
    ("amounts are >= 0", "金额不能小于 0"),
    ("must be a finite amount, got inf", "应为有限的金额，实际为 inf"),
    ("must be a whole number, got {value}", "应为整数，实际为 {value}"),
    ("must be at least {minimum}, got {value}", "至少为 {minimum}，实际为 {value}"),
    ("must be true or false, got {value}", "应为 true 或 false，实际为 {value}"),
    ("no quotes", "不加引号"),
    ("must be text in quotes, got {value}", "应为带引号的文字，实际为 {value}"),
    ("unknown value {value}", "无法识别的值 {value}"),
    ("must be a date without a time, got {value}", "应为不含时间的日期，实际为 {value}"),
    ("is not a date: {value}", "不是日期：{value}"),
    ('write "YYYY-MM-DD" or "YYYY-MM"', '请写作 "YYYY-MM-DD" 或 "YYYY-MM"'),
    ("must be a list, got {value}", "应为列表，实际为 {value}"),
    ("lists a category twice", "同一类别出现了两次"),
    ("must be a rate between 0 and 1, got {value}", "应为 0 到 1 之间的比例，实际为 {value}"),
    ("write 5% as 0.05", "5% 请写作 0.05"),
    (
        "must be a multiple of the standard, at least 1, got {value}",
        "应为标准的倍数，至少为 1，实际为 {value}",
    ),
    ("1.5 means one and a half times the standard", "1.5 表示标准的一倍半"),
    ("unknown rule {rule}", "未知的规则 {rule}"),
    ("unknown severity {level}", "未知的级别 {level}"),
    ("write it without quotes", "请去掉引号"),
    ("has no category", "缺少 category"),
    # policy ranges
    (
        "{where}: key {key} = {value} is out of range ({allowed})",
        "{where}：键 {key} = {value} 超出范围（{allowed}）",
    ),
    ("{low} ≤ value ≤ {high}, or inf", "{low} ≤ 值 ≤ {high}，或 inf"),
    ("{low} < value ≤ {high}", "{low} < 值 ≤ {high}"),
    ("{low} ≤ value ≤ {high}", "{low} ≤ 值 ≤ {high}"),
    ("{low} ≤ date ≤ {high}", "{low} ≤ 日期 ≤ {high}"),
    ("yuan per person per year", "元/人·年"),
    ("yuan per month", "元/月"),
    ("yuan per year, inf for no cap", "元/年，inf 表示不设上限"),
    ("percent of the monthly standard", "月标准的百分比"),
    ("months", "月数"),
    (
        "{where}: key {key} is {n} characters long (at most {most} characters)",
        "{where}：键 {key} 长 {n} 个字符（最多 {most} 个字符）",
    ),
    (
        "{where}: key {key} lists {n} entries (at most {most} entries)",
        "{where}：键 {key} 列出了 {n} 项（最多 {most} 项）",
    ),
    ("shorten it", "请缩短"),
    ("unknown field", "未知的字段"),
    ("is blank", "为空"),
    (
        "{lead}`civaudit inspect` shows the field of each column",
        "{lead}`civaudit inspect` 显示每一列对应的字段",
    ),
    ("did you mean '{near}'? {rest}", "是否想写“{near}”？{rest}"),
    ("valid keys in {where}: {keys}", "{where} 中有效的键：{keys}"),
    ("valid sections in {where}: {keys}", "{where} 中有效的节：{keys}"),
    ("a policy file", "政策文件"),
    ("must be more than 0", "必须大于 0"),
    ("the yearly standard in yuan per person", "每人每年的标准，单位元"),
    ("keep one add-on per category", "每个类别只保留一条分类施保"),
)


def _compile(template: str) -> tuple[re.Pattern, list[str]]:
    names: list[str] = []
    pattern = ""
    for literal, name in re.findall(r"([^{}]*)(?:\{(\w+)\})?", template):
        pattern += re.escape(literal)
        if name:
            names.append(name)
            text = r"\d+" if name == "line" else ".*?"  # a line number: digits, no more
            pattern += f"(?P<{name}_{len(names)}>{text})"
    return re.compile(pattern + r"\Z", re.DOTALL), names


@cache
def _table() -> list[tuple[re.Pattern, list[str], str]]:
    """Templates compiled, the most specific (most literal text) first."""
    rows = []
    for en, zh in ERRORS:
        pattern, names = _compile(en)
        rows.append((len(re.sub(r"\{\w+\}", "", en)), pattern, names, zh))
    rows.sort(key=lambda row: -row[0])
    return [(p, n, zh) for _, p, n, zh in rows]


def translate(text: str, depth: int = 0) -> str:
    """``text`` (an English error message or hint) in Chinese where a template knows
    it; the parts no template knows (paths, sheet names, values) stay as they are."""
    if not text or depth > 4:
        return text
    for pattern, names, zh in _table():
        match = pattern.match(text)
        if match is None:
            continue
        values = {
            name: translate(match.group(f"{name}_{i}"), depth + 1)
            for i, name in enumerate(names, start=1)
        }
        out = zh
        for name, value in values.items():
            out = out.replace("{" + name + "}", value)
        return out
    head, sep, rest = text.partition(": ")
    if sep and rest:
        translated = translate(rest, depth + 1)
        if translated != rest:
            return f"{translate(head, depth + 1)}：{translated}"
    return text


def error_text(text: str) -> str:
    """An error as ``str(CivauditError)`` gives it (``message; hint``), in the current
    language."""
    from civaudit.i18n import language

    if language() != "zh" or not text:
        return text
    message, sep, hint = text.partition("; ")
    out = translate(message)
    if not sep:
        return out
    translated = translate(hint)
    if translated == hint and "; " in hint:
        # a hint with a second hint added on the way up (audit's "no input could be
        # read" after a file's own): each part in turn
        translated = "；".join(translate(part) for part in hint.split("; "))
    return f"{out}；{translated}"


__all__ = ["ERRORS", "error_text", "translate"]
