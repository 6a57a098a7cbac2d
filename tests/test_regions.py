"""The region gazetteer: seed CSVs well formed, matcher finds divisions and zones, main region."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from chanye.regions import RegionMention, gazetteer

REPO = Path(__file__).resolve().parents[1]
SEEDS_DIR = REPO / "dbt_project" / "seeds"
SHARED_SEEDS = REPO.parent / "shared" / "seeds"
GOLD_DOCS = REPO.parent / "shared" / "gold" / "seeds.docs.jsonl"
REGION_COLUMNS = [
    "region_code", "name", "short_name", "level", "parent_code", "province_code", "city_code",
    "valid_from", "valid_to",
]


def read_csv(name: str) -> tuple[list[str], list[dict]]:
    with open(SEEDS_DIR / name, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        return reader.fieldnames, list(reader)


def codes(text: str, prefer=()) -> list[str]:
    return [m.code for m in gazetteer().find(text, prefer)]


# --- the CSVs ------------------------------------------------------------------------------


def test_regions_csv_is_well_formed():
    columns, rows = read_csv("regions.csv")
    assert columns == REGION_COLUMNS
    by_code = {r["region_code"]: r for r in rows}
    assert len(by_code) == len(rows), "region codes are unique"
    for row in rows:
        assert len(row["region_code"]) == 6 and row["region_code"].isdigit()
        assert row["level"] in {"province", "city", "county"}
        for column in ("parent_code", "province_code", "city_code"):
            assert row[column] == "" or row[column] in by_code, (row, column)
        assert (row["parent_code"] == "") == (row["level"] == "province")
        assert row["valid_to"] == "" or int(row["valid_to"]) >= int(row["valid_from"])
    current = [r for r in rows if r["valid_to"] == ""]
    assert sum(r["level"] == "province" for r in current) == 34
    assert 2800 < sum(r["level"] == "county" for r in current) < 3000


def test_regions_csv_conventions():
    rows = {r["region_code"]: r for r in read_csv("regions.csv")[1]}
    assert rows["330523"]["short_name"] == "安吉"
    assert rows["330604"]["short_name"] == "上虞"
    assert rows["450000"]["short_name"] == "广西"
    assert rows["330185"]["valid_to"] == "2016"  # 临安市 became 临安区 in 2017
    assert rows["110105"]["parent_code"] == rows["110105"]["city_code"] == "110000"
    assert rows["429004"]["parent_code"] == "420000" and rows["429004"]["city_code"] == ""


def test_zones_csv_points_at_current_divisions():
    columns, rows = read_csv("zones.csv")
    assert columns == ["zone_name", "county_code", "zone_type", "note"]
    current = {r["region_code"]: r for r in read_csv("regions.csv")[1] if r["valid_to"] == ""}
    for row in rows:
        assert row["county_code"] in current, row
        if not row["zone_type"].startswith("former_"):
            assert current[row["county_code"]]["level"] == "county", row
    names = {r["zone_name"] for r in rows}
    assert not names & {"开发区", "经开区", "高新区", "经济开发区"}


# --- find ----------------------------------------------------------------------------------


def test_full_names_are_found_left_to_right():
    mentions = gazetteer().find("浙江省湖州市安吉县")
    assert [(m.text, m.code, m.level) for m in mentions] == [
        ("浙江省", "330000", "province"), ("湖州市", "330500", "city"), ("安吉县", "330523", "county"),
    ]
    assert mentions[2] == RegionMention(6, 9, "安吉县", "330523", "county")


def test_short_names():
    assert codes("安吉打造生命健康产业高地") == ["330523"]
    assert codes("上虞加快发展") == ["330604"]
    assert codes("浙江、广西两地") == ["330000", "450000"]


def test_zones_resolve_to_their_county():
    g = gazetteer()
    found = g.find("安吉经济开发区招引项目，杭州湾上虞经开区和天目医药港")
    assert [(m.text, m.code, m.level) for m in found] == [
        ("安吉经济开发区", "330523", "zone"), ("杭州湾上虞经开区", "330604", "zone"),
        ("天目医药港", "330112", "zone"),
    ]
    assert codes("锦南新城与青山湖科技城") == ["330112", "330112"]
    assert codes("运河网谷") == ["330105"]


def test_history_resolves_to_todays_division():
    assert codes("临安") == ["330112"]
    assert codes("临安市") == ["330112"]
    assert codes("临安区") == ["330112"]
    assert codes("萧山市") == ["330109"]
    assert codes("江干区") == ["330102"]  # merged into 上城区 in 2021
    assert codes("襄樊市") == ["420600"]  # renamed 襄阳市


def test_ambiguous_names_need_a_preference():
    assert codes("朝阳区") == []
    assert codes("朝阳区", prefer=["110000"]) == ["110105"]
    assert codes("朝阳区", prefer=["220100"]) == ["220104"]
    assert codes("鼓楼区", prefer=["320100"]) == ["320106"]
    assert codes("鼓楼区", prefer=["350102"]) == ["350102"]  # a sibling district points at 福州
    assert codes("鼓楼区", prefer=["330105"]) == []  # no 鼓楼区 anywhere near 杭州


def test_province_wins_a_shared_short_name():
    assert codes("吉林") == ["220000"]
    assert codes("吉林市") == ["220200"]


def test_common_words_are_not_regions():
    text = (
        "新兴产业加强合作，和平发展，开发新产品，东方既白，长安汽车，永安保险，中方表示，"
        "资源整合，民族复兴，友谊长存，绿水青山就是金山银山，城西科创大走廊，新华社电，"
        "中山大学，统筹发展和安全，各级党委和政府，延长期限，大城市，世界首个，佛罗里达州"
    )
    assert gazetteer().find(text) == []


def test_single_characters_and_generic_zone_words_are_not_matched():
    assert codes("开发区管委会、经开区、高新区、市区、城区") == []
    assert codes("沛、云、和") == []


def test_get_and_parent_code():
    g = gazetteer()
    region = g.get("330112")
    assert (region.name, region.short_name, region.level) == ("临安区", "临安", "county")
    assert (region.parent_code, region.city_code, region.province_code) == ("330100", "330100", "330000")
    assert g.parent_code("330112") == "330100"
    assert g.parent_code("330100") == "330000"
    assert g.parent_code("330000") is None
    assert g.get("999999") is None and g.parent_code("999999") is None


# --- main_region ---------------------------------------------------------------------------


def test_main_region_prefers_the_county_over_its_city():
    g = gazetteer()
    assert g.main_region("杭州市拱墅区举办活动。拱墅区推介。杭州是省会。杭州市。") == "330105"
    assert g.main_region("正文没有地名。", title="临安天目医药港开园") == "330112"


def test_main_region_returns_the_city_for_tied_counties():
    assert gazetteer().main_region("杭州市西湖区和滨江区。西湖区、滨江区携手。") == "330100"


def test_main_region_without_places():
    assert gazetteer().main_region("没有任何地名的一段话。") is None


@pytest.mark.skipif(not SHARED_SEEDS.is_dir() or not GOLD_DOCS.is_file(), reason="../shared not present")
def test_main_region_on_the_seed_articles():
    opencc = pytest.importorskip("opencc")
    to_simplified = opencc.OpenCC("t2s").convert
    g = gazetteer()
    for line in GOLD_DOCS.read_text(encoding="utf-8").splitlines():
        gold = json.loads(line)
        text = to_simplified((SHARED_SEEDS / gold["doc"]).read_text(encoding="utf-8"))
        title = to_simplified(gold["title"])
        assert g.main_region(text, title=title) == gold["region_code"], gold["doc"]
        assert g.main_region(text) == gold["region_code"], gold["doc"]


def test_main_region_uses_the_documents_own_city_for_shared_names():
    text = "北京市朝阳区发布新政。朝阳区将新建园区。北京海淀区也有参与。朝阳区企业踊跃。"
    assert gazetteer().main_region(text) == "110105"
