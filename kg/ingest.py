"""Files → :class:`kg.types.Document`: decoding, front matter, HTML to text,
page furniture removed, offsets kept.

``read_document`` is a short cascade; each stage exists because real pages
need it:

1. bytes: refuse what is not text (empty, binary, too large), then
   :func:`decode` (UTF-8, UTF-16 with BOM, GB18030, Big5).
2. format: YAML front matter gives title/date/author/source; an HTML page (or
   a body that is mostly tags) becomes blocks through selectolax, keeping the
   content container only; Markdown loses its markers.
3. lines → paragraphs: furniture lines go (cues in
   ``ontology/lexicons/furniture.tsv``), a related-headlines heading cuts
   everything after it, the header lines above the body give the date, the
   publisher and the reporters' byline; paragraphs that are mostly not Chinese
   are set aside.
4. the Document: paragraphs joined by ``"\\n"``, their spans, and
   :func:`normalize` of the text (same length, so offsets hold for both).

Paragraph text is always a piece of the decoded source (entities unescaped,
tags and Markdown markers removed), so evidence quoted from the source stays
literal.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Optional

from . import types as t
from .errors import InputError, KgError, LexiconError

SUPPORTED = (".txt", ".md", ".markdown", ".html", ".htm")
FURNITURE_FILE = "furniture.tsv"
# Size limits, so that one huge file cannot stall a build. Measured on one
# core: reading a 50 MB one-line file takes 5 s and 420 MB of memory, but
# extraction runs at about 0.2 MB of text a second (ten times slower on
# adversarial text), so that file would take minutes. A saved page with
# inline scripts and images can reach a few MB; a news article's text is
# rarely more than 50,000 characters (a five-year plan is about 70,000).
# Some recognizers rescan the whole sentence around each mention, so time
# grows with the square of a sentence's length: 5,000 characters without a
# sentence end take 2 s at worst, 20,000 take 40 s, and no prose has them.
# Files over a limit are skipped with the reason; `kg build --max-bytes`
# raises the first.
MAX_BYTES = 20 * 1024 * 1024
MAX_CHARS = 500_000
MAX_SENTENCE = 5_000
_SENTENCE_END = re.compile(r"[。！？!?\n]")

# -- small character helpers -------------------------------------------------

# str.strip() misses the zero-width characters that editors paste around text.
_WS = (
    " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004"
    "\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
    "\ufeff\u200b\u200c\u200d\u2060"
)
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_LATIN_WORD = re.compile(r"[A-Za-z]+")
# Line breaks as str.splitlines() sees them: inside an HTML block they are
# only layout, and a paragraph must never contain one.
# (?<!…): a match starts only where a run of blanks starts, else a long run
# without a break is rescanned from each of its characters (quadratic).
_BREAK_RUN = re.compile(r"(?<![ \t\xa0])[ \t\xa0]*[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029][\s\u3000]*")
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_FULL_DATE = re.compile(
    r"(?<![0-9])((?:19|20)[0-9]{2}) ?[-/.年] ?([0-9]{1,2}) ?[-/.月] ?([0-9]{1,2})(?![0-9])"
)
# Decoration around furniture cues: ■相关新闻, 【相关链接】, 相关新闻：
_DECOR = "■□●○◆◇▲△▼▽►▶★☆·•※#*【】[]〔〕()<>《》:|-—_=~…!?.,;、「」『』\"'“”‘’"
_LEAD_DECOR = "■□●○◆◇▲△▼▽►▶★☆·•※#*【[〔(<《>-—_=~| "
_FIELD_SEP = re.compile(r"[\u3000\t|｜]+| {2,}")
_SHORT = 120


def _strip(s: str) -> str:
    return s.strip(_WS)


def _cjk_count(s: str) -> int:
    return _CJK.subn("", s)[1]


# -- normalization -----------------------------------------------------------

_NFKC_CHAR: dict[str, str] = {}
_T2S_CHAR: dict[str, str] = {}
_MATCH_TABLE: dict[int, str] = {}


@functools.cache
def _converter() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


def _nfkc1(c: str) -> str:
    m = _NFKC_CHAR.get(c)
    if m is None:
        n = unicodedata.normalize("NFKC", c)
        m = n if len(n) == 1 else c
        _NFKC_CHAR[c] = m
    return m


def _t2s1(c: str) -> str:
    m = _T2S_CHAR.get(c)
    if m is None:
        try:
            n = _converter().convert(c)
        except Exception:  # opencc rejects some code points (surrogates)
            n = c
        m = n if len(n) == 1 else c
        _T2S_CHAR[c] = m
    return m


def _table(chars: Iterable[str], fn) -> dict[int, str]:
    table = {}
    for c in chars:
        m = fn(c)
        if m != c:
            table[ord(c)] = m
    return table


def normalize(text: str) -> str:
    """A same-length copy of ``text`` for matching: half-width, simplified.

    Each character becomes its NFKC form when that is one character
    (``１２０`` → ``120``, ``：`` → ``:``, ideographic space → space); then
    OpenCC ``t2s`` converts traditional to simplified characters, per
    character where the phrase-level conversion would change the length.

    >>> normalize("責任編輯：陳嘉欣 １２０億")
    '责任编辑:陈嘉欣 120亿'
    """
    if not text or text.isascii():
        return text
    table = _table(set(text), _nfkc1)
    s = text.translate(table) if table else text
    try:
        conv = _converter().convert(s)
    except Exception:  # surrogates and other code points opencc refuses
        conv = None
    if not isinstance(conv, str) or len(conv) != len(s):
        table = _table(set(s), _t2s1)
        conv = s.translate(table) if table else s
    if not _traditional(s, conv):
        # a simplified text keeps its rare characters: 昇思 is a name, not 升思
        return s
    # OpenCC maps some characters to ones it maps again (薴 → 苧 → 苎): finish
    # those chains so that normalize(normalize(x)) == normalize(x).
    table = _table(set(conv), _settle1)
    return conv.translate(table) if table else conv


def _traditional(before: str, after: str) -> bool:
    """Whether a text is written in traditional characters: t2s changes a fair
    share of its Chinese characters (a simplified article has at most a few
    characters OpenCC would change)."""
    cjk = sum(1 for c in before if "\u4e00" <= c <= "\u9fff")
    changed = sum(1 for a, b in zip(before, after) if a != b)
    return changed >= 2 and changed >= 0.03 * cjk


def _settle1(c: str) -> str:
    for _ in range(8):
        m = _t2s1(_nfkc1(c))
        if m == c:
            break
        c = m
    return c


def _match_form(s: str) -> str:
    """Per-character normalize plus ASCII lower case: the form cues match on."""
    new = [c for c in set(s) if ord(c) not in _MATCH_TABLE]
    for c in new:
        m = _t2s1(_nfkc1(c))
        if "A" <= m <= "Z":
            m = m.lower()
        _MATCH_TABLE[ord(c)] = m
    return s.translate(_MATCH_TABLE)


# -- the furniture lexicon ---------------------------------------------------

_LINE_KINDS = ("cut", "drop", "editor", "author", "source")
_MODES = {
    **{k: ("line", "start", "field", "any", "re") for k in _LINE_KINDS},
    "byline": ("start",),
    "media": ("end",),
    "class": ("word",),
    "editor_class": ("word",),
    "container": ("css",),
    "date_meta": ("name",),
}


@dataclass(frozen=True)
class _Cue:
    kind: str
    mode: str
    text: str  # in match form
    parts: tuple[str, ...] = ()
    pattern: Optional[re.Pattern] = None


@dataclass(frozen=True)
class Furniture:
    """The loaded ``furniture.tsv``: what page furniture looks like."""

    line_cues: tuple[_Cue, ...]
    bylines: tuple[str, ...]
    media: tuple[str, ...]
    classes: frozenset[str]
    editor_classes: frozenset[str]
    containers: tuple[str, ...]
    date_metas: frozenset[str]
    # indexes over line_cues, so that a line is tested only against the cues
    # that can match it (a page may have a million lines)
    by_key: dict[str, tuple[_Cue, ...]] = field(default_factory=dict)
    starts: tuple[_Cue, ...] = ()
    by_char: dict[str, tuple[_Cue, ...]] = field(default_factory=dict)
    patterns: tuple[_Cue, ...] = ()

    @functools.cached_property
    def start_prefixes(self) -> tuple[str, ...]:
        return tuple(c.text for c in self.starts)


def _decor_key(s: str) -> str:
    return "".join(s.split()).strip(_DECOR)


def furniture() -> Furniture:
    """The furniture cues (loaded once); raises LexiconError naming file:line."""
    from .lexicon import lexicon_dir

    return _load_furniture(str(lexicon_dir() / FURNITURE_FILE))


@functools.cache
def _load_furniture(path: str) -> Furniture:
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise LexiconError(f"{path}: lexicon file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise LexiconError(f"{path}: cannot read ({exc})") from None
    rows = []
    header_seen = False
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        cells = [c.strip() for c in raw.split("\t")]
        if not header_seen:
            if cells != ["kind", "mode", "cue"]:
                raise LexiconError(f"{path}:{number}: header must be kind<TAB>mode<TAB>cue")
            header_seen = True
            continue
        if len(cells) != 3:
            raise LexiconError(f"{path}:{number}: expected 3 tab-separated columns, found {len(cells)}")
        kind, mode, cue = cells
        if kind not in _MODES:
            raise LexiconError(f"{path}:{number}: unknown kind {kind!r}")
        if mode not in _MODES[kind]:
            raise LexiconError(f"{path}:{number}: mode {mode!r} does not go with kind {kind!r}")
        if not cue:
            raise LexiconError(f"{path}:{number}: empty cue")
        rows.append((number, kind, mode, cue))
    if not header_seen:
        raise LexiconError(f"{path}: no header line")

    line_cues: list[_Cue] = []
    bylines, media, containers = [], [], []
    classes, editor_classes, date_metas = set(), set(), set()
    for number, kind, mode, cue in rows:
        if kind in _LINE_KINDS:
            if mode == "re":
                try:
                    pattern = re.compile(cue)
                except re.error as exc:
                    raise LexiconError(f"{path}:{number}: bad regular expression ({exc})") from None
                line_cues.append(_Cue(kind, mode, cue, pattern=pattern))
            elif mode == "line":
                line_cues.append(_Cue(kind, mode, _decor_key(_match_form(cue))))
            elif mode == "any":
                parts = tuple(_match_form(p) for p in cue.split("+") if p)
                line_cues.append(_Cue(kind, mode, _match_form(cue), parts=parts))
            else:
                line_cues.append(_Cue(kind, mode, _match_form(cue)))
        elif kind == "byline":
            bylines.append(_match_form(cue))
        elif kind == "media":
            media.append(_match_form(cue))
        elif kind == "class":
            classes.add(cue.lower())
        elif kind == "editor_class":
            editor_classes.add(cue.lower())
        elif kind == "container":
            containers.append(cue)
        else:
            date_metas.add(cue.lower())
    # longest byline cue first: 本报记者 before 记者
    bylines.sort(key=len, reverse=True)
    by_key: dict[str, list[_Cue]] = {}
    by_char: dict[str, list[_Cue]] = {}
    for cue in line_cues:
        if cue.mode == "line":
            by_key.setdefault(cue.text, []).append(cue)
        elif cue.mode in ("field", "any"):
            first = (cue.parts or (cue.text,))[0]
            by_char.setdefault(first[0], []).append(cue)
    return Furniture(
        tuple(line_cues), tuple(bylines), tuple(media), frozenset(classes),
        frozenset(editor_classes), tuple(containers), frozenset(date_metas),
        by_key={k: tuple(v) for k, v in by_key.items()},
        starts=tuple(c for c in line_cues if c.mode == "start"),
        by_char={k: tuple(v) for k, v in by_char.items()},
        patterns=tuple(c for c in line_cues if c.mode == "re"),
    )


# -- inputs ------------------------------------------------------------------

def iter_inputs(paths: Iterable[str | Path]) -> list[Path]:
    """The files to read: given files as they are, folders walked recursively.

    Hidden files and folders inside a folder are skipped; every other regular
    file is returned (the caller decides on suffixes), sorted by path, once.
    A path that does not exist is returned too, so that reading it reports it.
    """
    found: dict[str, Path] = {}
    for p in paths:
        p = Path(p)
        if p.is_dir():
            for dirpath, dirnames, filenames in os.walk(p):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                for name in filenames:
                    if name.startswith("."):
                        continue
                    fp = Path(dirpath) / name
                    if fp.is_file():
                        found.setdefault(fp.as_posix(), fp)
        else:
            found.setdefault(p.as_posix(), p)
    return [found[k] for k in sorted(found)]


# -- decoding ----------------------------------------------------------------

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
_GB_FAMILY = frozenset({"gb2312", "gbk", "cp936", "ms936", "hz", "gb18030", "euc_cn", "euccn"})
# Signatures of the binary files that end up in article folders.
_MAGIC = (
    (b"%PDF-", "a PDF file"),
    (b"\x89PNG", "a PNG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"PK\x03\x04", "a ZIP archive (or Office document)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\xd0\xcf\x11\xe0", "an old Office document"),
    (b"RIFF", "a media file"),
    (b"\x7fELF", "an executable"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7z archive"),
)


def decode(data: bytes, name: str = "<bytes>") -> str:
    """Bytes → text: UTF-8 (with or without BOM), UTF-16/32 with BOM, else the
    encoding charset-normalizer finds (GB18030 for the whole GB family, Big5 …).

    Raises InputError(name, reason) when no encoding fits.
    """
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(enc)
            except UnicodeDecodeError as exc:
                raise InputError(name, f"not valid {enc} despite its byte-order mark "
                                       f"(byte {exc.start + len(bom)})") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        # Chinese in UTF-8 takes three bytes a character; GB text whose byte
        # pairs happen to be valid UTF-8 reads as Cyrillic or Greek instead.
        if text.isascii() or _CJK.search(text):
            return text
        try:
            gb = data.decode("gb18030")
        except UnicodeDecodeError:
            return text
        return gb if _mostly_chinese(gb) else text
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
    except Exception as exc:  # the detector is third-party: never let it escape
        raise InputError(name, f"cannot detect the text encoding ({exc})") from None
    enc = best.encoding if best is not None else ""
    try:
        import codecs

        canonical = codecs.lookup(enc).name if enc else ""
    except LookupError:
        canonical = enc
    gb = None
    try:
        gb = data.decode("gb18030")
    except UnicodeDecodeError:
        pass
    if gb is not None:
        # GB18030 is a superset of GBK and GB2312 (rare names still decode).
        # The detector can also mistake short or repetitive GB text for a
        # Cyrillic or Latin code page: when it did not choose another Chinese
        # encoding and GB18030 reads as Chinese, GB18030 wins.
        if canonical in _GB_FAMILY or enc in _GB_FAMILY:
            return gb
        if canonical not in _OTHER_CJK and _mostly_chinese(gb):
            return gb
    if best is None:
        raise InputError(name, "cannot detect the text encoding (not UTF-8, UTF-16, GB18030 or Big5)")
    try:
        return data.decode(enc)
    except (UnicodeDecodeError, LookupError):
        try:
            return str(best)
        except Exception:
            raise InputError(name, f"cannot decode as {enc}") from None


_OTHER_CJK = frozenset({"big5", "big5hkscs", "cp950", "euc_tw", "euc_jp", "shift_jis", "cp932",
                        "euc_kr", "cp949", "iso2022_jp", "johab"})
_CHINESE_OR_PUNCT = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\u2010-\u2027]")


def _mostly_chinese(text: str) -> bool:
    """At least nine in ten non-ASCII characters are Chinese or CJK punctuation."""
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))
    return non_ascii > 0 and _CHINESE_OR_PUNCT.subn("", text)[1] >= 0.9 * non_ascii


def _binary_reason(data: bytes) -> Optional[str]:
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return f"binary file ({what})"
    if data[4:8] == b"ftyp":
        return "binary file (a video or image)"
    if any(data.startswith(bom) for bom, enc in _BOMS if enc.startswith("utf-16") or enc.startswith("utf-32")):
        return None
    if b"\x00" in data:
        return "binary file (contains NUL bytes)"
    return None


# -- dates -------------------------------------------------------------------

def _valid_date(y: int, m: int, d: int) -> Optional[str]:
    import datetime

    try:
        return datetime.date(y, m, d).isoformat()
    except ValueError:
        return None


def _first_date(s: str) -> Optional[str]:
    """The first valid full date (year, month, day) in matched-form text."""
    for m in _FULL_DATE.finditer(s):
        iso = _valid_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if iso:
            return iso
    return None


def _date_of(value: Any) -> Optional[str]:
    """A metadata date (date object, ISO, 2025年3月18日, RFC 2822) → ISO."""
    import datetime

    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if not isinstance(value, str):
        return None
    s = _match_form(value.strip())[:200]
    iso = _first_date(s)
    if iso:
        return iso
    try:
        from email.utils import parsedate_to_datetime

        return parsedate_to_datetime(value.strip()).date().isoformat()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


# -- front matter ------------------------------------------------------------

_YAML_KEY = re.compile(r"^[ \t]*([A-Za-z_][\w-]*)[ \t]*:(.*)$")


def _split_front_matter(text: str) -> tuple[Optional[dict], str]:
    """YAML front matter (``---`` … ``---``, after blank lines) and the body."""
    pos, n = 0, len(text)
    while True:
        end = text.find("\n", pos)
        end = n if end < 0 else end
        line = text[pos:end]
        if _strip(line):
            break
        if end >= n:
            return None, text
        pos = end + 1
    if _strip(line) != "---":
        return None, text
    start = p = end + 1
    limit = min(n, start + 65536)  # front matter is short; never scan a huge file
    while p < limit:
        e = text.find("\n", p)
        e = n if e < 0 else e
        if _strip(text[p:e]) in ("---", "..."):
            block = text[start:p]
            if not any(_YAML_KEY.match(ln) for ln in block.splitlines()):
                return None, text
            return _parse_yaml(block), text[e + 1:]
        p = e + 1
    return None, text


def _parse_yaml(block: str) -> dict:
    import yaml

    try:
        data = yaml.safe_load(block)
    except Exception:  # malformed YAML: fall back to plain key: value lines
        data = None
    if not isinstance(data, dict):
        data = {}
        for ln in block.splitlines():
            m = _YAML_KEY.match(ln)
            if m:
                data[m.group(1)] = m.group(2).strip().strip("'\"")
    return {str(k).lower(): v for k, v in data.items()}


def _fm_text(value: Any) -> str:
    if value is None or isinstance(value, (dict, list)):
        return ""
    return _strip(_BREAK_RUN.sub(" ", str(value)))


# -- Markdown and plain text -------------------------------------------------

@dataclass
class _Line:
    text: str
    zone: str = "auto"  # auto | header (above the article) | trailer (below it)
    heading: bool = False


_MD_HEADING = re.compile(r"^#{1,6}(?:[ \t]+|$)")
_MD_BULLET = re.compile(r"^(?:[-*+]|[0-9]{1,3}[.)])[ \t]+")
# no "[" inside: each try stops at the next "[", so a line of "[[[[" is read
# once, not once per bracket
_MD_IMAGE = re.compile(r"!\[[^\[\]\n]*\]\([^)\[\n]*\)")
_MD_LINK = re.compile(r"\[([^\[\]\n]*)\]\([^)\[\n]*\)")
_MD_STRONG = re.compile(r"(\*\*|__)([^*_\n]+)\1")
_MD_EM = re.compile(r"(?<![*\w])\*([^*\n]+)\*(?![*\w])")
_MD_CODE = re.compile(r"`([^`\n]+)`")
_TABLE_SEP_CHARS = frozenset("|:- \t")
_RULE_CHARS = frozenset("-—–_*=~─━═＝－﹣ \t\u3000")
_BULLET_CHARS = "·•▪◦"


def _unescape(s: str) -> str:
    if "&" not in s:
        return s
    import html

    return _ENTITY.sub(lambda m: html.unescape(m.group(0)), s)


def _text_lines(body: str, markdown: bool) -> list[_Line]:
    out = []
    for raw in body.splitlines():
        s = _strip(raw)
        if not s:
            continue
        if len(s) >= 3 and set(s) <= _RULE_CHARS:
            continue  # horizontal rule
        heading = False
        if markdown:
            if s.startswith("|"):
                if set(s) <= _TABLE_SEP_CHARS:
                    continue
                # a table row stays one paragraph, pipes included
                out.append(_Line(_unescape(s)))
                continue
            m = _MD_HEADING.match(s)
            if m:
                s, heading = s[m.end():].rstrip("# \t"), True
            while s.startswith(">"):
                s = s[1:].lstrip(" \t")
            m = _MD_BULLET.match(s)
            if m:
                s = s[m.end():]
            if "!" in s or "[" in s:
                s = _MD_LINK.sub(r"\1", _MD_IMAGE.sub("", s))
            if "*" in s or "_" in s:
                s = _MD_EM.sub(r"\1", _MD_STRONG.sub(r"\2", s))
            if "`" in s:
                s = _MD_CODE.sub(r"\1", s)
        if s[:1] in _BULLET_CHARS:
            s = s[1:]
        s = _strip(_unescape(s))
        if s:
            out.append(_Line(s, heading=heading))
    return out


_HTML_TAG = re.compile(
    r"<(?:!doctype|html|head|body|p|div|br|span|a|h[1-6]|table|tr|td|li|ul|ol|section"
    r"|article|img|meta|script|style|strong|em|font|center|blockquote|iframe)\b",
    re.IGNORECASE,
)


def _looks_like_html(text: str) -> bool:
    """Mostly markup: most lines start with a tag, and there are real tags."""
    tags = 0
    for _ in _HTML_TAG.finditer(text):
        tags += 1
        if tags >= 2:
            break
    if tags < 2:
        return False
    lines = tagged = 0
    for raw in text.splitlines():
        s = raw.strip()
        if s:
            lines += 1
            tagged += s.startswith("<")
    return lines > 0 and tagged / lines >= 0.4


# -- HTML --------------------------------------------------------------------

_JUNK_TAGS = ["script", "style", "noscript", "template", "iframe", "svg", "canvas", "object",
              "embed", "select", "textarea", "button", "input", "nav", "footer", "aside", "head"]
_BLOCK_TAGS = frozenset({
    "p", "div", "section", "article", "main", "header", "h1", "h2", "h3", "h4", "h5", "h6",
    "li", "ul", "ol", "dl", "dt", "dd", "blockquote", "pre", "table", "thead", "tbody", "tfoot",
    "tr", "caption", "figure", "figcaption", "form", "fieldset", "address", "hr", "center",
    "body", "html", "details", "summary", "menu", "dir", "legend", "option",
})
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_CLASS_SPLIT = re.compile(r"[^A-Za-z0-9]+")
_TITLE_SUFFIX = re.compile(r"(?<!\s)\s*(?:_|\||｜| - | — |－|——)\s*")  # (?<!\s): see _BREAK_RUN


@dataclass
class _Html:
    lines: list[_Line]
    title: str = ""
    date: Optional[str] = None
    site: str = ""


def _class_tokens(attrs: dict) -> set[str]:
    out = set()
    for key in ("class", "id"):
        v = attrs.get(key)
        if v:
            for tok in _CLASS_SPLIT.split(_CAMEL.sub(" ", v)):
                if tok:
                    out.add(tok.lower())
    return out


def _collapse(s: str) -> str:
    return _strip(_BREAK_RUN.sub(" ", s))


def _html(markup: str, fur: Furniture) -> _Html:
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(markup)
    out = _Html([])
    page_title = ""
    node = tree.css_first("title")
    if node is not None:
        page_title = _collapse(node.text())
    for meta in tree.css("meta"):
        attrs = meta.attributes
        key = (attrs.get("name") or attrs.get("property") or attrs.get("itemprop") or "").lower()
        content = attrs.get("content") or ""
        if not out.date and key in fur.date_metas:
            out.date = _date_of(content)
        elif key == "og:site_name" and not out.site:
            out.site = _collapse(content)
    tree.strip_tags(_JUNK_TAGS)
    root = tree.body or tree.root
    if root is None:
        return out

    # the headline: the <h1> that the <title> repeats, else the longest
    title_node = None
    squashed_title = "".join(page_title.split())
    best = -1
    for h in tree.css("h1"):
        text = _collapse(h.text())
        if not text:
            continue
        sq = "".join(text.split())
        score = len(sq) + (1000 if squashed_title and sq in squashed_title else 0)
        if score > best:
            best, title_node = score, h
    if title_node is not None:
        out.title = _collapse(title_node.text())
    elif page_title:
        parts = _TITLE_SUFFIX.split(page_title)
        out.title = parts[0] if len(parts) > 1 and len(parts[0]) >= 4 else page_title

    nodes, parent, deep = _tree_counts(root)
    # The element whose <p> children (and own text) hold the most Chinese:
    # the article body on nearly every news page.
    score = [0] * len(nodes)
    for i, n in enumerate(nodes):
        if parent[i] >= 0 and (n.tag == "p" or n.is_text_node):
            score[parent[i]] += deep[i]
    body_i = max(range(len(nodes)), key=lambda i: (score[i], -i))
    protect = _ancestors(body_i, parent)
    title_id = title_node.mem_id if title_node is not None else None
    if title_node is not None:
        for i, n in enumerate(nodes):
            if n.mem_id == title_id:
                protect |= _ancestors(i, parent)
                break

    # furniture blocks by class/id, except the ones holding the article
    editor_texts: list[str] = []
    doomed = []
    removed = [False] * len(nodes)
    for i, n in enumerate(nodes):
        if parent[i] >= 0 and removed[parent[i]]:
            removed[i] = True
            continue
        if i in protect or not n.is_element_node:
            continue
        tokens = _class_tokens(n.attributes)
        if not tokens:
            continue
        if tokens & fur.editor_classes:
            editor_texts.append(_collapse(n.text()))
            removed[i] = True
        elif tokens & fur.classes:
            removed[i] = True
        if removed[i]:
            doomed.append(n)
    body_id = nodes[body_i].mem_id
    for n in doomed:
        n.decompose()

    # the container: the nearest known content element around the body,
    # unless it holds much more than the body (then it is a page wrapper)
    nodes, parent, deep = _tree_counts(root)
    index = {n.mem_id: i for i, n in enumerate(nodes)}
    body_i = index.get(body_id, 0)
    known = set()
    for sel in fur.containers:
        try:
            known.update(n.mem_id for n in root.css(sel))
        except Exception:  # a selector lexbor does not support
            continue
    container_i = body_i
    i = body_i
    while i >= 0:
        if nodes[i].mem_id in known:
            if deep[body_i] >= 0.6 * deep[i]:
                container_i = i
            break
        i = parent[i]
    blocks = _blocks(nodes[0], nodes[container_i].mem_id, title_id)

    title_pos = next((k for k, b in enumerate(blocks) if b[2]), None)
    first_content = next((k for k, b in enumerate(blocks) if b[0] == "content"), len(blocks))
    if title_pos is not None and title_pos < first_content:
        header = blocks[title_pos + 1:first_content]
    else:
        header = blocks[max(0, first_content - 8):first_content]
    for zone, text, is_title in header:
        if zone == "before" and not is_title:
            out.lines.append(_Line(text, zone="header"))
    for zone, text, is_title in blocks:
        if zone == "content":
            out.lines.append(_Line(text, heading=is_title))
    for zone, text, is_title in blocks:
        if zone == "after":
            out.lines.append(_Line(text, zone="trailer"))
    out.lines.extend(_Line(text, zone="trailer") for text in editor_texts if text)
    return out


def _tree_counts(root) -> tuple[list, list[int], list[int]]:
    """Nodes in document order, each one's parent index and Chinese-character count."""
    nodes = list(root.traverse(include_text=True))
    index = {n.mem_id: i for i, n in enumerate(nodes)}
    parent = []
    deep = []
    for n in nodes:
        p = n.parent
        parent.append(index.get(p.mem_id, -1) if p is not None else -1)
        deep.append(_cjk_count(n.text_content or "") if n.is_text_node else 0)
    for i in range(len(nodes) - 1, 0, -1):
        if parent[i] >= 0:
            deep[parent[i]] += deep[i]
    return nodes, parent, deep


