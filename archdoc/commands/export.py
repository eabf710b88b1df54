"""``archdoc export --format mermaid [--view ID] [--out DIR]``: views as Mermaid text.

Teams paste Mermaid into issues, wikis and slides where our PNGs would go stale; exporting
from the same selection as the images (:func:`render.diagrams.select.select_view`) keeps them
identical in content. Prints to stdout (every view, or one) or writes ``<out>/<view>.mmd``
(then stdout gets one ``wrote N Mermaid file(s) to DIR`` line). Exit 0 on success, 2 on a
usage or model error (unknown view with a did-you-mean; errors on stderr).
"""

from __future__ import annotations

import sys
from pathlib import Path

from model.index import ModelIndex
from model.loader import load_model
from model.errors import did_you_mean

__all__ = ["run_export", "export_texts", "FORMATS"]

FORMATS = ("mermaid",)


def export_texts(model, fmt: str = "mermaid", view: str | None = None) -> dict[str, str]:
    """{view id: Mermaid text} for every view of ``model`` (or only ``view``), in model order.

    Raises KeyError with a user-facing message for an unknown view.
    """
    from render.diagrams.mermaid import to_mermaid
    from render.diagrams.select import select_view

    if fmt not in FORMATS:
        raise KeyError(f"unknown format '{fmt}'{did_you_mean(fmt, FORMATS)}")
    views = {v.id: v for v in model.views}
    if view is not None and view not in views:
        known = ", ".join(views) or "none"
        raise KeyError(f"unknown view '{view}'{did_you_mean(view, views)}; views: {known}")
    ix = ModelIndex(model)
    chosen = [views[view]] if view is not None else list(views.values())
    return {v.id: to_mermaid(select_view(ix, v)) for v in chosen}


def run_export(fmt: str, view: str | None = None, out: str | None = None,
               model_path: str | None = None) -> int:
    """Export views; 0 ok, 2 on an unknown format/view, a model error or an unwritable ``out``."""
    from archdoc.common import fail, load_checked

    loaded = load_checked(model_path, load_model)
    if loaded is None:
        return 2
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
