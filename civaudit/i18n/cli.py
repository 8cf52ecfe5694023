"""The command line in Chinese: every command's and option's help, and click's own
texts (Usage, Options, its error messages), keyed by their English text."""

# ruff: noqa: E501 - a catalogue of texts: each entry on the lines it needs
from __future__ import annotations

HELP: dict[str, str] = {
    "Audit rural minimum-subsistence (农村低保) rosters.\n\n\b\nExample:\n"
    "  civaudit inspect sample_data/": "核查农村低保花名册。\n\n\b\n示例：\n  civaudit inspect sample_data/",
    "Language of messages and reports (default: from the locale).": "提示信息和报告的语言（默认按系统区域设置）。",
    "Show the traceback of an internal error.": "内部错误时显示详细的调用栈。",
    "Show the version and exit.": "显示版本号并退出。",
    "Show what each file holds: its kind (BIFF, OOXML, ODS, HTML table,\n"
    "SpreadsheetML, CSV), sheets, header rows, column mapping and how each column's\n"
    "meaning was decided (alias, parent header, unit, the values' shape, by hand), the\n"
    "columns it could not place, layout, rows kept and skipped, unparsed values and\n"
    "ID-number health; for the two files of a system export pair, how many households\n"
    "and members joined and how many did not.\n\n"
    "PATHS are files or folders (searched recursively for .xlsx .xlsm .xls .xlsb\n"
    ".ods .csv).\n\n\b\nExamples:\n  civaudit inspect sample_data/\n"
    "  civaudit inspect 花名册.xlsx --column id_number=公民身份号码 -f json": "查看每个文件的内容：文件类型（BIFF、OOXML、ODS、HTML 表格、SpreadsheetML、CSV）、"
    "工作表、表头行、列对应关系及每列含义的判定依据（别名、上级表头、单位、数据形态、用户指定）、"
    "无法确定含义的列、布局、保留和跳过的行、无法解析的值和身份证号状况；"
    "对系统导出的家庭表和人员表，显示对应上和没有对应上的户数、人数。\n\n"
    "PATHS 为文件或文件夹（递归查找 .xlsx .xlsm .xls .xlsb .ods .csv）。\n\n\b\n示例：\n"
    "  civaudit inspect sample_data/\n"
    "  civaudit inspect 花名册.xlsx --column id_number=公民身份号码 -f json",
    "Output format.": "输出格式。",
    "Only this sheet of each workbook.": "只读取每个工作簿中的这个工作表。",
    "Map a column by hand: a field name and a header text or column letter (repeatable), "
    "e.g. --column id_number=公民身份号码 or --column household_size=E.": "手工指定列：字段名和表头文字或列字母（可重复），例如 --column id_number=公民身份号码 "
    "或 --column household_size=E。",
    "Recompute each household's income and benefit under the policy: gross income,\n"
    "each deduction, net, per-capita income, standard, band, expected benefit,\n"
    "phase-out and single-person status, recorded benefit and the difference.\n\n\b\n"
    "Examples:\n  civaudit assess sample_data/\n"
    "  civaudit assess 花名册.xlsx --policy 县政策.toml --as-of 2019-10 -o 核算.xlsx\n"
    "  civaudit assess 花名册/ -f json --require-coverage 100": "按政策重新核算每户的收入和保障金：家庭总收入、各项扣除、扣除后收入、月人均收入、"
    "保障标准、收入档次、应发保障金、渐退期和单人保情况、表中保障金及差额。\n\n\b\n示例：\n"
    "  civaudit assess sample_data/\n"
    "  civaudit assess 花名册.xlsx --policy 县政策.toml --as-of 2019-10 -o 核算.xlsx\n"
    "  civaudit assess 花名册/ -f json --require-coverage 100",
    "Exit 1 when fewer than PCT percent of the households could be assessed (coverage is "
    "always reported).": "能核算的户数低于 PCT% 时退出码为 1（核算覆盖情况总会报告）。",
    "Policy TOML; without it the built-in example policy is used.": "政策文件（TOML）；不指定时使用内置示例政策。",
    "Roster month, YYYY-MM[-DD] (default: see the README).": "花名册月份，YYYY-MM[-DD]（默认值见 README）。",
    "Output file (repeatable); the format follows the extension unless -f.": "输出文件（可重复）；未给 -f 时按扩展名确定格式。",
    "Show full ID and account numbers (masked by default).": "显示完整的身份证号和银行账号（默认脱敏）。",
    "Files loaded in parallel (worker processes).": "并行读取文件的进程数。",
    "local: files loaded in a process pool on this machine. dask: each file a task on a "
    "Dask cluster's workers (pip install civaudit[dask]).": "local：在本机用多个进程读取文件。dask：每个文件作为 Dask "
    "集群工作进程上的一个任务（需 pip install civaudit[dask]）。",
    "With --engine dask: the address of a running Dask scheduler (default: "
    "DASK_SCHEDULER_ADDRESS, else a local cluster of -j workers).": "配合 --engine dask：已运行的 Dask 调度器地址（默认取 "
    "DASK_SCHEDULER_ADDRESS，否则在本机启动 -j 个工作进程的集群）。",
    "With --engine dask: the folder the workers store each file's tables in (Parquet) and "
    "pass the cross-file stage's shards through; one every worker sees: a shared path or an "
    "fsspec URL (s3://bucket/work). Default: a temporary folder, removed afterwards.": "配合 "
    "--engine dask：工作进程存放每个文件数据（Parquet）、并交换跨文件核查分片的文件夹，须为每个"
    "工作进程都能访问的共享路径或 fsspec 地址（如 s3://bucket/work）。默认使用临时文件夹，运行结束后删除。",
    "Keep each file's loaded tables here (Parquet, keyed by the file's sha256): loading "
    "the same files again skips the parsing.": "在此文件夹缓存每个文件读取后的数据（Parquet，按文件的 sha256 区分）：再次读取同一文件时"
    "跳过解析。",
    "Raise (or lower) a resource limit on each input file (repeatable; none turns it off), "
    "e.g. --limit member-bytes=6GiB. Names: member-bytes, ratio, cells, range-ratio, "
    "cell-chars, csv-fields, csv-field-chars; and stream-bytes, the sheet size past which "
    "a sheet is read row by row in bounded memory (see the README).": "放宽（或收紧）读取每个输入文件的"
    "资源上限（可重复；none 表示不设上限），例如 --limit member-bytes=6GiB。名称：member-bytes（压缩包"
    "内单个部件解压后的大小）、ratio（解压比）、cells（工作表已用区域的单元格数）、range-ratio（已用区域"
    "与有数据单元格之比）、cell-chars（单元格字符数）、csv-fields（CSV 一行的字段数）、csv-field-chars"
    "（CSV 字段字符数）；以及 stream-bytes（工作表 XML 超过此大小时逐行读取，内存占用有上限）（见 README）。",
    "Load rosters, recompute each household under the policy, run the rules and\n"
    "report the findings. Exit 0: nothing at or above --fail-on; 1: findings at or\n"
    "above it; 2: could not audit.\n\n\b\nExamples:\n  civaudit audit sample_data/\n"
    "  civaudit audit 花名册/ --policy 县政策.toml -o 核查报告.xlsx -o report.json\n"
    "  civaudit audit exports/ -f md --fail-on warning --baseline last.json\n"
    "  civaudit audit 花名册/ --against deaths=死亡名单.xlsx --against cadres=村干部.xlsx\n"
    "  civaudit audit 花名册/ --as-of 2019-10 --require-coverage 95\n"
    "  civaudit audit 全省/ --split-by county -o 核查报告.xlsx -o findings.parquet": "读取花名册，按政策逐户核算，运行核查规则并报告发现的问题。退出码 0：没有达到 --fail-on "
    "级别的问题；1：有达到该级别的问题；2：无法核查。\n\n\b\n示例：\n"
    "  civaudit audit sample_data/\n"
    "  civaudit audit 花名册/ --policy 县政策.toml -o 核查报告.xlsx -o report.json\n"
    "  civaudit audit exports/ -f md --fail-on warning --baseline last.json\n"
    "  civaudit audit 花名册/ --against deaths=死亡名单.xlsx --against cadres=村干部.xlsx\n"
    "  civaudit audit 花名册/ --as-of 2019-10 --require-coverage 95\n"
    "  civaudit audit 全省/ --split-by county -o 核查报告.xlsx -o findings.parquet",
    "With an xlsx output: one workbook per county beside it (核查报告-康保县.xlsx), each "
    "with that county's findings and roster sheets; findings with no county go to one "
    "named for the unknown county.": "输出 xlsx 时：在同一文件夹中每个县写一个工作簿（核查报告-康保县.xlsx），"
    "各含该县的问题和花名册工作表；没有县名的问题写入以“未知县”命名的工作簿。",
    "Exit 1 when a finding is at or above this severity.": "有达到此级别的问题时退出码为 1。",
    "Only these rule ids or families (comma-separated, repeatable).": "只运行这些规则或规则类别（逗号分隔，可重复）。",
    "Leave out these rule ids or families (comma-separated).": "不运行这些规则或规则类别（逗号分隔）。",
    "An external list to check the rosters against (repeatable; a folder holds several "
    "files of one kind). KIND: deaths, tekun, payroll, cadres, filings, vehicles, business, "
    "housing, low-income, population.": "用于比对花名册的外部名单（可重复；一个文件夹可放同类的多个文件）。类型："
    "deaths（死亡）、tekun（特困）、payroll（财政供养）、cadres（村干部）、filings（近亲属备案）、"
    "vehicles（车辆）、business（工商）、housing（房产）、low-income（低收入）、"
    "population（人口）。",
    "A previous JSON report: only findings not in it count for --fail-on.": "以前的 JSON 报告：只有其中没有的问题才计入 --fail-on。",
    "A returned xlsx report: carry its 核查结论 verdicts over; findings marked 不属实 no "
    "longer count for --fail-on.": "退回的 xlsx 核查报告：沿用其中的核查结论；标为“不属实”的问题不再计入 --fail-on。",
    "Rows of each roster sheet copied into an xlsx report.": "每个花名册工作表复制到 xlsx 报告中的行数。",
    "No table on the terminal, only the summary.": "终端上不显示表格，只显示汇总。",
    "Stop with exit 2 when any file cannot be read (default: audit the others, list the "
    "file as not audited, exit at least 1).": "任何文件无法读取时以退出码 2 停止（默认：核查其余文件，列出未核查的文件，退出码至少为 1）。",
    "List the rule catalogue: id, family, default severity, the data it needs,\n"
    "what it flags, and the policy clause or standard it rests on.\n\n\b\nExamples:\n"
    "  civaudit rules\n  civaudit --lang zh rules -f md": "列出规则目录：编号、类别、默认级别、所需数据、查什么问题，以及依据的政策条款或标准。"
    "\n\n\b\n示例：\n  civaudit rules\n  civaudit --lang zh rules -f md",
    "Write a commented policy template, show the policy in force, or check a file.\n\n\b\n"
    "Examples:\n  civaudit policy init 县政策.toml\n  civaudit policy check 县政策.toml\n"
    "  civaudit policy show --policy 县政策.toml": "写出带注释的政策模板、显示当前使用的政策，或检查政策文件。\n\n\b\n示例：\n"
    "  civaudit policy init 县政策.toml\n  civaudit policy check 县政策.toml\n"
    "  civaudit policy show --policy 县政策.toml",
    "Write a commented template (every key, its meaning and default) to PATH or stdout."
    "\n\n\b\nExample:\n  civaudit policy init 县政策.toml": "把带注释的模板（每个键、含义和默认值）写到 PATH 或标准输出。\n\n\b\n示例：\n"
    "  civaudit policy init 县政策.toml",
    "Overwrite an existing file.": "覆盖已有的文件。",
    "Show this message and exit.": "显示本帮助并退出。",
    "number of CPUs": "CPU 个数",
    "Print the policy in force, every default filled in.\n\n\b\nExample:\n"
    "  civaudit policy show --policy 县政策.toml": "显示当前使用的政策，所有默认值都填写完整。\n\n\b\n示例：\n"
    "  civaudit policy show --policy 县政策.toml",
    "Validate a policy file: exit 0 if it is sound, 2 with file, line and key if not."
    "\n\n\b\nExample:\n  civaudit policy check 县政策.toml": "检查政策文件：无误时退出码为 0，有误时退出码为 2 并指出文件、行和键。\n\n\b\n示例：\n"
    "  civaudit policy check 县政策.toml",
    "Choose the villages and households for the inspection visit, reproducibly.\n\n"
    "Audits the rosters first; then draws villages (all, N or a rate; weighted by\n"
    "findings or at random; within each town or county if asked) and, in each, every\n"
    "household with an error finding plus a random share of the others. The seed is\n"
    "printed and recorded: the same rosters and seed give the same sample.\n\n\b\n"
    "Examples:\n  civaudit sample sample_data/ --villages 2 --seed 2019 -o 入户核查.xlsx\n"
    "  civaudit sample 花名册/ --villages 0.2 --within town -o sample.json -o 入户核查.xlsx": "抽取入户核查的村和户，结果可重现。\n\n先核查花名册；再抽取村（全部、N 个或按比例；"
    "按问题多少加权或随机；可按乡镇或县分别抽取），在每个抽中的村里抽取所有有错误级问题的户，"
    "再随机抽取其余户的一部分。随机种子会显示并记录：同样的花名册和种子得到同样的样本。"
    "\n\n\b\n示例：\n  civaudit sample sample_data/ --villages 2 --seed 2019 -o 入户核查.xlsx\n"
    "  civaudit sample 花名册/ --villages 0.2 --within town -o sample.json -o 入户核查.xlsx",
    "Villages to visit: all, a number (5) or a rate (0.2), in each --within group.": "要核查的村：all、村数（5）或比例（0.2），在每个 --within 分组内计算。",
    "Draw villages weighted by error+warning findings per household, or at random.": "按每户错误和警告数加权抽取村，或完全随机。",
    "Draw --villages in each town or county rather than over all.": "在每个乡镇或县内分别抽取 --villages 个村，而不是在全部村中抽取。",
    "Share of the households without an error finding drawn at random.": "在没有错误级问题的户中随机抽取的比例。",
    "At least this many households per village (all where it has fewer).": "每村至少抽取的户数（不足时全部抽取）。",
    "Random seed; default: a new one, printed on stderr and recorded.": "随机种子；默认新生成一个，显示在标准错误输出并记录。",
    "Compare two snapshots of the rosters (OLD and NEW, each a file or a folder):\n"
    "households added (动态纳入), removed (退出), changed and unchanged, counted per\n"
    "village, and the change.* rules on them. Exit 0: nothing at or above --fail-on;\n"
    "1: findings at or above it; 2: could not compare.\n\n\b\nExamples:\n"
    "  civaudit diff 2019年4月/ 2019年10月/\n"
    "  civaudit diff old.xlsx new.xlsx --old-as-of 2019-04 --as-of 2019-10 -o 变动.xlsx\n"
    "  civaudit diff exports/2019-09/ exports/2019-10/ -f md --fail-on warning": "比对两期花名册（上期 OLD 和本期 NEW，各为文件或文件夹）：新增（动态纳入）、退出、变更和"
    "未变的户，按村统计，并对变动运行 change.* 规则。退出码 0：没有达到 --fail-on 级别的问题；"
    "1：有达到该级别的问题；2：无法比对。\n\n\b\n示例：\n"
    "  civaudit diff 2019年4月/ 2019年10月/\n"
    "  civaudit diff old.xlsx new.xlsx --old-as-of 2019-04 --as-of 2019-10 -o 变动.xlsx\n"
    "  civaudit diff exports/2019-09/ exports/2019-10/ -f md --fail-on warning",
    "OLD's roster month, YYYY-MM[-DD] (default: the month in OLD's sheet titles, else "
    "NEW's date). --as-of is NEW's.": "上期花名册月份，YYYY-MM[-DD]（默认取上期表格标题中的月份，否则同本期）。--as-of 是本期的。",
    "Only these change.* rules (comma-separated, repeatable).": "只运行这些 change.* 规则（逗号分隔，可重复）。",
    "Leave out these change.* rules (comma-separated).": "不运行这些 change.* 规则（逗号分隔）。",
}

