"""Recognizers for names: bodies, organisations, places, people, events, policies.

Everything here reads ``Document.norm`` (simplified, half-width, same offsets
as ``Document.text``) and writes ``Mention``s and ``Entity``s into an
``Article`` working set. The recognizers run in a fixed order, most specific
first, and a character belongs to at most one mention: a place inside an
organisation's name (合肥 in 合肥先进计算中心) is part of the organisation.

Each mention records the rule that found it and a confidence, so that weak
guesses can be kept out of the default graph.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field, replace
from typing import Iterable, Optional

from . import lexicon
from . import types as t
from .types import Document, Entity, Membership, Mention, Relation

CJK = r"\u4e00-\u9fff"
_CJK_RE = re.compile(f"[{CJK}]")


def is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


@dataclass
class Article:
    """The working set of one article while recognizers run."""

    doc: Document
    text: str
    mentions: list[Mention] = field(default_factory=list)
    entities: dict[str, Entity] = field(default_factory=dict)
    # surface form → entity key, learned inside this article (以下简称 …)
    aliases: dict[str, str] = field(default_factory=dict)
    memberships: list[Membership] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    owner: list[int] = field(default_factory=list)  # char → mention index or -1
    located: set[str] = field(default_factory=set)  # keys whose place the text states
    context: "Context" = None  # type: ignore[assignment]
    # (unit, parent, pos): linked only if the article names the parent too
    pending_parents: list[tuple[str, str, int]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.owner = [-1] * len(self.text)

    # -- mention bookkeeping -------------------------------------------------
    def free(self, start: int, end: int) -> bool:
        return all(self.owner[i] < 0 for i in range(start, end))

    def covering(self, start: int, end: int) -> Optional[Mention]:
        """The mention that covers the whole span, if one does."""
        idx = self.owner[start] if start < len(self.owner) else -1
        if idx >= 0:
            m = self.mentions[idx]
            if m.start <= start and m.end >= end:
                return m
        return None

    def mention_at(self, pos: int) -> Optional[Mention]:
        idx = self.owner[pos] if 0 <= pos < len(self.owner) else -1
        return self.mentions[idx] if idx >= 0 else None

    def mention_ending_at(self, end: int) -> Optional[Mention]:
        m = self.mention_at(end - 1)
        return m if m is not None and m.end == end else None

    def add(
        self,
        start: int,
        end: int,
        kind: str,
        key: str,
        rule: str,
        confidence: float = 1.0,
        label_en: str = "",
        parent: str = "",
        replace_inside: bool = False,
    ) -> Optional[Mention]:
        """Add a mention if its span is free (or only holds mentions inside it)."""
        if start >= end:
            return None
        if not self.free(start, end):
            if not replace_inside:
                return None
            for i in range(start, end):
                idx = self.owner[i]
                if idx >= 0:
                    m = self.mentions[idx]
                    if m.start < start or m.end > end:
                        return None
            for i in range(start, end):
                self.owner[i] = -1
        m = Mention(start, end, self.doc.text[start:end], kind, key, rule, confidence, label_en, parent)
        self.mentions.append(m)
        idx = len(self.mentions) - 1
        for i in range(start, end):
            self.owner[i] = idx
        self.entity(key, kind, m.text, label_en=label_en, confidence=confidence, rule=rule)
        return m

    def entity(self, key: str, kind: str, alias: str = "", **kw) -> Entity:
        e = self.entities.get(key)
        aliases = {alias} if alias and alias != key else set()
        if e is None:
            e = Entity(key=key, kind=kind, aliases=tuple(sorted(aliases)), **kw)
        else:
            merged = set(e.aliases) | aliases
            upd = {k: v for k, v in kw.items() if v and not getattr(e, k, None)}
            if kw.get("confidence", 0) > e.confidence:
                upd["confidence"] = kw["confidence"]
            e = replace(e, aliases=tuple(sorted(merged)), **upd)
        self.entities[key] = e
        return e

    def live_mentions(self) -> list[Mention]:
        seen = set()
        out = []
        for idx in self.owner:
            if idx >= 0 and idx not in seen:
                seen.add(idx)
                out.append(self.mentions[idx])
        return sorted(out, key=lambda m: m.start)


# ---------------------------------------------------------------------------
# Longest-match dictionary scan


class Gazetteer:
    """Longest-match lookup of many surface forms.

    The forms are a trie of dicts; a regex character class of their first
    characters finds, in C, the only positions where a form can start, and
    the trie walk from there goes as far as the text agrees with some form.
    (A Python loop over every character was the build's hottest spot; one
    regex alternation of thousands of names tries them one by one.)
    """

    def __init__(self, forms: dict[str, object]):
        self.forms = forms
        self.lengths = sorted({len(f) for f in forms}, reverse=True)
        self.first = {f[0] for f in forms if f}
        self._trie: dict = {}
        for f in forms:
            if f:
                node = self._trie
                for ch in f:
                    node = node.setdefault(ch, {})
                node[None] = f  # a form ends here
        # compiled at the second scan: a gazetteer of one article's names is
        # scanned once, and compiling costs more than that scan
        self._starts: Optional["re.Pattern[str]"] = None
        self._scans = 0
        # the last scan: recognizers scan one article for places several times
        self._memo: tuple = (None, 0, 0, [])

    def scan(self, text: str, start: int = 0, end: Optional[int] = None) -> Iterable[tuple[int, int, object]]:
        end = len(text) if end is None else end
        m_text, m_start, m_end, hits = self._memo
        if m_text is not text or m_start != start or m_end != end:
            hits = list(self._scan(text, start, end))
            self._memo = (text, start, end, hits)
        return iter(hits)

    def _scan(self, text: str, start: int, end: int) -> Iterable[tuple[int, int, object]]:
        if not self.first:
            return
        self._scans += 1
        if self._starts is None and self._scans > 1:
            self._starts = re.compile("[" + "".join(re.escape(c) for c in sorted(self.first)) + "]")
        pos = start
        while True:
            if self._starts is not None:
                m = self._starts.search(text, pos, end)
                if m is None:
                    return
                i = m.start()
            else:
                i = next((k for k in range(pos, end) if text[k] in self.first), -1)
                if i < 0:
                    return
            form = self._longest(text, i, end)
            if form is None:
                pos = i + 1
            else:
                pos = i + len(form)
                yield i, pos, self.forms[form]

    def _longest(self, text: str, i: int, end: int) -> Optional[str]:
        """The longest form starting at ``i`` and ending by ``end``."""
        node = self._trie
        best = None
        j = i
        while j < end:
            node = node.get(text[j])
            if node is None:
                break
            j += 1
            best = node.get(None, best)
        return best

    def match_at(self, text: str, i: int) -> Optional[tuple[int, object]]:
        if i >= len(text) or text[i] not in self.first:
            return None
        form = self._longest(text, i, len(text))
        return None if form is None else (len(form), self.forms[form])


# ---------------------------------------------------------------------------
# The recognizers, in the order they run


def recognize(doc: Document) -> Article:
    art = Article(doc=doc, text=doc.norm or doc.text)
    context = article_context(art.text)
    art.context = context
    local_bodies(art, context)
    national_bodies(art)
    zones(art, context)
    suffix_orgs(art)
    # short names (以下简称, 云天励飞 for its legal name) before people, whose
    # posts name them; people before places, since a short place name can sit
    # inside a person's name
    short_aliases(art)
    known_names(art, kinds=set(t.ORG_KINDS))
    media_and_bylines(art)
    people(art)
    known_names(art, kinds={t.PERSON})
    named_companies(art)
    known_names(art, kinds=set(t.ORG_KINDS))
    places(art)
    bare_bodies(art)
    known_names(art)
    for unit, parent, pos in art.pending_parents:
        if parent in art.entities:
            _relate(art, unit, "subOrganizationOf", parent, pos, "pattern.place-body")
    return art


@dataclass(frozen=True)
class Context:
    province: str = ""
    city: str = ""
    district: str = ""
    province_n: int = 0  # how often the article names them
    city_n: int = 0

    @property
    def home(self) -> str:
        """The article's own place: its city if it names the city at least as often as the province."""
        if self.city and self.city_n >= self.province_n:
            return self.city
        return self.province or self.city


