"""The site's Markdown pages: the page plan, Jinja2 templates and the table builders they use.

* :mod:`~render.pages.assemble` - :func:`render_pages` (or :func:`iter_pages`, one at a time): the numbered
  page plan and each page;
* :mod:`~render.pages.templating` / :mod:`~render.pages.markdown` - the Jinja2 environment and
  the Markdown escaping every model value goes through;
* :mod:`~render.pages.network`, :mod:`~render.pages.components`, :mod:`~render.pages.flows`,
  :mod:`~render.pages.reference`, :mod:`~render.pages.reachability`, :mod:`~render.pages.requirements`
  - rows for the templates;
* ``templates/`` (Jinja2) and ``assets/`` (the site's CSS and script, copied into docs/).

May import: :mod:`model` (and the rows the analysis hands over). Never :mod:`archdoc`.
"""

from __future__ import annotations

from typing import Any

__all__ = ["render_pages", "iter_pages", "plan_pages", "page_paths", "PageSpec", "REACH_PAGE", "REQUIREMENTS_PAGE"]


def __getattr__(name: str) -> Any:
    """The names above, from :mod:`~render.pages.assemble` when first asked for: a module of this
    package (the approval words the PDF's cover needs, :mod:`~render.pages.approval`) imports
    without the templates and the page builders (0.1 s)."""
    if name in __all__:
        from render.pages import assemble

        return getattr(assemble, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
