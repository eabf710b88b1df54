"""Renderers and rules are free of the city's ids, environment names and seed words (issue 11).

The bundled model is one project among many: nothing in analysis/, render/ or model/rules may
decide on, or print, one of its ids. The test reads every string literal of their code (not
docstrings or comments, which may quote an example) and every template, and looks for the
city's own ids and environment names taken from the bundled model itself, so a new id in the
city's model is covered without editing the test.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from model.loader import load_model
from model.schema import NodeKind

ROOT = Path(__file__).resolve().parent.parent
SCANNED = ("analysis", "render", "model/rules")

GENERIC = {k.value for k in NodeKind} | {
    # ids of the city's model that are also ordinary words of any AWS design or of the schema
    "main", "internet", "build", "deploy", "push", "develop", "email", "approval", "dr", "repo",
    "monitoring", "alb", "rds", "s3", "ecr", "ses", "sns", "waf", "igw", "tgw", "ecs", "cognito",
    "config", "bedrock", "cloudwatch", "eventbridge", "guardduty", "secrets-manager", "github",
    "slack", "developer", "backend", "frontend", "batch", "cicd", "client-vpn", "dx-gateway",
}
"""Ids that name a kind of thing rather than the city's thing (``alb`` is any ALB)."""


def _city_words() -> set[str]:
    model = load_model(ROOT / "model" / "data").model
    ids: set[str] = set()
    for field in type(model).model_fields:
        value = getattr(model, field)
        for item in value if isinstance(value, tuple) else ():
            if getattr(item, "id", None):
                ids.add(item.id)
    words = {i for i in ids if i not in GENERIC}
    for env in model.environments:
        words |= {w for w in (env.name, getattr(env, "short", None)) if w}
    return words


def _literals(path: Path) -> list[tuple[int, str]]:
    """(line, text) of every string constant that is not a docstring."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                  and node.body and isinstance(node.body[0], ast.Expr)
                  and isinstance(node.body[0].value, ast.Constant)}
    # attribute docstrings (a string right after an assignment) are documentation too
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list):
            for before, after in zip(body, body[1:]):
                if isinstance(before, (ast.Assign, ast.AnnAssign)) and isinstance(after, ast.Expr) \
                        and isinstance(after.value, ast.Constant):
                    docstrings.add(id(after.value))
    return [(n.lineno, n.value) for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docstrings]


def _hits(words: set[str]) -> list[str]:
    token = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]*|[^\x00-\x7f]+")
    found = []
    for folder in SCANNED:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix == ".py":
                texts = _literals(path)
            elif path.suffix == ".j2":
                texts = list(enumerate(path.read_text(encoding="utf-8").splitlines(), 1))
            else:
                continue
            for line, text in texts:
                ascii_hits = {t for t in token.findall(text) if t in words}
                cjk_hits = {w for w in words if not w.isascii() and w in text}
                for word in sorted(ascii_hits | cjk_hits):
                    found.append(f"{path.relative_to(ROOT)}:{line}: {word!r}")
    return found


def test_the_city_words_are_known():
    words = _city_words()
    assert {"poc", "prod", "city-hall", "本番環境", "POC環境", "prod-vpc"} <= words


def test_no_city_id_or_environment_name_in_renderers_and_rules():
    assert _hits(_city_words()) == []


def test_the_scan_sees_a_planted_id(tmp_path, monkeypatch):
    planted = ROOT / "render" / "_planted_seed_id.py"
    planted.write_text('"""Doc naming prod-vpc is fine."""\nVPC = "prod-vpc"\n', encoding="utf-8")
    try:
        assert _hits({"prod-vpc"}) == ["render/_planted_seed_id.py:2: 'prod-vpc'"]
    finally:
        planted.unlink()