def article_context(text: str) -> Context:
    """The province, city and district an article is mostly about (for 省/市/全省/全市).

    A district is counted only by its full name: its short form is too often
    part of another word (贵安新区 holds 安新).
    """
    counts: dict[str, int] = {}
    plc = lexicon.places()
    for s, e, key in _place_gazetteer().scan(text):
        p = plc.get(key)
        if p is None or p.kind == t.DISTRICT and text[s:e] != key:
            continue
        counts[key] = counts.get(key, 0) + 1
    best: dict[str, tuple[int, str]] = {}
    for key, n in sorted(counts.items()):
        p = plc[key]
        if p.kind in (t.PROVINCE, t.CITY, t.DISTRICT):
            cur = best.get(p.kind)
            if cur is None or n > cur[0]:
                best[p.kind] = (n, key)
    prov_n, prov = best.get(t.PROVINCE, (0, ""))
    city_n, city = best.get(t.CITY, (0, ""))
    if not prov and city:
        parent = plc[city].parent
        if parent in plc and plc[parent].kind == t.PROVINCE:
            prov = parent
    return Context(province=prov, city=city, district=best.get(t.DISTRICT, (0, ""))[1],
                   province_n=prov_n, city_n=city_n)


# -- national bodies --------------------------------------------------------

_UNIT = re.compile(rf"[{CJK}]{{1,14}}?(?:司|局|处|办公室|办公厅|中心|研究院|研究所)")


def national_bodies(art: Article) -> None:
    """Ministries and commissions by name or abbreviation, and their 司/局/处."""
    gaz = _gov_gazetteer()
    text = art.text
    for start, end, body in list(gaz.scan(text)):
        key = body.name
        m = art.add(start, end, body.kind, key, "lexicon.gov-body", 1.0, label_en=body.en)
        if m is None:
            continue
        _sub_units(art, m)


def _title_inside(text: str, start: int, end: int) -> bool:
    """Whether a title begins inside the span (科技司副司长: 副司 is no unit)."""
    tg = _title_gazetteer()
    return any(tg.match_at(text, i) is not None and i + tg.match_at(text, i)[0] > end - 1 for i in range(start, end))


def _sub_units(art: Article, parent: Mention) -> None:
    """Extend a body with the units written right after it: 工信部科技司科技发展处."""
    text = art.text
    end = parent.end
    parent_key = parent.key
    chain_start = parent.start
    while True:
        m = _UNIT.match(text, end)
        if not m or not art.free(m.start(), m.end()):
            return
        unit = m.group(0)
        if _starts_with_stop(unit) or unit in _words("generic_units") or _title_inside(text, m.start(), m.end()):
            return
        key = parent_key + unit
        kind = parent.kind if parent.kind in t.ORG_KINDS else t.GOVERNMENT
        sub = art.add(m.start(), m.end(), kind, key, "pattern.sub-unit", 0.9)
        if sub is None:
            return
        art.entity(key, kind, alias=text[chain_start : m.end()])
        art.entity(key, kind, alias=unit)
        _relate(art, key, "subOrganizationOf", parent_key, sub.start, "pattern.sub-unit")
        parent_key, end = key, m.end()


# -- local government bodies -----------------------------------------------

def local_bodies(art: Article, ctx: Context) -> None:
    """A place followed by a body: 北京市经济和信息化局, 省经济和信息化厅, 市新经济委."""
    text = art.text
    bodies = _local_gazetteer()
    pg = _place_gazetteer()
    plc = lexicon.places()
    i = 0
    n = len(text)
    starts = _local_body_starts()
    while i < n:
        # jump to where a place, or 省/市/区/县, can start
        jump = starts.search(text, i)
        if jump is None:
            break
        i = jump.start()
        hit = pg.match_at(text, i)
        place_key, plen = "", 0
        if hit is not None:
            plen, place_key = hit
        elif text[i] in "省市区县" and _own_place_prefix(text, i):
            # 省经济和信息化厅: the place is the article's own province or city
            place_key = {"省": ctx.province, "市": ctx.city, "区": ctx.district, "县": ctx.district}[text[i]]
            plen = 1
        if not place_key:
            i += 1
            continue
        j = i + plen
        # 香港特区政府: a place, then 特区/特别行政区, then the body
        body_hit = bodies.match_at(text, j)
        if body_hit is None:
            i += 1
            continue
        blen, body = body_hit
        end = j + blen
        place = plc.get(place_key)
        key = _join(place_key, body.name)
        m = art.add(i, end, t.GOVERNMENT, key, "pattern.place-body", 0.95 if plen > 1 else 0.85,
                    label_en=_local_en(place, body))
        if m is not None:
            art.entity(key, t.GOVERNMENT, alias=text[i:end])
            for head in ("人民政府", "特别行政区政府"):
                if body.name.startswith(head) and body.name != head:
                    # 安徽省人民政府新闻办公室 → 安徽省人民政府
                    art.pending_parents.append((key, _join(place_key, head), i))
            _sub_units(art, m)
            i = m.end
            continue
        i += 1


