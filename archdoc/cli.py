"""The ``archdoc`` command: thin verbs that call the modules doing the work.

Exit codes mean the same for every verb: 0 ok, 1 a negative result (unreachable, drift,
a violated intent), 2 a usage or model error. No traceback reaches the user.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

__all__ = ["main", "build_parser"]


def _model_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--model", metavar="PATH", help="model file or folder (default: the bundled model)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="archdoc",
        description="Architecture as code: one model of the AWS system drives diagrams, pages, "
                    "reachability and the approval PDF.",
    )
    sub = parser.add_subparsers(dest="verb", metavar="VERB", required=True)

    p = sub.add_parser("validate", help="load and validate the model")
    _model_arg(p)
    sub.add_parser("schema", help="print the JSON Schema of the model format")

    p = sub.add_parser("build", help="regenerate docs/ (diagrams, pages), build the site and the PDF")
    _model_arg(p)
    p.add_argument("--site-dir", default="site", help="static site output (default: site)")
    p.add_argument("--docs-dir", default=None, help="generated docs folder (default: docs)")
    p.add_argument("--no-pdf", action="store_true", help="skip the approval PDF")

    p = sub.add_parser("check", help="fail when committed docs drift from the model or an intent breaks")
    _model_arg(p)
    p.add_argument("--docs-dir", default=None, help="docs folder to check (default: docs)")
    p.add_argument("--strict", action="store_true", help="known intent violations fail too")

    p = sub.add_parser("reach", help="can SRC reach DST on PORT in ENV, and if not, why")
    _model_arg(p)
    p.add_argument("--env", required=True)
    p.add_argument("--from", dest="source", required=True, metavar="SRC")
    p.add_argument("--to", dest="target", required=True, metavar="DST")
    p.add_argument("--port", required=True, type=int)
    p.add_argument("--protocol", default="tcp", choices=["tcp", "udp"])
    p.add_argument("--json", action="store_true", dest="as_json")

    p = sub.add_parser("findings", help="design review of the model")
    _model_arg(p)
    p.add_argument("--env")
    p.add_argument("--json", action="store_true", dest="as_json")

    p = sub.add_parser("diff", help="configuration and reachability differences between environments")
    _model_arg(p)
    p.add_argument("--from", dest="from_env", required=True, metavar="ENV")
    p.add_argument("--to", dest="to_env", required=True, metavar="ENV")
    p.add_argument("--json", action="store_true", dest="as_json")

    p = sub.add_parser("export", help="export views in another format")
    _model_arg(p)
    p.add_argument("--format", required=True, choices=["mermaid"])
    p.add_argument("--view", help="one view id (default: every view)")
    p.add_argument("--out", help="output folder (default: print to stdout)")

    p = sub.add_parser("pdf", help="write the approval PDF")
    _model_arg(p)
    p.add_argument("--out", default="site/archdoc.pdf")
    return parser


def _dispatch(args: argparse.Namespace) -> int:
    verb = args.verb
    if verb == "validate":
        from archdoc.cmd_validate import run_validate
        return run_validate(args.model)
    if verb == "schema":
        from archdoc.cmd_validate import run_schema
        return run_schema()
    if verb == "build":
        from archdoc.cmd_build import run_build
        return run_build(args.model, args.site_dir, args.docs_dir, pdf=not args.no_pdf)
    if verb == "check":
        from archdoc.cmd_check import run_check
        return run_check(args.model, args.docs_dir, strict=args.strict)
    if verb == "reach":
        from archdoc.cmd_reach import run_reach
        return run_reach(args.env, args.source, args.target, args.port, args.protocol,
                         as_json=args.as_json, model_path=args.model)
    if verb == "findings":
        from archdoc.cmd_findings import run_findings
        return run_findings(args.env, as_json=args.as_json, model_path=args.model)
    if verb == "diff":
        from archdoc.cmd_diff import run_diff
        return run_diff(args.from_env, args.to_env, as_json=args.as_json, model_path=args.model)
    if verb == "export":
        from archdoc.cmd_export import run_export
        return run_export(args.format, args.view, args.out, model_path=args.model)
    if verb == "pdf":
        from archdoc.cmd_pdf import run_pdf
        return run_pdf(args.model, args.out)
    raise AssertionError(verb)  # argparse only lets known verbs through


def main(argv: Sequence[str] | None = None, *, _dispatch: Callable[[argparse.Namespace], int] = _dispatch) -> int:
    args = build_parser().parse_args(argv)
    try:
        return _dispatch(args)
    except KeyboardInterrupt:
        print("archdoc: interrupted", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a bug: say so in one line, never a traceback
        print(f"archdoc: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
