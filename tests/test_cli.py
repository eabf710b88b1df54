"""The ``archdoc`` command as a user meets it: exit codes, stdout/stderr discipline, messages.

Everything goes through :func:`archdoc.cli.main` (which returns the exit code, usage errors
and ``--help`` included). Exit codes: 0 ok, 1 a negative result, 2 a usage or model error.
Results go to stdout, errors to stderr; a model error is printed identically by every verb
(``path:line:col: CODE message`` lines); CLI errors are English.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from archdoc.cli import main

REPO = Path(__file__).resolve().parent.parent
MINI = REPO / "tests" / "fixtures" / "good" / "mini"
PROBLEM = re.compile(r"^\S.*:\d+:\d+: E\d{3} \S")
VERBS = ("validate", "schema", "build", "check", "reach", "findings", "diff", "export", "pdf")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def broken(tmp_path_factory) -> Path:
    """A copy of the mini model with one YAML syntax error."""
    model = tmp_path_factory.mktemp("broken") / "model"
    shutil.copytree(MINI, model)
    first = sorted(model.glob("*.yaml"))[0]
    first.write_text(first.read_text(encoding="utf-8") + "\nbroken: [unclosed\n", encoding="utf-8")
    return model


# --- usage -------------------------------------------------------------------------------

def test_no_verb(capsys):
    code, out, err = run(capsys)
    assert code == 2 and out == ""
    assert "required: VERB" in err and "archdoc --help" in err


def test_unknown_verb(capsys):
    code, out, err = run(capsys, "frob")
    assert code == 2 and out == ""
    assert "invalid choice: 'frob'" in err


def test_unknown_flag_is_reported_by_the_verb(capsys):
    code, out, err = run(capsys, "validate", "--bogus")
    assert code == 2 and out == ""
    assert "usage: archdoc validate" in err
    assert "archdoc validate: error: unrecognized arguments: --bogus" in err


def test_missing_flags(capsys):
    code, out, err = run(capsys, "reach", "--env", "poc")
    assert code == 2 and out == ""
    assert "the following arguments are required: --from, --to, --port" in err
    assert "archdoc reach --help" in err


def test_help(capsys):
    code, out, err = run(capsys, "--help")
    assert code == 0 and err == ""
    assert "exit codes: 0 ok, 1 a negative result" in out
    for verb in VERBS:
        assert verb in out


@pytest.mark.parametrize("verb", VERBS)
def test_every_verb_has_help(capsys, verb):
    code, out, err = run(capsys, verb, "--help")
    assert code == 0 and err == ""
    assert out.startswith(f"usage: archdoc {verb}")
    if verb != "schema":
        assert "--model PATH" in out and "Exit" in out


@pytest.mark.parametrize("port, why", [("-1", "port -1 is out of range (0-65535)"),
                                       ("70000", "port 70000 is out of range (0-65535)"),
                                       ("abc", "'abc' is not a port number")])
def test_bad_port_is_a_usage_error(capsys, port, why):
    code, out, err = run(capsys, "reach", "--env", "poc", "--from", "business-user", "--to", "alb",
                         "--port", port)
    assert code == 2 and out == ""
    assert "archdoc reach: error: argument --port: " + why in err


def test_bad_protocol_is_a_usage_error(capsys):
    code, out, err = run(capsys, "reach", "--env", "poc", "--from", "business-user", "--to", "alb",
                         "--port", "443", "--protocol", "icmp")
    assert code == 2 and out == "" and "invalid choice: 'icmp'" in err


# --- model errors ---------------------------------------------------------------------------

def test_validate(capsys):
    code, out, err = run(capsys, "validate")
    assert code == 0 and err == "" and out.startswith("OK: model valid (")
    code, out, err = run(capsys, "validate", "--model", str(MINI))
    assert code == 0 and out == "OK: model valid (5 files, 9 nodes, 6 flows)\n" and err == ""


def test_missing_model(capsys, tmp_path):
    code, out, err = run(capsys, "validate", "--model", str(tmp_path / "nowhere"))
    assert code == 2 and out == ""
    assert PROBLEM.match(err) and " E001 " in err


MODEL_VERBS = [
    ["validate"],
    ["findings"],
    ["diff", "--from", "stg", "--to", "live"],
    ["reach", "--env", "stg", "--from", "tester", "--to", "alb", "--port", "443"],
    ["export", "--format", "mermaid"],
    ["pdf", "--out", "PDF"],
    ["build", "--no-pdf", "--docs-dir", "DOCS", "--site-dir", "SITE"],
    ["check", "--docs-dir", "DOCS"],
]


def test_a_model_error_reads_the_same_in_every_verb(capsys, broken, tmp_path):
    code, _, expected = run(capsys, "validate", "--model", str(broken))
    assert code == 2
    lines = expected.splitlines()
    assert lines and all(PROBLEM.match(line) for line in lines), expected
    for argv in MODEL_VERBS:
        argv = [a.replace("PDF", str(tmp_path / "x.pdf")).replace("DOCS", str(tmp_path / "docs"))
                .replace("SITE", str(tmp_path / "site")) for a in argv]
        code, out, err = run(capsys, *argv, "--model", str(broken))
        assert code == 2, argv
        assert out == "", argv
        assert err == expected, argv
    assert not any(tmp_path.iterdir()), "a verb wrote something for an invalid model"


@pytest.mark.parametrize("argv", [["findings", "--json"], ["diff", "--from", "stg", "--to", "live", "--json"],
                                  ["reach", "--env", "stg", "--from", "tester", "--to", "alb", "--port", "443",
                                   "--json"]])
def test_a_model_error_with_json_still_prints_json(capsys, broken, argv):
    code, out, err = run(capsys, *argv, "--model", str(broken))
    assert code == 2
    data = json.loads(out)
    assert set(data) == {"error", "suggestions", "problems"}
    assert data["problems"] == err.splitlines()


def test_a_crash_while_loading_is_one_e099_line(capsys, monkeypatch):
    import model.loader

    def boom(path):
        raise ValueError("surprise")

    monkeypatch.setattr(model.loader, "load_model", boom)
    code, out, err = run(capsys, "findings", "--model", str(MINI))
    assert code == 2 and out == ""
    assert err.endswith(" E099 internal error: ValueError: surprise (a bug in archdoc)\n")
    assert PROBLEM.match(err) and len(err.splitlines()) == 1


def test_an_internal_error_is_one_line(capsys):
    def boom(args):
        raise RuntimeError("bad\nthing")

    assert main(["validate"], _dispatch=boom) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("archdoc: internal error: RuntimeError: bad")
    assert "Traceback" not in err


def test_a_closed_pipe_is_not_an_error(capsys):
    def closed(args):
        raise BrokenPipeError

    assert main(["schema"], _dispatch=closed) == 0
    assert capsys.readouterr().err == ""


# --- schema ------------------------------------------------------------------------------------

def test_schema(capsys):
    code, out, err = run(capsys, "schema")
    assert code == 0 and err == ""
    assert json.loads(out)["title"] == "Model"


# --- reach ---------------------------------------------------------------------------------------

REACH = ["reach", "--env", "poc", "--from", "business-user", "--port"]


def test_reach_exit_codes(capsys):
    code, out, err = run(capsys, *REACH, "443", "--to", "alb")
    assert code == 0 and err == "" and "到達可能（reachable）" in out
    code, out, err = run(capsys, "reach", "--env", "prod", "--from", "business-user", "--to", "alb", "--port", "443")
    assert code == 0 and "（conditional）" in out  # conditional is not a failure
    code, out, err = run(capsys, *REACH, "5432", "--to", "rds")
    assert code == 1 and err == "" and "到達不可（unreachable）" in out


def test_reach_json(capsys):
    code, out, err = run(capsys, *REACH, "5432", "--to", "rds", "--json")
    assert code == 1 and err == ""
    data = json.loads(out)
    assert set(data) >= {"env", "source", "target", "protocol", "port", "verdict", "hops", "blockers", "notes"}
    assert data["verdict"] == "unreachable" and data["port"] == 5432
    assert all(set(b) >= {"code", "node", "message", "location", "conditional"} for b in data["blockers"])


@pytest.mark.parametrize("argv, message, suggestion", [
    (["--env", "prd", "--from", "business-user", "--to", "alb"],
     "archdoc reach: unknown environment 'prd' (did you mean 'prod'?)", "prod"),
    (["--env", "poc", "--from", "busines-user", "--to", "alb"],
     "archdoc reach: unknown source 'busines-user' in environment poc (did you mean 'business-user'?)",
     "business-user"),
    (["--env", "poc", "--from", "business-user", "--to", "rsd"],
     "archdoc reach: unknown target 'rsd' in environment poc (did you mean 'rds'", "rds"),
    (["--env", "poc", "--from", "city-staff", "--to", "alb"],
     "archdoc reach: 'city-staff' cannot be a source in environment poc", "business-user"),
])
def test_reach_unknown_names(capsys, argv, message, suggestion):
    code, out, err = run(capsys, "reach", *argv, "--port", "443")
    assert code == 2 and out == ""
    assert err.startswith(message) and err.isascii() and len(err.splitlines()) == 1
    code, out, err2 = run(capsys, "reach", *argv, "--port", "443", "--json")
    assert code == 2 and err2 == err
    data = json.loads(out)
    assert data["error"] == err[len("archdoc reach: "):].rstrip("\n")
    assert suggestion in data["suggestions"] and data["problems"] == []


def test_reach_locations_do_not_depend_on_the_working_directory(capsys, monkeypatch, tmp_path):
    argv = [*REACH, "5432", "--to", "rds", "--json"]
    _, here, _ = run(capsys, *argv)
    monkeypatch.chdir(tmp_path)  # outside the project: name it
    _, there, _ = run(capsys, *argv, "--project", str(REPO))
    assert here == there and "model/data/" in here


# --- findings and diff --------------------------------------------------------------------------------

def test_findings(capsys):
    code, out, err = run(capsys, "findings")
    assert code == 0 and err == "" and out.rstrip().splitlines()[-1].startswith("計: ")
    code, out, err = run(capsys, "findings", "--env", "prod", "--json")
    assert code == 0 and err == ""
    data = json.loads(out)
    assert set(data) == {"summary", "findings"} and set(data["summary"]) == {"error", "warning", "info"}
    assert {f["env"] for f in data["findings"]} == {"prod"}
    code, out, err = run(capsys, "findings", "--model", str(MINI), "--env", "live")
    assert code == 0 and err == ""


def test_findings_unknown_env(capsys):
    code, out, err = run(capsys, "findings", "--env", "staging")
    assert (code, out) == (2, "")
    assert err == "archdoc findings: unknown environment 'staging'; environments: poc, prod\n"
    code, out, _ = run(capsys, "findings", "--env", "prd", "--json")
    assert code == 2 and json.loads(out)["suggestions"] == ["prod"]


def test_diff(capsys):
    code, out, err = run(capsys, "diff", "--from", "poc", "--to", "prod")
    assert code == 0 and err == "" and "到達性の差分" in out
    code, out, err = run(capsys, "diff", "--from", "poc", "--to", "prod", "--json")
    assert code == 0 and err == ""
    assert set(json.loads(out)) == {"from", "to", "config", "reach"}
    code, out, err = run(capsys, "diff", "--from", "poc", "--to", "poc")
    assert code == 0 and out.endswith("到達性の差分（poc → poc）:\n  （なし）\n")


def test_diff_unknown_env(capsys):
    code, out, err = run(capsys, "diff", "--model", str(MINI), "--from", "poc", "--to", "live")
    assert (code, out) == (2, "")
    assert err == "archdoc diff: unknown environment 'poc'; environments: stg, live\n"


# --- export and pdf ----------------------------------------------------------------------------------------

def test_export(capsys, tmp_path):
    code, out, err = run(capsys, "export", "--format", "mermaid", "--model", str(MINI))
    assert code == 0 and err == "" and out.startswith("%% archdoc view overview")
    code, out, err = run(capsys, "export", "--format", "mermaid", "--view", "poc-netwrk")
    assert code == 2 and out == ""
    assert err.startswith("archdoc export: unknown view 'poc-netwrk' (did you mean 'poc-network'?)")
    code, out, err = run(capsys, "export", "--format", "mermaid", "--model", str(MINI), "--out", str(tmp_path / "m"))
    assert code == 0 and err == "" and out == f"wrote 1 Mermaid file(s) to {tmp_path / 'm'}\n"
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    code, out, err = run(capsys, "export", "--format", "mermaid", "--out", str(blocker))
    assert code == 2 and out == "" and err.startswith(f"archdoc export: cannot write to {blocker}")


def test_pdf_refuses_an_unwritable_out_before_rendering(capsys, tmp_path):
    code, out, err = run(capsys, "pdf", "--model", str(MINI), "--out", str(tmp_path))
    assert code == 2 and out == ""
    assert err == f"archdoc pdf: {tmp_path} is a folder; give a file name, e.g. --out {tmp_path / 'archdoc.pdf'}\n"
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    code, out, err = run(capsys, "pdf", "--model", str(MINI), "--out", str(blocker / "x.pdf"))
    assert code == 2 and out == "" and err.startswith(f"archdoc pdf: cannot create the folder {blocker}")


def test_pdf_default_out_follows_the_project(monkeypatch):
    from archdoc.paths import resolve

    monkeypatch.chdir(REPO / "tests")  # inside the project, below its root
    assert resolve().site / "archdoc.pdf" == REPO / "site" / "archdoc.pdf"
    assert resolve(model=MINI).site / "archdoc.pdf" == REPO / "tests" / "site" / "archdoc.pdf"


# --- build and check ------------------------------------------------------------------------------------------

def test_build_then_check_from_anywhere(capsys, tmp_path, monkeypatch):
    docs, site = tmp_path / "docs", tmp_path / "site"
    code, out, err = run(capsys, "build", "--no-pdf", "--model", str(MINI), "--docs-dir", str(docs),
                         "--site-dir", str(site))
    assert code == 0 and err == "", err
    assert out.splitlines()[0].startswith("[1/5] validate model ... ok")
    assert (site / "index.html").is_file() and (docs / "index.md").is_file()
    code, out, err = run(capsys, "check", "--model", str(MINI), "--docs-dir", str(docs))
    assert code == 0 and out.rstrip().splitlines()[-1].startswith("OK: "), out
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # generated pages must not depend on the working directory
    code, out, err = run(capsys, "check", "--model", str(MINI), "--docs-dir", str(docs))
    assert code == 0 and out.rstrip().splitlines()[-1].startswith("OK: "), out
    code, out, err = run(capsys, "build", "--no-pdf", "--model", str(MINI), "--docs-dir", str(site),
                         "--site-dir", str(site))
    assert code == 2 and out == "" and "would replace the docs folder" in err


def test_check_without_docs(capsys, tmp_path):
    code, out, err = run(capsys, "check", "--model", str(MINI), "--docs-dir", str(tmp_path / "none"))
    assert code == 2 and out == ""
    assert "does not exist; run: archdoc build" in err


def test_build_refuses_a_site_dir_that_would_take_other_files_with_it(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "precious.txt").write_text("keep me", encoding="utf-8")
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.md").write_text("mine", encoding="utf-8")
    for site, why in ((".", "would replace the working directory"), ("", "--site-dir is empty"),
                      (str(REPO), "would replace the project"),
                      (str(MINI.parent), "would replace the model"),
                      (str(other), "holds files archdoc did not write")):
        code, out, err = run(capsys, "build", "--no-pdf", "--model", str(MINI), "--site-dir", site)
        # the foreign-files check runs under the build lock, after validation; nothing is staged
        assert code == 2 and (out == "" or re.fullmatch(r"\[1/5\] validate model \.\.\. ok \(.*\)\n", out)), out
        assert err.startswith("archdoc build: ") and why in err and len(err.splitlines()) == 1, err
    assert (tmp_path / "precious.txt").read_text(encoding="utf-8") == "keep me"
    assert (other / "notes.md").is_file()


def _help_texts() -> dict[str, str]:
    from archdoc.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    return {"archdoc": parser.format_help(), **{f"archdoc {v}": p.format_help() for v, p in sub.choices.items()}}


# Seed ids that are also the ordinary English words the help is written in ("a host on the
# internet", "build the site"): their presence says nothing about the city.
_ENGLISH_WORDS = {"internet", "build", "config", "deploy", "approval", "main", "push", "repo", "email"}


def test_help_examples_name_no_id_of_the_citys_model():
    """The help is every team's: examples use placeholders (ENV, ACTOR, NODE), never the city's ids."""
    from model.loader import load_model

    m = load_model().model
    ids = {getattr(item, "id", None) for section in type(m).model_fields
           for item in (getattr(m, section) if isinstance(getattr(m, section), tuple) else ())}
    ids = {i for i in ids if isinstance(i, str)} - _ENGLISH_WORDS
    assert {"poc", "prod", "alb", "business-user"} <= ids
    leaks = {(where, i) for where, text in _help_texts().items() for i in ids
             if re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", text)}
    assert leaks == set()
    assert "archdoc reach --env ENV --from ACTOR --to NODE --port 443" in _help_texts()["archdoc"]


def test_the_command_ends_with_the_verbs_code_and_its_output_flushed(tmp_path):
    """``archdoc`` (:func:`archdoc.cli.run`) skips the interpreter's teardown: the exit code
    is still the verb's, and what it printed, unterminated lines included, is all there."""
    import subprocess
    import sys

    from conftest import MINI

    ok = subprocess.run([sys.executable, "-m", "archdoc", "validate", "--model", str(MINI)], capture_output=True,
                        text=True)
    assert ok.returncode == 0 and ok.stdout.startswith("OK: model valid") and ok.stderr == ""
    schema = subprocess.run([sys.executable, "-m", "archdoc", "schema"], capture_output=True, text=True)
    assert schema.returncode == 0 and json.loads(schema.stdout)["title"] == "Model"
    missing = subprocess.run([sys.executable, "-m", "archdoc", "validate", "--model", str(tmp_path / "none")],
                             capture_output=True, text=True)
    assert missing.returncode == 2 and missing.stdout == "" and missing.stderr.endswith("\n")
