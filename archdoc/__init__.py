"""The ``archdoc`` command line: thin verbs over the library, and the two-phase build.

* :mod:`~archdoc.cli` - argument parsing and dispatch (exit codes 0/1/2, never a traceback);
* :mod:`~archdoc.commands` - one module per verb;
* :mod:`~archdoc.build` / :mod:`~archdoc.publish` / :mod:`~archdoc.site_guard` - gather, then
  write: staging, the strict MkDocs run and the publish step;
* :mod:`~archdoc.compare` - the read-only comparison of committed docs with the model;
* :mod:`~archdoc.common` - what the verbs share (loading, error printing).

May import: :mod:`model`, :mod:`analysis`, :mod:`render`.
"""
