"""Message catalogs: complete, current, and consistent with their msgids (issue 11)."""

from __future__ import annotations

import io
import os
import re
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from model import i18n

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import catalogs  # noqa: E402

PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*(?:![rsa])?(?::[^{}]*)?\}|%\([A-Za-z_]+\)[sd]")
CJK = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]")


def all_domains():
    return catalogs.load_domains()


def test_every_layer_has_a_domain():
    assert sorted(all_domains()) == ["analysis", "cli", "diagrams", "model", "pages", "render"]


def test_catalogs_are_current_and_complete(capsys):
    """scripts/catalogs.py --check: every marked message has an English translation, none is stale."""
    status = catalogs.main(["--check"])
    assert capsys.readouterr().out == ""
    assert status == 0


@pytest.mark.parametrize("name", ["analysis", "cli", "diagrams", "model", "pages", "render"])
def test_translations_keep_placeholders_and_hold_no_japanese(name):
    domain = all_domains()[name]
    path = domain.catalog_path("en")
    if not path.is_file():
        pytest.skip(f"{name}: no message marked yet")
    catalog = read_po(io.BytesIO(path.read_bytes()), locale="en")
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in strings:
            assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(ids[0])), (name, ids[0])
            assert not CJK.search(text), (name, ids[0], text)


def test_language_switch_translates_and_restores():
    domain = i18n.Domain("demo-switch", ROOT / "nonexistent")
    assert domain.gettext("表") == "表"
    with i18n.language("en"):
        assert i18n.current() == "en"
        assert domain.gettext("表") == "表"  # no catalog: the msgid
    assert i18n.current() == "ja"


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match="unknown language 'fr'; expected one of ja, en"):
        i18n.set_language("fr")


def _write_catalog(locale: Path, text: str) -> None:
    path = locale / "en" / "LC_MESSAGES" / "demo-edit.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                    f'msgid "表"\nmsgstr "{text}"\n', encoding="utf-8")


def test_catalog_is_looked_up_once_per_language_setting(tmp_path, monkeypatch):
    """Each message does not stat its catalog (issue 10: 690k stats in a large English build); an
    edited catalog is taken the next time the language is set, as the next command does."""
    domain = i18n.Domain("demo-edit", tmp_path)
    _write_catalog(tmp_path, "Table")
    stats = []
    real_stat = i18n.os.stat
    catalog = domain.catalog_path("en")

    def counting_stat(path, *args, **kwargs):
        stats.extend([path] if Path(path) == catalog else [])
        return real_stat(path, *args, **kwargs)

    monkeypatch.setattr(i18n.os, "stat", counting_stat)
    with i18n.language("en"):
        assert [domain.gettext("表") for _ in range(3)] == ["Table"] * 3
        assert len(stats) == 1
        _write_catalog(tmp_path, "Chart")
        os.utime(catalog, ns=(1, 1))  # a distinct mtime whatever the clock's grain
        assert domain.gettext("表") == "Table"
    with i18n.language("en"):
        assert domain.gettext("表") == "Chart"
    assert len(stats) == 2
