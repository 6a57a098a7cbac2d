"""The region gazetteer: seed CSVs well formed, the rules of `find` (divisions, zones, landmarks,
organisations), and the document's main region."""
from __future__ import annotations

import csv
import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from chanye.regions import RegionMention, gazetteer, main_region
from chanye.staging import stage_file

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


def found(text: str, **kwargs) -> list[tuple[str, str, str]]:
    return [(m.text, m.code, m.level) for m in gazetteer().find(text, **kwargs)]


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


ZONE_TYPES = {
    "national_dev_zone", "provincial_dev_zone", "hi_tech_zone", "provincial_hi_tech_zone", "national_new_area",
    "bonded_zone", "border_zone", "pilot_zone", "free_trade_zone", "cooperation_zone", "new_area", "named_area",
    "park", "new_city", "town", "former_county", "former_city",
}


def test_zones_csv_points_at_current_divisions():
    columns, rows = read_csv("zones.csv")
    assert columns == ["zone_name", "county_code", "zone_type", "note"]
    regions = {r["region_code"]: r for r in read_csv("regions.csv")[1]}
    current = {code for code, r in regions.items() if r["valid_to"] == ""}
    names = [r["zone_name"] for r in rows if not r["zone_type"].startswith("former_")]
    assert len(names) == len(set(names)), "one row per zone name"
    for row in rows:
        assert row["county_code"] in current, row
        assert row["zone_type"] in ZONE_TYPES, row
    division_names = {r[k] for r in regions.values() if r["valid_to"] == "" for k in ("name", "short_name")}
    zone_names = {r["zone_name"] for r in rows if not r["zone_type"].startswith("former_")}
    assert not zone_names & division_names, "a division's own name is not a zone"
    generic = {r["suffix"] for r in read_csv("zone_suffixes.csv")[1]}
    assert not zone_names & generic


def test_zones_csv_carries_the_development_zone_catalogue():
    rows = read_csv("zones.csv")[1]
    catalogue = [r for r in rows if "GB/T 37028-2018" in r["note"]]
    zones = {r["note"].split(" | ")[0] for r in catalogue}
    assert len(zones) > 2400 and len(catalogue) > 6000  # 552 national + 1,991 provincial zones and more
    by_name = {r["zone_name"]: r for r in rows}
    assert by_name["河北清河经济开发区"]["county_code"] == "130534"  # 清河县 of Hebei, not 清河区 elsewhere
    assert "清河经开区" not in by_name  # 河北清河 and 淮安清河 both write so: left to the context
    assert by_name["包头稀土高新区"]["county_code"] == "150200"  # the city the standard gives
    assert by_name["甘泉堡经开区"]["county_code"] == "650100"  # the proper name alone, after 乌鲁木齐
    assert "杭州湾经开区" not in by_name  # 杭州湾 is the bay of several places, not a proper name
    assert by_name["浙江自贸区"]["county_code"] == "330000"
    assert by_name["浙江自贸区"]["zone_type"] == "free_trade_zone"


def test_word_lists_are_well_formed():
    for name in ("place_words.csv", "zone_suffixes.csv", "zones.csv"):  # as dbt seeds them: no stray fields
        with open(SEEDS_DIR / name, encoding="utf-8", newline="") as f:
            lines = list(csv.reader(f))
        assert {len(line) for line in lines} == {len(lines[0])}, name
    columns, rows = read_csv("place_words.csv")
    assert columns == ["word", "kind", "note"]
    kinds = {r["kind"] for r in rows}
    assert kinds == {
        "full_stop", "short_stop", "blocker", "landmark", "landmark_continuation", "org_suffix", "name_break",
        "national", "dateline_agency", "origin_before", "origin_after", "self_reference",
    }
    pairs = [(r["word"], r["kind"]) for r in rows]
    assert len(pairs) == len(set(pairs)) and all(w.strip() == w and w for w, _ in pairs)
    regions = read_csv("regions.csv")[1]
    short_names = {r["short_name"] for r in regions}
    former = {r["zone_name"] for r in read_csv("zones.csv")[1] if r["zone_type"].startswith("former_")}
    names = {r["name"] for r in regions} | short_names | former  # a stop word may be a former name
    for word, kind in pairs:
        if kind == "short_stop":
            assert word in short_names, word
        if kind == "full_stop":
            assert word in names, word
        if kind == "blocker":  # a blocker exists because a place name hides in it
            assert any(word[i:j] in names for i in range(len(word)) for j in range(i + 2, len(word) + 1)), word
    columns, suffixes = read_csv("zone_suffixes.csv")
    assert columns == ["suffix", "zone_type"]
    assert len({r["suffix"] for r in suffixes}) == len(suffixes)
    assert all(len(r["suffix"]) >= 2 for r in suffixes)


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


