"""Diagrams: what each view draws (the small views exactly as the seed draws them, structure of the rest), seed
arrows, rendering (deterministic, self-contained SVG, Japanese glyphs) and the cache."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from model.loader import load_model
from render.diagrams.files import MANIFEST, render_views, sha256
from render.diagrams import build_diagrams, dot_sources, dot_summary

from conftest import MINI  # noqa: E402


@pytest.fixture(scope="module")
def model():
    return load_model().model


@pytest.fixture(scope="module")
def sources(model):
    return dot_sources(model)


@pytest.fixture(scope="module")
def rendered(model, tmp_path_factory):
    out = tmp_path_factory.mktemp("diagrams")
    report = build_diagrams(model, out)
    return out, report


# ---------------------------------------------------------------- the seed's small pictures, by hand

# Sections 6, 7 and 8 of the seed draw these nodes and arrows (mermaid); the views must
# draw exactly them (labels as the seed writes them, '<br/>' as a line break).
SEED_PICTURES = {
    "dr": (  # 8. DR（災害復旧）構成
        {("rds", "RDS Primary"), ("s3-backup", "S3 Backup"), ("s3-dr", "S3\nスナップショットコピー"),
         ("rds-dr", "RDS復元用\n※災害時のみ作成")},
        {("rds", "s3-backup", "自動バックアップ"), ("s3-backup", "s3-dr", "日次コピー"),
         ("s3-dr", "rds-dr", "災害時に復元")},
        {("region-ap-northeast-1", "東京リージョン（Primary）"), ("region-ap-northeast-3", "大阪リージョン（DR）")}),
    "monitoring": (  # 7. 監視・アラート構成
        {("ecs", "ECS Fargate"), ("rds", "RDS"), ("alb", "ALB"), ("waf", "WAF"), ("cw-metrics", "Metrics"),
         ("cw-logs", "Logs"), ("cw-alarms", "Alarms"), ("sns", "SNS Topic"), ("email", "Email"),
         ("slack", "Slack\n将来対応"), ("bedrock", "Amazon Bedrock\n異常検知・原因分析")},
        {("ecs", "cw-metrics", ""), ("rds", "cw-metrics", ""), ("alb", "cw-metrics", ""), ("waf", "cw-logs", ""),
         ("ecs", "cw-logs", ""), ("cw-metrics", "cw-alarms", ""), ("cw-logs", "bedrock", ""),
         ("cw-alarms", "sns", ""), ("sns", "email", ""), ("sns", "slack", ""), ("bedrock", "sns", "")},
        {("box-monitored", "監視対象"), ("part-cloudwatch", "CloudWatch"), ("box-notify", "通知"),
         ("box-ai-ops", "AI運用支援")}),
    "cicd": (  # 6. CI/CDパイプライン構成 (開発環境 = POC, assumption a-dev-environment)
        {("repo", "リポジトリ"), ("develop", "developブランチ"), ("main", "mainブランチ"), ("build", "ビルド\nテスト"),
         ("push", "ECR Push"), ("deploy", "ECS Deploy"), ("approval", "承認待ち"),
         ("ecr@poc", "Amazon ECR\nContainer Registry"), ("ecs@poc", "ECS Fargate"), ("ecr@prod", "Amazon ECR"),
         ("ecs@prod", "ECS Fargate")},
        {("develop", "build", "push"), ("build", "push", ""), ("push", "ecr@poc", ""), ("push", "deploy", ""),
         ("deploy", "ecs@poc", ""), ("main", "build", "push"), ("build", "approval", ""),
         ("approval", "push", "承認後"), ("push", "ecr@prod", ""), ("deploy", "ecs@prod", "")},
        {("site-github", "GitHub"), ("site-github-actions", "GitHub Actions"), ("env-poc", "開発環境"),
         ("env-prod", "本番環境")}),
}


@pytest.mark.parametrize("view_id", sorted(SEED_PICTURES))
def test_small_views_draw_what_the_seed_draws(sources, view_id):
    assert dot_summary(sources[view_id]) == SEED_PICTURES[view_id]


@pytest.mark.parametrize("view_id", ["poc-overview", "prod-overview", "poc-network", "prod-network", "poc-access",
                                     "prod-access"])
def test_edges_join_drawn_nodes_and_labelled_flows_appear(model, sources, view_id):
    view = next(v for v in model.views if v.id == view_id)
    nodes, edges, boxes = dot_summary(sources[view_id])
    drawn = {i for i, _ in nodes} | {i for i, _ in boxes}  # a bundled arrow joins a box
    assert boxes and all(s in drawn and d in drawn for s, d, _ in edges)
    labels = {label.replace("\n", "") for _, _, label in edges}
    wanted = {f.label for f in model.flows if f.label and set(f.envs) & set(view.envs)
              and set(f.tags) & set(view.flow_tags)}
    assert edges and wanted <= labels


def test_every_view_is_rendered(model, sources):
    assert sorted(sources) == sorted(v.id for v in model.views)
    assert len(sources) == 9


# ---------------------------------------------------------------- the seed's pictures

def _edge_line(dot: str, src: str, dst: str) -> str:
    return next(line for line in dot.splitlines() if f'"{src}" -> "{dst}"' in line)


def test_prod_overview_replication_is_dashed(sources):
    _, edges, boxes = dot_summary(sources["prod-overview"])
    assert ("rds", "rds-standby", "レプリケーション") in edges
    assert 'style="dashed"' in _edge_line(sources["prod-overview"], "rds", "rds-standby")
    labels = [label for _, label in boxes]
    assert "VPC 10.1.0.0/16" in labels and "大阪リージョン (DR)" in labels
    assert ("s3", "s3-dr", "日次コピー") in edges


def test_ecs_labels_carry_the_task_counts_of_section_5(sources):
    """The seed labels prod tasks 'Task 2-6' / 'Task 2-8'; the counts come from the Fargate spec."""
    for view, front, back in (("prod-overview", "2-6", "2-8"), ("poc-overview", "1-2", "1-2")):
        nodes, _, _ = dot_summary(sources[view])
        labels = {re.sub(r"\s", " ", label) for node, label in nodes if node.startswith(("frontend@", "backend@"))}
        assert labels == {f"ECS Fargate Frontend Task {front}", f"ECS Fargate Backend Task {back}"}, labels


def test_poc_overview_tgw_and_nat(sources):
    """The replicas of an App subnet share their arrows: one arrow per subnet (a compound edge)."""
    nodes, edges, boxes = dot_summary(sources["poc-overview"])
    from_attach = {d for s, d, _ in edges if s == "tgw-attach-app"}
    assert from_attach == {"subnet-poc-app-private-app-1", "subnet-poc-app-private-app-2"}
    nat = {(s, d) for s, d, _ in edges if d.startswith("nat-")}
    assert nat == {("subnet-poc-app-private-app-1", "nat-a"), ("subnet-poc-app-private-app-2", "nat-c")}
    services = {(s, d, label) for s, d, label in edges if d == "box-app-services"}
    assert services == {("subnet-poc-app-private-app-1", "box-app-services", ""),
                        ("subnet-poc-app-private-app-2", "box-app-services", "")}
    line = _edge_line(sources["poc-overview"], "frontend@poc-app-private-app-1", "cognito")
    assert 'ltail="cluster_subnet-poc-app-private-app-1"' in line and 'lhead="cluster_box-app-services"' in line
    labels = {label for _, label in boxes}
    assert {"アプリ系VPC 10.1.0.0/16", "Public Subnet 1 10.1.1.0/24 (AZ-a)", "AZ-a (ap-northeast-1a)"} <= labels
    dot = sources["poc-overview"]
    assert dot.index("cluster_vpc-poc-app-vpc.ap-northeast-1a") < dot.index("cluster_vpc-poc-app-vpc.ap-northeast-1c")


def test_seed_edge_labels_present(sources):
    labels = {label for dot in sources.values() for _, _, label in dot_summary(dot)[1]}
    for wanted in ("VPN接続", "HTTPS", "定時起動", "レプリケーション", "日次コピー", "災害時に復元", "承認後",
                   "push", "自動バックアップ", "Direct Connect", "Private VIF"):
        assert wanted in labels


def test_dr_and_cicd(sources):
    nodes, edges, _ = dot_summary(sources["dr"])
    assert edges == {("rds", "s3-backup", "自動バックアップ"), ("s3-backup", "s3-dr", "日次コピー"),
                     ("s3-dr", "rds-dr", "災害時に復元")}
    assert 'style="rounded,dashed"' in next(li for li in sources["dr"].splitlines() if li.strip().startswith('"rds-dr"'))
    _, cicd, boxes = dot_summary(sources["cicd"])
    assert ("approval", "push", "承認後") in cicd and ("push", "ecr@poc", "") in cicd and ("push", "ecr@prod", "") in cicd
    assert {"開発環境", "本番環境", "GitHub", "GitHub Actions"} <= {label for _, label in boxes}


def test_monitoring_boxes(sources):
    nodes, edges, boxes = dot_summary(sources["monitoring"])
    assert {label for _, label in boxes} >= {"監視対象", "CloudWatch", "通知", "AI運用支援"}
    assert ("ecs", "cw-metrics", "") in edges and ("cw-logs", "bedrock", "") in edges


def test_other_model_needs_no_code(tmp_path):
    mini = load_model(MINI).model
    sources = dot_sources(mini)
    assert sorted(sources) == sorted(v.id for v in mini.views)
    report = render_views(sources, tmp_path, jobs=2)
    assert report.rendered == sorted(sources)


# ---------------------------------------------------------------- rendered files

def test_dot_is_pure_and_portable(model, sources):
    assert dot_sources(model) == sources
    for dot in sources.values():
        assert "/" + "work" not in dot and "site-packages" not in dot and 'image="/' not in dot
        assert "fontname" in dot and "splines" in dot and "ortho" not in dot


def test_outputs_and_manifest(rendered, sources):
    out, report = rendered
    assert not report.reused
    import json
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    for view, dot in sources.items():
        assert (out / f"{view}.dot").read_text(encoding="utf-8") == dot
        assert manifest[view]["dot_sha256"] == sha256(dot.encode("utf-8"))
        assert manifest[view]["png_sha256"] == sha256((out / f"{view}.png").read_bytes())
        assert (out / f"{view}.png").stat().st_size <= 400_000


def test_svg_self_contained_and_cjk(rendered):
    out, _ = rendered
    for svg_path in out.glob("*.svg"):
        svg = svg_path.read_text(encoding="utf-8")
        refs = re.findall(r'href="([^"]*)"', svg)
        assert refs and all(r.startswith(("data:", "#")) for r in refs), svg_path.name
        assert "file:" not in svg and 'href="/' not in svg and "/tmp" not in svg
        assert 'font-family="Noto Sans CJK JP, Noto Sans JP, Hiragino Sans' in svg  # rendered with, then fallbacks
        assert 'font-family="Noto Sans CJK JP"' not in svg
        assert 'xmlns:xlink="http://www.w3.org/1999/xlink"' in svg


def test_byte_identical_and_warm(model, rendered, tmp_path):
    out, _ = rendered
    again = build_diagrams(model, tmp_path / "again")
    for f in sorted(out.glob("*.*")):
        assert (tmp_path / "again" / f.name).read_bytes() == f.read_bytes(), f.name
    warm = build_diagrams(model, tmp_path / "again")
    assert warm.rendered == [] and len(warm.reused) == 9
    staged = build_diagrams(model, tmp_path / "staging", previous_dir=out)
    assert staged.rendered == [] and (tmp_path / "staging" / "dr.png").read_bytes() == (out / "dr.png").read_bytes()
    assert again.rendered


def test_fc_match_resolves_cjk_font():
    if not shutil.which("fc-match"):
        pytest.skip("fontconfig not installed")
    found = subprocess.run(["fc-match", "Noto Sans CJK JP"], capture_output=True, text=True).stdout
    assert "CJK" in found


# ---------------------------------------------------------------- model order on the page

def _positions(dot: str) -> dict[str, tuple[float, float]]:
    """Node centres (inches, y up) of a real ``dot`` layout."""
    from render.diagrams.icons import ICON_PX, icon_cache_dir

    plain = subprocess.run(["dot", f"-Gimagepath={icon_cache_dir(ICON_PX)}", "-Tplain"], input=dot,
                           capture_output=True, text=True, check=True).stdout
    return {unquote_id(p[1]): (float(p[2]), float(p[3])) for p in (line.split() for line in plain.splitlines())
            if p and p[0] == "node"}


def unquote_id(token: str) -> str:
    return token[1:-1] if token.startswith('"') else token


@pytest.mark.parametrize("view_id,env", [("poc-overview", "poc-app"), ("prod-overview", "prod"),
                                         ("poc-network", "poc-app"), ("prod-network", "prod")])
def test_model_order_frontend_backend_and_az(rendered, sources, view_id, env):
    pos = _positions(sources[view_id])
    for k in (1, 2):
        assert pos[f"frontend@{env}-private-app-{k}"][0] < pos[f"backend@{env}-private-app-{k}"][0]
    assert pos[f"backend@{env}-private-app-1"][0] < pos[f"frontend@{env}-private-app-2"][0]  # AZ-a left of AZ-c


def test_overview_services_in_one_row_below_the_vpc(rendered, sources):
    pos = _positions(sources["prod-overview"])
    row = [pos[n] for n in ("s3", "cloudwatch", "cognito", "ses", "secrets-manager")]  # the box, model order
    assert len({y for _, y in row}) == 1 and [x for x, _ in row] == sorted(x for x, _ in row)
    assert max(row[0][1], pos["ecr"][1]) < min(pos["rds"][1], pos["rds-standby"][1])


def _expanded(spec) -> set[tuple[str, str, str, bool]]:
    """Every node-to-node arrow a spec's arrows stand for (a box end stands for every node in it)."""
    parent = {b.id: b.parent for b in spec.boxes}

    def within(node, box):
        current = node.box
        while current is not None and current != box:
            current = parent[current]
        return current == box

    def ends(node_id, box):
        return [n.id for n in spec.nodes if within(n, box) and n.kind != "eni"] if box else [node_id]

    return {(a, b, e.label, e.dashed) for e in spec.edges for a in ends(e.src, e.tail_box)
            for b in ends(e.dst, e.head_box)}


