"""``archdoc check --approved FILE.pdf`` and ``archdoc extract FILE.pdf DIR``: the approval PDF as a record.

``check --approved`` reads the model the approval PDF carries (verified against its
manifest) and compares it with the current model (:func:`analysis.diff.revision_diff`):
the changed model items, per environment the configuration and reachability
differences, the findings that appeared or cleared. Exit 0 when the current model is the
approved one (its record fields — version, status, approvals, stamps — aside), 1 when it
differs, 2 when the PDF carries no archdoc model or the current model is invalid.
Read-only: the embedded model is unpacked into a temporary folder that is removed.

``extract`` writes the embedded model into a new folder as a project that
``archdoc build`` rebuilds, and prints the model digest to record in
``document.approvals`` and where to keep the approved model.

``--json`` (check) prints one object::

    {"pdf": str, "approved": {"title", "version", "status", "archdoc", "model_sha256"},
     "current": {"version": str, "model_sha256": str}, "same": bool,
     "items": [{"section", "key", "change", "fields"}], "envs_added": [str], "envs_removed": [str],
     "envs": [{"env", "config": [...], "reach": [...]}],     # as 'archdoc diff --json'
     "findings": [{"change": "appeared"|"cleared", "env", "severity", "code", "resources", "message", ...}]}
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path

from archdoc.commands.diff import config_lines, reach_lines
from archdoc.common import fail
from archdoc.i18n import _
from archdoc.records import RecordError, load_store, read_pdf, write_project

__all__ = ["run_check_approved", "run_extract", "format_revision_diff", "record_hint"]

_ITEM_MARK = {"added": "+", "removed": "-", "changed": "~"}
_FINDING_MARK = {"appeared": "+", "cleared": "-"}


def format_revision_diff(d, current) -> str:
    """The revision diff as text: model items, then per environment configuration and reachability,
    then findings (``+`` appeared / added, ``-`` cleared / removed, ``~`` changed)."""
    lines = [_("モデルの変更（{count}）:").format(count=len(d.items))]
    for c in d.items:
        fields = f": {', '.join(c.fields)}" if c.fields else ""
        where = current.where_id(c.section, c.key) if c.section != "document" and c.change != "removed" else None
        lines.append(f"  {_ITEM_MARK[c.change]} {c.section} {c.key}{fields}" + (f"  ({where})" if where else ""))
    if not d.items:
        lines.append("  " + _("（なし）"))
    if d.envs_added:
        lines.append(_("追加された環境: {envs}").format(envs=", ".join(d.envs_added)))
    if d.envs_removed:
        lines.append(_("削除された環境: {envs}").format(envs=", ".join(d.envs_removed)))
    for e in d.envs:
        lines.append(_("環境 {env}:").format(env=e.env))
        lines += ["  " + _("構成の差分:"), *config_lines(e.config, "    ")]
        versions = [_("第{version}版").format(version=v) for v in (d.from_version, d.to_version)]
        lines += ["  " + _("到達性の差分:"), *reach_lines(e.reach, *versions, "    ")]
    if not d.same:
        lines.append(_("指摘事項の変化（{count}）:").format(count=len(d.findings)))
        for f in d.findings:
            x = f.finding
            lines.append(f"  {_FINDING_MARK[f.change]} {x.env} {x.severity} {x.code} "
                         f"[{', '.join(x.resources)}]: {x.message}")
        if not d.findings:
            lines.append("  " + _("（なし）"))
    return "\n".join(lines)


def record_hint(manifest, pdf: str) -> str:
    """How to record the approval of the version a PDF carries (YAML to paste, where to keep the model)."""
    approver, role = _("氏名"), _("役職")  # placeholders the approver replaces
    return (f"to record its approval, add to document.approvals:\n"
            f"  - {{version: {json.dumps(manifest.version, ensure_ascii=False)}, date: YYYY-MM-DD, "
            f"approver: {approver}, role: {role}, decision: approved, model_sha256: {manifest.model_sha256}}}\n"
            f"and keep the approved model in the project: archdoc extract {pdf} approved/{manifest.version}")


def run_check_approved(pdf: str, model_path: str, as_json: bool = False) -> int:
    """Compare the model inside ``pdf`` with the model at ``model_path``; 0 same, 1 differs, 2 error."""
    from analysis.analyze import analyze
    from analysis.diff import revision_diff
    from archdoc.build import load
    from archdoc.common import load_checked
    from model.archive import archive_of

    current = load_checked(model_path, load, as_json=as_json)
    if current is None:
        return 2
    tmp = Path(tempfile.mkdtemp(prefix="archdoc-approved-"))
    try:
        embedded = read_pdf(Path(pdf))
        write_project(embedded, tmp / "approved")
        manifest, old = load_store(tmp / "approved")
        d = revision_diff(analyze(old), analyze(current))
    except RecordError as exc:
        return fail("check", str(exc), as_json=as_json)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    digest = archive_of(current).digest
    if as_json:
        print(json.dumps({"pdf": pdf, "approved": {"title": manifest.title, "version": manifest.version,
                                                   "status": manifest.status, "archdoc": manifest.archdoc,
                                                   "model_sha256": manifest.model_sha256},
                          "current": {"version": current.model.document.version, "model_sha256": digest},
                          **{k: v for k, v in d.to_dict().items() if k not in ("from", "to")}},
                         ensure_ascii=False, indent=2))
        return 0 if d.same else 1
    print(_("承認PDF: {pdf}（{title} 第{version}版・{status}、archdoc {archdoc}）").format(
        pdf=pdf, title=manifest.title, version=manifest.version, status=manifest.status, archdoc=manifest.archdoc))
    print(_("承認PDFのモデル識別子: {digest}").format(digest=manifest.model_sha256))
    print(_("現在のモデル識別子:   {digest}（第{version}版）").format(digest=digest,
                                                             version=current.model.document.version))
    print(format_revision_diff(d, current))
    if d.same:
        note = "" if digest == manifest.model_sha256 else " (same content; the files differ only in comments or layout)"
        print(f"OK: the current model is the model of {pdf} (version {manifest.version}){note}")
        return 0
    print(f"FAIL: the current model differs from the model of {pdf} (version {manifest.version}) "
          f"in {len(d.items)} item(s)")
    return 1


def _speak_its_language(folder: Path) -> None:
    """Word the report in the language of the extracted model (the manifest does not say it)."""
    from archdoc.common import use_language

    try:
        _, extracted = load_store(folder)
    except RecordError:
        return  # written and verified all the same; the report stays in the current language
    use_language(extracted)


def run_extract(pdf: str, folder: str) -> int:
    """Write the model inside ``pdf`` into the new folder ``folder``; 0 ok, 2 error."""
    try:
        embedded = read_pdf(Path(pdf))
        written = write_project(embedded, Path(folder))
    except RecordError as exc:
        return fail("extract", str(exc))
    _speak_its_language(Path(folder))
    m = embedded.manifest
    models = len(m.files) + (len(m.approved.files) if m.approved else 0)
    print(f"wrote {folder}: {len(written)} files ({models} model files, manifest, archdoc.toml)")
    print(_("document: {title} 第{version}版（{status}）, built by archdoc {archdoc}").format(
        title=m.title, version=m.version, status=m.status, archdoc=m.archdoc))
    print(f"model: {m.model}, model_sha256: {m.model_sha256}")
    if m.approved is not None:
        print(f"compared with approved version {m.approved.version}: {m.approved_prefix}")
    print(f"rebuild: cd {folder} && archdoc build")
    print(record_hint(m, pdf), file=sys.stdout)
    return 0