def _ancestors(i: int, parent: list[int]) -> set[int]:
    out = set()
    while i >= 0 and i not in out:
        out.add(i)
        i = parent[i]
    return out


def _blocks(root, container_id: int, title_id: Optional[int]) -> list[tuple[str, str, bool]]:
    """Block texts in document order: (before|content|after, text, is_title)."""
    out: list[tuple[str, str, bool]] = []
    buf: list[str] = []
    state = {"zone": "before", "title": False}

    def flush() -> None:
        if buf:
            text = _collapse("".join(buf))
            buf.clear()
            if text:
                out.append((state["zone"], text, state["title"]))

    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, leaving = stack.pop()
        if leaving:
            if node.tag in _BLOCK_TAGS or node.mem_id in (container_id, title_id):
                flush()
            if node.mem_id == container_id:
                state["zone"] = "after"
            if node.mem_id == title_id:
                state["title"] = False
            continue
        if node.is_text_node:
            buf.append(node.text_content or "")
            continue
        if not node.is_element_node:
            continue  # comments, doctype
        tag = node.tag
        if tag == "br" or tag == "hr":
            flush()
            continue
        if tag in _BLOCK_TAGS or node.mem_id in (container_id, title_id):
            flush()
        elif tag in ("td", "th") and buf and not buf[-1][-1:].isspace():
            buf.append(" ")
        if node.mem_id == container_id:
            state["zone"] = "content"
        if node.mem_id == title_id:
            state["title"] = True
        stack.append((node, True))
        children = list(node.iter(include_text=True))
        stack.extend((c, False) for c in reversed(children))
    flush()
    return out


