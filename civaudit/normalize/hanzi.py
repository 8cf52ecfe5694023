"""Traditional Chinese characters of roster headers, folded to simplified for matching.

Rosters from Hong Kong, Taiwan or a clerk's traditional-character input method write
戶主姓名, 身份證號碼, 家庭人數. The alias table is simplified; folding the header
before the lookup lets one table match both. The table covers the characters of every
header word civaudit knows (aliases, parent and child words, units), not the whole
script: a character outside it cannot be part of a known header anyway. It was made
with OpenCC's s2t / s2tw / s2hk conversions of that vocabulary (each pair checked
back with t2s), plus variants OpenCC does not produce from simplified text (複, 裡,
臺, 係 ...); ``tests/io/test_header_normalize.py`` checks it against OpenCC when that
library is installed.
"""

from __future__ import annotations

TRADITIONAL = (
    "萬與業個鄉書產親會關養內況淨準減劃剛別務動勞區醫單縣參發變號後員備復學實審對屬歲"
    "帳開當態總戶撫護報擁據數時機權構標檔殘濟漸點狀電療碼種稱籤類級純納組經結編緣職聯"
    "脫營補計認記證話說説請讀調財賬貧貼費資贍轉邊銀銷鎮間際難領額齡複週臺為裡裏於餘徵"
    "戸係繫製簽歷曆幹匯彙檯"
)
SIMPLIFIED = (
    "万与业个乡书产亲会关养内况净准减划刚别务动劳区医单县参发变号后员备复学实审对属岁"
    "帐开当态总户抚护报拥据数时机权构标档残济渐点状电疗码种称签类级纯纳组经结编缘职联"
    "脱营补计认记证话说说请读调财账贫贴费资赡转边银销镇间际难领额龄复周台为里里于余征"
    "户系系制签历历干汇汇台"
)
_FOLD = str.maketrans(TRADITIONAL, SIMPLIFIED)


def to_simplified(text: str) -> str:
    """``text`` with the traditional characters of roster headers made simplified."""
    return text.translate(_FOLD)
