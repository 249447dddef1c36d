"""The extraction cache of incremental builds: one file per article, by content.

``kg build`` keeps, under ``OUT/.cache/``, what each input file yielded (its
Extraction, or why it was skipped), named by a key that hashes the file's
bytes and path together with a version: the code of ``kg`` and the
ontology/lexicon files. A rebuild re-extracts only files whose key is new, so
a changed article, a new one, or any change of code or lexicons (which
changes every key) is extracted again; entries no build asked for are
removed. ``manifest.json`` records the last build's keys, options and
summary: when nothing changed, the build is the manifest.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import pickle
import sys
from pathlib import Path
from typing import Any, Optional

CACHE_DIR = ".cache"
MANIFEST = "manifest.json"
_ENTRIES = "x"
_PROTOCOL = 5


@functools.cache
def version() -> str:
    """A hash of everything that decides what an extraction or a build holds:
    the package's files (code, queries, templates), the ontology folder and
    the lexicon folder in use, and the Python version (pickles)."""
    from . import lexicon

    pkg = Path(__file__).resolve().parent
    roots = [pkg, pkg.parent / "ontology", lexicon.lexicon_dir()]
    h = hashlib.sha1(f"{sys.version_info[:2]}|{_PROTOCOL}".encode())
    seen: set[Path] = set()
    for root in roots:
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            real = path.resolve()
            if not path.is_file() or real in seen or "__pycache__" in path.parts or path.suffix == ".pyc":
                continue
            seen.add(real)
            h.update(str(path.relative_to(root)).encode("utf-8", "surrogateescape") + b"\0")
            h.update(path.read_bytes())
    return h.hexdigest()


def file_key(path: Path, root: Optional[Path], max_bytes: int) -> str:
    """The cache key of one input file: its bytes, where it is read from, the limit, the version."""
    h = hashlib.sha1(f"{version()}|{path}|{root}|{max_bytes}|".encode("utf-8", "surrogateescape"))
    try:
        size = path.stat().st_size
        if size > max_bytes:
            h.update(f"too large: {size}".encode())
        else:
            h.update(path.read_bytes())
    except OSError as e:  # reading it reports the error; the key only has to differ from a readable file's
        h.update(f"unreadable: {e.errno}".encode())
    return h.hexdigest()


class Cache:
    """The entries under ``folder`` (``OUT/.cache``)."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.entries = self.folder / _ENTRIES

    def path(self, key: str) -> Path:
        return self.entries / f"{key}.pkl"

    def has(self, key: str) -> bool:
        return self.path(key).is_file()

    def load(self, key: str) -> Any:
        """The record stored under ``key``; None when it is missing or unreadable (then it is extracted again)."""
        try:
            with open(self.path(key), "rb") as f:
                return pickle.load(f)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, IndexError, TypeError):
            return None

    def store(self, key: str, record: Any) -> None:
        write_atomic(self.path(key), pickle.dumps(record, protocol=_PROTOCOL))

    def prune(self, keep: set[str]) -> None:
        """Remove the entries of files no longer in the build."""
        if not self.entries.is_dir():
            return
        for p in self.entries.iterdir():
            if p.suffix == ".pkl" and p.stem not in keep:
                p.unlink(missing_ok=True)

    def manifest(self) -> Optional[dict]:
        try:
            return json.loads((self.folder / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def write_manifest(self, data: dict) -> None:
        write_atomic(self.folder / MANIFEST, json.dumps(data, ensure_ascii=False).encode("utf-8"))

    def drop_manifest(self) -> None:
        (self.folder / MANIFEST).unlink(missing_ok=True)


def write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