# -- lines → paragraphs ------------------------------------------------------

@dataclass
class _Hit:
    cue: _Cue
    start: int
    end: int


def _classify(n: str, fur: Furniture) -> tuple[str, list[_Hit]]:
    """cut | drop | content, with the editor/author/source cues found."""
    short = len(n) <= _SHORT
    key = _decor_key(n) if len(n) <= 4 * _SHORT else ""
    lead = n.lstrip(_LEAD_DECOR)
    kind = "content"
    hits: list[_Hit] = []
    candidates: list[_Cue] = list(fur.by_key.get(key, ())) if key else []
    prefixes = fur.start_prefixes
    if n.startswith(prefixes) or lead.startswith(prefixes):
        candidates.extend(fur.starts)
    if short:
        for c in set(n).intersection(fur.by_char):
            candidates.extend(fur.by_char[c])
        candidates.extend(fur.patterns)
    for cue in candidates:
        span = _match_cue(cue, n, key, lead, short)
        if span is None:
            continue
        if cue.kind == "cut":
            return "cut", []
        kind = "drop"
        if cue.kind in ("editor", "author", "source"):
            hits.append(_Hit(cue, *span))
    hits.sort(key=lambda h: (h.start, h.end, h.cue.text))
    return kind, hits


def _match_cue(cue: _Cue, n: str, key: str, lead: str, short: bool) -> Optional[tuple[int, int]]:
    if cue.mode == "line":
        return (0, len(n)) if key == cue.text else None
    if cue.mode == "start":
        if n.startswith(cue.text):
            return 0, len(cue.text)
        if lead.startswith(cue.text):
            off = len(n) - len(lead)
            return off, off + len(cue.text)
        return None
    if not short:
        return None
    if cue.mode == "field":
        i = n.find(cue.text)
        while i >= 0:
            if i == 0 or not n[i - 1].isalpha():
                return i, i + len(cue.text)
            i = n.find(cue.text, i + 1)
        return None
    if cue.mode == "any":
        if all(p in n for p in cue.parts):
            i = n.find(cue.parts[0])
            return i, i + len(cue.parts[0])
        return None
    m = cue.pattern.search(n) if cue.pattern else None
    return (m.start(), m.end()) if m else None


