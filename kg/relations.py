"""Recognizers for relations, policy documents and events.

Runs after ``entities.recognize``: it reads the mentions already found and
adds locatedIn, issued and organizer links, the policy documents named in
《…》 and the events (summits, press conferences) with their dates.
"""

from __future__ import annotations

import re
from typing import Optional

from . import lexicon, numbers
from . import types as t
from .entities import CJK, Article, _relate, is_cjk, sentence_span
from .types import Mention

_BOOK = re.compile(r"《(?P<name>[^《》\n]{2,80})》")
_LOCATED = re.compile(r"(?:总部|总部设在|总部位于|位于|坐落于|落户|地处|设在)")


def recognize(art: Article) -> None:
    places_written(art)
    located_by_text(art)
    located_where(art)
    located_by_name(art)
    title_document(art)
    policies(art)
    events(art)


def places_written(art: Article) -> None:
    """Place → containing place, when the text writes both (浙江省杭州市) or names both."""
    plc = lexicon.places()
    mentioned = {m.key for m in art.live_mentions() if m.kind in t.PLACE_KINDS}
    seen = set()
    for m in art.live_mentions():
        if m.kind not in t.PLACE_KINDS or not m.parent or m.kind == t.REGION:
            continue
        prev = art.mention_ending_at(m.start)
        if prev is not None and prev.key == m.parent:
            conf, rule = 1.0, "pattern.place-chain"
        elif m.parent in mentioned and plc.get(m.parent) is not None and plc[m.parent].kind != t.COUNTRY:
            # a province "in China" is world knowledge, not something the article says
            conf, rule = 0.9, "lexicon.parent-mentioned"
        else:
            continue
        if (m.key, m.parent) in seen:
            continue
        seen.add((m.key, m.parent))
        _relate(art, m.key, "locatedIn", m.parent, m.start, rule, conf)
    # a chain of places written together: 北京市海淀区, where the lexicon has no parent
    for m in art.live_mentions():
        if m.kind in t.PLACE_KINDS:
            prev = art.mention_ending_at(m.start)
            if prev is not None and prev.kind in t.PLACE_KINDS and (m.key, prev.key) not in seen:
                p = plc.get(m.key)
                if p is not None and p.parent and p.parent != prev.key:
                    continue
                if _rank(prev.kind) < _rank(m.kind):
                    seen.add((m.key, prev.key))
                    _relate(art, m.key, "locatedIn", prev.key, m.start, "pattern.place-chain", 1.0)


def _rank(kind: str) -> int:
    return {t.COUNTRY: 0, t.REGION: 1, t.PROVINCE: 2, t.CITY: 3, t.DISTRICT: 4}.get(kind, 5)


def _last_place_in(art: Article, start: int, end: int) -> Optional[Mention]:
    """The most specific place written in a span (北京市海淀区 → 海淀区)."""
    found = None
    i = start
    while i < end:
        m = art.mention_at(i)
        if m is not None and m.kind in t.PLACE_KINDS and m.end <= end:
            if found is None or m.start >= found.end:
                found = m
            i = m.end
            continue
        i += 1
    return found


def located_by_text(art: Article) -> None:
    """总部位于X, 位于X的Y, Y位于X: what the text says about where a thing is."""
    text = art.text
    for lm in _LOCATED.finditer(text):
        # the place follows the verb, possibly a chain ending at a 的 or a clause end
        j = lm.end()
        k = j
        while k < len(text) and k - j < 20 and text[k] not in ",;，；。的是\n":
            k += 1
        place = _last_place_in(art, j, k)
        if place is None:
            continue
        # the subject: "位于X的Y" → Y; else the nearest organisation before the verb
        subject = None
        if k < len(text) and text[k] == "的":
            subject = art.mention_at(k + 1)
        if subject is None:
            subject = _subject_before(art, lm.start())
        if subject is None:
            # 极光数智(…)是本土成长起来的大模型企业，总部位于…: the sentence's organisation
            s0, _ = sentence_span(text, lm.start())
            subject = next((m for m in art.live_mentions() if s0 <= m.start < lm.start() and m.kind in t.ORG_KINDS), None)
        if subject is None or subject.key == place.key:
            continue
        if subject.kind in t.ORG_KINDS or subject.kind in (t.DISTRICT, t.EVENT):
            _relate(art, subject.key, "locatedIn", place.key, lm.start(), "pattern.located-at", 0.9)
            art.located.add(subject.key)


def _subject_before(art: Article, pos: int, limit: int = 12) -> Optional[Mention]:
    i = pos - 1
    while i >= 0 and pos - i <= limit and art.text[i] not in "。；;\n":
        m = art.mention_at(i)
        if m is not None and m.kind in t.ORG_KINDS:
            return m
        i -= 1
    return None


