"""The approval PDF: the generated pages as one Typst document, laid out and written by Typst.

* :mod:`~render.print.html` - the pages as numbered chapters (HTML from their Markdown): order,
  numbering, figures placed on A4, A4 landscape or A3 pages, tables measured and classified;
* :mod:`~render.print.columns` - the tables' column widths, measured from the fonts;
* :mod:`~render.print.typeset` - a chapter's HTML as Typst markup (every text escaped);
* :mod:`~render.print.document` - the whole Typst source: cover with the approval block,
  revision history, contents with page numbers, running header and footer, chapters;
* :mod:`~render.print.pdf` - :func:`write_pdf` (A4, PDF/A-3a, tagged, embedded Noto Sans CJK JP, no network);
* :mod:`~render.print.archival` - the model attached to the PDF and the XMP record metadata;
* ``templates/`` - the Typst document template.

May import: :mod:`model`, :mod:`render.escape` and :mod:`render.pages.approval` (the approval record
as the pages word it). Never :mod:`archdoc`.
"""
