"""Find Chinese administrative divisions and development zones in text, resolved to GB/T 2260 codes.

Reads dbt_project/seeds/regions.csv and zones.csv (built by scripts/build_regions.py). Matching is
one Aho-Corasick pass (leftmost-longest, non-overlapping) over every alias:
- full names of divisions valid today (安吉县, 杭州市);
- short names (安吉, 杭州) unless they are one character or an ordinary word (SHORT_STOP);
- zones (安吉经济开发区 → its county) and former names of divisions (临安市 → 临安区 330112);
- BLOCKERS: words that contain a short name but are not about that place (中山大学, 钱塘江); they
  are matched so that the longest-match rule swallows the short name, and then dropped.
An alias shared by several divisions (鼓楼区, 朝阳区) resolves through `prefer`, else to the one
that is valid today, else it is skipped.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

import ahocorasick

from chanye.seeds import read_seed


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    short_name: str
    level: str
    parent_code: str | None
    province_code: str | None
    city_code: str | None


@dataclass(frozen=True)
class RegionMention:
    start: int
    end: int  # exclusive
    text: str
    code: str
    level: str  # province | city | county | zone


@dataclass(frozen=True)
class _Candidate:
    code: str
    level: str
    current: bool  # False for a former name (临安市) that resolves to today's division


# Full names that are ordinary words in running text.
FULL_STOP = frozenset(
    "城区 郊区 矿区 盐区 市区 东区 西区 南区 北区 新区 市中区 城中区 市郊区 东市区 西市区 中市区".split()
)

# Short names that are ordinary words (or much more often something else); only their full
# names (新兴县, 长安区) match.
SHORT_STOP = frozenset("""
新兴 合作 城中 和平 开发 东方 长安 永安 新华 吉利 光明 白云 青山 金山 海港 红旗 解放 平安 太平
城东 城西 城北 城南 东城 西城 市南 市北 市中 中原 新城 河东 河西 江南 江北 向阳 东风 前进 友好
工农 安定 振兴 新市 城关 大方 榆树 乐业 兴业 富民 安宁 通道 新建 会同 沿河 互助 同仁 金沙 平原
山城 古城 南海 东海 兴隆 龙井 中山 钟楼 南湖 滨江 路桥 三门 天台 临海 江山 高新 立新 新民 长寿
大观 红山 北关 双桥 南关 凤凰 港口 江城 共和 河口 白山 铁山 东湖 西山
中方 资源 复兴 友谊 南部 和政 和安 安新 大关 延长 公安 富裕 运河 平和 同心 宏伟 惠民 新和 民和
大新 巴中 双城 新平 资兴 同德 岐山 阿里 大城 来宾 亚东 扬中 天全 卫东 东明 兴国 界首 新安 盐湖
方正 资中 天山 安居 牡丹 华龙 上城 建平 同安 平陆 三江 万载 伊州 大丰 万年 上高 巴马 定安 莲花
金水 九龙 老城 福安 政和 磐石 天等 集安 大田 康保 巴州 台前 朝天 利通 杂多 东至 小店 芙蓉 泰山
清水 平利 马关 龙门 黑山 永新 迁安 中牟 江海 紫金 威信 永丰 古田 凯里 宝塔 大英 民丰 建华 大化
爱民 三原 八步 通江 三河 山南 玉山 德江 志丹 盘山 滨城 民权 于洪 乌海 兴和 海林 平江 江源 乌兰
永清 林西 福海 修水 同江 西和 龙江 金安 称多 安达 江汉 高要 石柱 南华 白沙 白玉 定海 和顺 桃源
安康 武陵 越西 建水 大东 黑水 新河 高密 灯塔 桂平 和龙 马尾 东坡 会理 松山 南和 路北 都安 上街
比如 上党 融安 玉龙 东宝 化德 天长 通河 千山 全州 满城 金东 高明 道外 天桥 新都 万全 民乐 望江
华安 小金 宝丰 海棠 子洲 定日 金牛 新北 明水 清丰 大余 从江 云和 石泉 连江 江口 双塔 麒麟 噶尔
太湖
""".split())

# Words that contain an alias but name something else.
BLOCKERS = frozenset("""
中山大学 中山路 中山公园 中山装 孙中山 钱塘江 金沙江 新华社 新华网 新华书店 新华路 长安街 长安汽车
吉利汽车 东方红 东风汽车 平安银行 平安保险 中国平安 兴业银行 光明日报 光明网 人民日报 南方日报
青山绿水 绿水青山 金山银山 江山如画 东海岸 南海岸 西湖龙井 华山 嵩山 衡山 恒山 峨眉山 普陀山
庐山 武当山 井冈山精神 天台山 朝阳产业 朝阳行业 开发区 高新区 经开区 新区 自贸区 保税区 上海合作组织
合作社 合作区 河南人 海南岛 山东半岛 辽东半岛 雷州半岛 马里兰州 昆士兰州 佛罗里达州 内华达州 格兰德州
哥罗德州 罗德岛 伊利诺伊州 亚拉巴马州 长治久安 地中海 黑海 里海 真金白银 钓鱼台 均衡水 趵突泉 多伦多
吉隆坡 准噶尔 繁荣昌盛 马拉喀什 苏丹 世界首 投资中 弘扬中 今天全 稳定安 以上城 大城市 复杂多
鄱阳湖 贵南高铁 祁连山 贺兰山
""".split())


class Gazetteer:
    def __init__(self, regions: list[dict], zones: list[dict]):
        self.regions = _load_regions(regions)
        self.current = {code for code, (region, valid_to) in self.regions.items() if not valid_to}
        self._aliases: list[tuple[str, tuple[_Candidate, ...]]] = []
        self._automaton = self._build_automaton(zones)

    # --- public API -----------------------------------------------------------------------

    def get(self, code: str) -> Region | None:
        entry = self.regions.get(code)
        return entry[0] if entry else None

    def parent_code(self, code: str) -> str | None:
        region = self.get(code)
        return region.parent_code if region else None

    def find(self, text: str, prefer: Iterable[str] = ()) -> list[RegionMention]:
        return self._mentions(self._hits(text), prefer)

    def main_region(self, text: str, title: str | None = None, prefer: Iterable[str] = ()) -> str | None:
        prefer = tuple(prefer)
        # the automaton runs once per part; both passes pick from its hits
        parts = ((3, self._hits(title or "")), (1, self._hits(text or "")))
        weights, first_seen = self._weigh(parts, prefer)
        if not prefer and weights:
            # Second pass: let the document's own dominant city settle same-name districts (西湖区).
            anchors = self._dominant_areas(weights)
            if anchors:
                weights, first_seen = self._weigh(parts, anchors)
        return self._most_specific(weights, first_seen)

    def _hits(self, text: str) -> list[tuple[int, int]]:
        """(end index, alias id) of each longest alias in text."""
        return list(self._automaton.iter_long(text))

    def _mentions(self, hits: list[tuple[int, int]], prefer: Iterable[str]) -> list[RegionMention]:
        prefer_key = tuple(sorted(set(prefer)))
        mentions = []
        for end_index, alias_id in hits:
            picked = self._pick(alias_id, prefer_key)
            if picked is None:
                continue
            alias = self._aliases[alias_id][0]
            start = end_index - len(alias) + 1
            mentions.append(RegionMention(start, end_index + 1, alias, picked.code, picked.level))
        return mentions

    def _weigh(self, parts, prefer) -> tuple[Counter[str], dict[str, int]]:
        """Mentions per code in (weight, hits) parts: a title mention counts three times."""
        weights: Counter[str] = Counter()
        first_seen: dict[str, int] = {}
        for weight, hits in parts:
            for mention in self._mentions(hits, prefer):
                weights[mention.code] += weight
                first_seen.setdefault(mention.code, len(first_seen))
        return weights, first_seen

    def _dominant_areas(self, weights: Counter[str]) -> tuple[str, ...]:
        """The most mentioned city and province (a municipality is its own province)."""
        totals = self._subtree_totals(weights)
        areas = []
        for level in ("city", "province"):
            ranked = sorted((c for c in totals if self.level(c) == level), key=totals.get, reverse=True)
            areas += ranked[:1]
        return tuple(areas)

    # --- ancestry -------------------------------------------------------------------------

    def ancestors(self, code: str) -> tuple[str, ...]:
        """Codes above `code`, nearest first (county → city → province)."""
        region = self.get(code)
        if region is None:
            return ()
        chain = [c for c in (region.parent_code, region.city_code, region.province_code) if c and c != code]
        return tuple(dict.fromkeys(chain))

    def level(self, code: str) -> str | None:
        region = self.get(code)
        return region.level if region else None

    # --- building -------------------------------------------------------------------------

    def _build_automaton(self, zones: list[dict]) -> ahocorasick.Automaton:
        candidates: dict[str, dict[str, _Candidate]] = defaultdict(dict)
        for alias, candidate in self._division_aliases():
            candidates[alias].setdefault(candidate.code, candidate)
        for alias, candidate in self._zone_aliases(zones):
            candidates[alias].setdefault(candidate.code, candidate)
        for word in BLOCKERS:
            candidates.setdefault(word, {})
        automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
        for alias, by_code in candidates.items():
            automaton.add_word(alias, len(self._aliases))
            self._aliases.append((alias, tuple(by_code.values())))
        automaton.make_automaton()
        return automaton

    def _division_aliases(self):
        for code in self.current:
            region = self.get(code)
            candidate = _Candidate(code, region.level, True)
            if region.name not in FULL_STOP:
                yield region.name, candidate
            short = region.short_name
            if len(short) >= 2 and short != region.name and short not in SHORT_STOP:
                yield short, candidate

    def _zone_aliases(self, zones: list[dict]):
        for row in zones:
            code = row["county_code"]
            if code not in self.current or row["zone_name"] in FULL_STOP:
                continue
            if row["zone_type"].startswith("former_"):
                yield row["zone_name"], _Candidate(code, self.get(code).level, False)
            else:
                yield row["zone_name"], _Candidate(code, "zone", True)

    # --- resolving ambiguity --------------------------------------------------------------

    @lru_cache(maxsize=65536)
    def _pick(self, alias_id: int, prefer: tuple[str, ...]) -> _Candidate | None:
        candidates = self._aliases[alias_id][1]
        if len(candidates) <= 1:
            return candidates[0] if candidates else None
        if prefer:
            best = self._closest_to(candidates, prefer)
            if best is not None:
                return best
        current = [c for c in candidates if c.current] or list(candidates)
        if len(current) == 1:
            return current[0]
        provinces = [c for c in current if c.level == "province"]
        if len(provinces) == 1:
            return provinces[0]  # 吉林, 海南: the province, not the city or prefecture
        return self._enclosing(current)

    def _closest_to(self, candidates, prefer) -> _Candidate | None:
        scored = [(self._affinity(c.code, prefer), c) for c in candidates]
        top = max(score for score, _ in scored)
        if top == 0:
            return None
        best = [c for score, c in scored if score == top]
        if len(best) == 1:
            return best[0]
        current = [c for c in best if c.current]
        return current[0] if len(current) == 1 else self._enclosing(current or best)

    def _affinity(self, code: str, prefer: tuple[str, ...]) -> int:
        """3: is or lies in a preferred code; 2: same city; 1: same province; 0: unrelated."""
        lineage = {code, *self.ancestors(code)}
        score = 0
        for preferred in prefer:
            if preferred in lineage:
                score = max(score, 3)
                continue
            region = self.get(preferred)
            if region is None:
                continue
            city = preferred if region.level == "city" else region.city_code
            province = preferred if region.level == "province" else region.province_code
            if city and city in lineage:
                score = max(score, 2)
            elif province and province in lineage:
                score = max(score, 1)
        return score

    def _enclosing(self, candidates) -> _Candidate | None:
        """The candidate that contains all the others (通化市 over 通化县), else None."""
        for candidate in candidates:
            others = [c for c in candidates if c is not candidate]
            if all(candidate.code in self.ancestors(o.code) for o in others):
                return candidate
        return None

    # --- main region ----------------------------------------------------------------------

    def _most_specific(self, weights: Counter[str], first_seen: dict[str, int]) -> str | None:
        if not weights:
            return None
        totals = self._subtree_totals(weights)
        for level in ("county", "city", "province"):
            chosen = self._best_at_level(level, weights, totals, first_seen)
            if chosen is not None:
                return chosen
        return min(first_seen, key=first_seen.get)

    def _subtree_totals(self, weights: Counter[str]) -> Counter[str]:
        """Each code's own weight plus the weight of everything mentioned inside it."""
        totals: Counter[str] = Counter()
        for code, weight in weights.items():
            totals[code] += weight
            for ancestor in self.ancestors(code):
                totals[ancestor] += weight
        return totals

    def _best_at_level(self, level, weights, totals, first_seen) -> str | None:
        """The best-supported division of `level`; its city when counties of one city tie."""
        pool = [c for c in totals if self.level(c) == level and totals[c] >= 2]
        if not pool:
            return None

        def support(code):  # own mentions first, then those of the places containing it
            return (totals[code], sum(totals[a] for a in self.ancestors(code)), -first_seen.get(code, 1 << 30))

        pool.sort(key=support, reverse=True)
        if len(pool) > 1 and totals[pool[0]] == totals[pool[1]] and level == "county":
            shared = set(self.ancestors(pool[0])) & set(self.ancestors(pool[1]))
            cities = [c for c in shared if self.level(c) == "city"]
            if cities:
                return cities[0]
        return pool[0]


def _load_regions(rows: list[dict]) -> dict[str, tuple[Region, str]]:
    regions = {}
    for row in rows:
        region = Region(
            code=row["region_code"],
            name=row["name"],
            short_name=row["short_name"],
            level=row["level"],
            parent_code=row["parent_code"] or None,
            province_code=row["province_code"] or None,
            city_code=row["city_code"] or None,
        )
        regions[region.code] = (region, row["valid_to"])
    return regions


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    return Gazetteer(read_seed("regions"), read_seed("zones"))
