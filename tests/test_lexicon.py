"""The lexicons load, are checked as they load, and cover what news names."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg import lexicon
from kg import types as t
from kg.errors import LexiconError

LEXICONS = Path(__file__).resolve().parent.parent / "ontology" / "lexicons"

PROVINCIAL = {
    # name: (kind, en)
    "北京市": (t.CITY, "Beijing"), "天津市": (t.CITY, "Tianjin"), "上海市": (t.CITY, "Shanghai"),
    "重庆市": (t.CITY, "Chongqing"), "河北省": (t.PROVINCE, "Hebei"), "山西省": (t.PROVINCE, "Shanxi"),
    "辽宁省": (t.PROVINCE, "Liaoning"), "吉林省": (t.PROVINCE, "Jilin"), "黑龙江省": (t.PROVINCE, "Heilongjiang"),
    "江苏省": (t.PROVINCE, "Jiangsu"), "浙江省": (t.PROVINCE, "Zhejiang"), "安徽省": (t.PROVINCE, "Anhui"),
    "福建省": (t.PROVINCE, "Fujian"), "江西省": (t.PROVINCE, "Jiangxi"), "山东省": (t.PROVINCE, "Shandong"),
    "河南省": (t.PROVINCE, "Henan"), "湖北省": (t.PROVINCE, "Hubei"), "湖南省": (t.PROVINCE, "Hunan"),
    "广东省": (t.PROVINCE, "Guangdong"), "海南省": (t.PROVINCE, "Hainan"), "四川省": (t.PROVINCE, "Sichuan"),
    "贵州省": (t.PROVINCE, "Guizhou"), "云南省": (t.PROVINCE, "Yunnan"), "陕西省": (t.PROVINCE, "Shaanxi"),
    "甘肃省": (t.PROVINCE, "Gansu"), "青海省": (t.PROVINCE, "Qinghai"), "台湾省": (t.PROVINCE, "Taiwan"),
    "内蒙古自治区": (t.PROVINCE, "Inner Mongolia"), "广西壮族自治区": (t.PROVINCE, "Guangxi"),
    "西藏自治区": (t.PROVINCE, "Tibet"), "宁夏回族自治区": (t.PROVINCE, "Ningxia"),
    "新疆维吾尔自治区": (t.PROVINCE, "Xinjiang"), "香港特别行政区": (t.CITY, "Hong Kong"),
    "澳门特别行政区": (t.CITY, "Macao"),
}

PREFECTURES = {
    "安徽省": "合肥 芜湖 蚌埠 淮南 马鞍山 淮北 铜陵 安庆 黄山 滁州 阜阳 宿州 六安 亳州 池州 宣城",
    "广东省": "广州 韶关 深圳 珠海 汕头 佛山 江门 湛江 茂名 肇庆 惠州 梅州 汕尾 河源 阳江 清远 东莞 中山 潮州 揭阳 云浮",
    "四川省": "成都 自贡 攀枝花 泸州 德阳 绵阳 广元 遂宁 内江 乐山 南充 眉山 宜宾 广安 达州 雅安 巴中 资阳",
}
SICHUAN_PREFECTURES = ("阿坝藏族羌族自治州", "甘孜藏族自治州", "凉山彝族自治州")


# -- coverage ------------------------------------------------------------------

def test_all_34_provincial_units_have_kind_and_english():
    plc = lexicon.places()
    for name, (kind, en) in PROVINCIAL.items():
        p = plc[name]
        assert (p.kind, p.en, p.parent) == (kind, en, "中国"), name
    top = [p for p in plc.values() if p.parent == "中国" and p.kind in (t.PROVINCE, t.CITY)]
    assert len(top) == 34


@pytest.mark.parametrize("province", sorted(PREFECTURES))
def test_every_prefecture_city_is_present_with_its_province(province):
    plc = lexicon.places()
    names = [short + "市" for short in PREFECTURES[province].split()]
    if province == "四川省":
        names += SICHUAN_PREFECTURES
    for name in names:
        assert plc[name].kind == t.CITY, name
        assert plc[name].parent == province, name
    cities = {p.name for p in plc.values() if p.parent == province and p.kind == t.CITY}
    assert cities == set(names)


@pytest.mark.parametrize(
    "form, canonical, parent",
    [
        ("郫都区", "郫都区", "成都市"),
        ("郫都", "郫都区", "成都市"),
        ("余杭区", "余杭区", "杭州市"),
        ("余杭", "余杭区", "杭州市"),
        ("南沙区", "南沙区", "广州市"),
        ("南沙", "南沙区", "广州市"),
        ("徐汇区", "徐汇区", "上海市"),
        ("闵行区", "闵行区", "上海市"),
        ("海淀区", "海淀区", "北京市"),
        ("中卫市", "中卫市", "宁夏回族自治区"),
        ("合肥", "合肥市", "安徽省"),
        ("安徽", "安徽省", "中国"),
        ("宁夏", "宁夏回族自治区", "中国"),
        ("广西", "广西壮族自治区", "中国"),
        ("新疆", "新疆维吾尔自治区", "中国"),
        ("内蒙古", "内蒙古自治区", "中国"),
        ("香港", "香港特别行政区", "中国"),
        ("吉林", "吉林省", "中国"),
        ("济源市", "济源市", "河南省"),
        ("我国", "中国", ""),
        ("中华人民共和国", "中国", ""),
        ("长江三角洲", "长三角", "中国"),
        ("大湾区", "粤港澳大湾区", "中国"),
        ("成渝", "成渝地区双城经济圈", "中国"),
        ("Hefei", "合肥市", "安徽省"),
        ("China", "中国", ""),
    ],
)
def test_surface_forms_resolve(form, canonical, parent):
    assert lexicon.place_aliases()[form] == canonical
    assert lexicon.places()[canonical].parent == parent


@pytest.mark.parametrize(
    "name, kind, en",
    [
        ("郫都区", t.DISTRICT, "Pidu District"),
        ("余杭区", t.DISTRICT, "Yuhang District"),
        ("忠县", t.DISTRICT, "Zhong County"),
        ("合肥市", t.CITY, "Hefei"),
        ("西安市", t.CITY, "Xi'an"),
        ("长治市", t.CITY, "Changzhi"),
        ("锡林郭勒盟", t.CITY, "Xilingol League"),
        ("延边朝鲜族自治州", t.CITY, "Yanbian Prefecture"),
        ("中国", t.COUNTRY, "China"),
        ("长三角", t.REGION, "Yangtze River Delta"),
    ],
)
def test_kinds_and_english_names(name, kind, en):
    p = lexicon.places()[name]
    assert (p.kind, p.en) == (kind, en)
    assert lexicon.english_label(name) == en


def test_places_without_safe_short_forms():
    plc, aliases = lexicon.places(), lexicon.place_aliases()
    assert plc["忠县"].short == ""  # 忠 alone is one character
    assert plc["吉林市"].short == ""  # 吉林 is the province
    for word in ("城区", "新区", "和平", "长安", "东方", "开发", "普通", "全国", "国内", "忠", "东区"):
        assert word not in aliases, word
    # a full name several places share is qualified by the parent for all but the most prominent
    assert plc["鼓楼区"].parent == "南京市"
    assert plc["福州市鼓楼区"].parent == "福州市"
    assert "福州市鼓楼区" in lexicon.place_candidates()["鼓楼区"]


def test_no_short_form_is_ambiguous():
    owners: dict[str, set[str]] = {}
    plc = lexicon.places()
    for p in plc.values():
        for form in p.aliases:
            owners.setdefault(form, set()).add(p.name)
    shared = {form: names for form, names in owners.items() if len(names) > 1}
    assert shared == {}
    clashes = {form for form, names in owners.items() if form in plc and names != {form}}
    assert clashes == set()
    assert all(len(form) >= 2 for form in owners)


def test_generated_files_say_how_they_were_made():
    for name in ("places.tsv", "countries.tsv", "surnames.txt"):
        first = (LEXICONS / name).read_text(encoding="utf-8").splitlines()[0]
        assert re.match(r"# GENERATED by tools/make_lexicons\.py from jionlp \d+\.\d+\.\d+ \(", first), name


# -- bodies, titles, suffixes, surnames ----------------------------------------------

@pytest.mark.parametrize(
    "form, canonical",
    [
        ("工信部", "工业和信息化部"),
        ("MIIT", "工业和信息化部"),
        ("国家药监局", "国家药品监督管理局"),
        ("发改委", "国家发展和改革委员会"),
        ("国家发展改革委", "国家发展和改革委员会"),
        ("中央网信办", "中央网络安全和信息化委员会办公室"),
        ("国家互联网信息办公室", "中央网络安全和信息化委员会办公室"),
        ("数据局", "国家数据局"),
        ("市场监管总局", "国家市场监督管理总局"),
        ("国资委", "国务院国有资产监督管理委员会"),
        ("央行", "中国人民银行"),
        ("中科院", "中国科学院"),
        ("证监会", "中国证券监督管理委员会"),
        ("党中央", "中共中央"),
        ("科技部", "科学技术部"),
    ],
)
def test_gov_aliases(form, canonical):
    assert lexicon.gov_aliases()[form] == canonical


def test_gov_bodies_kinds_and_english():
    bodies = lexicon.gov_bodies()
    assert "Industry and Information Technology" in bodies["工业和信息化部"].en
    assert lexicon.english_label("工业和信息化部") == bodies["工业和信息化部"].en
    assert bodies["中国科学院"].kind == t.RESEARCH
    assert bodies["中国工程院"].kind == t.RESEARCH
    assert bodies["中国社会科学院"].kind == t.RESEARCH
    assert bodies["国务院"].kind == t.GOVERNMENT
    assert all(b.en for b in bodies.values())
    # the 26 constituent departments of the State Council (2023 reform)
    departments = (
        "外交部 国防部 国家发展和改革委员会 教育部 科学技术部 工业和信息化部 国家民族事务委员会 公安部 "
        "国家安全部 民政部 司法部 财政部 人力资源和社会保障部 自然资源部 生态环境部 住房和城乡建设部 "
        "交通运输部 水利部 农业农村部 商务部 文化和旅游部 国家卫生健康委员会 退役军人事务部 应急管理部 "
        "中国人民银行 审计署"
    ).split()
    assert len(departments) == 26
    assert set(departments) <= set(bodies)


def test_local_bodies():
    bodies = lexicon.local_bodies()
    forms = lexicon.local_aliases()
    assert forms["发改委"] == "发展和改革委员会"
    assert forms["经信厅"] == "经济和信息化厅"
    assert forms["经济信息化委"] == "经济和信息化委员会"
    assert forms["新经济委"] == "新经济发展委员会"
    assert forms["管委会"] == "管理委员会"
    assert bodies["经济和信息化厅"].en == "Department of Economy and Information Technology"
    assert bodies["经济和信息化厅"].levels == ("province",)
    assert lexicon.english_label("成都市经济和信息化局") == "Chengdu Bureau of Economy and Information Technology"
    assert lexicon.english_label("无此机构") == ""


def test_titles_and_suffixes():
    titles = lexicon.titles()
    for name, category in [("副司长", "government"), ("党组书记", "party"), ("院士", "academic"),
                           ("首席执行官", "company"), ("CEO", "company"), ("责任编辑", "media")]:
        assert titles[name].category == category
    assert "负责人" not in titles
    suffixes = lexicon.org_suffixes()
    lengths = [len(s.suffix) for s in suffixes]
    assert lengths == sorted(lengths, reverse=True)
    by = {s.suffix: s for s in suffixes}
    assert (by["股份有限公司"].kind, by["股份有限公司"].strong) == (t.COMPANY, True)
    assert (by["科技"].kind, by["科技"].strong) == (t.COMPANY, False)
    assert by["研究院"].kind == t.RESEARCH
    assert by["大学"].kind == t.UNIVERSITY
    assert by["日报"].kind == t.MEDIA
    assert by["管委会"].kind == t.GOVERNMENT


def test_surnames():
    names = lexicon.surnames()
    assert {"王", "李", "张", "欧阳", "司马", "诸葛", "肖", "付"} <= names
    assert not {"的", "是", "了"} & names
    info = lexicon.surname_info()
    assert info["王"].rank == 1 and info["王"].distinctive
    assert info["高"].rank is not None and not info["高"].distinctive


def test_user_words_cover_every_kind_of_name():
    words = {w: (f, tag) for w, f, tag in lexicon.user_words()}
    assert words["合肥市"][1] == "ns"
    assert words["郫都"][1] == "ns"
    assert words["工业和信息化部"][1] == "nt"
    assert words["经济和信息化厅"][1] == "nt"
    assert words["副司长"][1] == "n"
    assert "MIIT" not in words and "Hefei" not in words
    assert all(f > 0 for f, _ in words.values())


def test_words_skips_comments_and_blank_lines(tmp_path, monkeypatch):
    (tmp_path / "demo.txt").write_text("# comment\n\n甲|乙\n 丙 \n", encoding="utf-8")
    monkeypatch.setenv(lexicon.ENV_VAR, str(tmp_path))
    assert lexicon.words("demo") == ("甲|乙", "丙")
    with pytest.raises(LexiconError, match="missing.txt"):
        lexicon.words("missing")


# -- validation ----------------------------------------------------------------

def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "lexicons"
    shutil.copytree(LEXICONS, folder)
    return folder


def _line_of(path: Path, prefix: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith(prefix):
            return number
    raise AssertionError(prefix)


def _replace_line(path: Path, prefix: str, new: str) -> int:
    number = _line_of(path, prefix)
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[number - 1] = new
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return number


@pytest.mark.parametrize(
    "filename, prefix, new, loader, message",
    [
        ("places.tsv", "合肥市\t", "合肥市\t合肥\tCity\t340100\t安徽省", lexicon.places, "expected 6 tab-separated columns"),
        ("places.tsv", "合肥市\t", "合肥市\t合肥\tTown\t340100\t安徽省\tHefei", lexicon.places, "unknown kind 'Town'"),
        ("places.tsv", "合肥市\t", "合肥市\t合肥\tCity\t340100\t火星\tHefei", lexicon.places, "parent '火星'"),
        ("places.tsv", "合肥市\t", "\t合肥\tCity\t340100\t安徽省\tHefei", lexicon.places, "empty name"),
        ("places.tsv", "芜湖市\t", "芜湖市\t合肥\tCity\t340200\t安徽省\tWuhu", lexicon.places, "'合肥' of '芜湖市' already means '合肥市'"),
        ("regions.tsv", "京津冀\t", "合肥市\t\tHefei\t中国\t", lexicon.places, "conflicting kind: '合肥市' is already a City"),
        ("gov_bodies.tsv", "教育部\t", "教育部\t\tMinistry of Education\tSchool\tnational", lexicon.gov_bodies, "unknown kind 'School'"),
        ("gov_bodies.tsv", "公安部\t", "公安部\t工信部\tMinistry of Public Security\tGovernmentOrganization\tnational", lexicon.gov_bodies, "alias '工信部' of '公安部' already means '工业和信息化部'"),
        ("gov_bodies.tsv", "教育部\t", "合肥市\t\tHefei\tGovernmentOrganization\tnational", lexicon.gov_bodies, "conflicting kind: '合肥市' is also a City"),
        ("gov_bodies.tsv", "财政部\t", "科学技术部\t\tMinistry of Finance\tResearchOrganization\tnational", lexicon.gov_bodies, "conflicting kind: '科学技术部'"),
        ("local_bodies.tsv", "统计局\t", "统计局\t\tBureau of Statistics\tvillage", lexicon.local_bodies, "levels must be"),
        ("titles.tsv", "部长\t", "部长\tMinister\tsports", lexicon.titles, "unknown class 'sports'"),
        ("org_suffixes.tsv", "大学\t", "大学\tUniversity\tmedium", lexicon.org_suffixes, "weight must be strong or weak"),
        ("surnames.txt", "王\t", "王五六\t1\t1", lexicon.surname_info, "one or two Chinese characters"),
    ],
)
def test_malformed_lexicon_names_file_and_line(tmp_path, monkeypatch, filename, prefix, new, loader, message):
    folder = _copy(tmp_path)
    number = _replace_line(folder / filename, prefix, new)
    monkeypatch.setenv(lexicon.ENV_VAR, str(folder))
    with pytest.raises(LexiconError) as info:
        loader()
    text = str(info.value)
    assert f"{filename}:{number}: " in text
    assert message in text


def test_bad_header_and_missing_file(tmp_path, monkeypatch):
    folder = _copy(tmp_path)
    number = _replace_line(folder / "titles.tsv", "name\t", "name\ten")
    monkeypatch.setenv(lexicon.ENV_VAR, str(folder))
    with pytest.raises(LexiconError, match=rf"titles\.tsv:{number}: header must be name<TAB>en<TAB>class"):
        lexicon.titles()
    (folder / "org_suffixes.tsv").unlink()
    with pytest.raises(LexiconError, match="org_suffixes.tsv: lexicon file not found"):
        lexicon.org_suffixes()


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from("部长\t|#\n 副ab\r\ufeff"), max_size=60))
def test_any_file_content_loads_or_raises_lexicon_error(content):
    folder = Path(tempfile.mkdtemp(prefix="kg-lex-"))
    saved = os.environ.get(lexicon.ENV_VAR)
    os.environ[lexicon.ENV_VAR] = str(folder)
    try:
        (folder / "titles.tsv").write_text("name\ten\tclass\n" + content, encoding="utf-8")
        for loader in (lexicon.titles, lambda: lexicon.words("titles")):
            try:
                loaded = loader()
            except LexiconError as exc:
                assert "titles" in str(exc)
            else:
                assert all(name for name in loaded)
    finally:
        if saved is None:
            del os.environ[lexicon.ENV_VAR]
        else:
            os.environ[lexicon.ENV_VAR] = saved
        shutil.rmtree(folder)
