"""Generate the derived lexicons from packages, so that nobody types them by hand.

Writes into ``ontology/lexicons/``:

* ``places.tsv``    provinces, cities and county-level units of China, from
  jionlp's ``dictionary/china_location.zip``, with short forms and English names;
* ``countries.tsv`` the countries of the world, from jionlp's
  ``dictionary/world_location.txt`` (中国 with its aliases 我国/中华人民共和国);
* ``surnames.txt``  Chinese surnames, from jionlp's ``rule/rule_pattern.py``.

Run it with an interpreter that has jionlp, jieba and pypinyin installed; the
project itself never imports jionlp::

    /tmp/jl/v/bin/python tools/make_lexicons.py [--out ontology/lexicons]

Choices that shape the output (each documented again in the file headers):

1. The tree is brought up to date with the package's own change list
   (china_location_change.txt) where it lags behind it: abolished units are
   dropped, renamed ones renamed (keeping their old adcode).
   Three levels only: province, prefecture, county. Towns and villages are
   too many and too ambiguous for news text; statistical "functional zones"
   (adcode county part 71-79: 经开区, 高新区 …) are left out because zones are
   recognised by pattern (place + zone word), not as a list. Hong Kong and
   Macao are kept without their districts, Taiwan with its cities only (the
   package has no codes below them and misspells one county).
2. A full name shared by several places (鼓楼区 ×4) stays bare for the most
   prominent one only (level first, then the rank of the containing city:
   municipality > sub-provincial city > provincial capital > other); the
   others are keyed by parent + name (福州市鼓楼区). With no unique winner
   every one is qualified. A county-level full name that is an ordinary word
   (城区, 郊区, 矿区: a jieba word tagged other than ns/nr/nrt/nrfg/nt with
   frequency >= 300; or two generic locative characters: 东区, 南县) is
   always qualified.
3. Short forms (合肥市 → 合肥) come from the package; for county-level units
   whose package short equals the full name it is derived by dropping the
   final 区/县/市/旗. A short form is dropped when it is shorter than 2
   characters, shared by several places with no unique winner by the rule
   above, equal to another place's or a country's full name, or, for
   county-level units only, made only of generic locative characters (东城,
   市中) or an ordinary word. "Ordinary word" uses jieba's dictionary
   (frequency f, POS tag t) and jionlp's general-language dictionary
   (headword h): (h and f >= 100, or f >= 500 when t is ns) or (two
   characters, t not one of ns/nr/nrt/nrfg, f >= 100) or f >= 5000. City and
   province short forms are never dropped as ordinary words: they are what
   people write (jieba tags 合肥 "n").
4. English: customary names for provinces and a few places whose customary
   English is not their Mandarin pinyin (Shaanxi, Inner Mongolia, Tibet,
   Hohhot, Urumqi …); otherwise pypinyin with place-name readings
   (长 chang, 都 du …), apostrophes before a/o/e syllables (Xi'an), and a
   kind word: District, County, Banner, Prefecture, League.
5. Countries keep the package's formal names as aliases; a two-character
   name beginning with 中 (中非) is keyed by its formal name because it reads
   as a 中+X bilateral abbreviation. Only 中国 gets an English name.
6. Surnames: the package's classical list, plus common modern ones it lacks,
   with the 2020 frequency rank of the top 100 and jionlp's own judgement of
   which surname characters are rarely anything else ("distinctive").
"""

from __future__ import annotations

import argparse
import ast
import importlib.metadata
import importlib.util
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "ontology" / "lexicons"

# Customary English names that are not the Mandarin pinyin of the short form.
EN_OVERRIDES = """\
陕西省	Shaanxi
内蒙古自治区	Inner Mongolia
西藏自治区	Tibet
香港特别行政区	Hong Kong
澳门特别行政区	Macao
台湾省	Taiwan
呼和浩特市	Hohhot
乌鲁木齐市	Urumqi
拉萨市	Lhasa
哈尔滨市	Harbin
齐齐哈尔市	Qiqihar
日喀则市	Shigatse
昌都市	Qamdo
林芝市	Nyingchi
那曲市	Nagqu
阿里地区	Ngari Prefecture
喀什地区	Kashgar Prefecture
和田地区	Hotan Prefecture
阿克苏地区	Aksu Prefecture
阿勒泰地区	Altay Prefecture
吐鲁番市	Turpan
克拉玛依市	Karamay
伊犁哈萨克自治州	Ili Prefecture
博尔塔拉蒙古自治州	Bortala Prefecture
巴音郭楞蒙古自治州	Bayingolin Prefecture
克孜勒苏柯尔克孜自治州	Kizilsu Prefecture
鄂尔多斯市	Ordos
呼伦贝尔市	Hulunbuir
锡林郭勒盟	Xilingol League
阿拉善盟	Alxa League
兴安盟	Hinggan League
巴彦淖尔市	Bayannur
乌兰察布市	Ulanqab
果洛藏族自治州	Golog Prefecture
甘孜藏族自治州	Garze Prefecture
台北市	Taipei
新北市	New Taipei
台中市	Taichung
台南市	Tainan
高雄市	Kaohsiung
基隆市	Keelung
新竹市	Hsinchu
嘉义市	Chiayi
闵行区	Minhang District
洪洞县	Hongtong County
单县	Shan County
浚县	Xun County
长子县	Zhangzi County
六合区	Luhe District
"""

