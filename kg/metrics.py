"""Observations: the numbers an article reports or targets, with what they measure.

For each number with a unit (``numbers.find_quantities``) this decides the
area it describes (the place or organisation named before it in the clause,
else carried from earlier clauses, else 全省/全市/我国 resolved against the
article), the indicator (the noun phrase it measures), the period (the time
expression that governs it) and the status (reported, target, forecast).
"""

from __future__ import annotations

import functools
import re
from dataclasses import replace
from typing import Optional

from . import lexicon, numbers, segment
from . import types as t
from .entities import Article, Context
from .types import Evidence, Mention, Observation, Quantity

_AREA_KINDS = t.PLACE_KINDS | {t.COMPANY, t.RESEARCH, t.UNIVERSITY, t.ORGANIZATION}
_MONEY_OR_RATE = frozenset({"CNY", "USD", "HKD", "MOP", "EUR", "JPY", "%", "EFLOPS", "PFLOPS", "TFLOPS"})


def recognize(art: Article, ctx: Context) -> list[Observation]:
    doc = art.doc
    text = art.text
    out: list[Observation] = []
    last_area: dict[int, Mention] = {}  # paragraph → last area used
    # paragraph → the period and status its last explicit time set, carried to
    # later sentences of the paragraph; a paragraph ending in a colon hands
    # them to the list that follows (到2025年底，全省力争实现： - …)
    carried: dict[int, tuple[Optional[str], str]] = {}
    for sent in segment.sentences(doc):
        s_text = text[sent.start : sent.end]
        qs = numbers.find_quantities(s_text)
        if not qs:
            _note_intro(art, sent, carried)
            continue
        if _table_row(s_text):
            out.extend(_table(art, ctx, sent))
            continue
        times = numbers.find_times(s_text, doc.pub_date, year_end_month=True)
        prev_indicator = ""
        sent_area: Optional[Mention] = None
        shared = _respectively(art, sent.start, sent.end, qs)
        inherited = carried.get(("intro", sent.paragraph))
        for qi, q in enumerate(qs):
            q = replace(q, start=q.start + sent.start, end=q.end + sent.start)
            if _skip(art, q, sent.start):
                continue
            c_start, c_end = _clause(text, sent.start, sent.end, q.start)
            area, area_end = _area(art, ctx, c_start, q.start)
            if qi in shared:
                area, area_end = shared[qi], c_start
            if area is None:
                # 我国人工智能核心产业…，产业规模已接近5800亿元: the subject named earlier in the sentence
                area = sent_area or _subject(art, ctx, sent.start, c_start)
                area = area or last_area.get(sent.paragraph) or _default_area(art, ctx)
                area_end = c_start
            if area is None:
                continue
            sent_area = area
            last_area[sent.paragraph] = area
            indicator = _indicator(art, max(area_end, c_start), q, c_end, prev_indicator, times, sent.start)
            prev_indicator = indicator or prev_indicator
            period, explicit = _period(times, sent.start, c_start, q.start, indicator, s_text)
            status = _status(doc.pub_date, text[sent.start : q.start], period)
            if explicit:
                carried[("timed", sent.paragraph)] = (period, status)
                if status == "reported" and period:
                    carried["reported"] = (period[:4], sent.paragraph)
            elif inherited is not None:
                period = inherited[0]
                if status == "reported":
                    status = inherited[1]
            elif ("timed", sent.paragraph) in carried:
                # the paragraph set a time before: a target stays a target
                # (在支持政策上…最高支持3000万元), unless this sentence reports
                prev_status = carried[("timed", sent.paragraph)][1]
                if status == "reported" and prev_status != "reported" and not _reports(s_text):
                    status = prev_status
            elif status == "reported" and "reported" in carried and carried["reported"][1] >= sent.paragraph - 1:
                # a figure with no time of its own right after a paragraph that
                # reported one period: that period (the year only)
                period = carried["reported"][0]
            conf = 0.9 if area_end > c_start else 0.75
            if q.unit == "%" and not re.search(r"\d", q.text or ""):
                conf = min(conf, 0.7)  # 近七成: a ratio in words
            if not re.search(r"\d", q.text or "") and q.unit not in _MONEY_OR_RATE and float(q.value) < 10:
                conf = 0.5  # 两项政策, 四个方面: a small count in words is rarely a statistic
            ev = Evidence(doc.doc_id, sent.start, sent.end, doc.text[sent.start : sent.end], "metric.clause", conf)
            out.append(Observation(area.key, indicator or "数值", q, period, status, ev))
    return _dedupe(out)