@pytest.mark.parametrize("view_id", ["poc-overview", "prod-overview", "poc-network", "prod-network"])
def test_bundled_arrows_stand_for_exactly_the_per_replica_arrows(model, view_id):
    """Bundling drops no arrow and invents none: expanded, the box-level arrows are the replica arrows."""
    from model.index import ModelIndex
    from render.diagrams.select import select_view

    ix = ModelIndex(model)
    view = next(v for v in model.views if v.id == view_id)
    bundled = select_view(ix, view)
    plain = select_view(ix, view.model_copy(update={"bundle_edges": False}))
    assert len(bundled.edges) < len(plain.edges)
    assert _expanded(bundled) == {(e.src, e.dst, e.label, e.dashed) for e in plain.edges}


def test_first_env_comes_first(rendered, tmp_path):
    pos = _positions(dot_sources(load_model(MINI).model)["overview"])
    assert pos["alb@stg"][1] > pos["alb@live"][1]  # LR view: the first environment on top


# ---------------------------------------------------------------- readability, from the layout coordinates

def test_readability_of_every_view(model, sources):
    """No text over a node or over other text in any view; bundled views: <= 30 arrows and at
    least 70 % fewer crossings than the same view drawn one arrow per replica (issue 13)."""
    from model.index import ModelIndex
    from render.diagrams.dot import to_dot
    from render.diagrams.icons import ICON_PX, icon_cache_dir
    from render.diagrams.measure import layout_json, measure
    from render.diagrams.select import select_view

    icons = icon_cache_dir(ICON_PX)
    ix = ModelIndex(model)
    bundled = 0
    for view in model.views:
        now = measure(layout_json(sources[view.id], icons))
        assert now.overlaps == (), (view.id, now.overlaps)
        assert now.min_font >= 10, view.id
        if view.bundle_edges:
            bundled += 1
            per_replica = measure(layout_json(to_dot(select_view(ix, view.model_copy(update={"bundle_edges": False}))),
                                              icons))
            assert now.edges <= 30 and now.edges < per_replica.edges, view.id
            assert now.crossings <= 0.3 * per_replica.crossings, (view.id, now.crossings, per_replica.crossings)
    assert bundled == 4


