"""Tests for kg.ingest: decoding, formats, furniture removal, header reading."""

from __future__ import annotations

import hashlib
import json
import re
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg import ingest
from kg.errors import InputError, LexiconError
from kg.ingest import decode, iter_inputs, normalize, read_document

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
DEV = ROOT / "tests" / "data" / "dev"
GOLD = ROOT / "tests" / "data" / "gold"


def _articles() -> list[tuple[str, Path, Path]]:
    out = []
    for f in sorted(SEEDS.glob("*.txt")):
        out.append((f.name[:3], f, GOLD / f"seed-{f.name[:3]}.json"))
    for f in sorted(DEV.iterdir()):
        if f.suffix in (".txt", ".md", ".html") and f.name != "README.md":
            out.append((f.stem, f, DEV / f"{f.stem.split('-')[0]}.json"))
    return out


ARTICLES = _articles()
IDS = [a[0] for a in ARTICLES]


@pytest.fixture(scope="module")
def docs() -> dict:
    return {key: read_document(path, root=ROOT) for key, path, _ in ARTICLES}


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


# -- every seed and dev article ------------------------------------------------

def test_all_articles_are_found():
    assert len(ARTICLES) == 4 + 11


@pytest.mark.parametrize("key,path,gold_path", ARTICLES, ids=IDS)
def test_gold_evidence_survives_and_date_matches(docs, key, path, gold_path):
    doc = docs[key]
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    assert doc.pub_date == gold["pub_date"]
    norm = _squash(doc.norm)
    for item in gold.get("observations", []):
        if not item.get("optional"):
            assert _squash(normalize(item["evidence"])) in norm, item["evidence"]


# Noise names that also occur in the article body itself (a linked word inside
# a sentence), so they legitimately stay in the text.
IN_BODY = {"001": {"机器人"}}


@pytest.mark.parametrize("key,path,gold_path", ARTICLES, ids=IDS)
def test_no_noise_entity_survives(docs, key, path, gold_path):
    doc = docs[key]
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    for name in gold.get("noise_entities", []):
        if name not in IN_BODY.get(key, set()):
            assert normalize(name) not in doc.norm, name


# Furniture seen by hand in each file: none of it may remain.
FURNITURE = {
    "000": ["英语如下", "Wang Zheng", "【来源】", "egsea", "Views", "发表回复", "邮箱地址"],
    "001": ["海量资讯", "责任编辑", "王蒙", "appendQr", "news_keyword", "&#123;"],
    "002": ["来源:", "相关文章", "铁路", "青海昌通", "友情链接", "2025年02月15日"],
    "003": ["财经 >", "资料图片", "标签", "相关阅读", "麦收", "电影院", "康佳集团", "伟禄集团",
            "31765", "来源:经济日报"],
    "01": ["点击量", "3862", "字号", "打印本页", "关闭窗口", "相关新闻", "合肥高新区2024年",
           "1200家", "168万辆", "责任编辑", "李婉清"],
    "02": ["阅读量", "2.1万", "风险提示", "相关推荐", "寒光半导体", "王立新", "分享到", "作者："],
    "03": ["首页 >", "政务公开 >", "字体", "打印本页", "【相关链接】", "41.06", "扫一扫",
           "主办单位", "bm99000017", "——————"],
    "04": ["成都日报 >", "分享到", "QQ空间", "【纠错】", "扫码关注", "成都发布", "相关新闻",
           "128个", "天府国际机场", "编辑：", "审核：", "王梓涵"],
    "04-gb18030": ["成都日报 >", "分享到", "扫码关注", "相关新闻", "天府国际机场", "审核："],
    "05": ["2025年04月08日", "本文来源", "责任编辑", "刘畅"],
    "06": ["星期一", "A12版", "相關新聞", "港交所", "320億", "責任編輯", "陳嘉欣"],
    "07": ["2025062011873", "channelId", "登录", "要闻", "当前位置", "阅读：", "12,806",
           "分享到", "相关阅读", "热门排行", "澜芯科技", "马骁", "589家", "Copyright", "ICP备",
           "31010402008821", "31120170004", "63501234", "责任编辑", "陆雯"],
    "08": ["免责声明", "欢迎关注", "微信公众号", "---", "**", "# ", "| --- |"],
    "09": ["第02版", "星期四", "相关新闻", "武汉地铁12号线", "59.9", "5000套", "13.8%",
           "点击：", "1,024", "【编辑", "付晓宁"],
    "10": ["阅读 5,832", "5,832", "分享 |", "字号", "相关新闻", "嘉兴", "南京江北新区",
           "责任编辑", "孙悦"],
}


