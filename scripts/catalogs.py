"""Extract the messages of every i18n domain and update its catalogs (``.po`` files).

    .venv/bin/python scripts/catalogs.py            # update every domain's en catalog
    .venv/bin/python scripts/catalogs.py --check    # exit 1 if a catalog is out of date or untranslated

New messages are added with an empty translation; messages no longer in the code are dropped;
existing translations are kept. Output is sorted and has no source locations, so a catalog
changes only when its messages do. ``tests/test_i18n.py`` runs the same check.
"""

from __future__ import annotations

import argparse
import datetime
import importlib
import io
import pkgutil
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from model.i18n import KEYWORDS, LANGUAGES, SOURCE_LANGUAGE, Domain, domains  # noqa: E402

PACKAGES = ("model", "analysis", "render", "archdoc")
METHODS = [("**/locale/**", "ignore"), ("**.py", "python"), ("**.j2", "jinja2.ext:babel_extract")]
OPTIONS = {"**.j2": {"extensions": "jinja2.ext.i18n", "trimmed": "false"}}


def load_domains() -> dict[str, Domain]:
    """Import every module of the packages, so each domain is registered."""
    for package in PACKAGES:
        module = importlib.import_module(package)
        for info in pkgutil.walk_packages(module.__path__, prefix=f"{package}."):
            if info.name.rsplit(".", 1)[-1] == "__main__":
                continue
            importlib.import_module(info.name)
    return domains()


def extract(domain: Domain, others: list[Domain]) -> Catalog:
    """The messages marked in the domain's sources (minus folders that belong to another domain)."""
    template = Catalog(domain=domain.name)
    nested = [s for o in others if o is not domain for s in o.sources]
    for source in domain.sources:
        for filename, lineno, message, comments, context in extract_from_dir(
                source, METHODS, keywords=KEYWORDS, options_map=OPTIONS, strip_comment_tags=True):
            path = (source / filename).resolve()
            if any(n.resolve() != source.resolve() and n.resolve() in path.parents
                   and source.resolve() in n.resolve().parents for n in nested):
                continue
            template.add(message, None, [], auto_comments=comments, context=context)
    return template


def updated(domain: Domain, lang: str, template: Catalog) -> tuple[bytes, bytes]:
    """The catalog's bytes now and after the update."""
    path = domain.catalog_path(lang)
    old = path.read_bytes() if path.is_file() else b""
    catalog = read_po(io.BytesIO(old), locale=lang, domain=domain.name) if old else \
        Catalog(locale=lang, domain=domain.name)
    catalog.update(template, no_fuzzy_matching=True)
    catalog.obsolete.clear()
    catalog.project, catalog.version, catalog.fuzzy = "archdoc", "", False
    catalog.copyright_holder = catalog.last_translator = catalog.language_team = "archdoc"
    catalog.msgid_bugs_address = "archdoc issues"
    catalog.creation_date = catalog.revision_date = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0, no_location=True, omit_header=False, sort_output=True,
             ignore_obsolete=True, include_previous=False)
    return old, buffer.getvalue()


def untranslated(data: bytes, lang: str) -> list[str]:
    """The msgids of a catalog with no translation (or a fuzzy one)."""
    catalog = read_po(io.BytesIO(data), locale=lang)
    return sorted(m.id if isinstance(m.id, str) else m.id[0]
                  for m in catalog if m.id and (not m.string or m.fuzzy
                                                or (isinstance(m.string, tuple) and not all(m.string))))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 when out of date")
    args = parser.parse_args(argv)
    found = load_domains()
    problems = 0
    for domain in found.values():
        template = extract(domain, list(found.values()))
        for lang in LANGUAGES:
            if lang == SOURCE_LANGUAGE:
                continue
            old, new = updated(domain, lang, template)
            path = domain.catalog_path(lang)
            missing = untranslated(new, lang)
            if args.check:
                if old != new:
                    print(f"{path.relative_to(ROOT)}: out of date (run scripts/catalogs.py)")
                    problems += 1
                for msgid in missing:
                    print(f"{path.relative_to(ROOT)}: untranslated: {msgid!r}")
                problems += len(missing)
            elif old != new:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(new)
                print(f"{path.relative_to(ROOT)}: {len(template)} messages, {len(missing)} untranslated")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
