"""Architecture diagrams: view selection, layout hints, DOT, icons, rendered files, Mermaid.

* :mod:`~render.diagrams.select` - a view of the model as a :mod:`~render.diagrams.spec`
  (nodes, boxes, edges, legend); :mod:`~render.diagrams.layout` adds layout hints;
* :mod:`~render.diagrams.dot` / :mod:`~render.diagrams.dot_text` - the DOT text;
  :mod:`~render.diagrams.dot_read` reads it back for the drift check;
* :mod:`~render.diagrams.icons` / :mod:`~render.diagrams.files` - AWS icons, PNG and SVG;
* :mod:`~render.diagrams.mermaid` - the same spec as Mermaid text.

The public entry points:

* :func:`dot_sources` is pure (no Graphviz): CI compares it with the committed
  ``docs/diagrams/<view>.dot`` to detect a model change that was not regenerated;
* :func:`build_diagrams` renders every view (see :mod:`render.diagrams.files`);
* :func:`dot_summary` reads a DOT file written by :mod:`render.diagrams.dot` back into sets
  of nodes, edges and boxes, so a failed check can say *what* changed in a view.

May import: :mod:`model` only.

>>> from model.loader import load_model
>>> sources = dot_sources(load_model().model)
>>> sorted(sources)[:3]
['cicd', 'dr', 'monitoring']
>>> nodes, edges, boxes = dot_summary(sources["dr"])
>>> ("s3-dr", "rds-dr", "災害時に復元") in edges
True
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from model.schema import Model
    from render.diagrams.files import RenderReport

__all__ = ["dot_sources", "build_diagrams", "dot_summary"]

# The modules behind these functions are imported when first called, not with the package: the
# diagrams' worker of a build imports render.diagrams.files alone, before the model is loaded
# (archdoc.build), and would otherwise import the model's schema for nothing.


def dot_sources(model: Model) -> dict[str, str]:
    """View id -> DOT source, for every view of ``model`` (pure and deterministic)."""
    from model.index import ModelIndex
    from render.diagrams.dot import to_dot
    from render.diagrams.select import select_view

    ix = ModelIndex(model)
    return {view.id: to_dot(select_view(ix, view)) for view in model.views}


def build_diagrams(model: Model, out_dir: Path, previous_dir: Path | None = None,
                   jobs: int = 2) -> RenderReport:
    """Render every view of ``model`` into ``out_dir`` (reusing unchanged outputs of ``previous_dir``)."""
    from render.diagrams.files import render_views

    return render_views(dot_sources(model), Path(out_dir), jobs=jobs, previous_dir=previous_dir)


def dot_summary(dot_text: str) -> tuple[set[tuple[str, str]], set[tuple[str, str, str]], set[tuple[str, str]]]:
    """``(nodes, edges, boxes)`` of a DOT file written by :func:`render.diagrams.dot.to_dot` (see
    :func:`render.diagrams.dot_read.dot_summary`)."""
    from render.diagrams.dot_read import dot_summary as summary

    return summary(dot_text)
