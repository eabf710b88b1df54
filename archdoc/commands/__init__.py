"""One module per CLI verb; each is a thin ``run_<verb>(...) -> exit code`` over the library.

May import: everything below the CLI (:mod:`model`, :mod:`analysis`, :mod:`render`, :mod:`aws`) and
:mod:`archdoc.common`, :mod:`archdoc.build`, :mod:`archdoc.compare`. Never :mod:`archdoc.cli`.
"""