_VALUE_STOP = frozenset(" \t\u3000|｜】）)]，,；;。、\"“”")


def _value_after(s: str, n: str, end: int) -> tuple[int, int]:
    """The span of the value that follows a cue: 来源：经济日报 → 经济日报."""
    i = end
    while i < len(n) and n[i] in " :\t":
        i += 1
    j = i
    while j < len(n) and n[j] not in _VALUE_STOP:
        j += 1
    return i, j


def _names_after(s: str, n: str, end: int) -> list[str]:
    """Names after an editor cue: 编辑：张某某 李明 → [张某某, 李明]."""
    i = end
    while i < len(n) and n[i] in " :\t":
        i += 1
    j = i
    while j < len(n) and n[j] not in "\t\u3000|｜】）)]，,；;。" and n[j:j + 2] != "  ":
        j += 1
    names = []
    for part in re.split(r"[ 、/]+", s[i:j])[:4]:
        part = _strip(part)
        if 2 <= len(part) <= 8 and _cjk_count(part) + part.count("·") == len(part):
            names.append(part)
    return names


def _fields(n: str) -> list[tuple[int, int]]:
    """Spans of the fields of a header line, split at wide gaps and bars."""
    out, pos = [], 0
    for m in _FIELD_SEP.finditer(n):
        if m.start() > pos:
            out.append((pos, m.start()))
        pos = m.end()
    if pos < len(n):
        out.append((pos, len(n)))
    return out