def test_zone_names_resolve_through_the_place_they_start_with():
    # the generic pattern: a place, a few name-like characters, a zone suffix (zone_suffixes.csv)
    assert found("曲靖经济技术开发区今年新签约项目") == [("曲靖经济技术开发区", "530300", "zone")]
    assert found("我们在湖州市安吉县高新区调研") == [("湖州市安吉县高新区", "330523", "zone")]
    assert found("海口江东新区入驻企业") == [("海口江东新区", "460100", "zone")]
    assert found("昆明呈贡信息产业园区投产") == [("昆明呈贡信息产业园区", "530114", "zone")]
    # a place name inside the zone's own name that is not inside the chain's place: part of the name
    assert found("昆明甘泉产业园投产") == [("昆明甘泉产业园", "530100", "zone")]
    # no place before the suffix, or a word that cannot be inside a name: no zone
    assert found("新区建设稳步推进") == []
    assert found("安吉县的开发区") == [("安吉县", "330523", "county")]


def test_catalogue_zones_resolve_by_their_province():
    assert found("河北清河经济开发区") == [("河北清河经济开发区", "130534", "zone")]
    assert found("浙江江山经济开发区") == [("浙江江山经济开发区", "330881", "zone")]  # 江山 alone is a stop word
    assert found("甘泉堡经开区新落户企业") == [("甘泉堡经开区", "650100", "zone")]  # not 甘泉县 of Shaanxi
    assert found("张江高新区徐汇园") == [("张江高新区徐汇园", "310104", "zone")]
    assert found("中国（浙江）自由贸易试验区和湖北自贸区") == [
        ("中国（浙江）自由贸易试验区", "330000", "zone"), ("湖北自贸区", "420000", "zone"),
    ]
    assert found("上海自贸区临港新片区") == [("上海自贸区", "310000", "zone"), ("临港新片区", "310000", "zone")]
    assert found("雄安新区") == [("雄安新区", "130600", "zone")]  # spans three counties of 保定


def test_rivers_mountains_and_roads_are_not_the_place():
    assert found("乐安河两岸的企业") == []
    assert found("延安路上新开了一家门店") == []
    assert found("洪泽湖畔的湿地") == []
    assert found("常州新北区块开发") == [("常州", "320400", "city")]
    # another place name, or a listed continuation, starts right there
    assert found("宁波江北的企业") == [("宁波", "330200", "city")]
    assert found("宁波江北区") == [("宁波", "330200", "city"), ("江北区", "330205", "county")]
    assert found("安吉山区的竹林") == [("安吉", "330523", "county")]


def test_places_inside_organisation_names_are_not_the_place():
    assert found("厦门国际银行在福州设立分行") == [("福州", "350100", "city")]
    assert found("浙江大学的研究团队") == []
    assert found("宁德时代新能源科技股份有限公司在宜宾投资") == [("宜宾", "511500", "city")]
    assert found("温州商会组织会员企业考察") == []
    assert found("深圳华为技术有限公司在东莞投资") == [("东莞", "441900", "city")]
    # a place's own government, or a firm in a zone, is kept
    assert found("湖州市人民政府") == [("湖州市", "330500", "city")]
    assert found("安吉经开区的企业") == [("安吉经开区", "330523", "zone")]
    # a break word ends the name: the place is where the firms are
    assert found("安吉的企业集团") == [("安吉", "330523", "county")]
    assert found("安吉多家银行推出贷款") == [("安吉", "330523", "county")]


def test_callers_skip_spans_they_know():
    text = "由温州企业投资，在安吉建设"
    assert found(text, skip_spans=[(1, 3)]) == [("安吉", "330523", "county")]


def test_a_place_right_before_settles_a_shared_name():
    assert found("北京市朝阳区") == [("北京市", "110000", "province"), ("朝阳区", "110105", "county")]
    assert found("长春市朝阳区") == [("长春市", "220100", "city"), ("朝阳区", "220104", "county")]


