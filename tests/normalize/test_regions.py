"""Placing a department on the map from its name, with the national division list read offline."""

from __future__ import annotations

import socket

import pytest

from fiscalpdf.model import Region
from fiscalpdf.normalize.regions import division_list_version, locate_region


@pytest.mark.parametrize("name,region", [
    ("国家信访局", Region(gov_level="central")),
    ("北京市财政局", Region("北京市", None, None, "110000", "province")),
    ("首都绿化委员会办公室", Region("北京市", None, None, "110000", "province")),
    ("中共江苏省委办公厅", Region("江苏省", None, None, "320000", "province")),
    ("内蒙古自治区财政厅", Region("内蒙古自治区", None, None, "150000", "province")),
    ("上海市普陀区财政局", Region("上海市", None, "普陀区", "310107", "county")),
    ("中共上海市普陀区委社会工作部", Region("上海市", None, "普陀区", "310107", "county")),
    ("上海市普陀区人民政府万里街道办事处", Region("上海市", None, "普陀区", "310107", "township")),
    ("株洲市石峰区优化营商环境协调事务中心", Region("湖南省", "株洲市", "石峰区", "430204", "county")),
    ("烟台市芝罘区教育局", Region("山东省", "烟台市", "芝罘区", "370602", "county")),
    ("福州经济技术开发区生态环境局", Region("福建省", "福州市", None, "350100", "prefecture")),
    ("长沙市公安局", Region("湖南省", "长沙市", None, "430100", "prefecture")),
    ("吉林市财政局", Region("吉林省", "吉林市", None, "220200", "prefecture")),
    ("吉林省财政厅", Region("吉林省", None, None, "220000", "province")),
    ("重庆市商务委员会", Region("重庆市", None, None, "500000", "province")),
])
def test_department_names_are_placed(name, region):
    assert locate_region(name) == region


@pytest.mark.parametrize("name", ["普陀区财政局", "财政局", "", None])
def test_what_the_name_does_not_tell_stays_unknown(name):
    # 普陀区 is in Shanghai and in Zhoushan: never guessed
    assert locate_region(name) == Region()


def test_the_division_list_is_read_offline(monkeypatch):
    def no_network(*args, **kwargs):
        raise OSError("network disabled in this test")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    from fiscalpdf.normalize import regions

    regions._index.cache_clear()
    assert locate_region("西安市科学技术局").region_code == "610100"
    assert "2025-12-31" in division_list_version()