def test_measure_counts_crossings_and_overlaps():
    """Two arrows drawn as an X cross once; a label placed on a node is an overlap."""
    from render.diagrams.measure import measure

    def node(gvid, name, x, y):
        return {"_gvid": gvid, "name": name, "pos": f"{x},{y}", "width": "0.5", "height": "0.5"}

    def edge(tail, head, points, text=None):
        e = {"tail": tail, "head": head, "_draw_": [{"op": "b", "points": points}]}
        if text:
            e["_ldraw_"] = [{"op": "F", "size": 11.0}, {"op": "T", "pt": [text[0], text[1]], "align": "c",
                                                      "width": 30.0, "text": "L"}]
        return e

    layout = {"bb": "0,0,200,200", "objects": [node(0, "a", 0, 0), node(1, "b", 200, 200), node(2, "c", 0, 200),
                                               node(3, "d", 200, 0)],
              "edges": [edge(0, 1, [[0, 0], [60, 60], [140, 140], [200, 200]]),
                        edge(2, 3, [[0, 200], [60, 140], [140, 60], [200, 0]], text=(200, 195))]}
    m = measure(layout)
    assert (m.edges, m.crossings, m.min_font, m.size) == (2, 1, 11.0, (200.0, 200.0))
    assert m.overlaps == ("text 'L' over node b",)


def test_every_node_kind_has_an_icon():
    """The icon table covers the schema's node kinds (checked here, not when the icons'
    module is imported: the diagrams' worker imports it before the model is loaded)."""
    from model.schema import NodeKind
    from render.diagrams.icons import ICONS

    assert sorted({kind.value for kind in NodeKind} - set(ICONS)) == []