@pytest.mark.parametrize("key", sorted(FURNITURE))
def test_furniture_is_removed(docs, key):
    for piece in FURNITURE[key]:
        assert piece not in docs[key].text, piece


TITLES = {
    "000": "",
    "001": "工信部：我国人工智能核心产业规模超4000亿元",
    "002": "(经济观察)中国多地竞相打造“人工智能之城”",
    "003": "人工智能产业布局提速 多地聚焦重点方向出台政策举措|热资讯",
    "01": "安徽人工智能核心产业规模首破千亿元 力争2027年达到3000亿元",
    "03": "国家数据局关于开展人工智能与城市全域数字化转型融合试点工作的通知",
    "04": "成都：人工智能“新赛道”跑出加速度",
    "05": "大模型“下半场”拼什么？",
    "06": "大灣區AI產業加速融合 港深穗澳攜手打造創新走廊",
    "07": "上海发布“人工智能+制造”行动方案 到2027年打造100个标杆场景",
    "08": "贵州算力总规模一年翻番 “东数西算”枢纽加速迈向“智算”",
    "09": "【快讯】武汉人工智能核心产业规模去年突破千亿元",
}


@pytest.mark.parametrize("key", sorted(TITLES))
def test_title_is_paragraph_zero_once(docs, key):
    doc = docs[key]
    title = TITLES[key]
    assert doc.title == title
    if title:
        first = doc.paragraphs[0]
        assert doc.text[first.start:first.end] == title
        assert doc.text.count(title) == 1


SOURCES = {
    "001": "新浪财经", "002": "", "003": "经济日报", "01": "安徽日报", "02": "财联社",
    "03": "国家数据局", "04": "成都日报", "05": "经济日报", "06": "香港文匯報",
    "07": "申城科创网", "08": "多彩贵州网", "09": "长江日报", "10": "长三角财经观察",
}


@pytest.mark.parametrize("key", sorted(SOURCES))
def test_source(docs, key):
    assert docs[key].source == SOURCES[key]


META = {
    "001": [("editor", "王蒙")],
    "01": [("editor", "李婉清")],
    "02": [("author", "沈佳禾")],
    "04": [("editor", "王梓涵"), ("editor", "周敏")],
    "05": [("author", "赵若琳"), ("editor", "刘畅")],
    "06": [("editor", "陳嘉欣")],
    "07": [("author", "范书涵"), ("editor", "陆雯")],
    "08": [("author", "吴婧")],
    "09": [("editor", "付晓宁")],
    "10": [("editor", "孙悦")],
}


@pytest.mark.parametrize("key", sorted(META))
def test_editors_and_authors_kept_in_meta(docs, key):
    got = [kv for kv in docs[key].meta if kv[0] in ("editor", "author")]
    assert got == META[key]


@pytest.mark.parametrize("key,paragraph", [
    ("04", "记者 何思远 邓雨桐"),  # cut out of the date/source line
    ("10", "记者 郑楚然"),
    ("05", "经济日报记者 赵若琳"),
    ("003", "(经济日报记者 杨学聪 杨阳腾 李 景 佘惠敏 吴秉泽)"),
    ("01", "本报合肥1月15日讯（记者 周立恒）15日上午，安徽省人民政府新闻办公室举行新闻发布会，"
           "介绍全省人工智能产业发展情况。安徽省人民政府副省长韩振东出席发布会并介绍有关情况，"
           "省经济和信息化厅厅长魏启明、省数据资源管理局副局长蒋雪芳、合肥市人民政府副市长唐海宁回答记者提问。"),
    ("08", "| 在用标准机架（万架） | 21.0 | 27.4 | +30.5% |"),
    ("08", "算力总规模超过100EFLOPS；"),
    ("08", "一、主要指标"),
    ("03", "国数发〔2025〕7号"),
    ("03", "2025年3月20日"),  # a date inside the body stays
    ("06", "深港合作 數據跨境試點"),
    ("001", "本报记者 裴昱 北京报道"),
])
def test_paragraph_kept_verbatim(docs, key, paragraph):
    doc = docs[key]
    assert paragraph in [doc.text[p.start:p.end] for p in doc.paragraphs]