_WHERE_IT_IS = re.compile(r"所在的|所在地")


def located_where(art: Article) -> None:
    """X…所在的杭州: the organisation of the clause is where the place after 所在的 is."""
    text = art.text
    for m in _WHERE_IT_IS.finditer(text):
        place = _last_place_in(art, m.end(), min(len(text), m.end() + 8))
        if place is None or place.start != m.end():
            continue
        subject = _subject_before(art, m.start(), 20)
        if subject is not None and subject.kind == t.COMPANY:
            _relate(art, subject.key, "locatedIn", place.key, m.start(), "pattern.located-where", 0.8)
            art.located.add(subject.key)


def located_by_name(art: Article) -> None:
    """A company whose legal name starts with a place is located there, unless the text says otherwise."""
    pg = _place_forms()
    plc = lexicon.places()
    for key, e in list(art.entities.items()):
        if e.kind != t.COMPANY or key in art.located:
            continue
        for n in range(min(len(key) - 2, 9), 1, -1):
            if key[:n] in pg:
                place = pg[key[:n]]
                if plc[place].kind in (t.CITY, t.PROVINCE, t.DISTRICT):
                    pos = next((m.start for m in art.mentions if m.key == key), 0)
                    _relate(art, key, "locatedIn", place, pos, "pattern.name-place", 0.8)
                    art.entity(place, plc[place].kind, label_en=plc[place].en)
                break


def _place_forms() -> dict[str, str]:
    return lexicon.place_aliases()


# -- policy documents ---------------------------------------------------------

_ISSUE_VERB = re.compile(r"(?:印发|发布|出台|编制|制定|披露|颁布|发出|下发|公布|推出)")


_TITLE_DOC = re.compile(r"^(?P<body>.{2,30}?)关于.{2,60}的(?:通知|意见|办法|决定|公告|通告|规划|方案|批复|函|指导意见|实施意见)$")


def title_document(art: Article) -> None:
    """A notice whose headline is its title (国家数据局关于…的通知): the page is the document."""
    doc = art.doc
    if not doc.paragraphs:
        return
    p = doc.paragraphs[0]
    line = art.text[p.start : p.end].strip()
    m = _TITLE_DOC.match(line)
    if not m:
        return
    start = p.start + (len(art.text[p.start : p.end]) - len(art.text[p.start : p.end].lstrip()))
    issuer = art.mention_at(start)
    if issuer is None or issuer.kind not in t.ORG_KINDS or issuer.end != start + len(m.group("body")):
        return
    art.add(start, start + len(line), t.POLICY, line, "pattern.title-document", 0.85, replace_inside=True)
    art.entity(issuer.key, issuer.kind)
    _relate(art, issuer.key, "issued", line, start, "pattern.title-document", 0.85)


def policies(art: Article) -> None:
    """Documents in 《…》 with their issuer and date; newspapers in 《…》 are media."""
    text = art.text
    for m in _BOOK.finditer(text):
        name = m.group("name")
        inner = name.strip()
        after = text[m.end() : m.end() + 2]
        if after.startswith("记者") or re.search(r"(?:报|杂志|周刊|日报|晚报)$", inner):
            continue  # 《中国经营报》记者: a newspaper, handled with the bylines
        if len(inner) <= 2:
            continue  # 《通知》, 《方案》: a back-reference
        key = inner
        # a title names the document, whatever places or bodies it contains
        mention = art.add(m.start(), m.end(), t.POLICY, key, "pattern.book-title", 0.9, replace_inside=True)
        if mention is None:
            continue
        s, e = sentence_span(text, m.start())
        clause_start = max(text.rfind(c, s, m.start()) for c in ",，;；") + 1
        clause_start = max(clause_start, s)
        verb = None
        for vm in _ISSUE_VERB.finditer(text, clause_start, m.start()):
            verb = vm
        issuer = None
        if verb is not None:
            issuer = _issuer_before(art, verb.start(), clause_start)
            if issuer is None or issuer.kind not in t.ORG_KINDS:
                # 杭州…公司(以下简称“…”,688725.SH)披露《…》: the subject may sit clauses back
                issuer = _issuer_before(art, verb.start(), s) or issuer
        if issuer is None:
            # 《方案》已由市经济信息化委于6月18日正式印发
            back = re.search(r"由(?P<who>.{2,20}?)(?:于.{1,12}?)?(?:正式)?(?:印发|发布)", text[m.end() : e])
            if back:
                issuer = art.mention_at(m.end() + back.start("who"))
        if issuer is not None:
            _relate(art, issuer.key, "issued", key, m.start(), "pattern.issuer-verb", 0.85)
        date = _date_in(art, clause_start if verb is not None else m.start(), m.start())
        if date:
            art.entity(key, t.POLICY, date=date)


