"""Organisations and people named in an article body: `extract_mentions(document) -> list[dict]`.

Rule-based and precision-first (a wrong organisation is worse than a missed one):
- organisations end with an institutional suffix (有限公司, 大学, 医院, 研究院, 管委会, 协会, 资本 …);
  their left edge is the clause start, moved right past verbs and prepositions (在, 入职, 依托 …);
  a conjunction (与/和/及) splits only when what stands before it is itself an organisation;
- people are a 2–3 character name with a common surname right after a title (院士谭蔚泓,
  董事长张丹, 校长金力) or right before 博士/教授/院士, followed by a word boundary; names listed after
  the first (院士谭蔚泓、黄荷凤) share its title; reporters' bylines (记者郭扬) are skipped;
- a person's affiliation is the organisation that ends where the title starts (复旦大学校长金力),
  optionally through a department (卫生健康委员会科技教育处处长) or a party committee (党委书记).

One regex pass over the whole text finds the cues; only their clauses get further work.
Sentences and regions come from the document's shared context (chanye.extract.context)."""
from __future__ import annotations

import bisect
import re
import re._constants as sre_constants  # to read a pattern's first characters (_guarded)
import re._parser as sre_parser
import unicodedata
from dataclasses import dataclass
from typing import Mapping

from chanye.extract import budget
from chanye.schemas import mention_id

ENTITIES_VERSION = "0.1.0"

ORG_TYPES = ("company", "university", "hospital", "research_institute", "government", "association",
             "park_operator", "investor", "other")

# --- organisations ----------------------------------------------------------------------------

_GOV_DEPTS = (
    "公安|林业|科技|经信|经济和信息化|商务|财政|税务|统计|市场监管|市场监督管理|生态环境|自然资源|住建|"
    "住房和城乡建设|交通运输|水利|农业农村|卫健|医保|医疗保障|人社|人力资源和社会保障|教育|文旅|文化和旅游|"
    "发改|应急管理|气象|海关|体育|民政|审计|城管|规划和自然资源|数据|大数据|药监|知识产权|工信|外汇|"
    "邮政|民航|能源|烟草|金融监管|国资|投促|粮食和物资储备|海洋|地震|档案|机关事务|信访|退役军人事务|"
    "司法|林草|科学技术|商务和投资促进|外事|侨务|人防|消防救援"
)
_MINISTRIES = (
    "工业和信息化|科学技术|科技|商务|财政|教育|外交|国防|公安|民政|司法|人力资源和社会保障|自然资源|"
    "生态环境|住房和城乡建设|交通运输|水利|农业农村|文化和旅游|退役军人事务|应急管理|审计|组织|宣传|统战"
)
_CENTER_WORDS = "研究|技术|创新|审评|服务|检测|转化|治疗|评价|孵化|推广|工程|发展|促进|监测|验证|认证|评审"

# (pattern, org_type, generic): a generic suffix takes its type from an institution inside the name.
_SUFFIXES: list[tuple[str, str, bool]] = [
    ("股份有限公司|有限责任公司|有限公司", "company", False),
    ("集团", "company", False),
    ("公司", "company", False),
    ("大学|职业技术学院|学院", "university", False),
    ("附属医院|人民医院|中医院|医院|卫生院|妇幼保健院", "hospital", False),
    ("研究院|研究所|研究中心|重点实验室|实验室|科学院|工程院|设计院", "research_institute", False),
    (f"(?:{_CENTER_WORDS})中心", "other", True),
    ("交易所", "other", False),
    ("管委会|管理委员会|人民政府|政府|党工委|常委会|委员会", "government", False),
    ("省委|市委|区委|县委|镇委", "government", False),
    (f"(?:{_GOV_DEPTS})局", "government", False),
    (f"(?:{_MINISTRIES})部", "government", False),
    ("协会|学会|研究会|促进会|商会|联合会|专委会|基金会|联盟|科协|农合联", "association", False),
    ("资本|创投|投资基金|产业基金", "investor", False),
]
_KNOWN_ORGS = {  # names without a suffix that the rules cannot see
    "国务院": "government", "中共中央": "government", "全国人大": "government", "全国政协": "government",
    "中科院": "research_institute", "社科院": "research_institute", "国家发展改革委": "government",
    "国家发改委": "government", "国资委": "government", "证监会": "government", "中国人民银行": "government",
    "中国建设银行": "company",
}