# Readings that place names use for characters pypinyin reads otherwise
# (长治 is Changzhi, not Zhangzhi; 郫都 is Pidu).
PLACE_READINGS = {"长": "chang", "都": "du", "朝": "chao", "蚌": "beng", "漯": "luo", "重": "chong"}

SUB_PROVINCIAL = frozenset(
    "哈尔滨市 长春市 沈阳市 大连市 济南市 青岛市 南京市 杭州市 宁波市 厦门市 武汉市 广州市 深圳市 成都市 西安市".split()
)

# Characters that make a short form generic rather than a name (城区, 东区, 市中).
GENERIC_CHARS = frozenset("东西南北中上下前后左右内外新旧老城郊矿市区县镇乡关")

# jieba tags under which a word is mostly a place (or a name jieba mistakes a
# place for: 余杭 is tagged nr); nz (brands: 新华) and nt (bodies) are not places.
PLACE_TAGS = frozenset({"ns", "nr", "nrt", "nrfg"})

# Surnames common today that the classical list lacks, with the rank of the
# 100 most frequent surnames (公安部户政管理研究中心, 二〇二〇年全国姓名报告).
TOP_100_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩邓冯曹彭曾肖田董潘袁蔡蒋余"
    "于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段"
    "雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严莫孔向常"
)
MODERN_SURNAMES = "肖付覃闫代兰谌粟揭邝冼麦占卿蹇母庹区"

HEADER = "# GENERATED by tools/make_lexicons.py from jionlp {version} ({source}); do not edit by hand.\n"


# -- sources -----------------------------------------------------------------

def package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None:
        raise SystemExit(f"make_lexicons: package {name!r} is not installed in this interpreter")
    return Path(spec.origin).parent


def read_zip_text(path: Path) -> str:
    with zipfile.ZipFile(path) as zf:
        member = next(n for n in zf.namelist() if n.endswith(".txt"))
        return zf.read(member).decode("utf-8")


def jieba_freqs() -> dict[str, tuple[int, str]]:
    out = {}
    with open(package_dir("jieba") / "dict.txt", encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) == 3:
                out[parts[0]] = (int(parts[1]), parts[2])
    return out


def headwords(jionlp: Path) -> frozenset[str]:
    text = read_zip_text(jionlp / "dictionary" / "chinese_word_dictionary.zip")
    return frozenset(line.split("\t", 1)[0] for line in text.splitlines() if "\t" in line)


# -- places ------------------------------------------------------------------

@dataclass
class Unit:
    name: str
    kind: str  # Province, City, District
    adcode: str
    parent: str  # full name of the parent unit ("" for provinces)
    pkg_short: str
    shorts: list[str] = field(default_factory=list)
    key: str = ""
    en: str = ""
    rank: int = 1  # prominence of the unit as a parent (municipality 4 … other 1)


LEVEL = {"Country": 4, "Province": 3, "City": 2, "District": 1}


def parse_location_tree(text: str) -> list[Unit]:
    units: list[Unit] = []
    province: Unit | None = None
    city: Unit | None = None
    for line in text.splitlines():
        depth = len(line) - len(line.lstrip("\t"))
        parts = line.strip().split("\t")
        if depth > 2 or len(parts) != 3:
            continue
        name, adcode, short = parts
        if depth == 0:
            kind = "City" if name.endswith(("市", "特别行政区")) else "Province"
            province = Unit(name, kind, adcode, "", short.split("/")[0])
            province.rank = 4 if kind == "City" else 2
            units.append(province)
            city = None
            continue
        assert province is not None
        if depth == 1:
            if province.kind == "City" or name == "省直辖行政区划":
                # a municipality's or SAR's own node, or the bag of county-level
                # cities under a province: children attach to the province
                city = province
                continue
            city = Unit(name, "City", adcode, province.name, short)
            if name in SUB_PROVINCIAL:
                city.rank = 3
            elif adcode.endswith("0100"):
                city.rank = 2
            units.append(city)
            continue
        assert city is not None
        if "71" <= adcode[4:6] <= "79":
            continue  # statistical functional zone
        if province.name.endswith("特别行政区") or not re.fullmatch(r"\d{6}", adcode):
            continue
        if name in ("市直辖行政区划",) or not name.endswith(("区", "县", "市", "旗")):
            continue
        if province.name == "台湾省":
            if name.endswith("市"):
                units.append(Unit(name, "City", adcode, province.name, short))
            continue
        units.append(Unit(name, "District", adcode, city.name, short))
    return units