def _is_word(text: str, start: int, end: int) -> bool:
    """Whether jieba, reading the sentence, keeps the span whole (not split across words)."""
    from . import segment

    s, e = sentence_span(text, start)
    cuts = {tok.start for tok in segment.tokens(text[s:e], s)} | {e}
    return start in cuts and end in cuts or _inside_one_token(text, s, e, start, end)


def _inside_one_token(text: str, s: int, e: int, start: int, end: int) -> bool:
    from . import segment

    for tok in segment.tokens(text[s:e], s):
        if tok.start <= start and end <= tok.end:
            # 北京市 as one token holds 北京; 其中国家级 splits 中国 across two tokens
            return tok.end - tok.start > end - start and _place_gazetteer().match_at(tok.text, 0) is not None
    return False


def _join(place_key: str, body: str) -> str:
    """Place + body, without saying the overlap twice (澳门特别行政区 + 特别行政区政府)."""
    for n in range(min(len(place_key), len(body)), 1, -1):
        if place_key.endswith(body[:n]):
            return place_key + body[n:]
    return place_key + body


def _own_place_prefix(text: str, i: int) -> bool:
    """省/市 standing for the article's own place: after punctuation, a function
    word or a verb (落实省政府, 由市经济信息化委), never inside a word (城市, 三省一市)."""
    if i == 0 or not is_cjk(text[i - 1]) or text[i - 1] in _single_stops():
        return True
    if text[i] in "区县":
        return False
    return any(text.endswith(w, 0, i) for w in _words("own_place_openers"))


def _local_en(place, body) -> str:
    if place is None or not place.en:
        return ""
    if body is None:
        return f"{place.en} People's Government"
    return f"{place.en} {body.en}".strip() if body.en else ""


def bare_bodies(art: Article) -> None:
    """A body named without its place (特区政府) is the one of that kind the article named before."""
    text = art.text
    for start, end, body in list(_local_gazetteer().scan(text)):
        if len(body.name) < 4 or not art.free(start, end):
            continue
        keys = [m.key for m in art.live_mentions() if m.start < start and m.kind == t.GOVERNMENT and m.key.endswith(body.name) and m.key != body.name]
        if keys:
            art.add(start, end, t.GOVERNMENT, keys[-1], "coref.bare-body", 0.85)


# -- development zones ------------------------------------------------------

def zones(art: Article, ctx: Context) -> None:
    """A place followed by a zone word: 成都高新区 → 成都高新技术产业开发区."""
    text = art.text
    pg = _place_gazetteer()
    zg = _zone_gazetteer()
    for start, end, place_key in list(pg.scan(text)):
        hit = zg.match_at(text, end)
        if hit is None:
            continue
        zlen, full = hit
        short = lexicon.places()[place_key].short or place_key
        key = short + full
        m = art.add(start, end + zlen, t.DISTRICT, key, "pattern.zone", 0.9)
        if m is not None:
            art.entity(key, t.DISTRICT, alias=text[start : end + zlen])
            place = lexicon.places()[place_key]
            art.entity(place_key, place.kind, label_en=place.en)
            _relate(art, key, "locatedIn", place_key, start, "pattern.zone")
    # a zone named without its city (两江新区, 东湖新技术开发区): its own name runs left to a stop
    for zs, ze, full in list(zg.scan(text)):
        if not art.free(zs, ze):
            continue
        start = _left_edge(art, zs, limit=8)
        if start is None or zs - start < 2 or zs - start > 10:
            continue
        name = text[start:ze]
        if _generic(name) or not all(is_cjk(c) for c in name):
            continue
        # 重庆两江新区: a place written first contains the zone
        inner = _place_gazetteer().match_at(text, start)
        container = None
        if inner is not None and start + inner[0] <= zs - 2:
            container = inner[1]
            start += inner[0]
        key = text[start:zs] + full
        m = art.add(start, ze, t.DISTRICT, key, "pattern.zone-name", 0.8)
        if m is None:
            continue
        body = _local_gazetteer().match_at(text, ze)
        if body is not None:
            org_key = key + body[1].name
            if art.add(ze, ze + body[0], t.GOVERNMENT, org_key, "pattern.zone-body", 0.85) is not None:
                art.entity(org_key, t.GOVERNMENT, alias=text[start : ze + body[0]])
        art.entity(key, t.DISTRICT, alias=text[start:ze])
        container = container or _place_before(text, start)
        if container is not None:
            _relate(art, key, "locatedIn", container, start, "pattern.zone")
        elif ctx.home and _named_near(art, ctx.home, start):
            # a zone the text does not place lies in the place the article is
            # about, when the paragraph names that place too
            home = lexicon.places()[ctx.home]
            _relate(art, key, "locatedIn", ctx.home, start, "pattern.zone-context", 0.7)
            art.entity(ctx.home, home.kind, label_en=home.en)


def _named_near(art: Article, key: str, pos: int) -> bool:
    for p in art.doc.paragraphs:
        if p.start <= pos < p.end:
            return any(k == key for _, _, k in _place_gazetteer().scan(art.text, p.start, p.end))
    return False


def _place_before(text: str, pos: int) -> Optional[str]:
    pg = _place_gazetteer()
    for n in range(2, 9):
        if pos - n >= 0:
            hit = pg.match_at(text, pos - n)
            if hit is not None and hit[0] == n:
                return hit[1]
    return None


# -- organisations named by their suffix -----------------------------------

