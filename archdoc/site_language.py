"""The site's theme speaks the document's language (``document.language``).

``archdoc build`` runs MkDocs on a copy of the project's ``mkdocs.yml``
(:func:`archdoc.publish.start_mkdocs`); :func:`apply_language` sets, on that copy, what
depends on the language: Material's ``theme.language`` (the ``lang`` of every page and the
theme's own words: search box, navigation, "Skip to content"...), the search plugin's
language and word separator, and the names of the light/dark toggle (Material shows the
configured names as they are, so they are translated here, through the ``cli`` catalog).

The project's own file decides when it already speaks the document's language (its
``theme.language`` is the document's): a team that tuned its search or its toggle keeps
them. Otherwise archdoc's settings for the language replace those three: the city's
``mkdocs.yml`` (and the one ``archdoc init`` writes) is Japanese, and an English document
built with it gets an English theme, English search and no Japanese separator.

>>> config = {"theme": {"name": "material", "language": "ja"}, "plugins": [{"search": {"lang": "ja",
...           "separator": JA_SEPARATOR}}]}
>>> apply_language(config, "en")
>>> config["theme"]["language"], config["plugins"]
('en', [{'search': {'lang': 'en'}}])
"""

from __future__ import annotations

from typing import Any

from archdoc.i18n import _
from model.i18n import language

__all__ = ["apply_language", "JA_SEPARATOR", "SEARCH"]

JA_SEPARATOR = (r"[\s\-　、。，．・：；（）「」『』【】／]+|(?<=[一-龯々])|(?=[一-龯々])|(?<=[ぁ-ゖ])(?![ぁ-ゖ])"
                r"|(?<![ぁ-ゖ])(?=[ぁ-ゖ])|(?<=[ァ-ヺー])(?![ァ-ヺー])|(?<![ァ-ヺー])(?=[ァ-ヺー])")
"""The search separator of a Japanese site (why it is this one: the comment in ``mkdocs.yml``,
which holds the same expression; a test keeps them equal)."""

SEARCH = {"ja": {"lang": "ja", "separator": JA_SEPARATOR}, "en": {"lang": "en"}}
"""The search plugin's settings per document language (English: Material's own separator)."""



def _toggle_names() -> dict[str, str]:
    """The palette toggle's name by the scheme it is shown on, in the current language."""
    return {"default": _("ダークモードに切り替え"), "slate": _("ライトモードに切り替え")}


def _theme_language(config: dict[str, Any]) -> str:
    theme = config.get("theme")
    value = theme.get("language") if isinstance(theme, dict) else None
    return value if isinstance(value, str) else "en"  # Material's default


def _search(config: dict[str, Any], lang: str) -> None:
    """The search plugin's language settings (the plugin stays where the file lists it)."""
    plugins = config.get("plugins")
    if plugins is None:  # MkDocs' default plugins: search alone
        config["plugins"] = [{"search": dict(SEARCH[lang])}]
        return
    if isinstance(plugins, dict):
        if "search" in plugins:
            own = plugins["search"] if isinstance(plugins["search"], dict) else {}
            plugins["search"] = _searched(own, lang)
        return
    if not isinstance(plugins, list):
        return
    for i, entry in enumerate(plugins):
        if entry == "search":
            plugins[i] = {"search": dict(SEARCH[lang])}
        elif isinstance(entry, dict) and "search" in entry:
            own = entry["search"] if isinstance(entry["search"], dict) else {}
            plugins[i] = {**entry, "search": _searched(own, lang)}


def _searched(own: dict[str, Any], lang: str) -> dict[str, Any]:
    kept = {k: v for k, v in own.items() if k not in ("lang", "separator")}
    return {**kept, **SEARCH[lang]}


def _toggles(theme: dict[str, Any], lang: str) -> None:
    palettes = theme.get("palette")
    entries = palettes if isinstance(palettes, list) else [palettes] if isinstance(palettes, dict) else []
    with language(lang):
        names = _toggle_names()
    for entry in entries:
        toggle = entry.get("toggle") if isinstance(entry, dict) else None
        if isinstance(toggle, dict) and entry.get("scheme", "default") in names:
            toggle["name"] = names[entry.get("scheme", "default")]


def apply_language(config: dict[str, Any], lang: str) -> None:
    """Make the MkDocs configuration ``config`` (a loaded ``mkdocs.yml``, changed in place) build a
    site in ``lang``; a configuration already in ``lang`` is left as its authors wrote it."""
    if _theme_language(config) == lang:
        return
    theme = config.get("theme")
    if not isinstance(theme, dict):
        theme = config["theme"] = {"name": theme} if isinstance(theme, str) else {"name": "material"}
    theme["language"] = lang
    _toggles(theme, lang)
    _search(config, lang)