@pytest.mark.parametrize("key,path,gold_path", ARTICLES, ids=IDS)
def test_document_invariants(docs, key, path, gold_path):
    doc = docs[key]
    raw = path.read_bytes()
    assert doc.doc_id == path.stem
    assert doc.path == path.relative_to(ROOT).as_posix()
    assert doc.content_hash == hashlib.sha256(raw).hexdigest()
    assert len(doc.norm) == len(doc.text)
    assert doc.norm == normalize(doc.text)
    texts = [doc.text[p.start:p.end] for p in doc.paragraphs]
    assert "\n".join(texts) == doc.text
    for p in texts:
        assert p and p == p.strip() and "\n" not in p and not p.startswith("\u3000")


def test_english_translation_goes_to_meta(docs):
    doc = docs["000"]
    assert "China" not in doc.text
    english = [v for k, v in doc.meta if k == "english"]
    assert any(v.startswith("At the 2024 Inspur AI Framework Summit") for v in english)
    # a Chinese paragraph quoting an English sentence stays
    assert "周海伦（Helen Zhou）" in docs["10"].text


def test_gb18030_file_reads_as_its_utf8_twin(docs):
    a, b = docs["04"], docs["04-gb18030"]
    assert (a.text, a.title, a.pub_date, a.source) == (b.text, b.title, b.pub_date, b.source)


def test_html_main_text_only(docs):
    doc = docs["07"]
    assert doc.text.startswith(TITLES["07"] + "\n申城科创网讯（记者 范书涵）6月19日")
    assert doc.text.endswith("集中展示一批标杆场景和解决方案。")
    assert len(doc.paragraphs) == 7


def test_traditional_text_is_simplified_in_norm(docs):
    doc = docs["06"]
    assert "香港特區政府" in doc.text
    assert "香港特区政府" in doc.norm


# -- decode ------------------------------------------------------------------

def test_gb18030_dev_file_decodes_exactly():
    assert decode((DEV / "04-gb18030.txt").read_bytes()) == (DEV / "04.txt").read_text(encoding="utf-8")


TEXT = "安徽省人工智能核心产业规模达到1080亿元，同比增长23.5%。合肥市人工智能企业2000余家。"


@pytest.mark.parametrize("data,expected", [
    (TEXT.encode("utf-8"), TEXT),
    (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), TEXT),
    (TEXT.encode("utf-16"), TEXT),  # with BOM
    (b"\xfe\xff" + TEXT.encode("utf-16-be"), TEXT),
    (TEXT.encode("gb18030"), TEXT),
    (TEXT.encode("gbk"), TEXT),
    ("香港特區政府創新科技及工業局主辦的人工智能論壇昨日在香港會議展覽中心舉行，逾800人出席。"
     .encode("big5"), "香港特區政府創新科技及工業局主辦的人工智能論壇昨日在香港會議展覽中心舉行，逾800人出席。"),
])
def test_decode(data, expected):
    assert decode(data) == expected


def test_decode_bad_utf16_names_the_file():
    with pytest.raises(InputError, match="x.txt: not valid utf-16"):
        decode(b"\xff\xfe\x00\xd8", "x.txt")  # a lone surrogate


COMMON = sorted({c for c in TEXT + (DEV / "01.txt").read_text(encoding="utf-8") if "\u4e00" <= c <= "\u9fff"})
chinese = st.lists(st.sampled_from(COMMON + ["，", "。", "、"]), min_size=20, max_size=200).map("".join)


@settings(max_examples=40, deadline=None)
@given(chinese, st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "gb18030"]))
def test_decode_round_trip(text, encoding):
    assert decode(text.encode(encoding)) == text


# -- normalize ---------------------------------------------------------------

@pytest.mark.parametrize("text,expected", [
    ("１２０亿元", "120亿元"),
    ("３，１２６家", "3,126家"),
    ("责任编辑：李明", "责任编辑:李明"),
    ("　香港", " 香港"),
    ("ＡＩ Ａｇｅｎｔ", "AI Agent"),
    ("責任編輯：陳嘉欣", "责任编辑:陈嘉欣"),
    ("■相關新聞", "■相关新闻"),
    ("粵港澳大灣區", "粤港澳大湾区"),
    ("ﬁ…", "ﬁ…"),  # NFKC would lengthen these: kept as they are
    ("", ""),
])
def test_normalize(text, expected):
    assert normalize(text) == expected


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_normalize_keeps_length_and_is_idempotent(text):
    once = normalize(text)
    assert len(once) == len(text)
    assert normalize(once) == once


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.sampled_from("國產業區網億發佈與臺灣後裡著乾干髮發麵面１２Ａ：　，" + "人工智能")))
def test_normalize_on_traditional_text(text):
    once = normalize(text)
    assert len(once) == len(text)
    assert normalize(once) == once


