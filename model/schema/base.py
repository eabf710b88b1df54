"""Shared building blocks of the model classes: id and text types, the strict base class."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StringConstraints

__all__ = ["Id", "Text", "Cidr", "IpAddress", "Port", "Strict"]

Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=64)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=2000)]
Cidr = Annotated[str, StringConstraints(min_length=1, max_length=64), Field(json_schema_extra={"format": "cidr"})]
"""A CIDR, kept as text so that the rules (E02x) can say what is wrong with it. The schema's
``format: cidr`` marks it as structured data, not free text (tests/hostile.py relies on it)."""
IpAddress = Annotated[str, StringConstraints(pattern=r"^\d{1,3}(\.\d{1,3}){3}$", max_length=15)]
"""One IPv4 address (checked by rule E034)."""
Port = Annotated[StrictInt, Field(ge=0, le=65535)]


class Strict(BaseModel):
    """Base: frozen, unknown keys are errors; ints and bools are strict (no "443" -> 443)."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