def _note_intro(art: Article, sent, carried: dict) -> None:
    """A sentence that ends in a colon and sets a time or a goal hands them to the list below it."""
    s_text = art.text[sent.start : sent.end]
    if not s_text.rstrip().endswith((":", "：")):
        return
    times = numbers.find_times(s_text, art.doc.pub_date, year_end_month=True)
    period = next((te.period for te in reversed(times) if te.period and te.kind not in ("range", "duration", "now")), None)
    status = _status(art.doc.pub_date, s_text, period)
    if period or status != "reported":
        # the list items: the short paragraphs that follow
        nxt = sent.paragraph + 1
        while nxt < len(art.doc.paragraphs):
            p = art.doc.paragraphs[nxt]
            if p.end - p.start > 60:
                break
            carried[("intro", nxt)] = (period, status)
            nxt += 1


def _respectively(art: Article, start: int, end: int, qs: list[Quantity]) -> dict[int, Mention]:
    """江苏省、浙江省和安徽省分别为812家、765家和502家: pair areas and numbers in order."""
    text = art.text
    k = text.find("分别", start, end)
    if k < 0:
        return {}
    c_start = max(text.rfind(c, start, k) for c in ",，;；。") + 1
    c_start = max(c_start, start)
    areas: list[Mention] = []
    i = c_start
    while i < k:
        m = art.mention_at(i)
        if m is not None and m.kind in _AREA_KINDS:
            areas.append(m)
            i = m.end
            continue
        i += 1
    after = [qi for qi, q in enumerate(qs) if q.start + start >= k]
    if len(areas) < 2 or len(areas) != len(after):
        return {}
    return dict(zip(after, areas))


def _subject(art: Article, ctx: Context, start: int, end: int) -> Optional[Mention]:
    """The area a sentence is about before a clause: the last place or organisation
    that is not the object of a preposition (在杭州, 与浙江大学), or a scope
    word opening a clause (全省, 我国)."""
    text = art.text
    best = None
    i = start
    while i < end:
        m = art.mention_at(i)
        if m is not None:
            if m.kind in _AREA_KINDS and not _after_preposition(text, m.start):
                best = m
            elif m.kind == t.GOVERNMENT and not _after_preposition(text, m.start):
                best = _jurisdiction(art, m) or best
            i = max(m.end, i + 1)
            continue
        i += 1
    co = _company_anaphor(art, start, end)
    if co is not None and (best is None or co[0].start > best.start):
        best = co[0]
    for cs, ce in segment.clauses(text, start, end):
        sw = _scope_word(text, cs, min(ce, cs + 3))
        if sw is not None and sw[1] == cs and (best is None or cs > best.start):
            best = _resolve_scope(art, ctx, sw[0], cs)
    return best


def _after_preposition(text: str, pos: int) -> bool:
    return text[max(0, pos - 2) : pos].endswith(tuple(lexicon.words("area_prepositions")))


def _jurisdiction(art: Article, m: Mention) -> Optional[Mention]:
    """The place a government body governs: 特区政府 → 香港, 国家数据局 → 中国."""
    hit = _place_forms().match_at(m.key, 0) if m.key else None
    if hit is not None:
        key = hit[1]
        p = lexicon.places().get(key)
        return Mention(m.start, m.end, m.text, p.kind if p else t.CITY, key, "scope.jurisdiction", 0.8)
    if m.key in lexicon.gov_bodies():
        return _synthetic(art, "中国", t.COUNTRY, m.start)
    return None


def _place_forms():
    from .entities import _place_gazetteer

    return _place_gazetteer()


def _dedupe(obs: list[Observation]) -> list[Observation]:
    """One observation per fact: a headline restating a body figure keeps the body's."""
    seen: dict[tuple, Observation] = {}
    for o in obs:
        k = (o.area, o.quantity.value, o.quantity.unit, o.status)
        cur = seen.get(k)
        if cur is None or (cur.period is None and o.period is not None):
            seen[k] = o
    keep = set(map(id, seen.values()))
    return [o for o in obs if id(o) in keep]


def _skip(art: Article, q: Quantity, sent_start: int) -> bool:
    text = art.text
    after = text[q.end : q.end + 1]
    before = text[max(0, q.start - 2) : q.start]
    if after == "的" and q.qualifier != "exact":
        return True  # 年营收超百亿元的龙头企业: a threshold in a description
    if before.endswith("每") or before.endswith("每10"):
        return True
    m = art.mention_at(q.start)
    if m is not None and m.kind in (t.EVENT, t.POLICY) or m is not None and m.kind in t.ORG_KINDS:
        return True
    return False