def _issuer_before(art: Article, pos: int, floor: int) -> Optional[Mention]:
    """The body that issues: the nearest organisation before the verb, else the nearest place."""
    place = None
    i = pos - 1
    while i >= floor:
        m = art.mention_at(i)
        if m is not None and m.kind in t.ORG_KINDS:
            return m
        if m is not None and place is None and m.kind in (t.PROVINCE, t.CITY, t.DISTRICT, t.COUNTRY):
            place = m
        i -= 1
    return place


def _date_in(art: Article, start: int, end: int) -> Optional[str]:
    sent_s, _ = sentence_span(art.text, start)
    best = None
    for te in numbers.find_times(art.text[sent_s:end], art.doc.pub_date):
        if te.period and len(te.period) == 10:
            best = te.period
    return best


# -- events ---------------------------------------------------------------

_EVENT = re.compile(
    rf"(?P<name>(?:\d{{4}})?[{CJK}A-Za-z0-9“”\"+·]{{0,24}}?(?:大会|峰会|论坛年会|论坛|年会|博览会|展览会|交易会|发布会|通气会|说明会|推介会|座谈会|研讨会|工作会议|会议)(?:\d{{4}})?)"
)
_EVENT_STOPS = "的了在是和与及等为将从被于其该这那并还也都就即或让使据至已由对向举行召开出席开幕闭幕参加"


def events(art: Article) -> None:
    """Named meetings (2024世界制造业大会, 昇思…峰会2024) and unnamed press conferences."""
    text = art.text
    for m in _EVENT.finditer(text):
        s, e = m.start("name"), m.end("name")
        # trim the name on the left at stop characters
        k = e - 1
        while k > s and text[k - 1] not in _EVENT_STOPS and (is_cjk(text[k - 1]) or text[k - 1].isalnum() or text[k - 1] in "“”\"+·"):
            k -= 1
        s = k
        name = text[s:e].strip("“”\"")
        # 召开“推动制造业高质量发展 夯实实体经济根基”新闻发布会: the quoted theme names it
        close = text.rfind("”", s - 1, e)
        if close >= 0:
            q = text.rfind("“", max(0, close - 60), close)
            if q >= 0 and "\n" not in text[q:close]:
                s = q
                name = text[q + 1 : close] + " " + text[close + 1 : e]
        head = re.search(r"(?:大会|峰会|论坛年会|论坛|年会|博览会|展览会|交易会|发布会|通气会|说明会|推介会|座谈会|研讨会|工作会议|会议)", name)
        if head is None:
            continue
        descriptive = name[: head.start()]
        if re.match(r"(?:展览中心|中心|室|厅|馆|场)", text[e : e + 4]):
            continue  # 香港会议展览中心: a venue, not a meeting
        date = _event_date(art, s)
        if len(descriptive) < 2 or descriptive in ("新闻", "业绩说明"):
            # unnamed: 举行新闻发布会 → <organiser>新闻发布会, only when we know when
            org = _subject_before(art, s, 30)
            if org is None or date is None:
                continue
            key = org.key + name
            art.entity(key, t.EVENT, date=date, rule="pattern.event-unnamed", confidence=0.8)
            _relate(art, key, "organizer", org.key, s, "pattern.event-unnamed", 0.8)
            continue
        if descriptive.startswith(("本次", "此次", "这次", "该", "上述")):
            continue
        key = name
        mention = art.add(s, e, t.EVENT, key, "pattern.event-name", 0.85, replace_inside=True)
        if mention is None:
            continue
        if date:
            art.entity(key, t.EVENT, date=date)
        # 在上海世博中心举办 / 在北京开幕
        loc = re.match(rf".{{0,12}}?在(?P<p>[{CJK}]{{2,12}}?)(?:开幕|举办|举行|召开)", text[e : e + 30])
        if loc:
            place = _last_place_in(art, e + loc.start("p"), e + loc.end("p"))
            if place is not None:
                _relate(art, key, "locatedIn", place.key, s, "pattern.event-place", 0.8)


def _event_date(art: Article, pos: int) -> Optional[str]:
    """The full date written in the same sentence before (or just after) the event."""
    s, e = sentence_span(art.text, pos)
    best = None
    for te in numbers.find_times(art.text[s:e], art.doc.pub_date):
        if te.period and len(te.period) == 10 and s + te.start <= pos + 40:
            if best is None or s + te.start <= pos:
                best = te.period
    if best is None:
        # 15日上午: a day of the publication month
        dm = None
        for dm in re.finditer(r"(?<![\d月])(\d{1,2})日", art.text[s:pos]):
            pass
        if dm and art.doc.pub_date:
            day = int(dm.group(1))
            if 1 <= day <= 31:
                best = f"{art.doc.pub_date[:8]}{day:02d}"
    return best
