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

from render.pages.assemble import REACH_PAGE, REQUIREMENTS_PAGE, PageSpec, iter_pages, plan_pages, render_pages

__all__ = ["render_pages", "iter_pages", "plan_pages", "PageSpec", "REACH_PAGE", "REQUIREMENTS_PAGE"]