def suffix_orgs(art: Article) -> None:
    """Organisations whose name ends in a telling suffix: …股份有限公司, …研究院, …大学."""
    text = art.text
    sg = _suffix_gazetteer()
    hits = list(sg.scan(text))
    # strong suffixes first: 电子科技大学 is a university before 科技 can make a company of it
    for s_start, s_end, (kind, strong) in sorted(hits, key=lambda h: (not h[2][1], h[0])):
        if not art.free(s_start, s_end):
            continue
        if _inside_title(text, s_start, s_end):
            continue  # 党委书记: the suffix is part of a title
        if not strong and not _title_follows(art, s_end) and not _place_named(art, s_start, s_end):
            continue  # 科技, 证券, 基金: a weak suffix names an organisation when a post follows it
        if _unit_of_known(art, s_start, s_end, kind):
            continue
        start = _left_edge(art, s_start)
        if start is None:
            if not (s_start > 0 and text[s_start - 1] in _SOFT_STOPS):
                continue
            start = s_start
        if (kind == t.COMPANY and start > 0 and text[start - 1] in _SOFT_STOPS
                and _legal(text[start:s_end]) and len(_trade_name(text[start:s_end])) < 2):
            # 星河鼎为科技有限公司: the "stop" was a character of the name itself
            edge = _left_edge(art, start - 1)
            start = start - 1 if edge is None else edge
        name = text[start:s_end]
        name = _strip_descriptor(name)
        start = s_end - len(name)
        if len(name) - (s_end - s_start) < 2 or _generic(name) or not is_cjk(name[0]) and not name[0].isalpha():
            continue
        if sum(1 for c in name[: len(name) - (s_end - s_start)] if is_cjk(c)) < 2:
            continue
        if kind == t.GOVERNMENT and not _starts_with_place(name):
            continue  # 布局, 格局, 通过政府: a government body's name starts with where it governs
        if kind != t.COMPANY and re.search(r"\d", name):
            continue  # 长三角200余家工厂部署: a phrase, not a name
        if s_end - s_start == 1 and not _suffix_token(text, s_end):
            continue  # 部署, 布局: a one-character suffix inside another word
        if any(name.startswith(v) for v in _words("org_lead_verbs")):
            continue  # 共建实验室: an activity, not a name
        parent = art.mention_ending_at(start)
        if parent is not None and parent.kind in t.ORG_KINDS and kind != t.COMPANY:
            # a unit of the organisation just before it
            key = parent.key + name
            m = art.add(start, s_end, _unit_kind(kind, parent.kind), key, "pattern.org-unit", 0.9)
            if m is not None:
                art.entity(key, m.kind, alias=parent.text + name)
                art.entity(key, m.kind, alias=name)
                _relate(art, key, "subOrganizationOf", parent.key, start, "pattern.org-unit")
            continue
        # 哈尔滨工业大学(深圳): a campus in brackets belongs to the name
        end = s_end
        cm = re.match(r"\(([\u4e00-\u9fff]{2,4})\)", text[s_end : s_end + 8])
        if cm and kind == t.UNIVERSITY and cm.group(1) in lexicon.place_aliases():
            end = s_end + cm.end()
        key = text[start:end]
        conf = 0.9 if len(name) >= 4 else 0.7
        art.add(start, end, kind, key, "pattern.org-suffix", conf)


def _place_named(art: Article, s_start: int, s_end: int) -> bool:
    """澳门科学技术发展基金: a long name that opens with a place and ends a word."""
    if s_end - s_start < 2:
        return False
    start = _left_edge(art, s_start)
    if start is None or s_end - start < 6 or not _token_end(art.text, s_end):
        return False
    hit = _place_gazetteer().match_at(art.text, start)
    if hit is None or start + hit[0] >= s_start:
        return False
    # 杭州市余杭区未来科技(城): a chain of places and a landmark, not a body's name
    return _place_gazetteer().match_at(art.text, start + hit[0]) is None


def _suffix_token(text: str, pos: int) -> bool:
    """A one-character suffix ending at ``pos`` ends a word, and not a two-character one (布局, 格局)."""
    from . import segment

    s, e = sentence_span(text, max(0, pos - 1))
    for tok in segment.tokens(text[s:e], s):
        if tok.start < pos <= tok.end:
            return tok.end == pos and tok.end - tok.start != 2
    return True


def _token_end(text: str, pos: int) -> bool:
    """Whether jieba ends a word at ``pos`` in its sentence."""
    from . import segment

    s, e = sentence_span(text, max(0, pos - 1))
    return pos >= e or any(tok.end == pos for tok in segment.tokens(text[s:e], s))


def _inside_title(text: str, start: int, end: int) -> bool:
    tg = _title_gazetteer()
    for k in range(max(0, start - 4), end):
        hit = tg.match_at(text, k)
        if hit is not None and k + hit[0] > start and k + hit[0] >= end:
            return True
    return False


def _title_follows(art: Article, pos: int, gap: int = 8) -> bool:
    tg = _title_gazetteer()
    for k in range(pos, min(len(art.text), pos + gap)):
        if not is_cjk(art.text[k]) and not art.text[k].isalpha():
            return False
        if tg.match_at(art.text, k) is not None:
            return True
    return False


def _unit_of_known(art: Article, s_start: int, s_end: int, kind: str) -> bool:
    """清华大学计算机科学与技术系: a unit written right after an organisation already found."""
    if s_end - s_start < 1 or kind == t.COMPANY:
        return False
    text = art.text
    k = s_start
    while k > 0 and s_start - k < 14 and is_cjk(text[k - 1]) and art.owner[k - 1] < 0:
        k -= 1
    parent = art.mention_ending_at(k)
    if parent is None or parent.kind not in (t.UNIVERSITY, t.RESEARCH, t.ORGANIZATION) or k == s_start:
        return False
    between = text[k:s_start]
    if _starts_with_stop(between) or any(between.startswith(v) for v in _words("org_lead_verbs")):
        return False
    name = text[k:s_end]
    key = parent.key + name
    m = art.add(k, s_end, _unit_kind(kind, parent.kind), key, "pattern.org-unit", 0.85)
    if m is None:
        return False
    art.entity(key, m.kind, alias=parent.text + name)
    art.entity(key, m.kind, alias=name)
    _relate(art, key, "subOrganizationOf", parent.key, k, "pattern.org-unit")
    return True


def _starts_with_place(name: str) -> bool:
    if name.startswith(tuple(_words("gov_name_heads"))):
        return True
    hit = _place_gazetteer().match_at(name, 0)
    return hit is not None and hit[0] < len(name)


def _unit_kind(kind: str, parent_kind: str) -> str:
    if parent_kind == t.GOVERNMENT:
        return t.GOVERNMENT
    if kind == t.UNIVERSITY or parent_kind == t.UNIVERSITY and kind not in (t.RESEARCH,):
        return t.UNIVERSITY
    return kind