CLICK: dict[str, str] = {
    "Usage:": "用法：",
    "Options": "选项",
    "Commands": "命令",
    "Positional arguments": "位置参数",
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本号并退出。",
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "运行 '{command} {option}' 查看帮助。",
    "No such option {name!r}.": "没有选项 {name!r}。",
    "No such command {name!r}.": "没有命令 {name!r}。",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing command.": "缺少命令。",
    "Missing {param_type}": "缺少{param_type}",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值无效：{message}",
    "Invalid value: {message}": "值无效：{message}",
    "Option {name!r} does not take a value.": "选项 {name!r} 不带值。",
    "Option {name!r} requires an argument.": "选项 {name!r} 需要一个值。",
    "Option {name!r} requires {nargs} arguments.": "选项 {name!r} 需要 {nargs} 个值。",
    "Aborted!": "已中止！",
    "default: {default}": "默认：{default}",
    "required": "必填",
    "{name} {filename!r} does not exist.": "{name} {filename!r} 不存在。",
    "{name} {filename!r} is a directory.": "{name} {filename!r} 是文件夹。",
    "{name} {filename!r} is a file.": "{name} {filename!r} 是文件。",
    "{name} {filename!r} is not readable.": "{name} {filename!r} 不可读。",
    "{name} {filename!r} is not writable.": "{name} {filename!r} 不可写。",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的{number_type}。",
    "{value} is not in the range {range}.": "{value} 不在范围 {range} 内。",
    "{value!r} is not {choice}.": "{value!r} 不是 {choice}。",
    "{value!r} is not one of {choices}.": "{value!r} 不是 {choices} 之一。",
    "Got unexpected extra argument ({args})": "多余的参数（{args}）",
    "Got unexpected extra arguments ({args})": "多余的参数（{args}）",
    "Did you mean {possibility}?": "您是否想输入 {possibility}？",
    "(Did you mean one of: {possibilities}?)": "（您是否想输入其中之一：{possibilities}？）",
    "file": "文件",
    "directory": "文件夹",
    "path": "路径",
    "integer": "整数",
    "float": "数字",
    "argument": "参数",
    "option": "选项",
    "parameter": "参数",
    "%(prog)s, version %(version)s": "%(prog)s，版本 %(version)s",
}
