"""The only code that talks to AWS: read-only boto3 readers of the deployed state, snapshot
files, and the mapping of AWS errors to one-line messages.

* :mod:`~aws.calls` - the describe/list calls drift makes (and the IAM actions they need);
* :mod:`~aws.read` - running them through boto3 (paginated, retried with backoff);
* :mod:`~aws.snapshot` - one JSON file per call, stable order and formatting;
* :mod:`~aws.errors` - :class:`~aws.errors.AwsError` with a one-line message.

The responses stay raw (plain dicts as boto3 returns them, without ``ResponseMetadata``):
:mod:`analysis.drift` reads them, so a snapshot taken today can be compared offline later.

May import: :mod:`model` types only (and boto3/botocore).
"""
