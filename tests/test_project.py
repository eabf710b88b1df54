"""Projects: archdoc works on the project around the working directory, never on the folder it
is installed from; ``archdoc init`` starts one; the wheel works in an empty folder."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from archdoc.cli import main
from archdoc.paths import NoProject, resolve
from conftest import REPO
from model.errors import ModelError
from model.project import find_project, read_project


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# ------------------------------------------------------------------ finding the project

def test_the_walk_finds_the_nearest_configuration(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")  # not a project
    (tmp_path / "a" / "b").mkdir(parents=True)
    assert find_project(tmp_path / "a" / "b") is None or find_project(tmp_path / "a" / "b").root != tmp_path
    (tmp_path / "pyproject.toml").write_text('[tool.archdoc]\nmodel = "design"\n', encoding="utf-8")
    p = find_project(tmp_path / "a" / "b")
    assert (p.root, p.config.name, p.model, p.site) == (tmp_path, "pyproject.toml", tmp_path / "design",
                                                        tmp_path / "site")
    (tmp_path / "a" / "archdoc.toml").write_text('docs = "pages"\n', encoding="utf-8")
    p = find_project(tmp_path / "a" / "b")
    assert (p.root, p.config.name, p.model, p.docs) == (tmp_path / "a", "archdoc.toml", tmp_path / "a" / "model",
                                                        tmp_path / "a" / "pages")


def test_this_repository_is_a_project():
    p = find_project(REPO / "tests" / "fixtures")
    assert (p.root, p.model, p.docs, p.site, p.mkdocs) == (REPO, REPO / "model" / "data", REPO / "docs",
                                                           REPO / "site", REPO / "mkdocs.yml")


@pytest.mark.parametrize("text, problem", [
    ('modle = "m"\n', "1:1: E016 unknown key 'modle' (did you mean 'model'?); keys: model, docs, site, mkdocs, approved"),
    ('model = "m"\n  site = 3\n', "2:3: E016 'site' must be a non-empty path (a string), got 3"),
    ('model = "m\n', "1:11: E016 invalid TOML: Illegal character '\\n'"),
])
def test_a_bad_configuration_is_a_located_problem(tmp_path, text, problem):
    (tmp_path / "archdoc.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ModelError) as e:
        read_project(tmp_path / "archdoc.toml")
    assert [str(p) for p in e.value.problems] == [f"{tmp_path / 'archdoc.toml'}:{problem}"]


def test_without_a_project_a_verb_needs_a_model(capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(NoProject):
        resolve()
    code, out, err = run(capsys, "validate")
    assert (code, out) == (2, "")
    assert err == (f"archdoc validate: no archdoc project in {tmp_path} or its parents (no archdoc.toml, no "
                   "[tool.archdoc] in pyproject.toml); run 'archdoc init' to start one, or give --model PATH\n")
    (tmp_path / "archdoc.toml").write_text('modle = "x"\n', encoding="utf-8")
    code, out, err = run(capsys, "check")
    assert (code, err) == (2, "archdoc.toml:1:1: E016 unknown key 'modle' (did you mean 'model'?); "
                              "keys: model, docs, site, mkdocs, approved\n")


def test_verbose_names_the_project(capsys, monkeypatch):
    monkeypatch.chdir(REPO / "tests")
    code, out, err = run(capsys, "validate", "-v")
    assert code == 0
    assert err == (f"project {REPO} (pyproject.toml): model model/data, docs docs, site site, mkdocs mkdocs.yml, approved approved\n")


def test_check_runs_on_the_clone_it_is_run_in_not_on_the_installed_one(capsys, monkeypatch, tmp_path):
    """A venv installed from one clone, run inside another clone, checks the other clone."""
    clone = tmp_path / "clone"
    shutil.copytree(REPO / "model" / "data", clone / "model" / "data")
    shutil.copytree(REPO / "docs", clone / "docs")
    shutil.copy(REPO / "mkdocs.yml", clone / "mkdocs.yml")
    (clone / "archdoc.toml").write_text('model = "model/data"\n', encoding="utf-8")
    monkeypatch.chdir(clone / "docs")
    code, out, _ = run(capsys, "check")
    assert code == 0 and out.splitlines()[-1].startswith(f"OK: {clone / 'docs'} matches the model (")
    nodes = clone / "model" / "data" / "nodes.yaml"
    nodes.write_text(nodes.read_text(encoding="utf-8").replace("instance_class: db.m5.large",
                                                               "instance_class: db.m5.xlarge"), encoding="utf-8")
    code, out, _ = run(capsys, "check")
    assert code == 1 and "05-components.md: page differs from the model" in out
    assert "diagrams/prod-overview.dot: diagram 'prod-overview' differs from the model" in out
    last = out.splitlines()[-1]
    assert last.startswith(f"FAIL: {clone / 'docs'} does not match the model (") and \
        last.endswith("problem(s)). Fix: archdoc build  (then commit ./)")


# ------------------------------------------------------------------ archdoc init

def test_init_writes_a_working_project_and_never_overwrites(capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "init", "web")
    assert (code, err) == (0, "")
    assert sorted(p.relative_to(tmp_path / "web").as_posix() for p in (tmp_path / "web").rglob("*")) == [
        "archdoc.toml", "docs", "mkdocs.yml", "model", "model/document.yaml", "model/filtering.yaml",
        "model/flows.yaml", "model/nodes.yaml", "model/places.yaml"]
    monkeypatch.chdir(tmp_path / "web")
    assert run(capsys, "build", "--no-pdf")[0] == 0
    code, out, _ = run(capsys, "check")
    assert code == 0 and "intents: 5 hold, 0 violated, 0 known violations" in out
    code, out, _ = run(capsys, "findings")
    assert (code, out.splitlines()[-1]) == (0, "Total: errors 0 / warnings 0 / info 0")
    before = (tmp_path / "web" / "model" / "nodes.yaml").read_bytes()
    code, out, err = run(capsys, "init", ".")
    assert (code, out) == (2, "")
    assert err.startswith("archdoc init: . already holds archdoc.toml, mkdocs.yml, model/document.yaml")
    assert (tmp_path / "web" / "model" / "nodes.yaml").read_bytes() == before


def test_init_city_example_is_the_city_model(capsys, tmp_path):
    assert run(capsys, "init", str(tmp_path), "--example", "city")[0] == 0
    names = sorted(p.name for p in (tmp_path / "model").iterdir())
    assert names == sorted(p.name for p in (REPO / "model" / "data").glob("*.yaml"))
    code, out, _ = run(capsys, "validate", "--project", str(tmp_path))
    assert code == 0 and out.startswith("OK: model valid (8 files")


# ------------------------------------------------------------------ the wheel, in an empty folder

def test_the_wheel_works_in_an_empty_folder(tmp_path):
    """Build the wheel, install it alone into a fresh venv (its dependencies come from this
    venv's site-packages, so no network is needed), then init, build, check and reach in an
    empty folder: nothing may depend on this repository's files."""
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(dist), str(REPO)], check=True, capture_output=True, timeout=300)
    wheel = next(dist.glob("archdoc-*.whl"))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    purelib = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                  check=True, capture_output=True, text=True).stdout.strip())
    # this venv's dependencies, not its editable archdoc (editable finders live in .pth files,
    # which a path added by a .pth file does not run)
    (purelib / "archdoc-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(purelib),
                    str(wheel)], check=True, capture_output=True, timeout=300)
    work = tmp_path / "empty"
    work.mkdir()

    def archdoc(*argv: str) -> subprocess.CompletedProcess:
        code = "import sys; from archdoc.cli import main; sys.exit(main(sys.argv[1:]))"
        return subprocess.run([str(python), "-c", code, *argv], cwd=work, capture_output=True, text=True,
                              timeout=600, env={"PATH": f"{venv / 'bin'}:/usr/bin:/bin", "HOME": str(tmp_path)})

    where = subprocess.run([str(python), "-c", "import archdoc, model; print(archdoc.__file__, model.__file__)"],
                           cwd=work, capture_output=True, text=True, check=True).stdout
    assert str(REPO) not in where and str(purelib) in where
    for argv, wanted in ((("init",), "created an archdoc project in ."),
                         (("build", "--no-pdf"), "[5/5] publish ... ok"),
                         (("check",), "OK: "),
                         (("reach", "--env", "prod", "--from", "user", "--to", "db", "--port", "5432"),
                          "prod: user → db tcp/5432: unreachable")):  # the starter is English
        proc = archdoc(*argv)
        assert wanted in proc.stdout, (argv, proc.stdout, proc.stderr)
    assert (work / "site" / "index.html").is_file() and (work / "docs" / "diagrams" / "overview.svg").is_file()


