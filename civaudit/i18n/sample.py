"""Messages and labels of ``civaudit sample`` and its visit workbook (zh and en)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # stderr
    "sample.seed": {
        "zh": "随机种子：{seed}（相同的花名册加相同的种子得到相同的样本：--seed {seed}）",
        "en": "Seed: {seed} (the same rosters and seed give the same sample: --seed {seed})",
    },
    "sample.village_from": {"zh": "村的划分依据：{parts}", "en": "Villages taken from {parts}"},
    "sample.from.column": {"zh": "“村”列（{n} 个村）", "en": "the 村 column ({n})"},
    "sample.from.sheet": {
        "zh": "工作表（{n} 个，每表一村）",
        "en": "sheets ({n}, one per village)",
    },
    "sample.from.file": {"zh": "文件（{n} 个，每文件一村）", "en": "files ({n}, one per village)"},
    "sample.summary": {
        "zh": "从 {total} 个村中抽取 {villages} 个，共 {households} 户："
        "{errors} 户有错误级问题（重点核查），{random} 户随机抽取。",
        "en": "{villages} of {total} {total|village|villages} chosen, {households} "
        "{households|household|households}: "
        "{errors} with error findings (key items), {random} at random.",
    },
    "sample.more": {
        "zh": "（仅显示前 {shown} 户，共 {total} 户；完整名单请用 -o 输出到文件）",
        "en": "(first {shown} of {total} households shown; use -o for all of them)",
    },
    # why
    "sample.why.error": {"zh": "错误级问题（重点核查）：{rules}", "en": "error finding: {rules}"},
    "sample.why.random": {"zh": "随机抽取", "en": "random"},
    "sample.why.error_short": {"zh": "重点核查（有错误级问题）", "en": "key item (error finding)"},
    "sample.why.random_short": {"zh": "随机抽取", "en": "random"},
    "sample.vwhy.all": {"zh": "全部村", "en": "all villages"},
    "sample.vwhy.findings": {"zh": "按户均问题数加权抽中", "en": "drawn, weighted by findings"},
    "sample.vwhy.random": {"zh": "随机抽中", "en": "drawn at random"},
    "sample.vwhy.none": {"zh": "未抽中", "en": "not drawn"},
    "sample.source.column": {"zh": "村列", "en": "村 column"},
    "sample.source.sheet": {"zh": "工作表", "en": "sheet"},
    "sample.source.file": {"zh": "文件", "en": "file"},
    "sample.row": {"zh": "第 {row} 行", "en": "row {row}"},
    "sample.yes": {"zh": "是", "en": "yes"},
    "sample.no": {"zh": "否", "en": "no"},
    # tables and columns
    "sample.villages": {"zh": "抽中的村", "en": "Villages chosen"},
    "sample.all_villages": {"zh": "全部村（抽样框）", "en": "All villages (the frame)"},
    "sample.households": {"zh": "抽中的户", "en": "Households chosen"},
    "sample.col.no": {"zh": "序号", "en": "No."},
    "sample.col.village": {"zh": "村", "en": "village"},
    "sample.col.source": {"zh": "依据", "en": "from"},
    "sample.col.households": {"zh": "户数", "en": "households"},
    "sample.col.flagged": {"zh": "有错误的户", "en": "with errors"},
    "sample.col.rate": {"zh": "户均问题数", "en": "findings per household"},
    "sample.col.selected": {"zh": "是否抽中", "en": "chosen"},
    "sample.col.chosen": {"zh": "抽中户数", "en": "households chosen"},
    "sample.col.reason": {"zh": "抽取原因", "en": "why chosen"},
    "sample.col.why": {"zh": "抽取原因及问题", "en": "why chosen, findings"},
    "sample.col.household": {"zh": "户编号及花名册位置", "en": "household key, roster row"},
    "sample.col.head": {"zh": "户主姓名", "en": "head of household"},
    "sample.col.address": {"zh": "家庭住址", "en": "address"},
    "sample.col.phone": {"zh": "联系电话", "en": "phone"},
    "sample.col.members": {
        "zh": "家庭成员（姓名 关系 身份证号）",
        "en": "members (name, relation, ID)",
    },
    "sample.col.result": {"zh": "入户核查结果", "en": "入户核查结果 (visit result)"},
    "sample.col.confirmed": {"zh": "是否属实", "en": "是否属实 (confirmed?)"},
    "sample.col.inspector": {"zh": "核查人", "en": "核查人 (inspector)"},
    "sample.col.date": {"zh": "核查日期", "en": "核查日期 (date)"},
    # the method sheet
    "sample.xlsx.method": {"zh": "抽样说明", "en": "Method"},
    "sample.xlsx.title": {"zh": "农村低保入户核查抽样", "en": "Household visit sample (dibao)"},
    "sample.xlsx.village_title": {
        "zh": "{place} 入户核查名单（{n} 户）",
        "en": "{place}: households to visit ({n})",
    },
    "sample.xlsx.footer": {"zh": "第 &P 页，共 &N 页", "en": "Page &P of &N"},
    "sample.m.seed": {"zh": "随机种子", "en": "Seed"},
    "sample.m.villages": {"zh": "抽村", "en": "Villages"},
    "sample.m.households": {"zh": "抽户", "en": "Households"},
    "sample.m.frame": {
        "zh": "抽样框：{villages} 个村，{households} 户",
        "en": "Frame: {villages} villages, {households} households",
    },
    "sample.m.villages_all": {"zh": "全部村", "en": "all villages"},
    "sample.m.villages_n": {"zh": "{n} 个村", "en": "{n} {n|village|villages}"},
    "sample.m.villages_rate": {
        "zh": "{pct} 的村（向上取整）",
        "en": "{pct} of the villages (rounded up)",
    },
    "sample.m.within.none": {"zh": "", "en": ""},
    "sample.m.within.town": {"zh": "，每个乡镇分别抽取", "en": ", in each town"},
    "sample.m.within.county": {"zh": "，每个县分别抽取", "en": ", in each county"},
    "sample.m.weight.findings": {
        "zh": "，按户均错误和警告问题数加权（无问题的村排在最后）",
        "en": ", weighted by error and warning findings per household "
        "(villages without findings last)",
    },
    "sample.m.weight.random": {"zh": "，简单随机", "en": ", at random"},
    "sample.m.households_text": {
        "zh": "有错误级问题的户全部入选（重点核查），其余户随机抽取 {share}，"
        "每村至少 {least} 户（不足则全部）",
        "en": "every household with an error finding (key items), plus {share} of the "
        "others at random, at least {least} per village (all where fewer)",
    },
    "sample.m.order": {
        "zh": "可重现：相同的花名册、政策和随机种子得到相同的样本，与文件和行的顺序无关"
        "（numpy default_rng；村按名称和文件内容哈希排序，户按户编号和内容哈希排序）。",
        "en": "Reproducible: the same rosters, policy and seed give the same sample whatever "
        "the order of files and rows (numpy default_rng; villages sorted by name and file "
        "content hash, households by key and content hash).",
    },
    "sample.m.note": {
        "zh": "抽样只是核查计划：入选不代表有问题，每户都需入户核实。",
        "en": "A sample is a plan for checks: being chosen says nothing about a household.",
    },
}