def _byline(s: str, n: str, fur: Furniture) -> Optional[str]:
    """A reporter byline field (记者 张某某 李某), verbatim, or None."""
    i, j = 0, len(n)
    while i < j and n[i] in "([【（〔 ":
        i += 1
    while j > i and n[j - 1] in ")]】）〕 ":
        j -= 1
    core = n[i:j]
    if not 3 <= len(core) <= 40:
        return None
    for cue in fur.bylines:
        if core.startswith(cue):
            rest = core[len(cue):].lstrip(" :")
            if rest and _cjk_count(rest) >= 2 and ":" not in rest:
                return s[i:j]
            return None
    return None


_CRUMB_SEP = re.compile(r"[>›»]")


def _is_breadcrumb(n: str) -> bool:
    """首页 > 政务公开 > 通知公告, 财经 >: a short path of short section names."""
    if len(n) > 80 or not _CRUMB_SEP.search(n) or any(c in n for c in "。,;!?"):
        return False
    parts = [p.strip() for p in _CRUMB_SEP.split(n)]
    named = [p for p in parts if p]
    if not named or any(len(p) > 12 or not p[0].isalpha() for p in named):
        return False
    # one separator inside a line might be a comparison; spaced or trailing
    # separators, or several, are a path
    return len(parts) > 2 or not parts[-1] or " >" in n or "> " in n


