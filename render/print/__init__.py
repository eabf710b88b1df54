"""The approval PDF: one print HTML document from the generated pages, laid out by WeasyPrint.

* :mod:`~render.print.html` - cover with the approval block, revision history, contents,
  the pages in order, landscape pages for wide figures and tables;
* :mod:`~render.print.columns` - the tables' column widths, measured from the fonts (fixed layout);
* :mod:`~render.print.pdf` - :func:`write_pdf` (A4, PDF/A-3a, tagged, embedded Noto Sans CJK JP, no network);
* :mod:`~render.print.archival` - the model attached to the PDF and the XMP record metadata;
* ``templates/`` - the print stylesheet and cover template.

May import: :mod:`model`, :mod:`render.escape` and :mod:`render.pages.approval` (the approval record
as the pages word it). Never :mod:`archdoc`.
"""
