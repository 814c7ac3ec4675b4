"""The GitHub workflows: actionlint passes, and Publish fetches, commits, checks, builds and deploys, in that order.

Every check runs on this repository's workflows and on those `init` writes into a new project.
The shell of the enrich and commit steps runs for real, against a fake `python` and a local git remote.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.cli import main
from generator.project import read_config

from .sitebuild import ROOT

TOOLS = Path(sys.executable).parent
DEFAULT_BRANCH_ONLY = (
    "github.event_name == 'schedule' || github.ref == format('refs/heads/{0}', github.event.repository.default_branch)"
)


def tool(name: str) -> str:
    found = shutil.which(name, path=str(TOOLS)) or shutil.which(name)
    assert found, f"{name} is not installed; pip install -e '.[test]' installs it"
    return found


@pytest.fixture(scope="module", params=["this repository", "a project made by init"])
def project(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    if request.param == "this repository":
        return ROOT
    made = tmp_path_factory.mktemp("init") / "my-studylog"
    assert main(["init", str(made)]) == 0
    return made


def workflow(project: Path, name: str = "publish.yml") -> dict[str, Any]:
    data = yaml.safe_load((project / ".github" / "workflows" / name).read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def step_index(steps: list[dict[str, Any]], text: str) -> int:
    """The one step whose `uses` or `run` holds ``text``."""
    found = [i for i, step in enumerate(steps) if text in str(step.get("uses", "")) + str(step.get("run", ""))]
    assert len(found) == 1, f"{len(found)} steps hold {text!r}"
    return found[0]


def test_the_workflows_pass_actionlint_and_shellcheck(project: Path) -> None:
    files = sorted(str(p) for p in (project / ".github" / "workflows").glob("*.yml"))
    assert files
    result = subprocess.run(
        [tool("actionlint"), f"-shellcheck={tool('shellcheck')}", "-pyflakes=", "-no-color", *files],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_publish_runs_on_push_weekly_and_by_hand(project: Path) -> None:
    on = workflow(project)["on"]
    assert "main" in on["push"]["branches"] and "master" in on["push"]["branches"]
    assert len(on["schedule"]) == 1 and on["schedule"][0]["cron"].endswith("* * 1")  # one day a week
    assert "workflow_dispatch" in on
    assert "pull_request" not in on and "pull_request_target" not in on  # no deploys, and no token, for forks


def test_publish_steps_come_in_order(project: Path) -> None:
    jobs = workflow(project)["jobs"]
    steps = jobs["build"]["steps"]
    order = [
        step_index(steps, "actions/checkout@"),
        step_index(steps, "actions/setup-python@"),
        step_index(steps, "pip install -r requirements.txt"),
        step_index(steps, "python -m generator enrich"),
        step_index(steps, "git add papers.lock.json"),
        step_index(steps, "python -m generator check"),
        step_index(steps, "actions/configure-pages@"),
        step_index(steps, "mkdocs build --strict"),
        step_index(steps, "actions/upload-pages-artifact@"),
    ]
    assert order == sorted(order)
    python = steps[order[1]]["with"]
    assert python["cache"] == "pip" and "requirements.txt" in python["cache-dependency-path"].split()
    assert (project / "requirements.txt").is_file()
    assert steps[order[-1]]["with"]["path"] == "site"
    assert jobs["deploy"]["needs"] == "build"
    assert [s["uses"].split("@")[0] for s in jobs["deploy"]["steps"]] == ["actions/deploy-pages"]
    assert jobs["deploy"]["environment"]["name"] == "github-pages"


def test_publish_permissions_are_minimal_per_job(project: Path) -> None:
    flow = workflow(project)
    assert flow["permissions"] == {}
    assert flow["jobs"]["build"]["permissions"] == {"contents": "write", "pages": "read"}
    assert flow["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert flow["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    steps = flow["jobs"]["build"]["steps"]
    assert steps[0]["with"]["persist-credentials"] is False  # the token is not left in .git/config
    commit = step_index(steps, "git add papers.lock.json")
    holding_the_token = [i for i, step in enumerate(steps) if "github.token" in str(step) or "GITHUB_TOKEN" in str(step)]
    assert holding_the_token == [commit]
    assert "env" not in flow["jobs"]["build"] and "env" not in flow


def test_the_lock_is_committed_and_the_site_deployed_from_the_default_branch_only(project: Path) -> None:
    jobs = workflow(project)["jobs"]
    commit = jobs["build"]["steps"][step_index(jobs["build"]["steps"], "git add papers.lock.json")]
    assert commit["if"] == DEFAULT_BRANCH_ONLY
    assert jobs["deploy"]["if"] == DEFAULT_BRANCH_ONLY
    assert "if" not in jobs["build"]  # other branches still build, so a broken site shows before it merges


def test_the_pages_address_reaches_the_build_as_the_site_url(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    steps = workflow(project)["jobs"]["build"]["steps"]
    pages = steps[step_index(steps, "actions/configure-pages@")]
    build = steps[step_index(steps, "mkdocs build --strict")]
    # configure-pages gives the address without the final slash; the step adds it.
    assert build["env"] == {"STUDYLOG_SITE_URL": "${{ steps." + pages["id"] + ".outputs.base_url }}/"}
    # ... and mkdocs.yml takes site_url from it.
    monkeypatch.setenv("STUDYLOG_SITE_URL", "https://someone.github.io/study/")
    assert read_config(project / "mkdocs.yml").site.url == "https://someone.github.io/study/"


def run_step(script: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """A `run:` step as GitHub runs it on ubuntu-latest: bash --noprofile --norc -eo pipefail."""
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
        cwd=cwd, env={**os.environ, **env}, capture_output=True, text=True, timeout=120, check=False,
    )


@pytest.mark.parametrize("exit_code", [0, 1])
def test_enrich_failing_warns_and_the_run_goes_on(project: Path, tmp_path: Path, exit_code: int) -> None:
    steps = workflow(project)["jobs"]["build"]["steps"]
    enrich = steps[step_index(steps, "python -m generator enrich")]
    assert enrich["env"]["ARXIV_DELAY_SECONDS"] == "${{ vars.ARXIV_DELAY_SECONDS || '3' }}"  # arXiv's courtesy pause
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "python").write_text(f'#!/bin/sh\necho "$@" >> "{tmp_path}/calls"\nexit {exit_code}\n', encoding="utf-8")
    (fake / "python").chmod(0o755)
    result = run_step(enrich["run"], tmp_path, {"PATH": f"{fake}:{os.environ['PATH']}"})
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "calls").read_text(encoding="utf-8") == "-m generator enrich --citations\n"
    assert result.stdout.startswith("::warning ") == bool(exit_code)


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=Me", "-c", "user.email=me@example.org", *args],
        cwd=cwd, capture_output=True, text=True, timeout=60, check=True,
    )
    return done.stdout.strip()


def test_the_commit_step_pushes_a_changed_lock_and_nothing_else(project: Path, tmp_path: Path) -> None:
    steps = workflow(project)["jobs"]["build"]["steps"]
    script = steps[step_index(steps, "git add papers.lock.json")]["run"]
    server = tmp_path / "server"
    remote = server / "me" / "blog.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(remote))
    work = tmp_path / "work"
    git(tmp_path, "clone", "-q", str(remote), str(work))
    (work / "papers.lock.json").write_text('{"format": 1, "papers": {}}\n', encoding="utf-8")
    (work / "papers.yaml").write_text("topics: []\npapers: []\n", encoding="utf-8")
    git(work, "add", ".")
    git(work, "commit", "-q", "-m", "start")
    git(work, "push", "-q", "origin", "HEAD:main")
    env = {"GITHUB_TOKEN": "not-a-token", "GITHUB_SERVER_URL": f"file://{server}", "GITHUB_REPOSITORY": "me/blog",
           "GITHUB_REF": "refs/heads/main"}
    start = git(remote, "rev-parse", "main")

    unchanged = run_step(script, work, env)
    assert unchanged.returncode == 0, unchanged.stderr
    assert "unchanged" in unchanged.stdout and git(remote, "rev-parse", "main") == start

    (work / "papers.lock.json").write_text('{"format": 1, "papers": {"x": {}}}\n', encoding="utf-8")
    (work / "papers.yaml").write_text("topics: []\npapers: []  # an edit of the run's own\n", encoding="utf-8")
    changed = run_step(script, work, env)
    assert changed.returncode == 0, changed.stderr
    assert "not-a-token" not in changed.stdout + changed.stderr
    assert git(remote, "log", "-1", "--format=%an|%s", "main") == "github-actions[bot]|Update arXiv metadata in papers.lock.json [skip ci]"
    assert git(remote, "diff", "--name-only", start, "main") == "papers.lock.json"

    # No lock at all (deleted, and enrich could not write one): nothing to commit, not a deletion.
    (work / "papers.lock.json").unlink()
    missing = run_step(script, work, env)
    assert missing.returncode == 0, missing.stderr
    assert git(remote, "log", "-1", "--format=%s", "main").startswith("Update arXiv metadata")
    assert git(work, "diff", "--cached", "--name-only") == ""  # the deletion is neither staged nor committed

    # The branch moved meanwhile: no push, a warning, and the run goes on to build.
    other = tmp_path / "other"
    git(tmp_path, "clone", "-q", str(remote), str(other))
    (other / "notes.md").write_text("pushed meanwhile\n", encoding="utf-8")
    git(other, "add", ".")
    git(other, "commit", "-q", "-m", "meanwhile")
    git(other, "push", "-q", "origin", "HEAD:main")
    (work / "papers.lock.json").write_text('{"format": 1, "papers": {"y": {}}}\n', encoding="utf-8")
    moved = run_step(script, work, env)
    assert moved.returncode == 0, moved.stderr
    assert "::warning title=papers.lock.json not committed::" in moved.stdout
    assert git(remote, "log", "-1", "--format=%s", "main") == "meanwhile"


def test_pull_requests_run_the_tests_as_ci_does() -> None:
    flow = workflow(ROOT, "tests.yml")
    assert "pull_request" in flow["on"] and "pull_request_target" not in flow["on"]
    assert flow["permissions"] == {"contents": "read"}
    job = flow["jobs"]["test"]
    assert job["container"]["image"].endswith("-bookworm")  # Debian, like the development machines
    steps = job["steps"]
    apt = steps[step_index(steps, "apt-get install")]["run"]
    assert {"chromium", "ruby-kramdown", "ruby-kramdown-parser-gfm"} <= set(apt.split())
    assert steps[-1]["run"] == "bash .ci/run"
    assert step_index(steps, "actions/cache@") < len(steps) - 1
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "pip install --quiet -e '.[test]'" in ci and "python -m pytest" in ci