def _is_prose(n: str) -> bool:
    cjk = _cjk_count(n[:200])
    return cjk >= 40 or (cjk >= 15 and "。" in n)


def _is_headline(n: str, fur: Furniture) -> bool:
    if len(n) > 80 or "。" in n or n[-1:] in ",;:、" or _cjk_count(n) < 2:
        return False
    return not any(n.startswith(c) for c in fur.bylines)


def _is_date_line(n: str) -> bool:
    return len(n) <= 80 and "。" not in n and _first_date(n) is not None


def _is_foreign(s: str) -> bool:
    """Mostly not Chinese. A Latin word counts as one unit, as a Chinese
    character does: counting letters would drop a Chinese paragraph that
    quotes one English sentence."""
    if len(s) > 5000:
        s = s[:5000]  # a sample is enough to tell the language
    cjk = _cjk_count(s)
    if cjk == 0:
        return True
    words = _LATIN_WORD.subn("", s)[1]
    return cjk / (cjk + words) < 0.3


def _squash(s: str) -> str:
    return "".join(_match_form(s).split()).strip(_DECOR)


def _looks_media(n: str, fur: Furniture) -> bool:
    return (2 <= len(n) <= 20 and not any(c.isdigit() for c in n)
            and any(n.endswith(m) for m in fur.media))


