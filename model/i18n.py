"""Message catalogs for the generated text: gettext through Babel's ``.po`` files.

Every word archdoc generates (a page title, a table header, a finding's message) is written in the
code as its Japanese source text — the language of the documents archdoc was made for — and marked
with a domain's ``gettext`` (conventionally bound to ``_``). A catalog per layer and language,
``<package>/locale/<lang>/LC_MESSAGES/<domain>.po``, translates it; ``ja`` needs no catalog. The
``.po`` files are the only source: they are compiled in memory on first use (Babel's
``write_mo``), so no binary ``.mo`` lives in the repository; a catalog edit takes effect the next
time the language is set (every command sets it once it has loaded the model).

One build renders one document in one language, so the language is process-wide state, set by
the entry point that loaded the model (:func:`language`) and read by every ``gettext`` call. A
process-wide value (not a ``ContextVar``) is deliberate: the build renders in worker threads,
which would not inherit a context variable.

>>> from pathlib import Path
>>> demo = Domain("demo", Path("/nonexistent"))
>>> demo.gettext("ページ")            # source language: the msgid itself
'ページ'
>>> with language("en"):
...     current()
'en'
>>> current()
'ja'
"""

from __future__ import annotations

import gettext as _gettext
import io
import os
import stat
import threading
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

__all__ = ["LANGUAGES", "SOURCE_LANGUAGE", "KEYWORDS", "Domain", "domains", "language", "current",
           "set_language"]

LANGUAGES = ("ja", "en")
"""Languages a document can be generated in (``document.language``)."""
SOURCE_LANGUAGE = "ja"
"""The language of the msgids: text in it needs no catalog."""

KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
"""The marker functions whose string arguments are messages (Babel's extraction keywords)."""

_lock = threading.Lock()
_DOMAINS: dict[str, "Domain"] = {}
_language = SOURCE_LANGUAGE
_generation = 0
"""Bumped by :func:`set_language`: a domain looks its catalog up again after it changed."""


def current() -> str:
    """The language generated text is produced in now."""
    return _language


def set_language(lang: str) -> None:
    """Make ``lang`` the language of everything generated from now on (entry points only)."""
    global _language, _generation
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; expected one of {', '.join(LANGUAGES)}")
    with _lock:
        _language = lang
        _generation += 1


@contextmanager
def language(lang: str) -> Iterator[str]:
    """Generate text in ``lang`` inside the block, then restore the previous language."""
    previous = current()
    set_language(lang)
    try:
        yield lang
    finally:
        set_language(previous)


_IDENTITY = _gettext.NullTranslations()
"""The translations of the source language, and of a language with no catalog: none."""


@lru_cache(maxsize=None)
def _compiled(po_path: Path, mtime_ns: int) -> _gettext.NullTranslations:
    with po_path.open("rb") as handle:
        catalog = read_po(handle, domain=po_path.stem)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(fp=buffer, domain=po_path.stem)


def domains() -> dict[str, "Domain"]:
    """Every domain created so far, by name (a module creates its domain when imported)."""
    return dict(sorted(_DOMAINS.items()))


class Domain:
    """The messages of one layer (``analysis``, ``pages``...), with their catalogs in ``locale_dir``.

    ``sources`` are the folders whose ``.py`` and ``.j2`` files hold this domain's messages
    (default: the folder above ``locale_dir``); ``scripts/catalogs.py`` extracts them from there.
    """

    def __init__(self, name: str, locale_dir: Path, sources: tuple[Path, ...] = ()) -> None:
        self.name = name
        self.locale_dir = Path(locale_dir)
        self.sources = tuple(Path(s) for s in sources) or (self.locale_dir.parent,)
        self._resolved: dict[str, tuple[int, _gettext.NullTranslations]] = {}
        self._texts: tuple[int, dict[str, str]] = (-1, {})
        """The messages translated under language setting ``[0]`` (a generation): msgid -> text."""
        if not name.startswith("demo"):
            _DOMAINS.setdefault(name, self)

    def __repr__(self) -> str:
        return f"Domain({self.name!r})"

    def catalog_path(self, lang: str) -> Path:
        """Where the ``.po`` catalog of ``lang`` lives (it may not exist)."""
        return self.locale_dir / lang / "LC_MESSAGES" / f"{self.name}.po"

    def translations(self, lang: str | None = None) -> _gettext.NullTranslations:
        """The translations into ``lang`` (default: :func:`current`); identity for the source language."""
        # Called for every message (hundreds of thousands in a large build): the catalog is looked
        # up (a stat, and compiled when new or edited) once per language setting, not per message.
        lang = lang or current()
        if lang == SOURCE_LANGUAGE:
            return _IDENTITY
        generation = _generation
        resolved = self._resolved.get(lang)
        if resolved is not None and resolved[0] == generation:
            return resolved[1]
        path = self.catalog_path(lang)
        try:
            info = os.stat(path)
        except OSError:
            found = _IDENTITY
        else:
            found = _compiled(path, info.st_mtime_ns) if stat.S_ISREG(info.st_mode) else _IDENTITY
        self._resolved[lang] = (generation, found)
        return found

    def gettext(self, message: str) -> str:
        """``message`` in the current language (the msgid itself when the catalog lacks it)."""
        if _language == SOURCE_LANGUAGE:  # the msgid: the common case, asked per hop of every path
            return message
        # remembered per language setting: an all-pairs analysis asks the same few hundred
        # messages hundreds of thousands of times, and the catalog's lookup is the costlier part
        generation, texts = self._texts
        if generation != _generation:
            generation, texts = self._texts = (_generation, {})
        text = texts.get(message)
        if text is None:
            text = texts[message] = self.translations().gettext(message)
        return text

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """Plural-aware lookup: ``singular`` or ``plural`` by ``n``, translated."""
        return self.translations().ngettext(singular, plural, n)

    def lazy(self, message: str) -> "LazyText":
        """``message`` translated each time it is turned into text (for module-level constants)."""
        return LazyText(self, message)


class LazyText(str):
    """A message that translates itself when formatted or printed, so a table of labels built at
    import time follows the language set later. It still equals its msgid as a ``str``, so it can
    be a dict key or compared in code; use ``str(x)`` or formatting to get the translation."""

    def __new__(cls, domain: Domain, message: str) -> "LazyText":
        text = super().__new__(cls, message)
        text._domain = domain
        return text

    def __str__(self) -> str:
        return self._domain.gettext(str.__str__(self))

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)