def _left_edge(art: Article, pos: int, limit: int = 20) -> Optional[int]:
    """Where a name ending at ``pos`` begins: scan left to a stop word or a mention."""
    text = art.text
    i = pos
    stops = _single_stops()
    depth = 0  # brackets inside a name must balance: 哈尔滨工业大学(深圳)
    while i > 0 and pos - i < limit:
        ch = text[i - 1]
        if not (is_cjk(ch) or ch.isalnum() or ch in "()·"):
            break
        if ch in stops and not (ch in _SOFT_STOPS and _inside_word(text, i - 1)):
            break
        if ch == ")":
            depth += 1
        elif ch == "(":
            if depth == 0:
                break
            depth -= 1
        if art.owner[i - 1] >= 0:
            m = art.mentions[art.owner[i - 1]]
            # a body or unit right before the name is its parent, not part of it
            if m.kind in t.ORG_KINDS:
                break
            # a place inside the name (合肥先进计算中心) is part of it
            i = m.start
            continue
        if _ends_with_stopword(text, i):
            break
        i -= 1
    return i if i < pos else None


# stop characters that also occur inside names (华为, 数据, 中和): a stop only as a word of their own
_SOFT_STOPS = frozenset("为与和及据由")


def _inside_word(text: str, pos: int) -> bool:
    """Whether jieba reads the character at ``pos`` as part of a longer word (华为, 数据)."""
    if text[pos] in "的了":
        return False
    from . import segment

    s, e = sentence_span(text, pos)
    for tok in segment.tokens(text[s:e], s):
        if tok.start <= pos < tok.end:
            return tok.end - tok.start > 1
    return False


def _ends_with_stopword(text: str, i: int) -> bool:
    for w in _words("org_stopwords"):
        if text.endswith(w, 0, i):
            return True
    return False


def _starts_with_stop(s: str) -> bool:
    return bool(s) and (s[0] in _single_stops() or any(s.startswith(w) for w in _words("org_stopwords")))


def _strip_descriptor(name: str) -> str:
    """Drop a leading description: 人工智能企业杭州星衡… → 杭州星衡…; leading verbs too."""
    for d in _words("org_descriptors"):
        k = name.rfind(d)
        if k >= 0 and len(name) - (k + len(d)) >= 4:
            name = name[k + len(d) :]
    for v in _words("org_lead_verbs"):
        if name.startswith(v) and len(name) - len(v) >= 4:
            name = name[len(v) :]
    return name


def _generic(name: str) -> bool:
    return name in _words("generic_orgs") or any(name.startswith(g) for g in _words("generic_org_heads"))


# -- places ----------------------------------------------------------------

def places(art: Article) -> None:
    """Provinces, cities, districts, regions and the country, by name or short form.

    A district's short form (海宁, 双城) is also an ordinary word or part of a
    person's name often enough that it counts only when the article names the
    district's city or province too, or 区/县 follows it.
    """
    plc = lexicon.places()
    text = art.text
    hits = list(_place_gazetteer().scan(text))
    named = {key for _, _, key in hits}
    for start, end, key in hits:
        p = plc[key]
        surface = text[start:end]
        if end - start == 2 and not _is_word(text, start, end):
            continue
        if p.kind == t.DISTRICT and surface != key:
            if not (p.parent in named or text[end : end + 1] in "区县"):
                continue
        art.add(start, end, p.kind, key, "lexicon.place", 1.0 if surface == key else 0.95, label_en=p.en, parent=p.parent)


# -- reporters, bylines and media ------------------------------------------

# names after 记者 are separated by spaces; a two-character name may be spaced out (李 景)
_NAMES = rf"[{CJK}](?:[{CJK}]| (?=[{CJK}])|、){{1,40}}"
_BYLINE = re.compile(
    rf"(?P<org>[{CJK}A-Za-z]{{2,12}}?)?(?:记者|通讯员|特约记者|作者:)\s+(?P<names>{_NAMES})"
)
_WIRE = re.compile(rf"(?P<org>[{CJK}]{{2,12}})\d{{1,2}}月\d{{1,2}}日(?:电|讯)\s*\((?P<names>{_NAMES})\)")
# an outlet's dateline opens a paragraph: 【香港文汇报讯】, 多彩贵州网讯(记者 …), 财联社4月17日讯
_OUTLET = re.compile(rf"(?m)^\s*(?:【(?P<a>[{CJK}]{{2,12}}?)讯】|(?P<b>[{CJK}]{{2,12}}?)(?:\d{{1,2}}月\d{{1,2}}日)?讯(?=\s*[(【]))")
_OWN_OUTLET = frozenset({"本报", "本刊", "本台", "本网", "该报"})
_BOOK_REPORTER = re.compile(rf"《(?P<org>[{CJK}]{{2,12}})》记者")


def media_and_bylines(art: Article) -> None:
    """Reporters with their outlet: (记者 …), 经济日报记者 …, 中新社北京2月14日电 (…)."""
    text = art.text
    outlets: list[str] = []
    for m in _BOOK_REPORTER.finditer(text):
        outlets.append(m.group("org"))
        art.add(m.start("org"), m.end("org"), t.MEDIA, m.group("org"), "pattern.media-book", 0.9)
    for m in _OUTLET.finditer(text):
        name = m.group("a") or m.group("b")
        s = m.start("a") if m.group("a") else m.start("b")
        name, s = _trim_outlet(name, s)
        if name and name not in _OWN_OUTLET:
            outlets.append(name)
            art.add(s, s + len(name), t.MEDIA, name, "pattern.media-dateline", 0.85)
    default_outlet = outlets[0] if outlets else (art.doc.source or "")
    for m in list(_WIRE.finditer(text)):
        org = m.group("org")
        org, s = _trim_outlet(org, m.start("org"))
        names, names_start = m.group("names"), m.start("names")
        if names.startswith("记者"):
            continue  # (记者 …): the byline rule below reads it
        if org in _OWN_OUTLET:
            org = default_outlet
        else:
            art.add(s, s + len(org), t.MEDIA, org, "pattern.media-wire", 0.85)
        _reporters(art, names, names_start, org, "byline.wire")
    for m in _BYLINE.finditer(text):
        org = m.group("org") or ""
        org_start = m.start("org") if org else -1
        if org:
            org, org_start = _trim_outlet(org, org_start)
        if not org or org in _OWN_OUTLET:
            org = default_outlet
            org_start = -1
        names_start = m.start("names")
        if org and org_start >= 0:
            art.add(org_start, org_start + len(org), t.MEDIA, org, "pattern.media-byline", 0.85)
        elif org:
            art.entity(org, t.MEDIA, rule="meta.source", confidence=0.8)
        _reporters(art, m.group("names"), names_start, org, "byline.reporter")