@dataclass
class _Collected:
    paragraphs: list[str] = field(default_factory=list)
    title: str = ""
    date: Optional[str] = None
    sources: list[tuple[int, int, str]] = field(default_factory=list)  # (rank, order, name)
    meta: list[tuple[str, str]] = field(default_factory=list)

    def source(self, rank: int, name: str) -> None:
        self.sources.append((rank, len(self.sources), name))

    def add_meta(self, key: str, value: str) -> None:
        if value and (key, value) not in self.meta:
            self.meta.append((key, value))


def _harvest(s: str, n: str, hits: list[_Hit], out: _Collected, source_rank: int) -> None:
    for hit in hits:
        if hit.cue.kind == "editor":
            for name in _names_after(s, n, hit.end):
                out.add_meta("editor", name)
        elif hit.cue.kind == "author":
            for name in _names_after(s, n, hit.end):
                out.add_meta("author", name)
        elif hit.cue.kind == "source":
            i, j = _value_after(s, n, hit.end)
            value = s[i:j]
            low = n[i:j]
            if (2 <= len(value) <= 30 and ":" not in low and not low.startswith(("http", "www"))
                    and (_cjk_count(value) or value.isalpha())):
                out.source(source_rank, value)


def _assemble(lines: list[_Line], fur: Furniture, title_hint: str) -> _Collected:
    """Walk the lines once: drop furniture, read the header, keep the article."""
    out = _Collected(title=title_hint)
    hint_key = _squash(title_hint) if title_hint else ""
    body = cut = False
    first_content = True
    for line in lines:
        s = line.text
        # every cue and header test looks at short lines or at the start of a
        # line only: a long paragraph needs just its head in match form
        n = _match_form(s if len(s) <= 4 * _SHORT else s[:4 * _SHORT])
        kind, hits = _classify(n, fur)
        if kind == "content" and _is_breadcrumb(n):
            kind = "drop"
        if cut or line.zone == "trailer":
            # below the article only the editor lines and the publisher count
            _harvest(s, n, [h for h in hits if h.cue.kind != "author"], out, 4)
            continue
        if kind == "cut":
            cut = body  # a related list above the article loses its heading only
            continue
        header = line.zone == "header" or not body
        if kind == "drop" or (header and _is_date_line(n)):
            _harvest(s, n, hits, out, 2 if header else 4)
            if len(n) < len(s):
                continue  # a long furniture line: nothing to read in its fields
            if header:
                if out.date is None:
                    out.date = _first_date(n)
                for a, b in _fields(s):
                    f = n[a:b].strip()
                    if not hits and _looks_media(f, fur) and not _first_date(f):
                        out.source(3, _strip(s[a:b]))
            for a, b in _fields(s):
                by = _byline(s[a:b], n[a:b], fur)
                if by:
                    out.paragraphs.append(by)
            continue
        if line.zone == "header":
            by = _byline(s, n, fur)
            if by:
                out.paragraphs.append(by)
            continue
        if hint_key and not body and len(s) <= 2 * len(title_hint) + 20 and _squash(s) == hint_key:
            first_content = False
            continue  # the given title, repeated at the top of the body
        if first_content:
            first_content = False
            if not title_hint and not body and (line.heading or _is_headline(n, fur)):
                out.title = s
                out.paragraphs.append(s)
                continue
        if not body and _is_prose(n):
            body = True
        out.paragraphs.append(s)
    return out


