"""AWS failures as one-line messages (never a traceback): missing credentials, access denied,
throttling that outlasted the retries, an unreachable endpoint.

>>> from botocore.exceptions import NoCredentialsError
>>> print(describe(NoCredentialsError(), "ec2", "describe_vpcs"))
no AWS credentials found (use --profile, AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY; or --snapshot DIR)
"""

from __future__ import annotations

from botocore.exceptions import (
    BotoCoreError, ClientError, EndpointConnectionError, NoCredentialsError, NoRegionError,
    PartialCredentialsError, ProfileNotFound,
)

__all__ = ["AwsError", "describe", "api_name", "UNSUPPORTED_CODES"]

_DENIED = {"AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "UnrecognizedClientException",
           "InvalidClientTokenId", "AuthFailure"}
_THROTTLED = {"Throttling", "ThrottlingException", "RequestLimitExceeded", "TooManyRequestsException",
              "ThrottledException", "SlowDown"}
_EXPIRED = {"ExpiredToken", "ExpiredTokenException", "RequestExpired"}
#: Codes an AWS stand-in answers for an operation it does not implement.
UNSUPPORTED_CODES = {"InvalidAction", "NotImplemented", "UnknownOperationException"}


class AwsError(Exception):
    """An AWS call failed; ``str()`` is the one-line message for the user."""


def api_name(service: str, operation: str) -> str:
    return f"{service}:{''.join(part.title() for part in operation.split('_'))}"


def describe(exc: Exception, service: str, operation: str) -> str:
    """One line saying what went wrong and what to do."""
    api = api_name(service, operation)
    if isinstance(exc, (NoCredentialsError, PartialCredentialsError)):
        return ("no AWS credentials found (use --profile, AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY; "
                "or --snapshot DIR)")
    if isinstance(exc, ProfileNotFound):
        return f"AWS profile not found: {exc.kwargs.get('profile')} (see ~/.aws/config)"
    if isinstance(exc, NoRegionError):
        return "no AWS region (use --region or AWS_DEFAULT_REGION)"
    if isinstance(exc, EndpointConnectionError):
        return f"cannot reach the AWS endpoint for {api}: {exc.kwargs.get('endpoint_url')}"
    if isinstance(exc, ClientError):
        code = exc.response.get("Error", {}).get("Code", "")
        message = " ".join(str(exc.response.get("Error", {}).get("Message", "")).split())[:200]
        if code in _DENIED:
            return (f"access denied to {api} ({code}); the read-only IAM policy drift needs is in the README "
                    "('archdoc drift')")
        if code in _THROTTLED:
            return f"throttled by AWS on {api} ({code}) after retries with backoff; try again later"
        if code in _EXPIRED:
            return f"the AWS credentials have expired ({code}); refresh them (e.g. aws sso login)"
        return f"{api} failed: {code}: {message}"
    if isinstance(exc, BotoCoreError):
        return f"{api} failed: {' '.join(str(exc).split())[:200]}"
    return f"{api} failed: {type(exc).__name__}: {' '.join(str(exc).split())[:200]}"
