"""The ``archdoc`` command line: thin verbs over the library, and the two-phase build.

* :mod:`~archdoc.cli` - argument parsing and dispatch (exit codes 0/1/2, never a traceback);
* :mod:`~archdoc.commands` - one module per verb;
* :mod:`~archdoc.build` / :mod:`~archdoc.publish` - gather, then write: staging, the strict
  MkDocs run and the publish plan;
* :mod:`~archdoc.journal` / :mod:`~archdoc.recovery` / :mod:`~archdoc.lock` - publishing as
  one journaled step under a lock, and finishing or rolling back a killed build;
* :mod:`~archdoc.manifest` / :mod:`~archdoc.site_guard` / :mod:`~archdoc.failures` - what
  archdoc wrote (and may therefore delete), refusals of anything else, exit codes;
* :mod:`~archdoc.inputs` / :mod:`~archdoc.record` - what a build read (content hashes) and what
  it wrote, recorded in the site manifest: nothing changed, nothing is done again;
* :mod:`~archdoc.side_by_side` - the site and the PDF built at the same time (a forked PDF worker);
* :mod:`~archdoc.compare` - the read-only comparison of committed docs with the model;
* :mod:`~archdoc.common` - what the verbs share (loading, error printing).

May import: :mod:`model`, :mod:`analysis`, :mod:`render`.
"""