def _clause(text: str, s: int, e: int, pos: int) -> tuple[int, int]:
    for cs, ce in segment.clauses(text, s, e):
        if cs <= pos < ce:
            return cs, ce
    return s, e


def _area(art: Article, ctx: Context, start: int, end: int) -> tuple[Optional[Mention], int]:
    """The place or organisation the clause names before the number."""
    text = art.text
    best: Optional[Mention] = None
    best_end = start
    i = start
    while i < end:
        m = art.mention_at(i)
        if m is not None:
            if m.kind in _AREA_KINDS and m.end <= end and not _after_preposition(text, m.start):
                best, best_end = m, m.end
            elif m.kind == t.GOVERNMENT and m.end <= end:
                j = _jurisdiction(art, m)
                if j is not None:
                    best, best_end = j, m.end
            i = max(m.end, i + 1)
            continue
        i += 1
    scope = _scope_word(text, start, end)
    if scope is not None:
        word, pos = scope
        if best is None or pos >= best_end:
            target = _resolve_scope(art, ctx, word, pos)
            if target is not None:
                return target, pos + len(word)
    if best is None:
        co = _company_anaphor(art, start, end)
        if co is not None:
            return co
    return best, best_end


@functools.cache
def _scopes() -> dict[str, str]:
    out = {}
    for row in lexicon.words("area_scopes"):
        word, level = row.split("|")
        out[word] = level
    return out


def _scope_word(text: str, start: int, end: int) -> Optional[tuple[str, int]]:
    found = None
    for word in _scopes():
        k = text.rfind(word, start, end)
        if k < 0 or _baseline(text, k, k + len(word)):
            continue
        if found is None or k > found[1]:
            found = (word, k)
    return found


def _baseline(text: str, start: int, end: int) -> bool:
    """高于全国平均水平, 占全市的六成: the scope is what the area is compared with."""
    before = text[max(0, start - 2) : start]
    return text.startswith(("平均", "的比重", "比重", "总数"), end) or before.endswith(("占", "于", "比"))


def _resolve_scope(art: Article, ctx: Context, word: str, pos: int) -> Optional[Mention]:
    level = _scopes()[word]
    if level == "country":
        return _synthetic(art, "中国", t.COUNTRY, pos)
    if level == "region":
        regions = [m for m in art.live_mentions() if m.kind == t.REGION]
        if not regions:
            return None
        counts: dict[str, int] = {}
        for m in regions:
            counts[m.key] = counts.get(m.key, 0) + 1
        key = max(counts, key=lambda k: (counts[k], k))
        return Mention(pos, pos, "", t.REGION, key, "scope", 0.8)
    want = {"province": t.PROVINCE, "city": t.CITY, "district": t.DISTRICT}[level]
    # the nearest place of that level named before, else the article's own
    for m in reversed(art.live_mentions()):
        if m.start < pos and m.kind == want:
            return m
    key = {"province": ctx.province, "city": ctx.city, "district": ctx.district}[level]
    if key:
        return _synthetic(art, key, want, pos)
    return None


def _synthetic(art: Article, key: str, kind: str, pos: int) -> Mention:
    p = lexicon.places().get(key)
    art.entity(key, kind, label_en=p.en if p else "")
    return Mention(pos, pos, "", kind, key, "scope", 0.9)


@functools.cache
def _anaphors() -> tuple[tuple[str, frozenset[str], str], ...]:
    rows = []
    for row in lexicon.words("area_anaphors"):
        word, kinds, suffix = (row.split("|") + ["", ""])[:3]
        rows.append((word, frozenset(kinds.split(",")), suffix))
    return tuple(sorted(rows, key=lambda r: -len(r[0])))


def _company_anaphor(art: Article, start: int, end: int) -> Optional[tuple[Mention, int]]:
    """公司, 我们研究院, 新区: a word that points back to the last thing of its kind named."""
    text = art.text
    found = None
    for word, kinds, suffix in _anaphors():
        k = text.rfind(word, start, end)
        if k < 0 or art.owner[k] >= 0 or found is not None and k <= found[0]:
            continue
        for m in reversed(art.live_mentions()):
            if m.start < k and m.kind in kinds and m.key.endswith(suffix):
                found = (k, Mention(k, k + len(word), word, m.kind, m.key, "coref.anaphor", 0.8), k + len(word))
                break
        else:
            if t.COMPANY in kinds:
                for key, e in sorted(art.entities.items()):
                    if e.kind == t.COMPANY:
                        found = (k, Mention(k, k + len(word), word, e.kind, key, "coref.anaphor", 0.7), k + len(word))
                        break
    return (found[1], found[2]) if found else None