def test_the_shipped_site_configuration_is_the_citys_without_its_repository_path():
    """archdoc/scaffold/mkdocs.yml (what init writes, and the default) is this repository's
    mkdocs.yml except the theme override's path, which only exists in this repository
    (archdoc build always sets it to the installed package's own)."""
    ours = (REPO / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
    shipped = (REPO / "archdoc" / "scaffold" / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
    assert [line for line in ours if "custom_dir" not in line and not line.lstrip().startswith("#")] == \
        [line for line in shipped if "custom_dir" not in line and not line.lstrip().startswith("#")]


# ------------------------------------------------------------------ check's advice

@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A starter project, built once (the tests copy it)."""
    root = tmp_path_factory.mktemp("built") / "web"
    assert main(["init", str(root)]) == 0
    assert subprocess.run([sys.executable, "-m", "archdoc", "build", "--no-pdf"], cwd=root, capture_output=True,
                          timeout=600).returncode == 0
    return root


@pytest.mark.parametrize("where, argv, advice", [
    ("web", (), "archdoc build"),
    ("web/docs", (), "archdoc build"),
    (".", ("--project", "web"), "archdoc build --project web"),
    (".", ("--model", "web/model", "--docs-dir", "web/docs"), "archdoc build --model web/model --docs-dir web/docs"),
    ("elsewhere", ("--model", "../web/model", "--docs-dir", "../web/docs"),
     "archdoc build --model ../web/model --docs-dir ../web/docs"),
    # a project's model named from inside another project: its own project's docs and site
    ("other", ("--model", "../web/model"), "archdoc build --model ../web/model"),
])
def test_checks_advice_is_the_build_that_regenerates_the_checked_docs(capsys, monkeypatch, tmp_path, built, where,
                                                                      argv, advice):
    """Whatever names the project (the walk, --project, a model outside any project with its docs),
    the command 'check' advises writes the docs it compared: run as printed, the check passes."""
    import shlex

    shutil.copytree(built, tmp_path / "web")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "archdoc.toml").write_text('model = "model"\n', encoding="utf-8")
    document = tmp_path / "web" / "model" / "document.yaml"
    document.write_text(document.read_text(encoding="utf-8").replace("version: \"0.1\"\n  status: Draft",
                                                                      "version: \"0.2\"\n  status: Draft"),
                        encoding="utf-8")
    monkeypatch.chdir(tmp_path / where)
    code, out, _ = run(capsys, "check", *argv)
    last = out.splitlines()[-1]
    assert code == 1 and re.search(r" Fix: (.*)  \(then commit ", last).group(1) == advice, last
    code, out, err = run(capsys, *shlex.split(advice)[1:], "--no-pdf")  # the PDF is not part of docs/
    assert code == 0, out + err
    code, out, _ = run(capsys, "check", *argv)
    assert code == 0 and out.splitlines()[-1].startswith("OK: "), out
    assert sorted(p.name for p in (tmp_path / "other").iterdir()) == ["archdoc.toml"]