def apply_changes(units: list[Unit], text: str) -> int:
    """Apply the package's list of abolished and renamed units where its tree lags behind it.

    A unit the tree still holds under its old name is dropped when its
    successor is present (湾里区 merged into 新建区) and renamed otherwise
    (无为县 → 无为市; the adcode stays the old one). Returns the number of changes made.
    """
    have = {(u.parent, u.name): u for u in units}
    changed = 0
    for line in sorted(text.splitlines()):
        if "=>" not in line:
            continue
        old, new = line.split("=>")
        o, n = old.split("\t"), new.split("\t")
        if len(o) < 8 or len(n) < 3:
            continue  # prefecture-level changes: the tree already has them
        key, successor = (o[4], o[6]), (n[1], n[2])
        unit = have.get(key)
        if unit is None or key == successor or unit.kind != "District":
            continue
        if successor in have:
            units.remove(unit)
        else:
            unit.parent, unit.name, unit.pkg_short = successor[0], successor[1], ""
            have[successor] = unit
        del have[key]
        changed += 1
    return changed


def prominence(u: Unit, by_name: dict[str, Unit]) -> tuple[int, int]:
    parent = by_name.get(u.parent)
    return (LEVEL[u.kind], parent.rank if parent else 5)


def unique_winner(cands: list[Unit], by_name: dict[str, Unit]) -> Unit | None:
    scored = sorted(cands, key=lambda u: prominence(u, by_name), reverse=True)
    if len(scored) == 1 or prominence(scored[0], by_name) > prominence(scored[1], by_name):
        return scored[0]
    return None


def is_common_full_name(u: Unit, freqs: dict[str, tuple[int, str]]) -> bool:
    """A county-level full name that is itself an ordinary word (城区, 郊区, 南县)."""
    if u.kind != "District":
        return False
    f, tag = freqs.get(u.name, (0, ""))
    generic = len(u.name) <= 2 and all(ch in GENERIC_CHARS for ch in u.name)
    return generic or (tag not in PLACE_TAGS and tag != "nt" and f >= 300)


def assign_keys(units: list[Unit], freqs: dict[str, tuple[int, str]]) -> None:
    by_name = {u.name: u for u in units if u.kind != "District"}
    groups: dict[str, list[Unit]] = {}
    for u in units:
        groups.setdefault(u.name, []).append(u)
    for name, cands in groups.items():
        win = unique_winner(cands, by_name) if len(cands) > 1 else cands[0]
        for u in cands:
            bare = u is win and not is_common_full_name(u, freqs)
            u.key = name if bare else u.parent + name


DROP_SUFFIX = re.compile(r"(?:区|县|市|旗)$")


def is_ordinary_word(word: str, freqs: dict[str, tuple[int, str]], heads: frozenset[str]) -> bool:
    f, tag = freqs.get(word, (0, ""))
    if word in heads and f >= (500 if tag == "ns" else 100):
        return True
    return (len(word) == 2 and tag not in PLACE_TAGS and f >= 100) or f >= 5000


def assign_shorts(units: list[Unit], freqs, heads, taken: frozenset[str] = frozenset()) -> dict[str, str]:
    """Fill ``Unit.shorts``; returns the reason each dropped candidate was dropped.

    ``taken`` are names of higher-level places (countries) that no short form may reuse.
    """
    dropped: dict[str, str] = {}
    full_names = {u.name for u in units} | {u.key for u in units} | taken
    by_name = {u.name: u for u in units if u.kind != "District"}
    claims: dict[str, list[Unit]] = {}
    for u in units:
        cands = [s for s in u.pkg_short.split("/") if s]
        if u.kind == "District" and (not cands or cands == [u.name]):
            cands = [DROP_SUFFIX.sub("", u.name)]
        for s in cands:
            if s == u.name or s == u.key:
                continue
            if len(s) < 2:
                dropped[s] = "shorter than 2 characters"
            elif u.kind == "District" and all(ch in GENERIC_CHARS for ch in s):
                dropped[s] = "generic locative word"
            elif s in full_names:
                dropped[s] = "full name of another place"
            elif u.kind == "District" and is_ordinary_word(s, freqs, heads):
                dropped[s] = "ordinary word (jieba/jionlp dictionaries)"
            else:
                claims.setdefault(s, []).append(u)
    for s, cands in claims.items():
        win = unique_winner(cands, by_name) if len(cands) > 1 else cands[0]
        if win is None:
            dropped[s] = "shared by places of equal rank"
            continue
        win.shorts.append(s)
    return dropped