def _default_area(art: Article, ctx: Context) -> Optional[Mention]:
    """What an article is about when a clause names no area: the company it
    covers, its province or city, or the country, whichever it names most;
    the country wins ties, since national figures are the genre's default."""
    text = art.text
    counts: dict[str, int] = {}
    kinds: dict[str, str] = {}
    for m in art.live_mentions():
        if m.kind in (t.COUNTRY, t.PROVINCE, t.CITY, t.COMPANY):
            counts[m.key] = counts.get(m.key, 0) + 1
            kinds[m.key] = m.kind
    country = counts.get("中国", 0) + sum(text.count(w) for w, lv in _scopes().items() if lv == "country")
    best_key, best_n = "中国", country
    for key, word in ((ctx.province, "全省"), (ctx.city, "全市")):
        if key:
            n = counts.get(key, 0) + text.count(word)
            if n > best_n:
                best_key, best_n = key, n
    companies = [(n, k) for k, n in counts.items() if kinds[k] == t.COMPANY]
    if companies:
        n, k = max(companies)
        n += sum(text.count(w) for w, kinds, _ in _anaphors() if t.COMPANY in kinds and len(w) > 2)
        if n > best_n:
            best_key, best_n = k, n
    if best_n == 0:
        return None
    if best_key == "中国":
        return _synthetic(art, "中国", t.COUNTRY, 0)
    kind = kinds.get(best_key) or lexicon.places()[best_key].kind
    if kind == t.COMPANY:
        return Mention(0, 0, "", kind, best_key, "scope", 0.8)
    return _synthetic(art, best_key, kind, 0)


@functools.cache
def _fillers() -> tuple[tuple[str, ...], tuple[str, ...]]:
    lead, trail = [], []
    for row in lexicon.words("indicator_fillers"):
        side, word = row.split("|")
        (lead if side == "lead" else trail).append(word)
    key = lambda w: -len(w)  # noqa: E731
    return tuple(sorted(lead, key=key)), tuple(sorted(trail, key=key))


def _indicator(art: Article, start: int, q: Quantity, clause_end: int, prev: str, times, sent_start: int) -> str:
    """The noun phrase the number measures: before it in the clause, else after it."""
    text = art.text
    # skip time expressions inside the span
    span = list(text[start : q.start])
    for te in times:
        a, b = te.start + sent_start, te.end + sent_start
        for i in range(max(a, start), min(b, q.start)):
            span[i - start] = " "
    phrase = _clean("".join(span))
    if re.fullmatch(r"(同比|环比|较上年|比上年)?(增长|增加|提高|提升|下降|减少)?", phrase) and q.unit in ("%", "个百分点"):
        base = prev or ""
        return (base + (phrase or "增长")) if base else phrase
    if len(phrase) < 2:
        after = _clean(text[q.end : clause_end])
        if after:
            suffix = "数量" if q.unit not in ("CNY", "USD", "HKD", "MOP", "EUR", "JPY", "%") else ""
            return after + suffix
    return phrase


def _clean(s: str) -> str:
    lead, trail = _fillers()
    s = re.sub(r"\s+", "", s)
    s = re.sub(r"[。！？!?,，;；:：、]+$", "", s)
    s = re.sub(r"[“”\"‘’()（）《》]", "", s)
    changed = True
    while changed and s:
        changed = False
        for w in lead:
            if s.startswith(w) and len(s) > len(w):
                s, changed = s[len(w) :], True
        for w in trail:
            if s.endswith(w):
                s, changed = s[: -len(w)], True
    # keep only the trailing run of CJK/Latin (drop leading punctuation debris)
    m = re.search(r"[\u4e00-\u9fffA-Za-z0-9+“”]+$", s)
    return m.group(0) if m else ""