def _trim_outlet(name: str, start: int) -> tuple[str, int]:
    """Keep the outlet name of a dateline: 本报合肥 → 本报; 多彩贵州网 stays."""
    if not name:
        return "", start
    for p in ("本报", "本刊", "本台", "本网"):
        if name.startswith(p):
            return p, start
    # strip a trailing place (中新社北京 → 中新社)
    pg = _place_gazetteer()
    for k in range(1, len(name)):
        rest = name[k:]
        if pg.match_at(rest, 0) is not None and pg.match_at(rest, 0)[0] == len(rest):
            return name[:k], start
    return name, start


def _reporters(art: Article, names: str, offset: int, org: str, rule: str) -> None:
    surn = lexicon.surnames()
    # split on spaces, but 李 景 (a name spaced out to align) is one name
    parts = [(m.start(), m.group(0)) for m in re.finditer(r"[^\s、]+", names)]
    merged: list[tuple[int, int]] = []
    i = 0
    while i < len(parts):
        s, p = parts[i]
        if len(p) == 1 and i + 1 < len(parts) and len(parts[i + 1][1]) <= 2:
            s2, p2 = parts[i + 1]
            merged.append((s, s2 + len(p2)))
            i += 2
            continue
        merged.append((s, s + len(p)))
        i += 1
    for s, e in merged:
        raw = names[s:e]
        name = raw.replace(" ", "")
        if not (2 <= len(name) <= 4) or not _has_surname(name, surn) or _not_a_name(name):
            continue
        start = offset + s
        m = art.add(start, offset + e, t.PERSON, name, rule, 0.9)
        if m is None:
            continue
        art.entity(name, t.PERSON, alias=raw if raw != name else "")
        role = "记者"
        art.memberships.append(Membership(name, role, org, _ev(art, start, rule, 0.9)))
        if org:
            art.entity(org, t.MEDIA)


# -- aliases: 以下简称, English names in brackets, short company names -------

_SHORT = re.compile(r"[(（]以下简称[:：]?[“\"《]?(?P<alias>[^”\"》)）,，]{2,12})[”\"》]?")
_LATIN_AFTER = re.compile(r"\s*\((?P<alias>[A-Za-z][A-Za-z0-9 .,&'\-]{1,40}?)(?:[,，]|\))")


def short_aliases(art: Article) -> None:
    """Names an article gives to what it has just named, and short company names."""
    text = art.text
    for m in _SHORT.finditer(text):
        prev = _mention_before(art, m.start())
        alias = m.group("alias")
        if prev is None or prev.kind not in t.ORG_KINDS | {t.POLICY}:
            continue
        if len(alias) <= 2 and prev.kind != t.GOVERNMENT:
            continue  # 《方案》, 《报告》: a back-reference, not a name
        art.aliases[alias] = prev.key
        art.entity(prev.key, prev.kind, alias=alias)
    for mention in art.live_mentions():
        if mention.kind not in t.ORG_KINDS and mention.kind != t.PERSON:
            continue
        lm = _LATIN_AFTER.match(text, mention.end)
        if lm:
            alias = lm.group("alias").strip()
            art.entity(mention.key, mention.kind, alias=alias)
            art.aliases[alias] = mention.key
        # a Chinese name in brackets after a Latin or Chinese one: 深度求索(DeepSeek)
    for key, e in list(art.entities.items()):
        if e.kind == t.COMPANY:
            for short in company_short_forms(key):
                if short in text:
                    art.aliases.setdefault(short, key)
                    art.entity(key, t.COMPANY, alias=short)


def _legal(name: str) -> bool:
    return name.endswith(tuple(_words("legal_suffixes")))


def _trade_name(name: str) -> str:
    """The distinctive part of a legal company name: no place, legal form or industry word."""
    core = name
    for suf in sorted(_words("legal_suffixes"), key=len, reverse=True):
        if core.endswith(suf):
            core = core[: -len(suf)]
            break
    for ind in sorted(_words("industry_words"), key=len, reverse=True):
        if core.endswith(ind):
            core = core[: -len(ind)]
            break
    return core


def company_short_forms(name: str) -> list[str]:
    """The short names a legal company name is written as: 深圳云天励飞技术股份有限公司 → 云天励飞."""
    out = []
    core = name
    for suf in sorted(_words("legal_suffixes"), key=len, reverse=True):
        if core.endswith(suf):
            core = core[: -len(suf)]
            break
    else:
        return out
    hit = _place_gazetteer().match_at(core, 0)
    if hit is not None:
        core = core[hit[0] :]
        if core.startswith("市"):
            core = core[1:]
    if len(core) >= 2:
        out.append(core)
    for ind in _words("industry_words"):
        if core.endswith(ind) and len(core) - len(ind) >= 2:
            out.append(core[: -len(ind)])
    return out


def _mention_before(art: Article, pos: int) -> Optional[Mention]:
    i = pos - 1
    while i >= 0 and art.text[i] in " \"”’":
        i -= 1
    return art.mention_at(i) if i >= 0 else None


# -- companies named without a legal suffix ----------------------------------

_LATIN_NAME = re.compile(r"(?<![A-Za-z0-9 .\-])(?P<name>(?:[A-Z][a-z]+[A-Z][A-Za-z]*|[a-z]+[A-Z][A-Za-z]+|[A-Z][a-z]{3,}))(?![A-Za-z0-9\-])")
_CJK_THEN_LATIN = re.compile(rf"(?P<name>[{CJK}]{{2,8}})\((?P<latin>[A-Z][A-Za-z]*[a-z][A-Za-z]*)\)")


