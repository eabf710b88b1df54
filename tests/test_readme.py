"""The README documents what the code does: its first lines are the two set-up commands,
and its rule table lists exactly the validation codes the loader can report."""

from pathlib import Path

from model.rules import CODE_TABLE

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_opens_with_the_two_commands():
    lines = README.read_text(encoding="utf-8").splitlines()
    assert lines[2:6] == [
        "```sh",
        "bash scripts/build.sh   # main job: set up, then build docs/, the site (site/) and the approval PDF",
        "bash scripts/test.sh    # tests: set up, then validate, check the committed docs, run the test suite",
        "```",
    ]


def test_readme_rule_table_matches_the_code():
    text = README.read_text(encoding="utf-8")
    table = [line for line in text.splitlines() if line.startswith("| E0")]
    assert [row.split(" | ")[0].lstrip("| ") for row in table] == [code for code, _ in CODE_TABLE]


def test_ci_runs_the_readme_test_command():
    run = (README.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert "bash scripts/test.sh" in run


def _codes_in_table(first_header: str) -> list[str]:
    """The backticked codes of the first column of the README table whose header row starts so."""
    lines = README.read_text(encoding="utf-8").splitlines()
    start = lines.index(first_header)
    rows = []
    for line in lines[start + 2:]:
        if not line.startswith("| `"):
            break
        rows.append(line.split("`")[1])
    return rows


def test_readme_lists_every_finding_code_with_its_severity():
    from analysis.review import CODES

    text = README.read_text(encoding="utf-8")
    assert _codes_in_table("| code | severity | AWS control | finding |") == sorted(CODES)
    for c in CODES.values():
        assert f"| `{c.code}` | {c.severity} | {c.control or '-'} | {c.description} |" in text


def test_readme_lists_every_blocker_and_note_code():
    from analysis.results import BLOCKER_CODES, NOTE_CODES

    assert _codes_in_table("| code | kind | AWS behaviour |") == sorted(BLOCKER_CODES)
    assert _codes_in_table("| note | assumption |") == sorted(NOTE_CODES)


def test_readme_lists_exactly_the_iam_actions_drift_calls():
    from aws.calls import IAM_ACTIONS

    text = README.read_text(encoding="utf-8")
    table = [line.split("`")[1] for line in text.splitlines()
             if line.startswith("| `") and ":" in line.split("`")[1] and line.split("`")[1][0].islower()]
    assert table == list(IAM_ACTIONS)
