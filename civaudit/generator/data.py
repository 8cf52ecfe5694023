"""Word lists the generator draws from: places, names, illnesses, banks.

Counties carry their real GB/T 2260 codes (Zhangjiakou, Hebei, in force since
1993) and their real township names; village names are made from the patterns
village names in the area follow (李家营, 东沟, 三号卜). Everything here is
plain data so the model code stays vectorised.
"""

from __future__ import annotations

COUNTIES: dict[str, tuple[str, tuple[str, ...]]] = {
    "130722": (
        "张北县",
        (
            "张北镇", "公会镇", "二台镇", "大囫囵镇", "小二台镇", "油篓沟乡", "馒头营乡",
            "二泉井乡", "单晶河乡", "海流图乡", "两面井乡", "大河乡", "台路沟乡",
            "郝家营乡", "白庙滩乡", "战海乡", "三号乡", "大西湾乡",
        ),
    ),
    "130723": (
        "康保县",
        (
            "张纪镇", "土城子镇", "邓油坊镇", "李家地镇", "照阳河镇", "屯垦镇", "康保镇",
            "闫油坊乡", "丹清河乡", "哈必嘎乡", "二号卜乡", "芦家营乡", "忠义乡",
            "处长地乡", "满德堂乡",
        ),
    ),
    "130724": (
        "沽源县",
        (
            "平定堡镇", "小厂镇", "黄盖淖镇", "九连城镇", "高山堡乡", "小河子乡",
            "二道渠乡", "闪电河乡", "长梁乡", "丰源店乡", "西辛营乡", "莲花滩乡",
            "白土窑乡",
        ),
    ),
    "130725": (
        "尚义县",
        (
            "南壕堑镇", "大青沟镇", "八道沟镇", "红土梁镇", "小蒜沟镇", "三工地镇",
            "满井镇", "大营盘乡", "大苏计乡", "石井乡", "七甲乡", "套里庄乡",
            "甲石河乡", "下马圈乡",
        ),
    ),
}  # fmt: skip

# Region codes that never existed (checked against python-stdnum's GB/T 2260
# table): an ID with one of them is well formed but its region is unknown.
UNKNOWN_REGIONS = ("130799", "139800", "131199")

# Village-name parts.
VILLAGE_SURNAMES = "李王张刘赵杨高郭马孙田韩吴徐朱贾武任冯胡郝侯梁董白邢牛石崔程康苏"
VILLAGE_SUFFIX_FAMILY = ("家营", "家湾", "家沟", "家窑", "家庄", "家堡", "家梁", "家营子")
VILLAGE_PREFIX_PLACE = "东西南北前后大小上下新老"
VILLAGE_SUFFIX_PLACE = (
    "营子",
    "井",
    "滩",
    "沟",
    "梁",
    "窑",
    "房子",
    "河",
    "湾",
    "壕",
    "圐圙",
    "淖",
)
VILLAGE_NUMBERED = ("头号", "二号", "三号", "四号", "五号", "六号", "七号", "八号")
VILLAGE_NUMBERED_SUFFIX = ("卜", "村", "地", "营")
VILLAGE_PLAIN = (
    "太平庄", "兴隆", "丰盛", "新民", "德胜", "永安", "忠义", "富贵", "红旗",
    "胜利", "光明", "和平", "西土城", "东土城", "羊圈", "马莲滩", "榆树沟", "杏树洼",
)  # fmt: skip

# Surnames, most common first, with rough weights for the region.
SURNAMES = (
    "王李张刘赵杨高郭马孙田韩吴周徐朱范贾史武任许孟宋冯胡郝侯梁董白邢牛石崔程康苏"
    "齐付曹彭闫薛霍卢谷温解段阎乔尹常"
)
SURNAME_WEIGHTS = tuple(1.0 / (i + 4) for i in range(len(SURNAMES)))

GIVEN_MALE_OLD = "福贵生林永春成文宝山祥荣金德忠有发明清海义才兴旺喜全富"
GIVEN_MALE_NEW = "建国军强伟明志海东平新利华俊杰磊浩宇鹏飞亮涛斌超勇刚"
GIVEN_FEMALE_OLD = "秀英兰桂芳玉珍凤霞梅花淑翠琴云莲荣素巧菊香"
GIVEN_FEMALE_NEW = "丽红艳敏静燕婷娟雪莉娜颖慧晶欣悦佳琳萍霞"

DISABILITY_TYPES = ("肢体", "视力", "听力", "言语", "智力", "精神", "多重")
DISABILITY_TYPE_WEIGHTS = (0.40, 0.10, 0.10, 0.03, 0.15, 0.15, 0.07)
GRADE_WORDS = ("一", "二", "三", "四")
GRADE_ROMAN = ("Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ")

ILLNESSES = (
    "尿毒症", "恶性肿瘤", "白血病", "重性精神病", "慢性肾衰竭", "再生障碍性贫血",
    "冠心病", "脑梗塞", "肺结核", "糖尿病并发症", "脑瘫", "肝硬化",
)  # fmt: skip

WORK_ABILITY = ("有劳动能力", "部分丧失劳动能力", "无劳动能力")

# (bank name template, account length, BIN prefix); "{county}" is filled in.
BANKS = (
    ("{county}农村信用合作联社", 19, "623190"),
    ("中国邮政储蓄银行", 19, "621799"),
    ("中国农业银行", 19, "622848"),
    ("{county}农村信用合作联社", 18, "80"),
)
BANK_WEIGHTS = (0.45, 0.30, 0.10, 0.15)

CADRE_NAMES = ("王桂兰", "李建国", "张秀英", "刘志强", "赵玉珍", "高文明", "郭淑芳", "马永春")