def named_companies(art: Article) -> None:
    """Companies the text names without 有限公司: 深度求索(DeepSeek), 华为云、腾讯等企业, 企业云天励飞表示."""
    text = art.text
    # a Chinese name with its Latin name in brackets
    for m in _CJK_THEN_LATIN.finditer(text):
        start = _left_edge(art, m.end("name")) or m.start("name")
        start = max(start, m.start("name"))
        name = _strip_descriptor(text[start : m.end("name")])
        start = m.end("name") - len(name)
        if len(name) < 2 or _generic(name) or not art.free(start, m.end("name")):
            continue
        if _has_title(name) or _looks_like_person(name):
            continue
        art.add(start, m.end("name"), t.COMPANY, name, "company.latin-alias", 0.8)
        art.entity(name, t.COMPANY, alias=m.group("latin"))
        art.aliases[m.group("latin")] = name
    # X、Y等企业 / 类似X、Y的创新企业
    for m in _ENUM.finditer(text):
        items = re.split(r"、|和|及", m.group("items"))
        pos = m.start("items")
        for it in items:
            s0 = text.find(it, pos)
            pos = s0 + len(it)
            if 2 <= len(it) <= 8 and not _generic(it) and art.free(s0, s0 + len(it)) and not _is_place_or_body(it):
                art.add(s0, s0 + len(it), t.COMPANY, it, "company.enumeration", 0.7)
    # 深圳人工智能企业云天励飞对中新社表示: a descriptor, the name, then what it does
    for m in _APPOSITIVE.finditer(text):
        name = m.group("name")
        s0 = m.start("name")
        if not art.free(s0, s0 + len(name)) or _generic(name) or _is_place_or_body(name) or _has_title(name):
            continue
        if art.add(s0, s0 + len(name), t.COMPANY, name, "company.appositive", 0.7) is None:
            continue
        # 深圳人工智能企业云天励飞: the place that opens the description locates it
        d0 = sentence_span(text, s0)[0]
        lead = max(d0, s0 - 12)
        for k in range(lead, s0):
            hit = _place_gazetteer().match_at(text, k)
            if hit is not None and (k == 0 or not is_cjk(text[k - 1]) or text[k - 1] in _single_stops()):
                _relate(art, name, "locatedIn", hit[1], s0, "company.appositive", 0.75)
                art.located.add(name)
                art.entity(hit[1], lexicon.places()[hit[1]].kind, label_en=lexicon.places()[hit[1]].en)
                break
    # a Latin company name standing alone in Chinese text: DeepSeek带火了…
    for m in _LATIN_NAME.finditer(text):
        name = m.group("name")
        s0, e0 = m.start("name"), m.end("name")
        before = text[s0 - 1] if s0 > 0 else ""
        after = text[e0] if e0 < len(text) else ""
        if not (is_cjk(before) or before in "、，,“\"(") or not (is_cjk(after) or after in "、，,”\")"):
            continue
        if name in art.aliases or name.upper() == name or not art.free(s0, e0):
            continue
        if name.lower() in _words("latin_non_names"):
            continue
        art.add(s0, e0, t.COMPANY, name, "company.latin-name", 0.65)


_ENUM = re.compile(
    rf"(?:类似|如|包括|像|例如)?(?P<items>[{CJK}A-Za-z]{{2,8}}(?:、[{CJK}A-Za-z]{{2,8}})+)(?:等|的)[{CJK}]{{0,6}}?(?:企业|公司|厂商|巨头)"
)
_APPOSITIVE = re.compile(rf"(?:企业|公司)(?P<name>[{CJK}A-Za-z]{{2,6}}?)(?=对|表示|称|认为|介绍|透露|指出|宣布)")


def _has_title(name: str) -> bool:
    tg = _title_gazetteer()
    return any(tg.match_at(name, i) is not None for i in range(len(name)))


def _is_place_or_body(name: str) -> bool:
    if name in lexicon.place_aliases() or name in lexicon.gov_aliases():
        return True
    return False


def _looks_like_person(name: str) -> bool:
    return 2 <= len(name) <= 3 and _has_surname(name, lexicon.surnames()) and name[:1] in _distinctive_surnames()


@functools.cache
def _distinctive_surnames() -> frozenset[str]:
    info = lexicon.surname_info()
    return frozenset(k for k, v in info.items() if v.distinctive)


# -- people ----------------------------------------------------------------

def people(art: Article) -> None:
    """Names next to titles: 科技司副司长张某某, 院士、鹏城实验室主任…说."""
    text = art.text
    tg = _title_gazetteer()
    surn = lexicon.surnames()
    for start, end, title in list(tg.scan(text)):
        if not art.free(start, end):
            continue
        name_span = _name_after(art, end, surn)
        if name_span is None:
            continue
        ns, ne = name_span
        name = text[ns:ne]
        posts = _posts_before(art, start, end)
        m = art.add(ns, ne, t.PERSON, name, "person.title-name", 0.9)
        if m is None:
            continue
        art.add(start, end, "Title", title, "lexicon.title", 1.0)
        for role, org, pos in posts:
            art.memberships.append(Membership(name, role, org, _ev(art, pos, "person.title-name", 0.9)))
        _english_name(art, name, ne)


def _english_name(art: Article, key: str, end: int) -> None:
    lm = _LATIN_AFTER.match(art.text, end)
    if lm:
        art.entity(key, t.PERSON, alias=lm.group("alias").strip())


def _name_after(art: Article, pos: int, surn: frozenset[str]) -> Optional[tuple[int, int]]:
    """The person's name right after a title, decided by what follows it."""
    text = art.text
    cues = _cue_gazetteer()
    single = _words("name_single_cues_set")
    best = None
    for n in (3, 2, 4):
        e = pos + n
        if e > len(text):
            continue
        cand = text[pos:e]
        if not all(is_cjk(c) for c in cand) or not _has_surname(cand, surn) or _not_a_name(cand):
            continue
        if not art.free(pos, e):
            continue
        after = text[e] if e < len(text) else "\n"
        follows_cue = (not is_cjk(after)) or cues.match_at(text, e) is not None
        if not follows_cue:
            continue
        # 张想说: a 3-character reading that swallows a one-character verb loses
        if n == 3 and cand[2] in single and _has_surname(cand[:2], surn):
            continue
        if n == 4 and not any(cand.startswith(s) for s in surn if len(s) == 2):
            continue
        best = (pos, e)
        break
    return best


def _has_surname(name: str, surn: frozenset[str]) -> bool:
    return name[:1] in surn or name[:2] in surn


def _not_a_name(name: str) -> bool:
    return any(ch in _words("non_name_chars_set") for ch in name) or name in _words("non_names")


