"""The pages in English (``document.language: en``): every generated word comes from the catalogs.

A model whose own text is English (the mini fixture with each Japanese word replaced by an
ASCII token) is rendered with ``i18n.language("en")``: a page may then show a CJK character
only where the text is not the pages' own — the analysis' messages (findings, requirement
verdicts: another domain) and the model format's docstrings (the schema). Everything the
pages themselves write is checked character by character, and a few headers and sentences
are checked word for word. The city's pages in English may show Japanese only where the
model's own YAML, the analysis or the schema has it.
"""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
from pathlib import Path

import pytest

from analysis.analyze import analyze
from analysis.results import BLOCKER_CODES
from conftest import MINI, REPO
from model import i18n
from model.loader import load_model
from model.schema import Model
from render.pages import render_pages
from render.pages.codes_ja import gloss, with_gloss

CJK = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]+")
OTHER_DOMAINS = ("reachability.md", "requirements.md", "schema.md")
"""Pages that also show text of the analysis (its messages) or of the schema (its docstrings)."""


def english_copy(source: Path, target: Path) -> Path:
    """``source`` with every run of Japanese replaced by a distinct ASCII word (w0, w1, ...)."""
    shutil.copytree(source, target)
    words: dict[str, str] = {}
    for path in sorted(target.glob("*.yaml")):
        text = CJK.sub(lambda m: words.setdefault(m.group(0), f"w{len(words)}"), path.read_text(encoding="utf-8"))
        path.write_text(text, encoding="utf-8")
    return target


def strings(value) -> list[str]:
    """Every string inside an analysis row (dataclasses, tuples, named tuples)."""
    if isinstance(value, str):
        return [value]
    if dataclasses.is_dataclass(value):
        return [s for f in dataclasses.fields(value) for s in strings(getattr(value, f.name))]
    if isinstance(value, (tuple, list)):
        return [s for v in value for s in strings(v)]
    return []


def foreign_runs(analysis, envs, extra: str = "") -> set[str]:
    """The CJK runs the pages may show that are not theirs: analysis rows, schema docstrings, ``extra``."""
    texts = [json.dumps(Model.model_json_schema(), ensure_ascii=False), extra]
    for env in envs:
        texts += strings(analysis.findings_of(env)) + strings(analysis.requirements_of(env))
        texts += strings(analysis.intents_of(env))
    return {run for t in texts for run in CJK.findall(t)}


def runs_outside(page: str, allowed: set[str]) -> list[str]:
    """CJK runs of ``page`` that are not part of an allowed run."""
    return [run for run in CJK.findall(page) if not any(run in a for a in allowed)]


@pytest.fixture(scope="module")
def english(tmp_path_factory):
    loaded = load_model(english_copy(MINI, tmp_path_factory.mktemp("en") / "mini"))
    with i18n.language("en"):
        analysis = analyze(loaded)
        pages = render_pages(loaded, analysis)
    return loaded, analysis, pages


def test_the_english_model_has_no_japanese_of_its_own(english):
    loaded, _, _ = english
    assert not any(CJK.search(p.read_text(encoding="utf-8")) for p in loaded.files)


def test_pages_of_their_own_words_have_no_japanese(english):
    _, _, pages = english
    assert len(pages) == 14  # the cover and 13 pages
    for path, page in pages.items():
        if path not in OTHER_DOMAINS:
            assert CJK.findall(page) == [], path


def test_pages_with_other_domains_show_only_their_japanese(english):
    loaded, analysis, pages = english
    allowed = foreign_runs(analysis, ("stg", "live"))
    for path in OTHER_DOMAINS:
        assert runs_outside(pages[path], allowed) == [], path


