"""The approval PDF: one print HTML document from the generated pages, laid out by WeasyPrint.

* :mod:`~render.print.html` - cover with the approval block, revision history, contents,
  the pages in order, landscape pages for wide figures and tables;
* :mod:`~render.print.columns` - the tables' column widths, measured from the fonts (fixed layout);
* :mod:`~render.print.pdf` - :func:`write_pdf` (A4, embedded Noto Sans CJK JP, no network);
* ``templates/`` - the print stylesheet and cover template.

May import: :mod:`model` only. Never :mod:`archdoc`.
"""