def _posts_before(art: Article, start: int, end: int) -> list[tuple[str, str, int]]:
    """The (title, organisation) pairs written before a name, right to left.

    Handles 中国工程院院士、鹏城实验室主任 (two posts), 党委书记、所长 (two titles
    of one organisation) and 董事长兼首席执行官.
    """
    text = art.text
    posts: list[tuple[str, str, int]] = []
    pending: list[tuple[str, int]] = [(text[start:end], start)]
    i = start
    while True:
        org = _org_before(art, i)
        if org is not None:
            for title, pos in pending:
                posts.append((title, org.key, pos))
            pending = []
            i = org.start
            while (prev_org := art.mention_ending_at(i)) is not None and prev_org.kind in t.ORG_KINDS:
                i = prev_org.start
        # another title before: 、 or 兼 between them
        j = i
        if j > 0 and text[j - 1] in "、和兼及" and j - 1 >= 0:
            prev = art.mention_ending_at(j - 1)
            if prev is None:
                tt = _title_ending_at(art, j - 1)
                if tt is None:
                    break
                ts, te, title = tt
                art.add(ts, te, "Title", title, "lexicon.title", 1.0)
                pending.append((title, ts))
                i = ts
                continue
            if prev.kind == "Title":
                pending.append((prev.key, prev.start))
                i = prev.start
                continue
        break
    for title, pos in pending:
        posts.append((title, "", pos))
    return posts


def _org_before(art: Article, pos: int, gap: int = 6) -> Optional[Mention]:
    """The organisation named just before ``pos`` (a short department descriptor may sit between)."""
    text = art.text
    m = art.mention_ending_at(pos)
    if m is not None and m.kind in t.ORG_KINDS:
        return m
    # 中信证券计算机行业首席分析师: allow a few plain characters in between
    for k in range(1, gap + 1):
        p = pos - k
        if p <= 0 or not is_cjk(text[p]) or text[p] in _single_stops() or text[p] in "兼、":
            return None
        m = art.mention_ending_at(p)
        if m is not None:
            if m.kind not in t.ORG_KINDS or _title_ending_at(art, pos) is not None and _has_title(text[p:pos]):
                return None
            return m
    return None


def _title_ending_at(art: Article, end: int) -> Optional[tuple[int, int, str]]:
    tg = _title_gazetteer()
    for n in tg.lengths:
        s = end - n
        if s >= 0 and art.text[s:end] in tg.forms:
            return s, end, tg.forms[art.text[s:end]]
    return None


def known_names(art: Article, kinds: Optional[set[str]] = None) -> None:
    """Later mentions of names the article has already introduced (张某指出 …)."""
    text = art.text
    forms: dict[str, tuple[str, str]] = {}
    for key, e in art.entities.items():
        if e.kind == "Title" or (kinds is not None and e.kind not in kinds):
            continue
        for f in (key, *e.aliases):
            if len(f) >= 2 and f not in forms:
                forms[f] = (key, e.kind)
    for alias, key in art.aliases.items():
        if key in art.entities and len(alias) >= 2 and (kinds is None or art.entities[key].kind in kinds):
            forms[alias] = (key, art.entities[key].kind)
    gaz = Gazetteer(forms)
    for start, end, (key, kind) in list(gaz.scan(text)):
        if art.free(start, end):
            art.add(start, end, kind, key, "coref.same-name", 0.9)


# -- helpers shared with relations -----------------------------------------

def _ev(art: Article, pos: int, rule: str, confidence: float) -> t.Evidence:
    s, e = sentence_span(art.text, pos)
    return t.Evidence(art.doc.doc_id, s, e, art.doc.text[s:e], rule, confidence)


_SENT_BOUND = re.compile(r"[。！？!?\n]")


def sentence_span(text: str, pos: int) -> tuple[int, int]:
    s = pos
    while s > 0 and text[s - 1] not in "。！？!?\n":
        s -= 1
    e = pos
    while e < len(text) and text[e] not in "。！？!?\n":
        e += 1
    if e < len(text) and text[e] != "\n":
        e += 1
        while e < len(text) and text[e] in "”’」』)】":
            e += 1
    while s < e and text[s].isspace():
        s += 1
    return s, e


def _relate(art: Article, s: str, p: str, o: str, pos: int, rule: str, conf: float = 0.9) -> None:
    if s and o and s != o:
        art.relations.append(Relation(s, p, o, _ev(art, pos, rule, conf)))


# -- lexicon-backed lookups (built once per process) -------------------------

@functools.cache
def _words(name: str) -> frozenset[str]:
    if name.endswith("_set"):
        return frozenset("".join(lexicon.words(name[: -len("_set")])))
    return frozenset(lexicon.words(name))


@functools.cache
def _single_stops() -> frozenset[str]:
    return frozenset("".join(lexicon.words("org_stopchars")))


@functools.cache
def _place_gazetteer() -> Gazetteer:
    # a bare zone word (高新区) names a different zone in every city
    zone_words = {f for row in lexicon.words("zones") for f in row.split("|")}
    return Gazetteer({f: k for f, k in lexicon.place_aliases().items() if f not in zone_words})


@functools.cache
def _local_body_starts() -> "re.Pattern[str]":
    chars = _place_gazetteer().first | set("省市区县")
    return re.compile("[" + "".join(re.escape(c) for c in sorted(chars)) + "]")


@functools.cache
def _gov_gazetteer() -> Gazetteer:
    bodies = lexicon.gov_bodies()
    return Gazetteer({form: bodies[key] for form, key in lexicon.gov_aliases().items()})


@dataclass(frozen=True)
class _Body:
    name: str
    en: str


@functools.cache
def _local_gazetteer() -> Gazetteer:
    forms: dict[str, _Body] = {}
    for b in lexicon.local_bodies().values():
        body = _Body(b.name, b.en)
        for f in (b.name, *b.aliases):
            forms.setdefault(f, body)
    return Gazetteer(forms)


@functools.cache
def _zone_gazetteer() -> Gazetteer:
    forms = {}
    for row in lexicon.words("zones"):
        full, *aliases = row.split("|")
        for f in (full, *aliases):
            forms[f] = full
    return Gazetteer(forms)


@functools.cache
def _suffix_gazetteer() -> Gazetteer:
    return Gazetteer({s.suffix: (s.kind, s.strong) for s in lexicon.org_suffixes()})


@functools.cache
def _title_gazetteer() -> Gazetteer:
    return Gazetteer({name: name for name in lexicon.titles()})


@functools.cache
def _cue_gazetteer() -> Gazetteer:
    return Gazetteer({w: w for w in lexicon.words("name_cues")})
