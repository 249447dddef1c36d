"""English labels that can be had honestly: hanyu pinyin of people's names.

Surname first, as Chinese names are written ("Wang Zheng"); a compound
surname stays one word ("Ouyang Xiu"). Surnames with a reading of their own
(曾 zeng, 区 ou) come from ``ontology/lexicons/surname_pinyin.tsv``.
"""

from __future__ import annotations

import functools

from . import lexicon


@functools.cache
def _surname_readings() -> dict[str, str]:
    return {r[0]: r[1] for r in lexicon.rows("surname_pinyin.tsv", ("surname", "pinyin"))}


def person_en(name: str) -> str:
    """The pinyin label of a Chinese personal name, or "" when it is not one.

    >>> person_en("欧阳明")
    'Ouyang Ming'
    """
    from pypinyin import Style, lazy_pinyin

    if not name or not all("\u4e00" <= c <= "\u9fff" for c in name) or not 2 <= len(name) <= 4:
        return ""
    readings = _surname_readings()
    surnames = lexicon.surnames()
    n = 2 if (len(name) > 2 and name[:2] in surnames) or name[:2] in readings else 1
    surname, given = name[:n], name[n:]
    sur = readings.get(surname) or "".join(lazy_pinyin(surname, style=Style.NORMAL, v_to_u=True))
    giv = "".join(lazy_pinyin(given, style=Style.NORMAL, v_to_u=True))
    return f"{sur.capitalize()} {giv.capitalize()}".strip()
