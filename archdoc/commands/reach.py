"""``archdoc reach --env ENV (--from SRC | --from-ip A) (--to DST | --to-ip A) --port N [--protocol tcp|udp] [--json]``: one reachability query.

Either side may name its environment, ``ENV:NODE`` (``--from ENV:SRC --to OTHER_ENV:DST``): a plain
name belongs to ``--env`` (the source's environment, which ``ENV:SRC`` may give instead of
``--env``). Environments meet only where a shared network object joins them (a Transit
Gateway, Direct Connect gateway, Client VPN endpoint or VPN connection marked ``shared``);
otherwise the answer is unreachable (``DISCONNECTED``), saying they share no network.
Addresses (``--from-ip``/``--to-ip``) are asked within one environment.

Exit status:

* ``0`` reachable, or **conditional** (the path works until a condition outside the
  model holds, e.g. a WAF rate limit): the verdict line says 条件付き and lists the
  conditions; 3 is never used;
* ``1`` unreachable;
* ``2`` unknown environment, source or target (with did-you-mean), or a model error.

Text output: the verdict, the path hop by hop (action, component, what allowed it and
where it is written) - the request, then its reply (戻り) traced back by the same engine -,
every blocker with its code and the ``file:line`` to change, and, for a target with a
private and a public address, the verdict per address. ``--from-ip``/``--to-ip`` ask about
one address: a node's (written private IP or public IP), an on-premises site's, or a
host on the internet.

``--json`` prints one object::

    {"env": str, "source": str, "target": str, "protocol": "tcp"|"udp", "port": int,
     "verdict": "reachable"|"unreachable"|"conditional",
     "source_address": str, "target_address": str,   # CIDRs the request starts with
     "hops": [{"node": str, "action": str, "reason": str, "location": str|null,
               "direction": "forward"|"reply"}],
     "blockers": [{"code": str, "node": str, "message": str, "location": str|null,
                   "conditional": bool}],
     "notes": [str],          # assumption flags, e.g. ASSUMED_DEFAULT_NACL
     "by_address": [{"address": str, "verdict": str, "codes": [str]}]}  # --to NODE, two addresses

Errors (unknown environment, source or target, a model error) always go to stderr as
``archdoc reach: message`` (model errors as ``path:line:col: CODE message`` lines); with
``--json`` stdout *also* gets ``{"error": str, "suggestions": [str], "problems": [str]}``
(``problems``: the model's problem lines, empty otherwise), so a pipe into a JSON tool
still reads JSON. Usage errors (a port outside 0-65535, a missing flag) are argparse's.
"""

from __future__ import annotations

import json

from analysis.results import ReachResult
from archdoc.i18n import _

__all__ = ["run_reach", "format_result", "format_addresses", "verdict_text"]


def verdict_text(verdict: str) -> str:
    """A verdict ('reachable', 'unreachable', 'conditional') in the current language."""
    return {"reachable": _("到達可能"), "unreachable": _("到達不可"), "conditional": _("条件付き")}[verdict]


def format_result(r: ReachResult) -> str:
    """Human-readable text of one result (labels in the document's language, English codes)."""
    where = "" if ":" in r.source else f"{r.env}: "  # a cross-environment result names env:id on both sides
    verdict = {"reachable": _("到達可能（reachable）"), "unreachable": _("到達不可（unreachable）"),
               "conditional": _("条件付き（conditional）")}[r.verdict]  # English: the code alone
    head = f"{where}{r.source} → {r.target} {r.protocol}/{r.port}: {verdict}"
    lines = [head]
    if r.verdict == "conditional":
        conds = "; ".join(f"{b.code}: {b.message}" for b in r.blockers if b.conditional)
        lines.append(_("  条件: {conditions}").format(conditions=conds))
    lines.append(_("経路:"))
    direction = "forward"
    for i, h in enumerate(r.hops, 1):
        if h.direction != direction:
            direction = h.direction
            lines.append(_("戻り（応答）:") if direction == "reply" else _("経路:"))
        loc = f"  [{h.location}]" if h.location else ""
        lines.append(f"  {i:2d}. {h.action:<15} {h.node}: {h.reason}{loc}")
    if r.blockers:
        lines.append(_("阻害要因:"))
        unknown = _("位置不明")
        for b in r.blockers:
            kind = _("条件") if b.conditional else _("遮断")
            lines.append(f"  - [{kind}] {b.code} @ {b.node}: {b.message}  [{b.location or unknown}]")
    if r.notes:
        lines.append(_("前提: {notes}").format(notes=", ".join(r.notes)))
    return "\n".join(lines)


