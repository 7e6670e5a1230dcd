import pytest

from fiscalpdf.normalize.text import clean_label, normalize_text, strip_numbering

CASES = [
    ("⼀般公共服务⽀出", "一般公共服务支出"),      # Kangxi radicals (NFKC)
    ("⻔诊⻋辆⻅", "门诊车辆见"),                  # CJK Radicals Supplement (mapping table)
    ("收 入", "收入"),                            # letter-spaced header
    ("其他政府办公厅（室）及相关机构\n事务支出", "其他政府办公厅(室)及相关机构事务支出"),
    ("  本年收入合\n计 ", "本年收入合计"),
    ("ＡＢＣ１２３", "ABC123"),
    ("支出決算表", "支出决算表"),                  # a traditional form read by OCR
    ("財政撥款收入支出決算總表", "财政拨款收入支出决算总表"),
]


def test_every_traditional_form_maps_to_a_different_simplified_character_of_the_vocabulary():
    from fiscalpdf.normalize.text import SIMPLIFIED, TRADITIONAL

    assert len(TRADITIONAL) == len(SIMPLIFIED) == len(set(TRADITIONAL))
    assert all(t != s for t, s in zip(TRADITIONAL, SIMPLIFIED))
    assert not set(TRADITIONAL) & set(SIMPLIFIED)  # no simplified character is rewritten


@pytest.mark.parametrize("raw,clean", CASES)
def test_clean_label(raw, clean):
    assert clean_label(raw) == clean


def test_normalize_text_keeps_single_spaces():
    assert normalize_text("部门：国家信访局  金额单位：万元") == "部门:国家信访局 金额单位:万元"


@pytest.mark.parametrize("label,core", [
    ("一、一般公共服务支出", "一般公共服务支出"),
    ("二十六、抗疫特别国债安排的支出", "抗疫特别国债安排的支出"),
    ("(一)基本支出", "基本支出"),
    ("1.一般公共预算", "一般公共预算"),
    ("本年收入合计", "本年收入合计"),
    ("2010301", "2010301"),
])
def test_strip_numbering(label, core):
    assert strip_numbering(label) == core