def test_english_headers_and_sentences(english):
    loaded, analysis, pages = english
    live = next(e for e in loaded.model.environments if e.id == "live")
    cover = pages["index.md"]
    assert "## Document information\n\n| Item | Description |\n|---|---|\n| Title | w" in cover
    assert "| Approver | (to be entered after approval) |" in cover
    assert "- [3. Network](03-network.md)" in cover and "- [4. Security groups](04-security-groups.md)" in cover
    assert "| Direction | Protocol | Port | Source / destination | Purpose |" in pages["04-security-groups.md"]
    assert pages["05-components.md"].startswith("# 5. Components\n\n## 5.1 ECS Fargate\n")
    assert "- **Backup**: 1 day\n" in pages["05-components.md"] and "- **Backup**: 7 days\n" in pages["05-components.md"]
    reach = pages["reachability.md"]
    assert reach.startswith(
        "# Reachability (design-time analysis)\n\nWho reaches what, computed at design time from the model's security "
        "groups, route tables, ALB, WAF. Covers stateful SGs, longest-prefix routes, return paths, source address "
        "translation by NAT, ALB listeners and target groups, WAF geo restrictions (rate limits as conditional).\n")
    warnings = sum(f.severity == "warning" for f in analysis.findings_of("stg"))
    assert f"### Findings\n\nErrors: 0, warnings: {warnings}, info: 0.\n" in reach
    assert "| Source \\\\ destination |" in reach
    assert "VPC route tables" not in pages["routes.md"]
    assert pages["routes.md"].split("\n\n")[1] == (
        "The route tables of the VPCs. Routes the document does not state cite their basis in the assumptions.")
    migration = pages["07-migration.md"]
    assert migration.splitlines()[0] == f"# 7. Changes from STG to {live.short}"
    assert migration.splitlines()[2] == (f"The 24 items in which the model differs between STG and {live.short} "
                                         "(accounts, VPCs, connections, nodes present, spec values, subnets, security "
                                         "group rules).")
    assert "| RDS deployment | <span class=\"nb\">Single-AZ</span> | <span class=\"nb\">Multi-AZ</span> |" in migration
    assert "| ECS Auto Scaling | Disabled | Enabled |" in migration


def test_code_glosses_in_english_are_the_registered_descriptions():
    with i18n.language("en"):
        assert gloss("NULL_ROUTED") == "The matching TGW route is a blackhole route"
        assert with_gloss("NULL_ROUTED") == "NULL_ROUTED\n(The matching TGW route is a blackhole route)"
        for code, (_, description) in BLOCKER_CODES.items():
            if gloss(code) and code != "NAMED_CIDR_UNDEFINED":  # a finding code too: its finding gloss wins
                assert gloss(code) == description[0].upper() + description[1:], code
    assert gloss("NULL_ROUTED") == "TGWのルートがブラックホール"


def test_japanese_is_unchanged_after_an_english_render(seed, seed_analysis):
    before = render_pages(seed, seed_analysis)
    with i18n.language("en"):
        render_pages(seed, seed_analysis)
    assert render_pages(seed, seed_analysis) == before
    assert before["04-security-groups.md"] == (REPO / "docs" / "04-security-groups.md").read_text(encoding="utf-8")


def test_the_city_in_english_shows_japanese_only_from_its_model(seed, seed_analysis):
    with i18n.language("en"):
        pages = render_pages(seed, seed_analysis)
    own = "".join(p.read_text(encoding="utf-8") for p in seed.files)
    allowed = foreign_runs(seed_analysis, ("poc", "prod"), own)
    for path, page in pages.items():
        assert runs_outside(page, allowed) == [], path
    assert pages["09-migration.md"].splitlines()[0] == "# 9. Changes from POC to 本番"
    assert "Besides the document's 13 items, the 33 items in which the model differs between POC and 本番" in \
        pages["09-migration.md"]


def test_the_site_script_speaks_the_document_language():
    from render.pages.templating import ASSETS, asset_text

    source = (ASSETS / "zoom.js").read_text(encoding="utf-8")
    assert asset_text("zoom.js") == source  # the script's own line is the Japanese one: they cannot drift
    with i18n.language("en"):
        script = asset_text("zoom.js")
    assert CJK.findall(script) == []
    assert '"close": "Close (Esc)"' in script and '"scrollHint": "⇆ This table scrolls sideways"' in script
    assert asset_text("extra.css") == (ASSETS / "extra.css").read_text(encoding="utf-8")


def test_template_messages_escape_the_values_they_carry():
    from render.pages.templating import environment

    template = environment().from_string('{{ _("{name}の特徴", name=x) }}|{{ ngettext("{n}本", "{n}本", 2) }}')
    assert template.render(x="a*b <i>") == "a\\*b &lt;i&gt;の特徴|2本"
    with i18n.language("en"):
        assert template.render(x="a*b <i>") == "a\\*b &lt;i&gt; characteristics|2本"
