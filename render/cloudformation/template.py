"""One CloudFormation template being assembled, and the naming rules every exporter shares.

Logical ids are the CamelCase of a model id plus a type suffix, so the same model gives the
same ids run after run (``poc-app-vpc`` -> ``PocAppVpcVPC``); parameters are named the same
way. Every taggable resource carries ``Name``, ``archdoc:env`` and ``archdoc:id`` so the
deployed state can be matched back to the model (``archdoc drift``).

>>> camel("poc-app-private-a-rt")
'PocAppPrivateARt'
>>> t = Template(env="poc", account="poc-account", region="ap-northeast-1")
>>> t.tags("poc-app-vpc", "アプリ系VPC")[2]
{'Key': 'archdoc:id', 'Value': 'poc-app-vpc'}
>>> t.parameter("AlbCertificateArn", "String", "ACM certificate of the ALB's HTTPS listener")
{'Ref': 'AlbCertificateArn'}
>>> aws_text("HTTPS（事業者）")
'HTTPS'
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Template", "Skipped", "Note", "camel", "ref", "get_att", "aws_text", "tag_text", "TAG_ID", "TAG_ENV"]

TAG_ID = "archdoc:id"
TAG_ENV = "archdoc:env"

# EC2 accepts only these characters in security group names, descriptions and rule descriptions.
_EC2_TEXT = re.compile(r"[^a-zA-Z0-9 ._\-:/()#,@\[\]+=&;{}!$*]")
# Tag values: letters and digits of any script, spaces and _ . : / = + - @ (strictest services).
_TAG_TEXT = re.compile(r"[^\w\s.:/=+\-@]|_(?=_)")


def camel(model_id: str) -> str:
    """CamelCase of a kebab-case model id (logical ids allow letters and digits only)."""
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[^A-Za-z0-9]+", model_id) if part)


def ref(logical_id: str) -> dict:
    return {"Ref": logical_id}


def get_att(logical_id: str, attribute: str) -> dict:
    return {"Fn::GetAtt": [logical_id, attribute]}


def aws_text(text: str, limit: int = 255) -> str:
    """``text`` reduced to the characters EC2 allows in descriptions (full-width forms folded,
    other characters dropped, empty brackets and extra spaces removed).

    >>> aws_text("AWS API, SES, S3")
    'AWS API, SES, S3'
    >>> aws_text("すべての送信（VPC既定SG相当）")
    '(VPC SG)'
    """
    folded = _EC2_TEXT.sub(" ", unicodedata.normalize("NFKC", text))
    folded = re.sub(r"\(\s*\)|\[\s*\]|\{\s*\}", " ", folded)
    folded = re.sub(r"\(\s+", "(", re.sub(r"\s+\)", ")", folded))
    return " ".join(folded.split())[:limit]


def tag_text(text: str, limit: int = 256) -> str:
    """``text`` reduced to what every service accepts in a tag value (brackets become spaces).

    >>> tag_text("アプリ (ECS Fargate)")
    'アプリ ECS Fargate'
    >>> tag_text("レート制限（100 req/5min/IP）")
    'レート制限 100 req/5min/IP'
    """
    return " ".join(_TAG_TEXT.sub(" ", unicodedata.normalize("NFKC", text)).split())[:limit]


@dataclass(frozen=True)
class Skipped:
    """A model construct the exporter could not express, with the reason (listed in README.md)."""

    what: str
    reason: str


@dataclass(frozen=True)
class Note:
    """A design AWS will refuse as written (the resource's logical id and why)."""

    resource: str
    text: str


@dataclass
class Template:
    """The parts of one template (one account of one environment), in insertion order."""

    env: str
    account: str
    region: str
    parameters: dict[str, dict] = field(default_factory=dict)
    conditions: dict[str, Any] = field(default_factory=dict)
    resources: dict[str, dict] = field(default_factory=dict)
    outputs: dict[str, dict] = field(default_factory=dict)
    skipped: list[Skipped] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    """Warnings for the reader of README.md (e.g. a design AWS will refuse to deploy)."""

    def tags(self, model_id: str, name: str) -> list[dict]:
        """The tag list every resource carries (sorted by key)."""
        return [{"Key": "Name", "Value": tag_text(name) or model_id}, {"Key": TAG_ENV, "Value": self.env},
                {"Key": TAG_ID, "Value": model_id}]

    def add(self, logical_id: str, rtype: str, properties: dict, **extra: Any) -> dict:
        """Add a resource (``extra``: DependsOn, Condition, DeletionPolicy, ...); returns its Ref."""
        if logical_id in self.resources:
            raise ValueError(f"duplicate logical id {logical_id}")
        body: dict[str, Any] = {"Type": rtype}
        for key in ("Condition", "DependsOn", "DeletionPolicy", "UpdateReplacePolicy"):
            if extra.get(key):
                body[key] = extra[key]
        body["Properties"] = properties
        self.resources[logical_id] = body
        return ref(logical_id)

    def parameter(self, name: str, ptype: str, description: str, **extra: Any) -> dict:
        """Declare (once) a parameter for a value the model does not know; returns its Ref."""
        if name not in self.parameters:
            self.parameters[name] = {"Type": ptype, "Description": description, **extra}
        return ref(name)

    def output(self, name: str, value: Any, description: str) -> None:
        self.outputs[name] = {"Description": description, "Value": value}

    def note(self, resource: str, text: str) -> None:
        self.notes.append(Note(resource, text))

    def skip(self, what: str, reason: str) -> None:
        self.skipped.append(Skipped(what, reason))

    def document(self, description: str) -> dict:
        """The template as an ordered dict (the order CloudFormation's docs use)."""
        doc: dict[str, Any] = {"AWSTemplateFormatVersion": "2010-09-09", "Description": description}
        if self.parameters:
            doc["Parameters"] = self.parameters
        if self.conditions:
            doc["Conditions"] = self.conditions
        doc["Resources"] = self.resources
        if self.outputs:
            doc["Outputs"] = self.outputs
        return doc
