"""``archdoc export --format mermaid [--view ID] [--out DIR]``: views as Mermaid text;
``archdoc export --format cloudformation --env E --out DIR``: CloudFormation templates.

Teams paste Mermaid into issues, wikis and slides where our PNGs would go stale; exporting
from the same selection as the images (:func:`render.diagrams.select.select_view`) keeps them
identical in content. Prints to stdout (every view, or one) or writes ``<out>/<view>.mmd``
(then stdout gets one ``wrote N Mermaid file(s) to DIR`` line). Exit 0 on success, 2 on a
usage or model error (unknown view with a did-you-mean; errors on stderr).

CloudFormation (:mod:`render.cloudformation`): ``DIR/<env>-<account>.yaml`` per account of
the environment and ``DIR/README.md`` (deploy order, parameters, what was not exported).
Everything is rendered before anything is written; each file is replaced atomically.
"""

from __future__ import annotations

import sys
from pathlib import Path

from model.index import ModelIndex
from model.loader import load_model
from model.errors import did_you_mean

__all__ = ["run_export", "export_texts", "FORMATS"]

FORMATS = ("mermaid", "cloudformation")


def export_texts(model, fmt: str = "mermaid", view: str | None = None) -> dict[str, str]:
    """{view id: Mermaid text} for every view of ``model`` (or only ``view``), in model order.

    Raises KeyError with a user-facing message for an unknown view.
    """
    from render.diagrams.mermaid import to_mermaid
    from render.diagrams.select import select_view

    if fmt != "mermaid":
        raise KeyError(f"unknown format '{fmt}'{did_you_mean(fmt, FORMATS)}")
    views = {v.id: v for v in model.views}
    if view is not None and view not in views:
        known = ", ".join(views) or "none"
        raise KeyError(f"unknown view '{view}'{did_you_mean(view, views)}; views: {known}")
    ix = ModelIndex(model)
    chosen = [views[view]] if view is not None else list(views.values())
    return {v.id: to_mermaid(select_view(ix, v)) for v in chosen}


def run_export(fmt: str, view: str | None = None, out: str | None = None,
               model_path: str | None = None, env: str | None = None) -> int:
    """Export views or templates; 0 ok, 2 on an unknown format/view/environment, a model error
    or an unwritable ``out``."""
    from archdoc.common import fail, load_checked

    if fmt == "cloudformation" and (env is None or out is None or view is not None):
        return fail("export", "--format cloudformation needs --env ENV and --out DIR (and takes no --view)")
    if fmt == "mermaid" and env is not None:
        return fail("export", "--env is for --format cloudformation (Mermaid exports views: use --view)")
    loaded = load_checked(model_path, load_model)
    if loaded is None:
        return 2
    if fmt == "cloudformation":
        return _export_cloudformation(loaded.model, env, Path(out))
    try:
        texts = export_texts(loaded.model, fmt, view)
    except KeyError as exc:
        return fail("export", exc.args[0])
    if out is None:
        sys.stdout.write("\n".join(texts.values()))
        return 0
    folder = Path(out)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for view_id, text in texts.items():
            (folder / f"{view_id}.mmd").write_text(text, encoding="utf-8")
    except OSError as exc:
        return fail("export", f"cannot write to {folder}: {exc.strerror or exc} "
                              "(--out must be a folder you can write to)")
    print(f"wrote {len(texts)} Mermaid file(s) to {folder}")
    return 0


def _write_all(folder: Path, texts: dict[str, str]) -> None:
    """Write every file through a temporary name and an atomic rename."""
    import os
    import tempfile

    folder.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", dir=folder)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
            os.replace(tmp, folder / name)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def _export_cloudformation(model, env: str, folder: Path) -> int:
    from archdoc.common import fail, unknown_env
    from render.cloudformation import build_templates
    from render.cloudformation.export import export_environment

    bad = unknown_env(env, [e.id for e in model.environments])
    if bad:
        return fail("export", bad[0])
    try:
        texts = export_environment(model, env)
    except KeyError as exc:
        return fail("export", exc.args[0])
    try:
        _write_all(folder, texts)
    except OSError as exc:
        return fail("export", f"cannot write to {folder}: {exc.strerror or exc} "
                              "(--out must be a folder you can write to)")
    skipped = sum(len(t.skipped) for t in build_templates(model, env).templates.values())
    templates = [name for name in texts if name.endswith(".yaml")]
    print(f"wrote {len(templates)} CloudFormation template(s) and README.md to {folder}: {', '.join(templates)}"
          f"; {skipped} construct(s) not exported (listed in README.md)")
    return 0
