"""Read the deployed state of one account and region with boto3: read-only describe/list
calls (:data:`aws.calls.CALLS`), every page, throttling retried with backoff (botocore's
adaptive retry mode).

The result maps each call's snapshot file name to its response, reduced to the call's list
and ordered (:mod:`aws.snapshot` writes exactly this). Dates become ISO strings, so a live
read and a snapshot of it are the same data.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
from typing import Any, Iterator

from aws.calls import CALLS, Call
from aws.errors import UNSUPPORTED_CODES, AwsError, api_name, describe

__all__ = ["read_state", "normalise", "UNSUPPORTED"]

UNSUPPORTED = "Unsupported"
"""Key of a response the endpoint refused as an unknown operation (an AWS stand-in)."""


def _json_default(value: Any) -> str:
    if isinstance(value, (_dt.datetime, _dt.date)):
        return value.isoformat()
    return str(value)


def normalise(call: Call, items: list) -> dict:
    """``{call.result: items}`` ordered by the call's key, as plain JSON data.

    >>> normalise(CALLS[0], [{"VpcId": "vpc-2"}, {"VpcId": "vpc-1"}])
    {'Vpcs': [{'VpcId': 'vpc-1'}, {'VpcId': 'vpc-2'}]}
    """
    def key(item: Any) -> str:
        if isinstance(item, dict):
            return f"{item.get(call.parent_key or '', '')}\0{item.get(call.order, '')}"
        return str(item)

    data = json.loads(json.dumps(items, default=_json_default))
    return {call.result: sorted(data, key=key)}


def _requests(call: Call, done: dict[str, dict]) -> Iterator[tuple[dict, str | None]]:
    """(request parameters, parent id) for every request of ``call``."""
    if call.parent is None:
        yield {}, None
        return
    parent = next(c for c in CALLS if c.file == call.parent)
    param, field = call.parent_param
    items = done[call.parent].get(parent.result, ())
    if call.batch > 1:
        # Ids a parent call collected per grandparent (ECS services per cluster) stay in that scope.
        groups: dict[str | None, list] = {}
        for item in items:
            scope = item.get(parent.parent_key) if parent.parent_key and isinstance(item, dict) else None
            groups.setdefault(scope, []).append(item[field] if field else item)
        for scope, ids in groups.items():
            extra = {parent.parent_key: scope} if scope is not None else {}
            for start in range(0, len(ids), call.batch):
                yield {param: ids[start:start + call.batch], **extra}, None
    else:
        for item in items:
            ident = item[field] if field else item
            yield {param: ident}, ident


def _items(client, call: Call, params: dict) -> list:
    if call.service == "ecs" and call.operation == "describe_services":
        params = {**params, "include": ["TAGS"]}
    if client.can_paginate(call.operation):
        return [item for page in client.get_paginator(call.operation).paginate(**params)
                for item in page.get(call.result, ())]
    return list(client.__getattribute__(call.operation)(**params).get(call.result, ()))


def read_state(*, region: str | None = None, profile: str | None = None,
               endpoint_url: str | None = None) -> dict[str, dict]:
    """{snapshot file name: response} for every call of :data:`~aws.calls.CALLS`.

    Attempts per call: ``AWS_MAX_ATTEMPTS`` (botocore's own variable), default 10. With
    ``endpoint_url`` (an AWS stand-in such as moto or LocalStack) an operation the endpoint does
    not implement is recorded as unsupported instead of failing the read.
    Raises :class:`~aws.errors.AwsError` with a one-line message on any other failure.
    """
    import boto3
    from botocore.config import Config
    from botocore.exceptions import BotoCoreError, ClientError
    from botocore.parsers import ResponseParserError

    try:
        max_attempts = max(1, int(os.environ.get("AWS_MAX_ATTEMPTS", "10")))
    except ValueError:
        raise AwsError(f"AWS_MAX_ATTEMPTS is not a number: {os.environ['AWS_MAX_ATTEMPTS']!r}") from None
    config = Config(retries={"max_attempts": max_attempts, "mode": "adaptive"}, user_agent_extra="archdoc-drift")
    try:
        session = boto3.session.Session(profile_name=profile, region_name=region)
    except BotoCoreError as exc:
        raise AwsError(describe(exc, "sts", "session")) from None
    clients: dict[str, Any] = {}
    done: dict[str, dict] = {}
    for call in CALLS:
        try:
            if call.service not in clients:
                clients[call.service] = session.client(call.service, endpoint_url=endpoint_url, config=config)
            items = []
            for params, parent_id in _requests(call, done):
                got = _items(clients[call.service], call, params)
                if call.parent_key and parent_id is not None:
                    got = [{**item, call.parent_key: parent_id} if isinstance(item, dict)
                           else {"arn": item, call.parent_key: parent_id} for item in got]
                items += got
        except (ClientError, ResponseParserError) as exc:
            code = exc.response.get("Error", {}).get("Code") if isinstance(exc, ClientError) else None
            if endpoint_url and (code in UNSUPPORTED_CODES or code is None):
                done[call.file] = {UNSUPPORTED: f"the endpoint does not implement {api_name(call.service, call.operation)}"}
                continue
            raise AwsError(describe(exc, call.service, call.operation)) from None
        except (BotoCoreError, ValueError) as exc:
            raise AwsError(describe(exc, call.service, call.operation)) from None
        done[call.file] = normalise(call, items)
    return done
