"""Pure functions from the model (and the analysis' rows) to text and files.

* :mod:`~render.diagrams` - views, layout hints, DOT, icons, PNG/SVG, Mermaid;
* :mod:`~render.pages` - the site's Markdown pages (Jinja2 templates) and assets;
* :mod:`~render.print` - the approval PDF;
* :mod:`~render.children` - child processes (dot, mkdocs) that die with the build;
* :mod:`~render.toolchain` - the Graphviz version and the font files that draw what we render
  (cache keys, and the print's column measurements);
* :mod:`~render.escape` - model text into each format (HTML, MkDocs config; the table of
  every format's one escaping function).

May import: :mod:`model` only. The analysis' results arrive as rows (plain values), so
nothing here imports :mod:`analysis`; nothing here imports :mod:`archdoc`.
"""