# -- the document ------------------------------------------------------------

def _relative(path: Path, root: Optional[Path]) -> str:
    if root is not None:
        root = Path(root)
        for p, r in ((path, root), (path.absolute(), root.absolute())):
            try:
                rel = p.relative_to(r).as_posix()
            except ValueError:
                continue
            return path.name if rel == "." else rel
    return path.as_posix()


def read_document(path: Path | str, root: Optional[Path] = None, *,
                  max_bytes: int = MAX_BYTES) -> t.Document:
    """Read one article file into a Document.

    Raises InputError(path, reason) for anything that is not a readable
    Chinese article: unsupported suffix, empty, binary, undecodable, larger
    than ``max_bytes`` (checked before reading), or no Chinese text left once
    the page furniture is gone. `check_extractable` applies the limits of
    extraction.

    >>> read_document(Path("tests/data/dev/01.txt")).pub_date  # doctest: +SKIP
    '2025-01-16'
    """
    path = Path(path)
    name = str(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise InputError(name, f"unsupported file type {suffix or '(no suffix)'} "
                               f"(expected {', '.join(SUPPORTED)})")
    fur = furniture()  # a broken lexicon is the installation's fault: not an InputError
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(name, f"too large for an article ({_mb(size)}, limit {_mb(max_bytes)}; "
                                   "see --max-bytes)")
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(name, f"cannot read ({exc.strerror or exc})") from None
    if not data.strip():
        raise InputError(name, "empty file")
    reason = _binary_reason(data)
    if reason:
        raise InputError(name, reason)
    text = decode(data, name)
    try:
        return _build(path, root, data, text, suffix, fur)
    except KgError:
        raise
    except Exception as exc:
        # One odd page (or a parser's quirk on it) must not stop a build: the
        # file is reported as skipped, with the failure named.
        raise InputError(name, f"cannot be read as an article ({type(exc).__name__}: {exc})") from None


def check_extractable(doc: t.Document, name: str) -> None:
    """Raise InputError(name, reason) when ``doc`` is too long to extract in
    reasonable time: more than MAX_CHARS characters, or more than
    MAX_SENTENCE without a sentence end (see MAX_BYTES for why)."""
    if len(doc.text) > MAX_CHARS:
        raise InputError(name, f"too long for an article ({len(doc.text):,} characters of text, "
                               f"limit {MAX_CHARS:,})")
    longest = max(map(len, _SENTENCE_END.split(doc.text)))
    if longest > MAX_SENTENCE:
        raise InputError(name, f"not prose: {longest:,} characters without a sentence end "
                               f"(limit {MAX_SENTENCE:,})")


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB"


def _build(path: Path, root: Optional[Path], data: bytes, text: str, suffix: str,
           fur: Furniture) -> t.Document:
    name = str(path)
    if text.startswith("\ufeff"):
        text = text[1:]
    meta_date: Optional[str] = None
    title_hint = ""
    pre = _Collected()
    fm = None
    body = text
    if suffix not in (".html", ".htm"):
        fm, body = _split_front_matter(text)
    if fm:
        title_hint = _fm_text(fm.get("title"))
        for key in ("date", "pubdate", "publishdate", "published", "publish_date"):
            if fm.get(key) is not None:
                meta_date = _date_of(fm.get(key))
                if meta_date:
                    break
        source = _fm_text(fm.get("source") or fm.get("publisher"))
        if source and not _match_form(source).startswith(("http", "www")):
            pre.source(1, source)
        author = _fm_text(fm.get("author"))
        if author:
            if not source and _looks_media(_match_form(author), fur):
                pre.source(1, author)
            else:
                pre.add_meta("author", author)

    html_page = suffix in (".html", ".htm") and _HTML_TAG.search(body) is not None
    if html_page or _looks_like_html(body):
        page = _html(body, fur)
        lines = page.lines
        meta_date = meta_date or page.date
        title_hint = title_hint or page.title
        if page.site:
            pre.source(5, page.site)
    else:
        markdown = suffix in (".md", ".markdown") or fm is not None
        lines = _text_lines(body, markdown)

    got = _assemble(lines, fur, title_hint)
    paragraphs: list[str] = []
    meta = list(pre.meta)
    for i, p in enumerate(got.paragraphs):
        if _is_foreign(p) and not (i == 0 and p == got.title):
            if _LATIN_WORD.search(p):
                meta.append(("english", p))
            continue
        paragraphs.append(p)
    title = got.title
    if title_hint:
        paragraphs.insert(0, title_hint)
    if not any(_CJK.search(p) for p in paragraphs):
        raise InputError(name, "no Chinese text left after removing page furniture")
    for kv in got.meta:
        if kv not in meta:
            meta.append(kv)
    sources = sorted(pre.sources + got.sources)
    spans = []
    pos = 0
    for p in paragraphs:
        spans.append(t.Paragraph(pos, pos + len(p)))
        pos += len(p) + 1
    doc_text = "\n".join(paragraphs)
    return t.Document(
        doc_id=path.stem,
        path=_relative(path, root),
        text=doc_text,
        paragraphs=tuple(spans),
        title=title,
        pub_date=meta_date or got.date,
        source=sources[0][2] if sources else "",
        content_hash=hashlib.sha256(data).hexdigest(),
        meta=tuple(meta),
        norm=normalize(doc_text),
    )