def _period(times, sent_start: int, c_start: int, pos: int, indicator: str, s_text: str) -> tuple[Optional[str], bool]:
    """The time that governs a number, nearest before it in the sentence, and
    whether the sentence said one at all (目前 says "now": no period, explicitly)."""
    chosen = None
    for te in times:
        a = te.start + sent_start
        if a >= pos:
            break
        if te.kind in ("range", "duration"):
            continue
        if te.kind == "now" and not s_text.startswith(_present_words(), te.start):
            # 已, 累计: no time of their own; an earlier as-of date still governs,
            # but not the date of an event told in another clause (去年10月完成融资，员工已近800人)
            if chosen is not None and chosen.kind in ("month", "day", "date") and chosen.start + sent_start < c_start <= a:
                chosen = te
            continue
        if s_text[max(0, te.start - 2) : te.start].endswith(("较", "比", "相比", "同比")):
            continue  # 较2023年增长: the baseline, not the period
        if a < c_start and _attribution(s_text, te.start):
            continue  # 今年政府工作报告提到，…: the time dates the source
        chosen = te
    if chosen is None:
        return None, False
    period = chosen.period
    if chosen.kind == "now":
        return None, True
    if period and chosen.kind in ("date", "day") and not s_text.startswith(("截至", "截止"), chosen.start):
        period = period[:4]  # 在2024年9月20日开幕的大会上签约…: the event's year
    if period and re.search(r"同比|增速|增长", indicator or "") and re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", period):
        period = period[:4]  # a growth rate is a year's
    return period, True


def _attribution(s_text: str, pos: int) -> bool:
    """Whether the clause holding ``pos`` ends in a verb that names a source."""
    for cs, ce in segment.clauses(s_text, 0, len(s_text)):
        if cs <= pos < ce:
            return s_text[cs:ce].rstrip().endswith(tuple(lexicon.words("attribution_verbs")))
    return False


@functools.cache
def _present_words() -> tuple[str, ...]:
    return tuple(lexicon.words("present_words"))


def _reports(s_text: str) -> bool:
    return any(w in s_text for w in _status_resets())


@functools.cache
def _status_resets() -> tuple[str, ...]:
    return tuple(lexicon.words("status_resets"))


def _status(pub_date: Optional[str], prefix: str, period: Optional[str]) -> str:
    status = numbers.detect_status(prefix, pub_date)
    if period and pub_date and period[:4].isdigit() and int(period[:4]) < int(pub_date[:4]):
        return "reported"  # 到2024年底 in a 2025 article: a figure already reached
    if status != "reported":
        # a later 已/目前/截至 in the same sentence means the number is a fact again
        cue_pos = max((prefix.rfind(c) for c in lexicon.words("status_cue_words")), default=-1)
        for r in _status_resets():
            if prefix.rfind(r) > cue_pos >= 0:
                return "reported"
        return status
    if period and pub_date and period[:4].isdigit() and int(period[:4]) > int(pub_date[:4]):
        return "target"  # 到2027年…: a figure for a year still to come
    return status


# -- Markdown tables -------------------------------------------------------

def _table_row(s: str) -> bool:
    return s.startswith("|") and s.rstrip().endswith("|")


def _cells(s: str) -> list[str]:
    return [c.strip() for c in s.strip().strip("|").split("|")]


def _table(art: Article, ctx: Context, sent) -> list[Observation]:
    """A metrics table: | 指标 | 2023年 | 2024年 | 同比 |, one observation per cell."""
    text = art.text
    doc = art.doc
    row = text[sent.start : sent.end]
    header = _table_header(text, sent.start)
    if header is None:
        return []
    head = _cells(header)
    cells = _cells(row)
    if len(cells) != len(head):
        return []
    name = cells[0]
    scale_unit = re.search(r"[(（](?P<u>[^)）]+)[)）]\s*$", name)
    indicator = re.sub(r"[(（][^)）]*[)）]\s*$", "", name)
    area = _default_area(art, ctx)
    if area is None:
        return []
    out = []
    last_year = None
    for h, c in zip(head[1:], cells[1:]):
        ym = re.fullmatch(r"(\d{4})年?", h)
        if ym:
            last_year = ym.group(1)
        cell = c
        if scale_unit and re.fullmatch(r"[+\-]?\d+(\.\d+)?", c):
            cell = c + scale_unit.group("u")
        qs = numbers.find_quantities(cell)
        if not qs:
            continue
        q = qs[0]
        col_ind = indicator if ym else indicator + h
        period = ym.group(1) if ym else last_year
        ev = Evidence(doc.doc_id, sent.start, sent.end, doc.text[sent.start : sent.end], "metric.table", 0.85)
        out.append(Observation(area.key, col_ind, replace(q, start=sent.start, end=sent.end), period, "reported", ev))
    return out


def _table_header(text: str, pos: int) -> Optional[str]:
    """The first row of the Markdown table that holds the row at ``pos``."""
    lines_start = text.rfind("\n", 0, pos) + 1
    header = None
    i = lines_start
    while i > 0:
        prev_start = text.rfind("\n", 0, i - 1) + 1
        line = text[prev_start : i - 1]
        if not _table_row(line.strip()):
            break
        if not re.fullmatch(r"\|[\s\-:|]+\|", line.strip()):
            header = line
        i = prev_start
    return header

