"""Intents, findings, diff, page and CLI verbs on the seed and on the small second model."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.diff import diff
from analysis.matrix import matrix
from archdoc.commands.diff import run_diff
from archdoc.commands.findings import run_findings
from archdoc.commands.reach import run_reach
from conftest import MINI, analysis_of, loaded_of
from model.loader import load_model
from render.pages import REACH_PAGE, render_pages

SRC = load_model()
A = analysis_of(SRC)


def reach_page(m) -> str:
    """The reachability page of a loaded or in-memory model."""
    return render_pages(loaded_of(m), analysis_of(m))[REACH_PAGE]


def test_intents_status():
    res = {r.id: r for r in A.intents}
    assert {r.status for r in res.values()} <= {"holds", "known-violation"}  # nothing unexpected
    known = sorted(i for i, r in res.items() if r.status == "known-violation")
    assert known == ["poc-business-alb-http-redirect", "poc-developer-backend", "poc-developer-frontend",
                     "prod-business-alb-http-redirect", "prod-staff-alb-https", "prod-staff-backend",
                     "prod-staff-frontend"]
    staff = res["prod-staff-alb-https"]
    assert (staff.verdict, staff.status) == ("unreachable", "known-violation")
    assert staff.codes == ("WAF_RATE_BASED_CONDITIONAL", "WAF_GEO_BLOCKED") and "XX" in staff.known_violation
    assert res["poc-internet-no-rds"].status == "holds"
    assert all(r.location and r.location.startswith("model/data/intents.yaml:") for r in res.values())


def test_intent_violation_when_marker_missing():
    m = SRC.model
    intents = tuple(i.model_copy(update={"known_violation": None}) for i in m.intents)
    res = {r.id: r for r in analysis_of(m.model_copy(update={"intents": intents})).intents_of("prod")}
    assert res["prod-staff-frontend"].status == "violated"
    assert all(r.env == "prod" for r in res.values())


SEED_FINDINGS = {
    ("poc", "ALB_SUBNETS_SINGLE_AZ"), ("poc", "RDS_SUBNET_GROUP_SINGLE_AZ"), ("poc", "CVPN_SINGLE_SUBNET"),
    ("poc", "SG_RULE_NEVER_MATCHES"), ("poc", "SG_RULE_SHADOWED"), ("poc", "ALB_LISTENER_NOT_ADMITTED"),
    ("poc", "FLOW_NOT_ADMITTED"), ("poc", "INTENT_KNOWN_VIOLATION"),
    ("prod", "DXGW_TGW_REQUIRES_TRANSIT_VIF"), ("prod", "PIPELINE_APPROVAL_BYPASS"), ("prod", "SG_RULE_SHADOWED"),
    ("prod", "ALB_LISTENER_NOT_ADMITTED"), ("prod", "FLOW_NOT_ADMITTED"), ("prod", "INTENT_KNOWN_VIOLATION"),
    ("prod", "DR_COPY_MISSING"),  # the PDFs of the S3 bucket are not copied to Osaka (c-dr-copy-scope)
}


def test_seed_findings():
    rows = A.findings
    assert {(f.env, f.code) for f in rows} == SEED_FINDINGS
    assert rows == analysis_of(load_model()).findings  # deterministic
    shadow = next(f for f in rows if f.code == "SG_RULE_SHADOWED")
    assert shadow.location == "model/data/shared.yaml:44" and "HTTPS（市職員）" in shadow.message
    assert all(f.fix and f.message for f in rows)
    # the intended public ALB is not an exposure finding
    assert not any(f.code == "INTERNET_EXPOSED_UNINTENDED" for f in rows)


def test_pipeline_bypass_only_in_prod():
    rows = [f for f in A.findings if f.code == "PIPELINE_APPROVAL_BYPASS"]
    assert [(f.env, f.resources) for f in rows] == [("prod", ("main", "push", "approval"))]


def test_diff_poc_prod():
    d = diff(A, "poc", "prod")
    keys = {(c.kind, c.key, c.change) for c in d.config}
    assert ("security-group", "cvpn-sg", "only-from") in keys
    assert ("subnet", "app/Private Subnet DB 2", "only-to") in keys
    assert ("sg-rule", "ecs-sg inbound tcp/3000 172.16.0.0/22", "only-from") in keys
    rows = {(r.source, r.target, r.port): r for r in d.reach}
    r = rows[("persona:business", "alb", 443)]
    assert (r.from_verdict, r.to_verdict) == ("reachable", "conditional") and "WAF_RATE_BASED" in r.to_reason
    assert json.loads(json.dumps(d.to_dict()))["from"] == "poc"
    # the city hall's own internet access is outside the model: a condition, never a regression to unreachable
    staff = {(t, p): r for (s, t, p), r in rows.items() if s == "persona:city-staff"}
    r = staff[("alb", 443)]
    assert (r.from_verdict, r.to_verdict) == ("reachable", "unreachable")
    assert r.to_reason.startswith("WAF_RATE_BASED_CONDITIONAL, WAF_GEO_BLOCKED: WAF 地域制限（日本のみ許可）: 送信元 192.168.0.0/16")
    r = staff[("cognito", 443)]
    assert (r.from_verdict, r.to_verdict) == ("reachable", "conditional")
    assert r.to_reason.startswith("ONPREM_INTERNET_NOT_MODELED: オンプレミス（市庁舎） のインターネット接続はモデル化されていない")
    assert not any(r.to_verdict == "unreachable" and "ONPREM_INTERNET_NOT_MODELED" in r.to_reason for r in staff.values())


def test_page_escapes_and_lists_everything():
    page = reach_page(SRC)
    assert page.count("### 到達性マトリクス") == 2
    assert "ALB\\_SUBNETS\\_SINGLE\\_AZ" in page and "△ 既知の違反" in page
    for line in page.splitlines():
        if line.startswith("|"):
            assert line.endswith("|")
    assert page == reach_page(load_model())


def test_page_escapes_model_text():
    m = SRC.model
    a = m.actors[0].model_copy(update={"label": "悪い|ラベル <b>*x*</b> `c`\n改行"})
    page = reach_page(m.model_copy(update={"actors": (a,) + m.actors[1:]}))
    assert "悪い\\|ラベル &lt;b&gt;\\*x\\*&lt;/b&gt; \\`c\\`<br>改行" in page


def test_cli_reach(capsys):
    assert run_reach("poc", "business-user", "alb", 443) == 0
    assert "到達可能" in capsys.readouterr().out
    assert run_reach("prod", "business-user", "alb", 443) == 0
    out = capsys.readouterr().out
    assert "条件付き" in out and "WAF_RATE_BASED_CONDITIONAL" in out
    assert run_reach("poc", "business-user", "rds", 5432, as_json=True) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["verdict"] == "unreachable" and data["blockers"][0]["location"]
    assert run_reach("poc", "busines-user", "rds", 5432) == 2
    assert "business-user" in capsys.readouterr().err
    assert run_reach("pco", "business-user", "rds", 5432, as_json=True) == 2
    assert "poc" in json.loads(capsys.readouterr().out)["suggestions"]


def test_cli_findings_and_diff(capsys):
    assert run_findings(as_json=True) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["summary"] == {"error": 9, "warning": 12, "info": 2}
    assert run_findings(env="staging") == 2
    assert run_diff("poc", "prod") == 0
    assert "到達性の差分" in capsys.readouterr().out
    assert run_diff("poc", "prd") == 2


def test_mini_model():
    src = load_model(MINI)
    a = analysis_of(src)
    assert a.envs == ("stg", "live")
    assert {r.status for r in a.intents} == {"holds"}
    for env in a.envs:
        q = a.network(env)
        actors = [x.id for x in q.eg.ix.actors_in(env)]
        assert q.reach(actors[0], "alb", 443).verdict != "unreachable"
        assert q.reach(actors[0], "db", 5432).verdict == "unreachable"
        assert q.reach("app", "db", 5432).verdict == "reachable"
        assert len(matrix(q)) > 0
    assert not [f for f in a.findings if f.severity == "error"]
    assert reach_page(src).count("### 到達性マトリクス") == len(a.envs)


def test_networkx_is_imported_only_for_a_pipeline_with_an_approval():
    """The approval-bypass rule is the one user of networkx (0.1-0.2 s to import): a model with
    no approval step in a pipeline (the three-tier example) is reviewed without importing it."""
    script = ("import sys\n"
              "from model.loader import load_model\n"
              "from analysis.analyze import analyze\n"
              "findings = analyze(load_model(sys.argv[1])).findings\n"
              "print(len(findings), 'networkx' in sys.modules)\n")
    example = Path(__file__).resolve().parent.parent / "examples" / "three-tier-web" / "model"
    for model, imported in ((str(example), "False"), ("model/data", "True")):
        out = subprocess.run([sys.executable, "-c", script, model], capture_output=True, text=True,
                             cwd=Path(__file__).resolve().parent.parent)
        assert out.returncode == 0, out.stderr
        assert out.stdout.split()[1] == imported, model