# -- English -----------------------------------------------------------------

def pinyin(word: str) -> str:
    from pypinyin import lazy_pinyin

    sylls = lazy_pinyin(word, errors="ignore", v_to_u=True)
    if len(sylls) != len(word):
        return ""
    sylls = [PLACE_READINGS.get(ch, s) for ch, s in zip(word, sylls)]
    out = sylls[0]
    for s in sylls[1:]:
        out += ("'" if s[0] in "aoe" else "") + s
    return out.capitalize()


ETHNIC = re.compile(r"^([\u4e00-\u9fff]{2,}?)(?:[\u4e00-\u9fff]{1,6}族)+自治([州县旗])$")


def base_name(u: Unit) -> str:
    """The name without its kind word: 彭水苗族土家族自治县 → 彭水."""
    if u.pkg_short and u.pkg_short != u.name and "/" not in u.pkg_short and len(u.pkg_short) >= 2:
        return u.pkg_short
    name = ETHNIC.sub(r"\1\2", u.name)
    for suffix in ("特别行政区", "自治区", "自治州", "特区", "林区", "新区", "地区", "省", "市", "区", "县", "旗", "盟", "州"):
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def english(u: Unit, overrides: dict[str, str]) -> str:
    if u.name in overrides:
        return overrides[u.name]
    base = pinyin(base_name(u))
    if not base:
        return ""
    if u.kind in ("Province",) or u.name.endswith(("市", "特别行政区")):
        return base
    n = u.name
    if n.endswith("新区"):
        return f"{base} New Area"
    if n.endswith("林区"):
        return f"{base} Forestry District"
    if n.endswith("特区"):
        return f"{base} Special District"
    if n.endswith("区"):
        return f"{base} District"
    if n.endswith("县"):
        return f"{base} County"
    if n.endswith("旗"):
        return f"{base} Banner"
    if n.endswith("盟"):
        return f"{base} League"
    if n.endswith(("州", "地区")):
        return f"{base} Prefecture"
    return base


# -- writers -----------------------------------------------------------------

def write_places(units: list[Unit], dropped: dict[str, str], out: Path, version: str) -> None:
    buf = io.StringIO()
    buf.write(HEADER.format(version=version, source="dictionary/china_location.zip, china_location_change.txt"))
    buf.write(
        "# kind: Province (省, 自治区), City (直辖市, 特别行政区, prefecture-level 市/地区/自治州/盟),\n"
        "#   District (county-level 区/县/县级市/旗). parent: the canonical name of the containing unit.\n"
        "# name is the canonical key: the full name, or parent+name where several places share it\n"
        "#   or where it is an ordinary word (城区, 郊区, 东区, 南县).\n"
        "# short: the forms people write, '|'-separated; dropped when shorter than 2 characters,\n"
        "#   generic (城区), shared without a unique most-prominent owner, another place's full name,\n"
        "#   or (county level only) an ordinary word: jionlp dictionary headword with jieba freq >= 100\n"
        "#   (>= 500 when jieba tags it ns), a 2-character jieba word with freq >= 100 and a tag other\n"
        "#   than ns/nr/nrt/nrfg (新华 nz, 芙蓉 n), or any jieba freq >= 5000.\n"
        f"# {len(dropped)} candidate short forms were dropped.\n"
    )
    buf.write("name\tshort\tkind\tadcode\tparent\ten\n")
    key_of = {u.name: u.key for u in units if u.kind != "District"}
    for u in sorted(units, key=lambda u: (u.adcode, u.key)):
        parent = key_of[u.parent] if u.parent else "中国"
        buf.write("\t".join([u.key, "|".join(u.shorts), u.kind, u.adcode, parent, u.en]) + "\n")
    (out / "places.tsv").write_text(buf.getvalue(), encoding="utf-8")


