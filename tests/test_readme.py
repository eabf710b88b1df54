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


def test_readme_lists_exactly_the_iam_actions_drift_calls():
    from aws.calls import IAM_ACTIONS

    text = README.read_text(encoding="utf-8")
    table = [line.split("`")[1] for line in text.splitlines()
             if line.startswith("| `") and ":" in line.split("`")[1] and line.split("`")[1][0].islower()]
    assert table == list(IAM_ACTIONS)