# -- iter_inputs -------------------------------------------------------------

def test_iter_inputs(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / ".git").mkdir()
    for name in ("b/2.txt", "a.md", ".hidden.txt", ".git/x.txt", "b/1.html", "b/img.png"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    missing = tmp_path / "nope.txt"
    got = iter_inputs([tmp_path, tmp_path / "a.md", missing])
    rel = [p.relative_to(tmp_path).as_posix() for p in got]
    assert rel == ["a.md", "b/1.html", "b/2.txt", "b/img.png", "nope.txt"]


# -- read_document: refusals -------------------------------------------------

@pytest.mark.parametrize("name,data,reason", [
    ("a.pdf", b"%PDF-1.4", "unsupported file type .pdf"),
    ("a", b"text", "unsupported file type"),
    ("a.txt", b"", "empty file"),
    ("a.txt", b" \n\t\n", "empty file"),
    ("a.txt", b"abc\x00def", "NUL bytes"),
    ("a.txt", b"\x89PNG\r\n\x1a\n....", "PNG image"),
    ("a.md", b"%PDF-1.7 ....", "PDF file"),
    ("a.txt", b"Only English here. Nothing else.", "no Chinese text"),
    ("a.html", b"<html><body><p>Hello world</p></body></html>", "no Chinese text"),
    ("a.txt", "分享到：微信　微博\n责任编辑：某某\n".encode("utf-8"), "no Chinese text"),
])
def test_read_document_refuses(tmp_path, name, data, reason):
    p = tmp_path / name
    p.write_bytes(data)
    with pytest.raises(InputError, match=re.escape(reason)) as err:
        read_document(p)
    assert err.value.path == str(p)


def test_missing_file_and_folder_are_input_errors(tmp_path):
    with pytest.raises(InputError, match="cannot read"):
        read_document(tmp_path / "missing.txt")
    folder = tmp_path / "dir.txt"
    folder.mkdir()
    with pytest.raises(InputError, match="cannot read"):
        read_document(folder)


# -- read_document: formats --------------------------------------------------

def _read(tmp_path, name: str, text: str, encoding: str = "utf-8"):
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return read_document(p, root=tmp_path)


BODY = "工业和信息化部有关负责人表示，我国人工智能核心产业规模已接近6000亿元，企业数量超过4500家，居全球前列。"


def test_markdown_front_matter_rfc2822_and_markers(tmp_path):
    doc = _read(tmp_path, "x.md", (
        "\n\n---\ntitle: 标题一则\ndate: Tue, 26 Jul 2022 08:39:51 GMT\nauthor: 某某网\n---\n"
        f"# 标题一则\n\n> 引用的一段话，{BODY}\n\n- **要点**：{BODY}\n1. 第二点 [链接](http://x)\n\n***\n"
    ))
    assert doc.title == "标题一则"
    assert doc.pub_date == "2022-07-26"
    assert doc.source == "某某网"
    assert doc.path == "x.md"
    assert doc.text.split("\n") == ["标题一则", f"引用的一段话，{BODY}", f"要点：{BODY}", "第二点 链接"]


def test_malformed_yaml_is_tolerated(tmp_path):
    doc = _read(tmp_path, "y.md", f"---\ntitle: [不闭合\ndate: 2025年3月18日\nsource: 某报\n---\n{BODY}\n")
    assert doc.pub_date == "2025-03-18"
    assert doc.source == "某报"
    assert doc.text == f"[不闭合\n{BODY}"


def test_html_fragment_in_txt_with_entities_and_title_from_head(tmp_path):
    doc = _read(tmp_path, "z.html", (
        "<html><head><title>新闻标题一则_某某网</title><meta property='article:published_time' "
        "content='2024-05-06T10:00:00+08:00'></head><body><div class='nav'>首页 新闻</div>"
        f"<div id='content'><p>&ldquo;人工智能&rdquo;&nbsp;发展。</p><p>{BODY}</p>"
        "<table><tr><td>指标</td><td>数值</td></tr></table>"
        "<div class='share-box'>分享到</div></div><script>var a='脚本';</script></body></html>"
    ))
    assert doc.title == "新闻标题一则"
    assert doc.pub_date == "2024-05-06"
    assert doc.text.split("\n") == ["新闻标题一则", "“人工智能”\xa0发展。", BODY, "指标 数值"]


def test_html_body_in_txt_file_is_parsed(tmp_path):
    doc = _read(tmp_path, "w.txt", f"<div>\n<p>　　{BODY}</p>\n<p>第二段，内容。</p>\n</div>\n")
    assert doc.text == f"{BODY}\n第二段，内容。"


def test_header_date_not_from_body(tmp_path):
    text = f"标题一则\n\n{BODY}\n\n2024年12月31日，某地召开会议。\n"
    assert _read(tmp_path, "d.txt", text).pub_date is None
    dated = f"某报　2025年4月3日　星期四　第02版\n标题\n本报讯 4月2日，{BODY}\n"
    doc = _read(tmp_path, "e.txt", dated)
    assert doc.pub_date == "2025-04-03"
    assert doc.source == "某报"


def test_related_heading_cuts_but_editor_is_kept(tmp_path):
    doc = _read(tmp_path, "r.txt", (
        f"{BODY}\n■相關新聞\n某公司营收增长30%\n另一条无关新闻\n（責任編輯：張三）\n"
    ))
    assert doc.text == BODY
    assert ("editor", "張三") in doc.meta


def test_content_words_that_look_like_cues_stay(tmp_path):
    lines = ["老字号企业加快数字化转型", "相关新闻发布会上，有关负责人介绍了情况。", "记者：您如何看待？", BODY]
    doc = _read(tmp_path, "c.txt", "\n".join(lines))
    assert doc.text.split("\n") == lines


# -- robustness --------------------------------------------------------------

@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=400))
def test_random_bytes_give_a_document_or_an_input_error(tmp_path, data):
    p = tmp_path / "random.txt"
    p.write_bytes(data)
    try:
        doc = read_document(p)
    except InputError:
        return
    assert len(doc.norm) == len(doc.text)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(list("<>/=\"'&;#-|*:：　\n ") + ["p", "div", "相关新闻", "来源", "人工智能", "。"]),
                max_size=200).map("".join),
       st.sampled_from([".txt", ".md", ".html"]))
