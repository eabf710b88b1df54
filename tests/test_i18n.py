"""Message catalogs: complete, current, and consistent with their msgids (issue 11)."""

from __future__ import annotations

import io
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