def _first_characters(parsed) -> tuple[set[str], bool]:
    """The characters a match of parsed (literals, groups, alternations, optional parts) can start
    with, and whether it can match the empty string."""
    chars: set[str] = set()
    for op, arg in parsed:
        if op is sre_constants.LITERAL:
            return chars | {chr(arg)}, False
        if op is sre_constants.SUBPATTERN:
            first, empty = _first_characters(arg[3])
        elif op is sre_constants.BRANCH:
            options = [_first_characters(branch) for branch in arg[1]]
            first, empty = set().union(*(f for f, _ in options)), any(e for _, e in options)
        elif op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT):
            first, empty = _first_characters(arg[2])
            empty = empty or arg[0] == 0
        else:
            raise ValueError(f"no first-character set for {op}")
        chars |= first
        if not empty:
            return chars, False
    return chars, True


def _guarded(pattern: str) -> re.Pattern:
    """pattern behind a lookahead on its first characters: without it, Python's re tries every
    alternative at every position of the text (the suffix and title scans run 5-6x faster)."""
    first, empty = _first_characters(sre_parser.parse(pattern))
    if empty:
        raise ValueError(f"pattern can match the empty string: {pattern[:40]}")
    return re.compile(f"(?=[{re.escape(''.join(sorted(first)))}])(?:{pattern})")


_SUFFIX_RE = _guarded(
    "|".join(f"(?P<s{i}>{p})" for i, (p, _, _) in enumerate(_SUFFIXES))
    + "|(?P<known>" + "|".join(sorted(_KNOWN_ORGS, key=len, reverse=True)) + ")"
)
# A suffix followed by these characters is part of another word (大学生, 局长, 集团化, 公司化 …).
_BAD_AFTER = {"大学": "生城", "学院": "派", "集团": "化军", "公司": "化", "政府": "性", "联盟": "链",
              "委员会": "", "资本": "化金市主", "学会": "了到会", "实验室": "里"}
_BAD_AFTER_ANY = "长员"  # 局长, 委员, 院长 …: a title, not the end of a name

# Words whose last occurrence in the clause marks where a name cannot extend past (to the left).
_CUT_WORDS = sorted(
    """入职 加入 来自 携手 联合 依托 组建 成立 落户 引进 签约 包括 其中 以及 邀请 聘请 指导 主办 承办
    协办 作为 担任 位于 牵头 发布 启动 举办 举行 召开 开展 推动 支持 打造 形成 建成 获批 入选 新增 拥有
    通过 设立 建设 等 到 期间 决定 设置 机构 总书记 保障 送 旗下 下属 当地 目前 近日 日前 近期 今年 去年 此前 随后 同时 此外 另外 还有 并与 以及 走进
    来到 前往 赴 参加 出席 访问 考察 调研 合作 对接 牵手 获得 荣获 成为 属于 隶属 毕业于 就职于 任职于
    感谢 希望 表示 认为 介绍 称 说 和 与 及 同 跟 或 的 在 由 是 被 把 让 从 经 据 已 还 也 均 曾 即 该 其
    我 这 那 了 着""".split(),
    key=len,
    reverse=True,
)
CUT_RE = re.compile("|".join(_CUT_WORDS) + r"|[\d一二两三四五六七八九十几多数百千万]+[名位家个所批项]")
_CONJUNCTIONS = frozenset("与及")  # 衰老与再生, 创新及应用: these split only a list of organisations
_NO_CUT = ("发展和改革", "工业和信息化", "住房和城乡", "文化和旅游", "人力资源和社会", "规划和自然",
           "经济和信息化", "商务和投资", "粮食和物资", "中和", "和平", "联合会", "高等", "中等", "初等",
           "平等", "同等", "中国建设")