def format_addresses(rows: tuple[ReachResult, ...], names: dict[str, str] | None = None) -> str:
    """One line per address of the target (its private and public address); ``names`` words
    addresses the analysis allocated (a public IP the model does not write)."""
    names = names or {}
    lines = [_("宛先アドレス別:")]
    for x in rows:
        codes = _("（{codes}）").format(codes=", ".join(x.codes)) if x.codes else ""
        lines.append(f"  {names.get(x.target_address, x.target_address)}: {verdict_text(x.verdict)}{codes}")
    return "\n".join(lines)


def _allocated(plan) -> dict[str, str]:
    return {str(a): _("{node} のパブリックIP（モデルに値がなく解析用に {address} を割り当て）").format(node=e.node, address=a)
            for e, a in plan.public.items() if e not in plan.written}


def _unknown_endpoint(exc, model) -> tuple[str, list[str]]:
    """An English message (with did-you-mean) for :class:`analysis.paths.reach.UnknownEndpoint`."""
    what = exc.what
    from model.errors import suggest

    close = suggest(exc.name, exc.choices)
    known = {n.id for n in model.nodes} | {a.id for a in model.actors}
    if exc.name in known:
        msg = f"'{exc.name}' cannot be a {what} in environment {exc.env} (not a network endpoint there)"
    else:
        msg = f"unknown {what} '{exc.name}' in environment {exc.env}"
    if close:
        msg += f" (did you mean {' or '.join(repr(c) for c in close)}?)"
    msg += f"; {what}s in {exc.env}: {', '.join(exc.choices) or 'none'}"
    return msg, close or list(exc.choices)


def _endpoints(env: str | None, source: str | None, target: str | None, envs: list[str]):
    """(source env, source, target env, target), or (message, suggestions) for an unknown environment."""
    from analysis.paths.across import split_endpoint
    from archdoc.common import unknown_env

    # a plain name belongs to --env; without --env, to the other side's environment
    src_env, src = split_endpoint(source, env) if source is not None else (env, None)
    dst_env, dst = split_endpoint(target, env or src_env) if target is not None else (env or src_env, None)
    for e in (env, src_env, dst_env):
        bad = unknown_env(e, envs)
        if bad:
            return bad
    return src_env, src, dst_env, dst


def run_reach(env: str | None, source: str | None, target: str | None, port: int, protocol: str = "tcp",
              as_json: bool = False, model_path=None, src_ip: str | None = None, dst_ip: str | None = None) -> int:
    """Run one query and print it; returns the exit status documented above."""
    from analysis.graph.types import net
    from analysis.paths.across import reach_across
    from analysis.paths.reach import UnknownAddress, UnknownEndpoint
    from archdoc.common import fail, load_analysis

    analysis = load_analysis(model_path, as_json=as_json)
    if analysis is None:
        return 2
    parts = _endpoints(env, source, target, list(analysis.envs))
    if len(parts) == 2:
        return fail("reach", parts[0], parts[1], as_json)
    env, source, target_env, target = parts
    if protocol not in ("tcp", "udp"):
        return fail("reach", f"unknown protocol '{protocol}' (use tcp or udp)", ["tcp", "udp"], as_json)
    if not 0 <= int(port) <= 65535:
        return fail("reach", f"port {port} is out of range (0-65535)", [], as_json)
    if target_env != env and (src_ip or dst_ip):
        return fail("reach", f"addresses are asked within one environment ({env} and {target_env} given)", [],
                    as_json)
    q = analysis.network(env)
    by_address: tuple[ReachResult, ...] = ()
    try:
        if target_env != env:
            r = reach_across(q, target_env, source, target, int(port), protocol)
            by_address = tuple(reach_across(q, target_env, source, target, int(port), protocol, m)
                               for m in ("private", "public") if q.eg.scope is not None
                               and target_env in q.eg.scope.envs and q.peer(target_env).has_address(target, m))
        elif src_ip is None and dst_ip is None:
            r = q.reach(source, target, int(port), protocol)
            by_address = q.reach_by_address(source, target, int(port), protocol)
        else:
            r = q.reach_ip(int(port), protocol, source=source, target=target,
                           src_ip=net(src_ip + "/32") if src_ip else None, dst_ip=net(dst_ip + "/32") if dst_ip else None)
    except UnknownEndpoint as exc:
        msg, suggestions = _unknown_endpoint(exc, analysis.loaded.model)
        return fail("reach", msg, suggestions, as_json)
    except UnknownAddress as exc:
        return fail("reach", str(exc), [], as_json)
    by_address = by_address if len(by_address) > 1 else ()
    if as_json:
        d = r.to_dict()
        d["by_address"] = [{"address": x.target_address, "verdict": x.verdict, "codes": list(x.codes)}
                           for x in by_address]
        print(json.dumps(d, ensure_ascii=False, indent=2))
    else:
        print(format_result(r))
        if by_address:
            plan = q.peer(target_env).eg.addresses if target_env != env else q.eg.addresses
            print(format_addresses(by_address, _allocated(plan)))
    return 1 if r.verdict == "unreachable" else 0
