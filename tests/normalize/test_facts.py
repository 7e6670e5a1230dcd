"""Rules of fiscalpdf.normalize.facts: one row per rule, sentence → facts (the module docstring numbers them)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from fiscalpdf.model import BBox, PageText, TextLine
from fiscalpdf.normalize.facts import is_table_page, load_vocabulary, prose_key, read_facts

D = Decimal
LINE = 30  # characters per printed line of the synthetic pages


HEADING = re.compile(r"^(?:第.部分|[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)[^，。；：\d]*$")


def page(no: int, paragraphs: list[str], footer: str | None = None) -> PageText:
    """A printed page: each paragraph typeset in lines of LINE characters, its first line indented by two;
    headings flush left on a line of their own."""
    lines: list[TextLine] = []
    for text in paragraphs:
        rest, first = text, True
        heading = bool(HEADING.match(text))
        while rest:
            width = LINE - 2 if first and not heading else LINE
            while 0 < width < len(rest) and re.match(r"[\d.,%]", rest[width]) and re.match(r"[\d.,]", rest[width - 1]):
                width -= 1  # print never breaks a number
            chunk, rest = rest[:width], rest[width:]
            x0 = 20.0 if first and not heading else 0.0
            top = 20.0 * len(lines) + 40.0
            lines.append(TextLine(chunk, BBox(x0, top, x0 + 10.0 * len(chunk), top + 10.0)))
            first = False
    if footer:
        lines.append(TextLine(footer, BBox(140.0, 790.0, 160.0, 800.0)))
    return PageText(no, 10.0 * LINE, 842.0, lines, sum(len(t.text) for t in lines))


def facts(*paragraphs: str, heading: str = "四、财政拨款“三公”经费预算情况说明", year: int = 2026,
          kind: str = "budget") -> list[tuple]:
    found = read_facts([page(1, [heading, *paragraphs])], year=year, kind=kind)
    return [short(f) for f in found]


def short(f) -> tuple:
    """fact_id, value (元), period, basis, change_value, change_pct, change_basis — and code/label when set."""
    out = (f.fact_id, f.value, f.period, f.basis, f.change_value, f.change_pct, f.change_basis)
    if f.subject_code or f.subject_label:
        out += (f.subject_code, f.subject_label)
    return out


W = D(10000)
RULES = [
    # rule 2: numbers exactly, in 元, whatever the printed unit and digits
    ("money in 元", ["2026 年财政拨款“三公”经费预算 0.5 万元。"],
     [("three_public_total", D("5000.0"), "current", "budget", None, None, None)]),
    ("grouped and in 元", ["“三公”经费预算 1,234.56 元。"],
     [("three_public_total", D("1234.56"), "current", "budget", None, None, None)]),
    ("full-width digits", ["“三公”经费预算１２．５万元。"],
     [("three_public_total", D("12.5") * W, "current", "budget", None, None, None)]),
    ("a number without unit is no figure", ["“三公”经费预算 17.70 万元，比 2025 年初预算数 56,831.85 增加较多。"],
     [("three_public_total", D("17.70") * W, "current", "budget", None, None, None)]),
    # rule 3: one fact per thing and figure
    ("budget and final of one thing", ["“三公”经费财政拨款支出预算为0.5万元，支出决算为0万元，完成预算的0%。"],
     [("three_public_total", D("0.5") * W, "current", "budget", None, None, None),
      ("three_public_total", D(0), "current", "final", None, None, None)]),
    ("a list after 其中", ["其中：因公出国（境）费5万元，公务接待费8.16万元。"],
     [("three_public_overseas", 5 * W, "current", "budget", None, None, None),
      ("three_public_reception", D("8.16") * W, "current", "budget", None, None, None)]),
    # rule 4: nearest name; a clause of connector words inherits it; another word leaves the figure unnamed
    ("connector clause inherits", ["公务接待费支出预算为0.5万元，支出决算为0万元。"],
     [("three_public_reception", D("0.5") * W, "current", "budget", None, None, None),
      ("three_public_reception", D(0), "current", "final", None, None, None)]),
    # rule 5: changes
    ("increase and growth", ["2026年“三公”经费19.86万元，比上年增加2.65万元，增长15.4%。"],
     [("three_public_total", D("19.86") * W, "current", "budget", D("2.65") * W, D("15.4"), "prior_year")]),
    ("shares and completion rates", ["“三公”经费支出决算0.9万元，占1.95%，完成预算的15.52%。"],
     [("three_public_total", D("0.9") * W, "current", "final", None, None, None)]),
    ("持平 is a zero change", ["2026 年“三公”经费预算数为 24.02 万元，与上年预算数持平。"],
     [("three_public_total", D("24.02") * W, "current", "budget", D(0), None, "prior_year")]),
    ("基本持平 is no figure", ["公务接待费预算 6.02 万元，与上年基本持平。"],
     [("three_public_reception", D("6.02") * W, "current", "budget", None, None, None)]),
    ("the base of a comparison is a prior fact", ["“三公”经费预算 17.70 万元，比 2025 年年初预算数 19.35 万元"
      "减少 1.65 万元，下降 8.53%。"],
     [("three_public_total", D("17.70") * W, "current", "budget", D("-1.65") * W, D("-8.53"), "prior_year"),
      ("three_public_total", D("19.35") * W, "prior", "budget", None, None, None)]),
    ("a change goes to the figure before the bracket",
     ["公务用车购置及运行维护费6.7万元（公务用车购置费0万元，比上年增加0万元；公务用车运行维护费6.7万元，"
      "比上年减少2.3万元。）比上年减少2.3万元，下降25.6%。"],
     [("three_public_vehicle_subtotal", D("6.7") * W, "current", "budget", D("-2.3") * W, D("-25.6"), "prior_year"),
      ("three_public_vehicle_purchase", D(0), "current", "budget", D(0), None, "prior_year"),
      ("three_public_vehicle_operation", D("6.7") * W, "current", "budget", D("-2.3") * W, None, "prior_year")]),
    ("a change of a thing without its level", ["其中：因公出国（境）费支出决算持平。"],
     [("three_public_overseas", None, "current", "final", D(0), None, None)]),
    # rule 6: a sentence of changes continues the sentence before
    ("changes in the next sentence", ["“三公”经费财政拨款支出决算为46.21万元。与2023年度相比，增加1.2万元，增长2.7%。"],
     [("three_public_total", D("46.21") * W, "current", "final", D("1.2") * W, D("2.7"), "prior_year")]),
    # rule 7: the list item's lead sentence names what the next sentence's figure is
    ("subject from the list item", ["（一）因公出国（境）费用。2026 年预算数 166.98 万元，主要用于国际交流。"],
     [("three_public_overseas", D("166.98") * W, "current", "budget", None, None, None)]),
    # rule 8: not facts
    ("averages", ["全年公务用车运行维护费支出 40.61 万元，平均每辆 2.71 万元。"],
     [("three_public_vehicle_operation", D("40.61") * W, "current", "budget", None, None, None)]),
]


@pytest.mark.parametrize("paragraphs, want", [(p, w) for _, p, w in RULES], ids=[r[0] for r in RULES])
def test_rules(paragraphs, want):
    assert facts(*paragraphs) == want


def test_a_decrease_is_negative_and_against_the_budget():
    got = facts("本部门2020年度机关运行经费支出14.09万元，比年初预算数减少3.54万元，降低20.0%。",
                heading="十、关于机关运行经费支出说明", year=2020, kind="final")
    assert got == [("admin_running_costs", D("14.09") * W, "current", "final", D("-3.54") * W, D("-20.0"), "budget")]


def test_two_facts_of_one_figure_in_the_order_of_the_vocabulary():
    got = facts("2020年度收、支总计259.15万元。", heading="一、收入支出决算总体情况说明", year=2020, kind="final")
    assert [f[0] for f in got] == ["income_total", "expenditure_total"]
    assert all(f[1] == D("259.15") * W for f in got)


def test_each_increase_goes_to_both_facts():
    got = facts("国家信访局 2024 年度收、支总计 22066.59 万元，与 2023 年相比，"
                "收、支总计各增加 5834.37 万元，增长 35.74%。",
                heading="一、收入支出决算总体情况说明", year=2024, kind="final")
    assert [(f[0], f[4], f[5], f[6]) for f in got] == [
        ("income_total", D("5834.37") * W, D("35.74"), "prior_year"),
        ("expenditure_total", D("5834.37") * W, D("35.74"), "prior_year")]


def test_a_change_of_a_named_sub_item_is_a_fact_without_value():
    got = facts("收入预算为 2796.14 万元，比上年增加 129.07 万元，增长 4.84%，"
                "主要原因是一般公共预算拨款收入增加 129.07 万元。",
                heading="一、预算收支总体情况")
    assert got == [("income_total", D("2796.14") * W, "current", "budget", D("129.07") * W, D("4.84"), "prior_year"),
                   ("gpb_income", None, "current", "budget", D("129.07") * W, None, "prior_year")]


def test_classes_and_items_carry_their_subject():
    got = facts("2020年度财政拨款支出186.67万元，主要用于以下方面：一般公共服务（类）支出137.68万元，占73.8%。",
                "（二）2080501-行政单位离退休 227.72 万元。",
                heading="五、一般公共预算财政拨款支出决算情况说明", year=2020, kind="final")
    assert got == [
        ("gpb_expenditure", D("186.67") * W, "current", "final", None, None, None),
        ("gpb_expenditure_class", D("137.68") * W, "current", "final", None, None, None, "201", "一般公共服务（类）"),
        ("gpb_expenditure_item", D("227.72") * W, "current", "final", None, None, None, "2080501", "行政单位离退休")]


def test_item_path_leads_the_next_sentence():
    got = facts("1、一般公共服务（类）政府办公厅及相关机构事务（款）行政运行（项）。"
                "年初预算为102.55万元，支出决算为108.06万元。",
                heading="五、一般公共预算财政拨款支出决算情况说明", year=2020, kind="final")
    label = "一般公共服务（类）政府办公厅及相关机构事务（款）行政运行（项）"
    assert got == [("gpb_expenditure_item", D("102.55") * W, "current", "budget", None, None, None, None, label),
                   ("gpb_expenditure_item", D("108.06") * W, "current", "final", None, None, None, None, label)]


def test_counts_by_unit_after_their_item():
    got = read_facts([page(1, ["七、“三公”经费支出决算情况说明",
                               "1、因公出国（境）费支出决算为0万元，全年安排因公出国（境）团组2个，累计5人次。",
                               "2、公务接待费支出决算为0万元，全年共接待来访团组3个、来宾12人次。",
                               "公务用车运行维护费0万元，我单位公务用车保有量为4辆。"])], year=2020, kind="final")
    assert [(f.fact_id, f.value, f.unit) for f in found_counts(found=got)] == [
        ("three_public_overseas_groups", 2, "个"), ("three_public_overseas_people", 5, "人次"),
        ("three_public_reception_visits", 3, "个"), ("three_public_reception_people", 12, "人次"),
        ("three_public_vehicles", 4, "辆")]


def found_counts(found):
    return [f for f in found if f.measure == "count"]


def test_a_name_outside_its_sections_is_no_fact():
    # a bare 基本支出 under a 政府性基金 heading is not the 支出表's 基本支出
    assert facts("支出0万元，其中基本支出0万元，项目支出0万元。", heading="八、政府性基金预算收入支出决算情况") == []


def test_a_foreign_word_leaves_the_figure_unnamed():
    assert facts("机关运行经费预算总计211万元，其中主要支出为办公费34.82万元。",
                 heading="九、机关运行经费安排使用情况说明") == [
        ("admin_running_costs", D(211) * W, "current", "budget", None, None, None)]


def test_thresholds_are_no_figures():
    got = read_facts([page(1, ["十三、关于国有资产占用情况说明",
                               "截至2020年12月31日，本单位共有车辆3辆；单位价值100万元以上专用设备2台（套）。"])],
                     year=2020, kind="final")
    assert [(f.fact_id, f.value, f.unit) for f in got] == [("vehicles", 3, "辆"), ("equipment_large", 2, "台（套）")]


def test_sentences_run_over_lines_and_pages_and_page_numbers_go():
    first = page(1, ["四、财政拨款“三公”经费预算情况说明", "2026 年财政拨款“三公”经费预算 17.70 万元，"
                                                         "比 2025 年财政拨款"], footer="- 5 -")
    second = page(2, ["“三公”经费年初预算减少1.65万元，下降8.53%。"])
    found = read_facts([first, second], year=2026, kind="budget")
    assert [(f.fact_id, f.value, f.change_value, f.page) for f in found] == [
        ("three_public_total", D("17.70") * W, D("-1.65") * W, 1)]
    assert "- 5 -" not in found[0].text and found[0].text.endswith("下降8.53%。")


def test_table_pages_are_not_prose():
    table = PageText(3, 595.0, 842.0, [TextLine(t, BBox(0.0, 20.0 * i, 500.0, 20.0 * i + 10.0)) for i, t in enumerate([
        "一、一般公共预算财政拨款收入 1 186.67 一、一般公共服务支出 32 137.68",
        "二、政府性基金预算财政拨款收入 2 0.00 二、外交支出 33 0.00",
        "本年收入合计 27 259.15 本年支出合计 58 259.15"])], 120)
    prose = page(1, ["二、收入决算情况说明", "本年收入合计259.15万元，其中：财政拨款收入186.67万元。"])
    assert is_table_page(table) and not is_table_page(prose)
    assert [f.fact_id for f in read_facts([prose, table], year=2020, kind="final")] == ["income_current",
                                                                                        "fiscal_income"]


def test_section_kind_comes_from_the_outermost_heading_naming_one():
    found = read_facts([page(1, ["五、其他情况说明", "（一）政府采购预算说明",
                                 "2026 年政府采购预算总额 1240.07 万元，其中：政府采购货物预算 12.50 万元。"])],
                       year=2026, kind="budget")
    assert [(f.fact_id, f.section, f.section_kind) for f in found] == [
        ("procurement_total", "（一）政府采购预算说明", "procurement"),
        ("procurement_goods", "（一）政府采购预算说明", "procurement")]


def test_appendix_parts_hold_no_facts():
    found = read_facts([page(1, ["第五部分", "附件", "二、预算收支情况",
                                 "2020 年支出 259.15 万元，其中：基本支出 179.68 万元。"])],
                       year=2020, kind="final")
    assert found == []


def test_document_year_and_kind_are_read_when_not_given():
    found = read_facts([page(1, ["北京市信访办公室 2026 年度部门预算信息公开", "二、收入预算情况说明",
                                 "2026 年度收入预算 9626.78 万元，比 2025 年年初预算数 9819.98 万元"
                                 "减少 193.20 万元。"])])
    assert [(f.fact_id, f.period, f.basis, f.change_basis) for f in found] == [
        ("income_total", "current", "budget", "prior_year"), ("income_total", "prior", "budget", None)]


def test_key_keeps_numbers_apart_and_punctuation_canonical():
    assert prose_key("图 1 2024 年(万元):１２，3")[0] == "图1 2024年（万元）：12，3"


def test_key_maps_characters_as_the_table_labels_are_mapped():
    """A traditional form OCR reads in the prose (決, 財) and a radical are keyed as normalize_text maps them, one
    key character per text character."""
    key, where = prose_key("財政撥款支出決算⽀出")
    assert key == "财政拨款支出决算支出" and where == list(range(10))


def test_vocabulary_is_closed_and_complete():
    vocab = load_vocabulary()
    issue = {"income_total", "income_current", "expenditure_total", "expenditure_current", "fiscal_income",
             "gpb_income", "gpb_expenditure", "gpb_expenditure_class", "basic_expenditure", "project_expenditure",
             "personnel", "public", "three_public_total", "three_public_overseas", "three_public_vehicle_subtotal",
             "three_public_vehicle_purchase", "three_public_vehicle_operation", "three_public_reception", "meeting",
             "training", "admin_running_costs", "procurement_total", "procurement_goods", "procurement_works",
             "procurement_services", "procurement_sme", "vehicles", "equipment_large", "performance_projects",
             "performance_amount", "three_public_overseas_groups", "three_public_overseas_people",
             "three_public_reception_visits", "three_public_reception_people", "three_public_vehicles"}
    assert issue <= set(vocab.facts)
    assert {f.measure for f in vocab.facts.values()} == {"money", "count"}
    for spec in vocab.facts.values():
        assert spec.zh and spec.en and spec.sections
        assert spec.phrases or spec.subject in ("class", "item") or spec.context, spec.id


def test_a_heading_wrapped_onto_a_short_line_is_one_heading():
    # 湖州: '（四）关于…财政拨款收' + '支预算情况的总体说明' (a short line without punctuation) is one heading
    lines = [TextLine("（四）关于湖州市卫生健康委员会2026年财政拨款收", BBox(20.0, 40.0, 300.0, 50.0)),
             TextLine("支预算情况的总体说明", BBox(0.0, 60.0, 100.0, 70.0)),
             TextLine("湖州市卫生健康委员会2026年财政拨款收支总预算64", BBox(20.0, 80.0, 300.0, 90.0)),
             TextLine("618.75万元。", BBox(0.0, 100.0, 110.0, 110.0)),
             TextLine("继续说明本部门预算收支的其他情况和有关的说明文字", BBox(20.0, 120.0, 300.0, 130.0)),
             TextLine("在这里接着写完。", BBox(0.0, 140.0, 80.0, 150.0))]
    found = read_facts([PageText(1, 300.0, 842.0, lines, 100)], year=2026, kind="budget")
    assert [(f.fact_id, f.value, f.section, f.section_kind) for f in found] == [
        (fid, D("64618.75") * W, "（四）关于湖州市卫生健康委员会2026年财政拨款收支预算情况的总体说明", "fiscal")
        for fid in ("fiscal_income_total", "fiscal_expenditure_total")]


def test_an_item_path_is_no_class_where_items_are_no_facts():
    # under a 支出 heading, '（1）科学技术支出（类）基础研究（款）…（项）83.78 万元' is not 科学技术支出
    assert facts("（1）科学技术支出（类）基础研究（款）实验室及相关设施（项）83.78 万元，主要用于医院的支出。",
                 heading="（三）支出预算情况说明") == []


def test_a_coded_item_is_no_class():
    assert facts("（24）其他社会保障和就业支出（2089901）13.15万元，较上年减少22.01万元。",
                 heading="三、支出预算情况说明") == []
    got = facts("（2）其他卫生健康支出（2109901）7720万元。", heading="五、一般公共预算支出情况说明")
    assert got == [("gpb_expenditure_item", D(7720) * W, "current", "budget", None, None, None, "2109901",
                    "其他卫生健康支出")]


# ---------------------------------------------------------------- rules found on the corpus and the crawl
def test_a_bare_wan_before_punctuation_is_wan_yuan():
    got = facts("2026年预算收入1682.76万元。其中当年预算1682.76万。", heading="四、财政拨款收支总表情况说明")
    assert got == []  # 当年预算 names nothing of the vocabulary: no fact, yet the figure was read (rule 4)
    got = facts("2026年长春市信访局机关运行经费预算总计211万。", heading="九、机关运行经费安排使用情况说明")
    assert got == [("admin_running_costs", D(211) * W, "current", "budget", None, None, None)]


def test_a_change_naming_only_a_side_goes_to_the_sentences_head():
    got = facts("2025 年本单位收入预算 68632.12 万元，其中，一般公共预算拨款 68632.12 万元，上年结转 0.00 万元。"
                "收入较去年减少 1316.82 万元，下降 1.88%。", heading="三、部门收支总体情况", year=2025)
    assert [(f[0], f[4], f[5]) for f in got] == [
        ("income_total", D("-1316.82") * W, D("-1.88")), ("gpb_income", None, None), ("carry_in", None, None)]


def test_a_change_after_a_list_goes_to_the_whole():
    got = facts("相应安排支出预算 10344.71 万元，其中：基本支出 8974.01万元、项目支出 1370.70 万元。"
                "比上年减少 32.61 万元，下降0.31%，主要原因是基本支出减少 29.53 万元、项目支出减少3.08 万元。",
                heading="三、支出预算情况说明")
    assert [(f[0], f[4], f[5]) for f in got] == [
        ("expenditure_total", D("-32.61") * W, D("-0.31")), ("basic_expenditure", D("-29.53") * W, None),
        ("project_expenditure", D("-3.08") * W, None)]


def test_a_part_of_the_carry_over_is_no_income():
    got = facts("本年一般公共预算收入 4,651.67 万元；上年结转结余的一般公共预算收入 0 万元，上年结转结余的政府性基金"
                "预算收入 0 万元。", heading="二、收入预算情况说明")
    assert got == [("gpb_income", D("4651.67") * W, "current", "budget", None, None, None)]


def test_the_classes_of_a_project_expenditure_list_are_its_parts():
    got = facts("（二）项目支出：2025 年本单位项目支出预算 40233.95 万元，主要是单位为完成特定任务而发生的支出，其中："
                "一般公共服务支出 3.00 万元，主要用于信息化建设。", "公共安全支出 40230.95 万元，主要用于装备购置。",
                "（三）2025年一般公共预算支出 68632.12 万元，其中：公共安全支出 68629.12 万元。",
                heading="四、一般公共预算拨款支出", year=2025)
    assert [(f[0], f[1]) for f in got] == [("project_expenditure", D("40233.95") * W),
                                           ("gpb_expenditure", D("68632.12") * W),
                                           ("gpb_expenditure_class", D("68629.12") * W)]


def test_a_parts_title_gives_way_to_the_headings_under_it():
    found = read_facts([page(1, ["第二部分 收支情况", "五、2020 年部门预算收支说明", "（二）财政拨款收支情况",
                                 "本部门财政拨款收入预算总计 181807.13 万元。支出预算总计181807.13 万元。"])],
                       year=2020, kind="budget")
    assert [(f.fact_id, f.section_kind) for f in found] == [("fiscal_income_total", "fiscal"),
                                                             ("fiscal_expenditure_total", "fiscal")]


def test_lines_inside_a_table_found_on_the_page_are_not_prose():
    prose = page(1, ["三、支出预算情况说明", "本年支出合计259.15万元。", "基本支出179.68万元。"])
    assert [f.fact_id for f in read_facts([prose], year=2020, kind="final")] == ["expenditure_current",
                                                                                 "basic_expenditure"]
    cell = prose.lines[2].bbox  # '基本支出179.68万元。' printed inside a grid found there (a 绩效目标表's cell)
    box = BBox(cell.x0 - 1, cell.top - 1, cell.x1 + 1, cell.bottom + 1)
    assert [f.fact_id for f in read_facts([prose], year=2020, kind="final", tables=[(1, box)])] == [
        "expenditure_current"]


def test_what_an_economic_class_lists_after_its_figure_is_its_part():
    got = facts("对个人和家庭的补助（303）100151.38 万元,其中：人员经费 138.06 万元, 较上年增加 13.93万元。",
                "对事业单位经常性补助（505）2945.22万元, 其中：人员经费1903.54万元, 较上年增加226.87万元;"
                "公用经费 75.66万元, 较上年减少 0.78万元。",
                "基本支出 5000 万元，其中：人员经费 4000 万元，公用经费 1000 万元。",
                heading="3、支出按经济科目分类的明细情况", kind="budget")
    assert [(f[0], f[1]) for f in got] == [("basic_expenditure", D(5000) * W), ("personnel", D(4000) * W),
                                           ("public", D(1000) * W)]