_LEADING_ONLY = "为向对于以到将给至"  # prepositions that rarely start a name: cut only at the clause start
_PROTECTED_STARTS = ("同济", "对外", "以色列", "于洪", "和睦", "同仁", "向阳", "至正", "为民", "将乐")
_GENERIC_HEADS = re.compile(
    r"^(?:相关|有关|各|该|本|全国各|头部|知名|各类|多家|一批|一所|这些|其他|其它|国内外|国际知名|多所|"
    r"上述|下属|所属|子|分|上市|国有|民营|外资|合资|私营|企业|产业|创新|科技|投资|社会|民间|金融|人力|风险|"
    r"工商|私人|外国|外部|本土|长期|耐心|国际|国内|全国|地方|省级|市级|区级|县级|高等|医药|生物|一流|重点|"
    r"国家重点|大学|高校|高等院校|院校|新型|各级|当地|主要|大型|中小|小型|龙头|骨干|专业|综合|公立|民办|私立|示范|试点|我|你|他)$"
)
_GENERIC_STARTS = ("各", "该", "本", "这", "那", "其他", "其它", "多", "一些", "部分", "不少", "众多", "一家", "一所")
_NAME_CHAR = re.compile(r"[\u4e00-\u9fffA-Za-z0-9·&\-]")
_COUNTED = re.compile(r"\d+\s*[所家个名位批项]|[一二两三四五六七八九十几多数百千万]+[所家个批]")
_BAD_HEAD_CHARS = frozenset("了着过吗呢吧啊，。；：！？、“”《》")
_PARK_WORDS = ("园区", "产业园", "科技园", "孵化器", "产业社区", "港湾")
_EMBEDDED_TYPES = (("医院", "hospital"), ("大学", "university"), ("学院", "university"),
                   ("研究院", "research_institute"), ("研究所", "research_institute"),
                   ("科学院", "research_institute"), ("管委会", "government"), ("委员会", "government"),
                   ("政府", "government"))
_LOCAL_PREFIX = frozenset("省市区县镇乡")
_MAX_ORG = 34

# --- people -----------------------------------------------------------------------------------

SURNAMES_1 = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武"
    "戴莫孔汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮"
    "柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古"
    "吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫"
    "寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻"
    "位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦"
    "戈伏鹿薄邸雍辜羊乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公湛宾戎勾茅利於呼居揭干但"
    "尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由"
)
SURNAMES_2 = frozenset("欧阳 司马 上官 诸葛 东方 慕容 令狐 皇甫 尉迟 公孙 司徒 夏侯 端木 西门 长孙 宇文".split())
# Characters that do not occur inside a given name (function words, units, places).
_NOT_IN_NAME = frozenset("的了和与在是为等及有将对也这那个们我你他她它年月日市省区县镇局长部委会院所司副"
                         "表说称示发作到从向把被让就都还已曾再即并或而且但于以之其此该每各第")

_TITLE_CORE = (
    "董事长|副董事长|总经理|总裁|执行董事|董事|总监|经理|党委书记|党组书记|党工委书记|总书记|书记|"
    "主任委员|主任医师|主任|主席|主委|总理|区长|市长|县长|省长|镇长|乡长|州长|局长|部长|厅长|处长|科长|"
    "校长|院长|所长|会长|秘书长|理事长|行长|社长|总编辑|总工程师|首席[\u4e00-\u9fff]{2,3}官|首席科学家|"
    "CEO|CTO|COO|CFO|联合创始人|创始人|合伙人|院士|教授|研究员|特级专家|发言人|大使|记者|通讯员"
)
_TITLE_RE = _guarded(rf"(?:常务|执行|联席|外籍|名誉|荣誉|党委|党组|党工委)?(?:常务)?副?(?:{_TITLE_CORE})")
_POST_TITLES = ("博士", "教授", "院士", "研究员", "总书记", "主席", "总理")
_SKIP_TITLES = ("记者", "通讯员")
_PUNCT_BOUNDARY = frozenset("，,、。；;：:！!？?）)（(“”\"'‘’《》【】 \u3000\n…—·-")
_BOUNDARY_WORDS = sorted(
    """表示 说 介绍 指出 认为 强调 致辞 发表 作 在 等 和 与 及 分别 看来 如是说 也 还 一行 同志 出席 参加
    主持 会见 会谈 带队 率 宣布 讲话 提出 透露 坦言 告诉 称 向 为 对 就 到 来 从 于 先生 女士 博士 教授
    院士 同时 共同 一起 接受 签署 揭牌 聘请 的 是 曾 则 都 已 将 把 被 听取 考察 调研 走访 来到 深入
    主讲 解读 发言 获 荣获 带领 作为 担任 兼 现场 围绕 就任 率领 用 以 看到 希望 致 讲 认为 回应 答 问""".split(),
    key=len,
    reverse=True,
)
_NOT_NAMES = frozenset("""沙龙 专家 代表 团队 成员 工作 会议 来宾 嘉宾 们 学者 一行 国家 强调 指出 要求 宣布 主持 出席
会见 发表 讲话 同志 委员 常委 主任 书记 国务 全国 中央 党组 政府 会长 成功 高度""".split())
_BOUNDARY_WORDS_SET = frozenset(_BOUNDARY_WORDS)
_DEPT_RE = re.compile(r"[\u4e00-\u9fff]{1,8}(?:处|科|部|办公室|办|室|系|所|中心)")
_PARTY_RE = re.compile(r"党委|党组|党工委|党支部")