def test_random_markup_gives_a_document_or_an_input_error(tmp_path, text, suffix):
    p = tmp_path / f"random{suffix}"
    p.write_text(text, encoding="utf-8")
    try:
        doc = read_document(p)
    except InputError:
        return
    assert "\n".join(doc.text[q.start:q.end] for q in doc.paragraphs) == doc.text


def test_huge_single_line_is_linear(tmp_path):
    unit = "人工智能产业规模突破千亿元，同比增长23.5%。**a** *b* [x](y) 来源 <p "
    p = tmp_path / "big.txt"
    p.write_text(unit * (3_000_000 // len(unit)), encoding="utf-8")
    start = time.perf_counter()
    doc = read_document(p)
    assert time.perf_counter() - start < 8
    assert len(doc.paragraphs) == 1


# -- the furniture lexicon ---------------------------------------------------

def test_furniture_lexicon_loads():
    fur = ingest.furniture()
    assert "related" in fur.classes
    assert any(c.kind == "cut" and c.text == "相关新闻" for c in fur.line_cues)


@pytest.mark.parametrize("body,message", [
    ("kind\tmode\tcue\nfoo\tline\t相关\n", ":2: unknown kind 'foo'"),
    ("kind\tmode\tcue\ncut\tcss\t相关\n", ":2: mode 'css' does not go with kind 'cut'"),
    ("# c\nkind\tmode\tcue\ndrop\tre\t(unclosed\n", ":3: bad regular expression"),
    ("kind\tmode\tcue\ndrop\tline\n", ":2: expected 3 tab-separated columns"),
    ("kind\tcue\n", ":1: header must be"),
])
def test_furniture_lexicon_errors_name_the_line(tmp_path, body, message):
    p = tmp_path / "furniture.tsv"
    p.write_text(body, encoding="utf-8")
    with pytest.raises(LexiconError, match=re.escape(message)):
        ingest._load_furniture(str(p))
