"""The typed model of an AWS design and how it is read.

* :mod:`~model.yaml` - safe YAML loading with line marks (untrusted input: bounded, no tags);
* :mod:`~model.schema` - the pydantic types by domain;
* :mod:`~model.rules` - validation rules E0xx with their registry;
* :mod:`~model.loader` - :func:`~model.loader.load_model`: files -> validated, located model;
* :mod:`~model.index` - read-only lookups per environment;
* :mod:`~model.migration` - the migration table between two environments;
* :mod:`~model.errors` - located problems and the error that carries them;
* ``data/`` - the city's model.

May import: nothing of archdoc outside :mod:`model` (pydantic and PyYAML only).
"""