@dataclass
class Org:
    start: int
    end: int
    name: str
    org_type: str


@dataclass
class Person:
    start: int
    end: int
    name: str
    title: str | None
    affiliation: str | None = None


def normalise(name: str) -> str:
    """NFKC (full-width brackets and letters), no spaces, a mojibake ? between CJK read as ·."""
    name = unicodedata.normalize("NFKC", name)
    name = re.sub(r"\s+", "", name)
    name = re.sub(r"(?<=[\u4e00-\u9fff])\?(?=[\u4e00-\u9fff])", "·", name)
    return name.strip("“”\"'‘’《》「」")


# --- organisation finding ---------------------------------------------------------------------


def clause_start(text: str, pos: int, floor: int, allow_quotes: bool = False) -> int:
    """Leftmost offset of the run of name characters ending at pos (balanced short brackets kept)."""
    i = pos
    while i > floor:
        c = text[i - 1]
        if _NAME_CHAR.match(c) or (allow_quotes and c in "“”‘’ ?"):
            i -= 1
            continue
        if c in ")）":
            j = max(text.rfind("(", floor, i - 1), text.rfind("（", floor, i - 1))
            inner = text[j + 1:i - 1] if j >= 0 else ""
            if j >= 0 and 0 < len(inner) <= 8 and all(_NAME_CHAR.match(ch) for ch in inner):
                i = j
                continue
        break
    while i < pos and text[i] in ")）·-":
        i += 1
    return i


def find_orgs(text: str) -> list[Org]:
    found: list[Org] = []
    for m in _SUFFIX_RE.finditer(text):
        budget.check()
        org = _org_at(text, m)
        if org is not None:
            found.append(org)
    # keep maximal spans: 科医联创(浙江)生物科技集团 is inside …集团有限公司
    found.sort(key=lambda o: (o.start, -(o.end - o.start)))
    kept: list[Org] = []
    for org in found:
        if kept and org.start < kept[-1].end:
            if org.end > kept[-1].end and org.start == kept[-1].start:
                kept[-1] = org
            elif org.end > kept[-1].end and org.start >= kept[-1].start:
                # overlapping but not nested: the later suffix extends the earlier name
                kept[-1] = Org(kept[-1].start, org.end, normalise(text[kept[-1].start:org.end]), org.org_type)
            continue
        kept.append(org)
    return kept


def _org_at(text: str, m: re.Match) -> Org | None:
    end = m.end()
    group = m.lastgroup
    suffix = m.group()
    after = text[end:end + 1]
    if group == "known":
        if after and after in _BAD_AFTER_ANY:
            return None
        return Org(m.start(), end, suffix, _KNOWN_ORGS[suffix])
    idx = int(group[1:])
    _, org_type, generic = _SUFFIXES[idx]
    if after and (after in _BAD_AFTER_ANY or after in _BAD_AFTER.get(suffix, "")):
        return None
    floor = max(0, m.start() - _MAX_ORG)
    start = _left_edge(text, clause_start(text, m.start(), floor), m.start())
    if start is None:
        return None
    head = text[start:m.start()]
    if not _good_head(head, suffix, group_index=idx):
        return None
    name = normalise(text[start:end])
    if _COUNTED.search(name) or name[0].isdigit():
        return None
    if org_type == "other" or generic:
        org_type = _embedded_type(head) or org_type
    if org_type == "company" and any(w in name for w in _PARK_WORDS):
        org_type = "park_operator"
    return Org(start, end, name, org_type)


