"""Text normalization: what a printed label means, independent of how the producer encoded it.

Rules of `normalize_text`:
1. Unicode NFKC: full-width ASCII (１２３，（）：) becomes ASCII, and the Kangxi Radicals block
   (⼀ U+2F00 … ⿕ U+2FD5, which some producers emit for 一 支 入 …) becomes the unified ideographs.
2. The CJK Radicals Supplement characters that NFKC leaves alone (⻔ ⻋ ⻅ …) are mapped to the
   ideograph they stand for (table below, from the Unicode CJKRadicals data), and the traditional forms of the
   vocabulary's characters (決 預 財 …) to their simplified ones: a mainland disclosure prints simplified, and
   a traditional character is an OCR misreading or a glyph-variant font.
3. Line breaks inside a cell become spaces (label rules then decide whether spaces matter).

`clean_label` is `normalize_text` plus: all whitespace removed — Chinese labels carry no meaningful
spaces, and letter-spaced headers ('收 入') or labels wrapped inside a cell ('机构\\n事务支出') must compare
equal to their plain form.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# CJK Radicals Supplement → unified ideograph (only forms that have a standalone ideograph).
RADICALS_SUPPLEMENT = {
    "\u2e81": "\u5382",  # ⺁ 厂
    "\u2e8a": "\u535c",  # ⺊ 卜
    "\u2e8c": "\u5c0f",  # ⺌ 小
    "\u2e8d": "\u5c0f",  # ⺍ 小
    "\u2e96": "\u5fc4",  # ⺖ 忄
    "\u2e97": "\u5fc3",  # ⺗ 心
    "\u2e98": "\u624c",  # ⺘ 扌
    "\u2e9d": "\u6708",  # ⺝ 月
    "\u2e9f": "\u6bcd",  # ⺟ 母
    "\u2ea0": "\u6c11",  # ⺠ 民
    "\u2ea1": "\u6c35",  # ⺡ 氵
    "\u2ea3": "\u706c",  # ⺣ 灬
    "\u2ea9": "\u738b",  # ⺩ 王
    "\u2eaa": "\u758b",  # ⺪ 疋
    "\u2eab": "\u7f52",  # ⺫ 罒
    "\u2eac": "\u793a",  # ⺬ 示
    "\u2ead": "\u793b",  # ⺭ 礻
    "\u2eb0": "\u7e9f",  # ⺰ 纟
    "\u2eb3": "\u7f52",  # ⺳ 罒
    "\u2eb9": "\u8002",  # ⺹ 耂
    "\u2ebc": "\u8089",  # ⺼ 肉
    "\u2ebe": "\u8279",  # ⺾ 艹
    "\u2ebf": "\u8279",  # ⺿ 艹
    "\u2ec0": "\u8279",  # ⻀ 艹
    "\u2ec2": "\u8864",  # ⻂ 衤
    "\u2ec4": "\u897f",  # ⻄ 西
    "\u2ec5": "\u89c1",  # ⻅ 见
    "\u2ec6": "\u89d2",  # ⻆ 角
    "\u2ec8": "\u8ba0",  # ⻈ 讠
    "\u2ec9": "\u8d1d",  # ⻉ 贝
    "\u2ecb": "\u8f66",  # ⻋ 车
    "\u2ecc": "\u8fb6",  # ⻌ 辶
    "\u2ecd": "\u8fb6",  # ⻍ 辶
    "\u2ed0": "\u9485",  # ⻐ 钅
    "\u2ed1": "\u957f",  # ⻑ 长 (radical LONG, first form)
    "\u2ed3": "\u957f",  # ⻓ 长
    "\u2ed4": "\u95e8",  # ⻔ 门
    "\u2ed6": "\u961d",  # ⻖ 阝
    "\u2ed7": "\u96e8",  # ⻗ 雨
    "\u2ed9": "\u97e6",  # ⻙ 韦
    "\u2eda": "\u9875",  # ⻚ 页
    "\u2edb": "\u98ce",  # ⻛ 风
    "\u2edc": "\u98de",  # ⻜ 飞
    "\u2edd": "\u98df",  # ⻝ 食
    "\u2ee0": "\u9963",  # ⻠ 饣
    "\u2ee2": "\u9a6c",  # ⻢ 马
    "\u2ee4": "\u9b3c",  # ⻤ 鬼
    "\u2ee5": "\u9c7c",  # ⻥ 鱼
    "\u2ee6": "\u9e1f",  # ⻦ 鸟
    "\u2ee7": "\u5364",  # ⻧ 卤
    "\u2ee8": "\u9ea6",  # ⻨ 麦
    "\u2ee9": "\u9ec4",  # ⻩ 黄
    "\u2eea": "\u9efe",  # ⻪ 黾
    "\u2eec": "\u9f50",  # ⻬ 齐
    "\u2eee": "\u9f7f",  # ⻮ 齿
    "\u2ef0": "\u9f99",  # ⻰ 龙
}
# Traditional forms of the characters of the tables' and the prose's vocabulary → simplified. Mainland
# disclosures print simplified characters; a traditional one is an OCR misreading (the engine read 支出決算表) or
# a glyph-variant font, never what the publisher meant.
TRADITIONAL = (
    "並來個們備傳債價優儲創劃動務勞區員單國園圖團報壓學實審將專對屬庫廢廣廳後從應採撥"
    "據數於書會東棄業極標機檔檢權歲殘氣決況淨減測準漁濟災為無營獎獲獻環產當療發監稅積"
    "節築糧約納級組結絡給統經維網練縣縮總績織繪續聯職與興藝處術衛補規視覽計訓設詢話認"
    "說調諮證識議護變財貧貫責貸費貼貿賃資賓質購車軟輛輸轉辦農這運遞遺邊郵鄉醫銀錢鎮長"
    "門開關隊際險離電項預額類飲養餘館驗體黃黨齊齡"
)
SIMPLIFIED = (  # the same characters, simplified, in the same order
    "并来个们备传债价优储创划动务劳区员单国园图团报压学实审将专对属库废广厅后从应采拨"
    "据数于书会东弃业极标机档检权岁残气决况净减测准渔济灾为无营奖获献环产当疗发监税积"
    "节筑粮约纳级组结络给统经维网练县缩总绩织绘续联职与兴艺处术卫补规视览计训设询话认"
    "说调咨证识议护变财贫贯责贷费贴贸赁资宾质购车软辆输转办农这运递遗边邮乡医银钱镇长"
    "门开关队际险离电项预额类饮养余馆验体黄党齐龄"
)
# what rule 2 maps (str.translate table): the prose reader keys its text character by character with it too
CHARACTER_FORMS = str.maketrans({**RADICALS_SUPPLEMENT, **dict(zip(TRADITIONAL, SIMPLIFIED))})
_WHITESPACE = re.compile(r"\s+")
# Numbering printed before a label: 一、 (一) 1. 1、 （1）
_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十\d]+[)）]|\d+[、.．](?!\d))")


@lru_cache(maxsize=1 << 16)  # a pure function of a string, asked about the same labels again and again
def normalize_text(text: str | None) -> str:
    """NFKC + radicals supplement mapping; line breaks become spaces; outer whitespace stripped."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text).translate(CHARACTER_FORMS)
    return _WHITESPACE.sub(" ", text).strip()


@lru_cache(maxsize=1 << 16)
def clean_label(text: str | None) -> str:
    """`normalize_text` with every whitespace removed: '收 入' → '收入', '机构\\n事务支出' → '机构事务支出'."""
    return _WHITESPACE.sub("", normalize_text(text))


def strip_numbering(label: str) -> str:
    """'一、一般公共服务支出' → '一般公共服务支出'; '(一)基本支出' → '基本支出'; '1.一般公共预算' → '一般公共预算'."""
    return _NUMBERING.sub("", label)