def read_countries(jionlp: Path) -> list[tuple[str, str, str, str]]:
    """(name, aliases, en, continent) rows.

    A two-character name beginning with 中 (中非) reads as a 中+X bilateral
    abbreviation (中非合作 is China-Africa), so such a country is keyed by its
    formal name and the short name is not an alias.
    """
    rows = []
    continent = ""
    for line in (jionlp / "dictionary" / "world_location.txt").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line:
            continue
        if line.endswith(":"):
            continent = line[:-1]
            continue
        parts = line.split("\t")
        name, full = parts[0], parts[1] if len(parts) > 1 else ""
        aliases = [a for a in (full,) if a and a != name]
        en = ""
        if name == "中国":
            aliases = ["中华人民共和国", "我国"]
            en = "China"
        elif len(name) == 2 and name.startswith("中") and full and full != name:
            name, aliases = full, []
        rows.append((name, "|".join(aliases), en, continent))
    return rows


def write_countries(rows: list[tuple[str, str, str, str]], out: Path, version: str) -> int:
    buf = io.StringIO()
    buf.write(HEADER.format(version=version, source="dictionary/world_location.txt"))
    buf.write(
        "# aliases: the formal names; 中国 also gets 我国. en is filled for 中国 only.\n"
        "# A two-character name beginning with 中 (中非) is keyed by its formal name: 中非 reads as China-Africa.\n"
    )
    buf.write("name\taliases\ten\tcontinent\n")
    for r in rows:
        buf.write("\t".join(r) + "\n")
    (out / "countries.tsv").write_text(buf.getvalue(), encoding="utf-8")
    return len(rows)


def write_surnames(jionlp: Path, out: Path, version: str) -> int:
    tree = ast.parse((jionlp / "rule" / "rule_pattern.py").read_text(encoding="utf-8"))
    values: dict[str, list[str]] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, (ast.Constant, ast.BinOp)):
            for target in node.targets:
                if isinstance(target, ast.Name) and target.id in ("SINGLE_CHINESE_FAMILY_NAME", "TWO_CHAR_CHINESE_FAMILY_NAME"):
                    values.setdefault(target.id, []).append(ast.literal_eval(node.value))
    classic, distinctive = values["SINGLE_CHINESE_FAMILY_NAME"][:2]
    compound = values["TWO_CHAR_CHINESE_FAMILY_NAME"][0].split("|")
    rank = {s: i + 1 for i, s in enumerate(TOP_100_SURNAMES)}
    names: list[str] = []
    for s in list(classic) + list(MODERN_SURNAMES) + list(TOP_100_SURNAMES) + compound:
        if s not in names:
            names.append(s)
    buf = io.StringIO()
    buf.write(HEADER.format(version=version, source="rule/rule_pattern.py: SINGLE_CHINESE_FAMILY_NAME, TWO_CHAR_CHINESE_FAMILY_NAME"))
    buf.write(
        "# plus surnames common today that the classical list lacks (肖, 付, 覃 …).\n"
        "# rank: position among the 100 most frequent surnames (公安部户政管理研究中心, 2020 report), blank beyond.\n"
        "# distinctive: 1 when jionlp keeps the character in its list of surnames that are rarely\n"
        "#   anything else in running text; 0 for characters that are also common words (高, 黄, 周 …).\n"
    )
    buf.write("surname\trank\tdistinctive\n")
    for s in names:
        dist = "1" if (len(s) == 1 and s in distinctive) else "0"
        if len(s) == 2:
            dist = "1"
        buf.write(f"{s}\t{rank.get(s, '')}\t{dist}\n")
    (out / "surnames.txt").write_text(buf.getvalue(), encoding="utf-8")
    return len(names)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    jionlp = package_dir("jionlp")
    version = importlib.metadata.version("jionlp")
    overrides = dict(line.split("\t") for line in EN_OVERRIDES.strip().splitlines())

    units = parse_location_tree(read_zip_text(jionlp / "dictionary" / "china_location.zip"))
    n_changes = apply_changes(units, (jionlp / "dictionary" / "china_location_change.txt").read_text(encoding="utf-8"))
    freqs = jieba_freqs()
    assign_keys(units, freqs)
    countries = read_countries(jionlp)
    taken = frozenset(f for name, aliases, _, _ in countries for f in [name, *aliases.split("|")] if f)
    dropped = assign_shorts(units, freqs, headwords(jionlp), taken)
    for u in units:
        u.en = english(u, overrides)
    args.out.mkdir(parents=True, exist_ok=True)
    write_places(units, dropped, args.out, version)
    n_countries = write_countries(countries, args.out, version)
    n_surnames = write_surnames(jionlp, args.out, version)
    print(f"places.tsv: {len(units)} units ({n_changes} updated from the change list, {len(dropped)} short forms dropped)")
    print(f"countries.tsv: {n_countries} countries; surnames.txt: {n_surnames} surnames")


if __name__ == "__main__":
    main()