def _left_edge(text: str, start: int, suffix_start: int) -> int | None:
    """Move the clause start right past verbs and prepositions before the name."""
    chunk = text[start:suffix_start]
    cut = 0
    for m in CUT_RE.finditer(chunk):
        word = m.group()
        if word in _CONJUNCTIONS and m.start() > 0 and not _ends_with_org(chunk[:m.start()]):
            continue  # 衰老与再生医学研究院: part of the name, not a list
        if _inside_protected(chunk, m.start(), m.end()):
            continue
        cut = max(cut, m.end())
    while cut < len(chunk) and chunk[cut] in _LEADING_ONLY and not chunk.startswith(_PROTECTED_STARTS, cut):
        cut += 1
    while cut < len(chunk) and chunk[cut] in "了着过":
        cut += 1
    return start + cut


def _inside_protected(chunk: str, start: int, end: int) -> bool:
    for w in _NO_CUT:
        i = chunk.find(w, max(0, start - len(w)))
        if 0 <= i < end and i + len(w) > start:
            return True
    return False


def _ends_with_org(left: str) -> bool:
    m = None
    for m in _SUFFIX_RE.finditer(left):
        pass
    return m is not None and m.end() == len(left)


def _good_head(head: str, suffix: str, group_index: int) -> bool:
    pattern, org_type, _ = _SUFFIXES[group_index]
    if any(c in _BAD_HEAD_CHARS for c in head) or head.endswith(("和", "与", "及", "或")):
        return False
    cjk_or_word = re.sub(r"[()（）·]", "", head)
    whitelisted = "局" in pattern or pattern.endswith("部") and suffix.endswith("部")
    if whitelisted and (cjk_or_word == "" or cjk_or_word in _LOCAL_PREFIX):
        return True  # 经信局, 市经信局, 商务部
    if len(cjk_or_word) < 2:
        return False
    if _GENERIC_HEADS.match(cjk_or_word) or cjk_or_word.startswith(_GENERIC_STARTS):
        return False
    if org_type == "government" and any(c in "对向到把让给" for c in cjk_or_word):
        return False  # 来看对农业农村部
    if suffix == "公司" and len(cjk_or_word) < 4:
        return False  # 子公司, 该公司, 上市公司 …
    if re.search(r"[省市区县]$", cjk_or_word) and org_type in ("company", "investor"):
        return False  # 市集团?: a place and a bare suffix is not a name
    return True


def _embedded_type(head: str) -> str | None:
    best, pos = None, -1
    for word, org_type in _EMBEDDED_TYPES:
        i = head.rfind(word)
        if i > pos:
            best, pos = org_type, i
    return best


# --- people -----------------------------------------------------------------------------------


def _boundary_after(text: str, pos: int) -> int:
    """Length of the boundary at pos: 1 for punctuation or end of text, the word's length, else 0."""
    if pos >= len(text) or text[pos] in _PUNCT_BOUNDARY:
        return 99
    for w in _BOUNDARY_WORDS:
        if text.startswith(w, pos):
            return len(w)
    return 0


def _valid_name(name: str) -> bool:
    if name in _BOUNDARY_WORDS_SET or (len(name) == 2 and name.endswith("国")) or "统" in name:
        return False
    if not all("\u4e00" <= c <= "\u9fff" for c in name):
        return False
    if name in _NOT_NAMES:
        return False
    if name[:2] in SURNAMES_2:
        return 3 <= len(name) <= 4 and not any(c in _NOT_IN_NAME for c in name[2:])
    return name[0] in SURNAMES_1 and 2 <= len(name) <= 3 and not any(c in _NOT_IN_NAME for c in name[1:])


def name_after(text: str, pos: int) -> tuple[int, int] | None:
    """(start, end) of a person's name at pos, chosen by what follows it."""
    best, best_score = None, 0
    for n in (2, 3, 4):
        name = text[pos:pos + n]
        if len(name) < n or not _valid_name(name):
            continue
        score = _boundary_after(text, pos + n)
        if score > best_score or (score == best_score and score == 99):
            best, best_score = (pos, pos + n), score
    return best