def test_blocked_words():
    assert found("新增城镇就业岗位") == []  # 新增城镇, not 增城
    assert found("杭州湾新区") == []


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


def test_main_region_is_the_county_when_the_city_only_locates_it():
    text = (
        "湖州市安吉县今年签约项目28个，总投资140亿元。安吉县位于湖州市西北部。"
        "安吉将打造生命健康产业高地。湖州市领导出席签约仪式。"
    )
    assert main_region(text) == "330523"
    assert main_region("正文没有地名。", title="临安天目医药港开园") == "330112"


def test_main_region_is_the_city_when_a_district_is_mentioned_in_passing():
    text = "杭州今年GDP突破2万亿元。杭州数字经济核心产业增加值增长8%。西湖区举办了一场招聘会。杭州将继续推进。"
    assert main_region(text) == "330100"
    assert main_region("杭州市西湖区和滨江区。西湖区、滨江区携手。") == "330100"  # tied districts


def test_main_region_is_the_province_when_one_city_is_not_dominant():
    text = (
        "海南今年新增市场主体30万户。海口江东新区入驻企业超过5000家。海南自贸港建设加快。"
        "海南全省旅游收入增长20%。海口、三亚、儋州协同发展。"
    )
    assert main_region(text) == "460000"


def test_main_region_ignores_the_dateline_city_and_organisations():
    assert main_region("新华社杭州5月8日电 题：山区县的共富路\n山区县今年新建项目12个。") is None
    assert main_region("本报杭州讯 山区县今年新建项目12个。") is None
    text = "厦门国际银行今年向漳州企业投放贷款50亿元。厦门国际银行表示将继续支持漳州制造业。"
    assert main_region(text) == "350600"
    assert main_region("来自温州的客商在安吉签约项目5个，总投资20亿元。安吉县表示将做好服务。") == "330523"


def test_main_region_reads_the_outlet_of_a_text_that_speaks_of_itself():
    text = "6月18日，我县召开招商引资工作推进会。今年以来，全县共签约项目45个，总投资186亿元。"
    assert main_region(text, title="招商引资工作推进会召开", outlet="长兴县人民政府") == "330522"
    assert main_region(text, title="招商引资工作推进会召开") is None
    # a hint only when the text names its places itself
    assert main_region("安吉县今年签约项目28个。安吉县将继续推进。", outlet="湖州日报") == "330523"


def test_main_region_is_null_for_national_round_ups():
    text = "我国今年新增高新技术企业5万家。全国各地加快布局，北京、上海、广东新增企业均超过5000家。"
    assert main_region(text) is None
    assert main_region("安徽签约项目10个；江西签约项目12个；湖南签约项目8个；四川签约项目9个。") is None
    # two or three provinces are not a round-up: the heavier one
    assert main_region("贵州新签约项目10个，贵州投资增长8%。云南新签约项目12个。") == "520000"
    # 全省各地 is the province's own places, not the country
    assert main_region("浙江全省各地新增项目1200个。浙江将继续推进。") == "330000"


def test_main_region_without_places_or_with_one_passing_mention():
    assert main_region("没有任何地名的一段话。") is None
    assert main_region("救援队抵达灾区。首批援助物资从上海浦东机场启运，将于今晚运抵。") is None
    assert main_region("南宁舰靠泊港口，撤离人员安全登舰。") is None  # a warship named after a city
    # the lead sentence weighs as a headline: the one mention there says where the story is
    assert main_region("7月19日，青岛西海岸新区举行海洋经济推进会。新区今年新增涉海企业300家。") == "370211"


def test_main_region_uses_the_documents_own_city_for_shared_names():
    text = "北京市朝阳区发布新政。朝阳区将新建园区。北京海淀区也有参与。朝阳区企业踊跃。"
    assert gazetteer().main_region(text) == "110105"


@pytest.mark.skipif(not SHARED_SEEDS.is_dir() or not GOLD_DOCS.is_file(), reason="../shared not present")
def test_main_region_on_the_staged_seed_articles():
    for line in GOLD_DOCS.read_text(encoding="utf-8").splitlines():
        gold = json.loads(line)
        docs, _ = stage_file(SHARED_SEEDS / gold["doc"], "seeds", datetime.now(timezone.utc))
        assert main_region(docs[0]["text"], title=docs[0]["title"]) == gold["region_code"], gold["doc"]
        assert main_region(docs[0]["text"]) == gold["region_code"], gold["doc"]