def find_people(text: str, orgs: list[Org]) -> list[Person]:
    by_end = {o.end: o for o in orgs}
    org_starts = [o.start for o in orgs]
    people: list[Person] = []
    taken: set[int] = set()
    for m in _TITLE_RE.finditer(text):
        budget.check()
        title = m.group()
        span = name_after(text, m.end())
        if span is None or span[0] in taken:
            continue
        if title.endswith(_SKIP_TITLES):
            continue
        if text.startswith(("会", "委员会"), m.end()):  # 委员会: not a name
            continue
        title_start = m.start()
        k = bisect.bisect_right(org_starts, title_start) - 1
        if k >= 0 and orgs[k].start < title_start < orgs[k].end < m.end():
            title_start = orgs[k].end  # 锦南新城党工委|书记: the org swallowed the title's prefix
            title = text[title_start:m.end()]
        affiliation = _affiliation(text, title_start, by_end)
        people.append(Person(span[0], span[1], text[span[0]:span[1]], title, affiliation))
        taken.add(span[0])
        end = span[1]
        while text.startswith("、", end):  # 院士谭蔚泓、黄荷凤
            nxt = name_after(text, end + 1)
            if nxt is None or _TITLE_RE.match(text, end + 1):
                break
            people.append(Person(nxt[0], nxt[1], text[nxt[0]:nxt[1]], title, affiliation))
            taken.add(nxt[0])
            end = nxt[1]
    for post in _POST_TITLES:
        for i in _find_all(text, post):
            for n in (3, 2, 4):
                s = i - n
                if s < 0 or s in taken or not _valid_name(text[s:i]):
                    continue
                before = text[s - 1] if s else "\n"
                org = by_end.get(s)
                if before in _PUNCT_BOUNDARY or before in "的了和与对向在由为是" or org is not None:
                    people.append(Person(s, i, text[s:i], post, org.name if org else None))
                    taken.add(s)
                    break
    people.sort(key=lambda p: p.start)
    return people


def _find_all(text: str, word: str):
    i = text.find(word)
    while i >= 0:
        yield i
        i = text.find(word, i + 1)


def _affiliation(text: str, title_start: int, by_end: dict[int, Org], depth: int = 0) -> str | None:
    """The organisation ending where the title starts, through a department or party committee, or
    through an earlier title of the same person (杭州医学院党委副书记、院长黄东胜)."""
    if title_start in by_end:
        return by_end[title_start].name
    for gap in range(2, 10):  # 卫生健康委员会|科技教育处|处长, 浙二医院|党委|书记
        org = by_end.get(title_start - gap)
        if org is not None and (_DEPT_RE.fullmatch(text[title_start - gap:title_start])
                                or _PARTY_RE.fullmatch(text[title_start - gap:title_start])):
            return org.name
    if depth < 2 and title_start > 0 and text[title_start - 1] == "、":
        lead_start = max(0, title_start - 1 - 12)
        for m in _TITLE_RE.finditer(text, lead_start, title_start - 1):
            if m.end() == title_start - 1:
                org = _affiliation(text, m.start(), by_end, depth + 1)
                head_of_government = text[title_start:title_start + 2] in ("区长", "市长", "县长", "省长", "镇长")
                if org and not (head_of_government and org.endswith("委")):
                    return org
                break
    return None


# --- the extractor ----------------------------------------------------------------------------


def extract_mentions(document: Mapping, ctx=None) -> list[dict]:
    """MENTIONS rows (without run_id/extracted_at) for one staged document."""
    from chanye.extract.context import DocumentContext

    ctx = ctx or DocumentContext(document)
    text = ctx.text
    if not text or not (ctx.orgs or ctx.people):
        return []
    rows = []
    for kind, items in (("organization", ctx.orgs), ("person", ctx.people)):
        for it in items:
            s_start, s_end = ctx.model.sentence_at(it.start)
            rows.append(
                {
                    "mention_id": mention_id(document["document_id"], it.start, it.end, kind),
                    "document_id": document["document_id"],
                    "doc": document["doc"],
                    "kind": kind,
                    "name": it.name,
                    "org_type": it.org_type if kind == "organization" else None,
                    "title": it.title if kind == "person" else None,
                    "affiliation": it.affiliation if kind == "person" else None,
                    "region_code": ctx.places.region_of(it.start),
                    "evidence": text[s_start:s_end].strip(),
                    "char_start": it.start,
                    "char_end": it.end,
                    "extractor_version": ENTITIES_VERSION,
                }
            )
    rows.sort(key=lambda r: (r["char_start"], r["kind"]))
    return rows
