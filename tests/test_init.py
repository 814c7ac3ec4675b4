"""`python -m generator init`: a project of one's own, holding none of the demo, that checks, builds and publishes."""

from __future__ import annotations

import errno
import json
import re
import shutil
import subprocess
import sys
import zipfile
from importlib import metadata
from pathlib import Path

import jsonschema
import pytest
import yaml
from packaging.requirements import Requirement as PipRequirement

from generator import scaffold
from generator.assets import site_assets
from generator.catalogue import parse_catalogue, schema
from generator.cli import main
from generator.lock import load_lock
from generator.project import Project, load_site
from generator.scaffold import LOGS_DIR, studylog_requirement, template_files

from .sitebuild import ROOT, article, build_site, page

BLOG = Path(__file__).parent / "fixtures" / "jekyll"
PROJECT_FILES = [
    ".github/workflows/publish.yml",
    ".gitignore",
    "docs/logs/index.md",
    "mkdocs.yml",
    "papers.lock.json",
    "papers.yaml",
    "requirements.txt",
]


def files_in(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() or p.is_symlink())


def init(project: Path) -> Path:
    assert main(["init", str(project)]) == 0
    return project


def test_init_makes_an_empty_project_that_check_accepts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = init(tmp_path / "my-studylog")
    out = capsys.readouterr().out
    assert out.startswith(f"created a Studylog project in {project}:")
    assert "python -m generator import-jekyll" in out and "mkdocs serve" in out
    assert files_in(project) == PROJECT_FILES
    assert (project / LOGS_DIR).is_dir() and not any((project / LOGS_DIR).iterdir())  # no sample log
    assert load_lock(project / "papers.lock.json") == {}
    catalogue = yaml.safe_load((project / "papers.yaml").read_text(encoding="utf-8"))
    jsonschema.validate(catalogue, schema())
    assert catalogue == {"topics": [], "papers": [], "resources": []}
    assert main(["--root", str(project), "check", "--strict"]) == 0
    assert "ok: 0 papers, 0 resources, 0 topics, 0 logs, 0 questions" in capsys.readouterr().out


def test_the_commented_examples_in_papers_yaml_are_valid_entries(tmp_path: Path) -> None:
    text = (init(tmp_path / "p") / "papers.yaml").read_text(encoding="utf-8")
    # Uncomment the examples under each `key: []`, as a user would: up to the next blank line.
    lines, examples = [], False
    for line in text.splitlines():
        if re.fullmatch(r"\w+: \[\]", line):
            line, examples = line.removesuffix(" []"), True
        elif not line:
            examples = False
        elif examples:
            assert line.startswith("#"), line
            line = line[1:]
        lines.append(line)
    catalogue = parse_catalogue("\n".join(lines), tmp_path / "p" / "papers.yaml")
    assert [t.id for t in catalogue.topics] == ["prompt-tuning"]
    assert [p.key for p in catalogue.papers] == ["2104.08691", "deepquest"]
    assert [r.key for r in catalogue.resources] == ["lilian-weng-odqa"]


def test_add_writes_into_the_new_catalogue(tmp_path: Path) -> None:
    project = init(tmp_path / "p")
    catalogue = project / "papers.yaml"
    catalogue.write_text(
        catalogue.read_text(encoding="utf-8").replace("topics: []\n", "topics:\n  - id: nlp\n    title: NLP\n"),
        encoding="utf-8",
    )
    assert main(["--root", str(project), "add", "2104.08691", "--topic", "nlp", "--no-fetch"]) == 0
    assert [p.key for p in load_site(Project.at(project)).entries] == ["2104.08691"]


def test_init_help_says_what_it_does_with_an_example(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["init", "--help"])
    assert exit_.value.code == 0
    help_text = capsys.readouterr().out
    assert "Create a new, empty Studylog project" in help_text
    assert "examples:\n  python -m generator init ~/my-studylog" in help_text


def test_init_refuses_to_overwrite_and_names_what_is_in_the_way(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = tmp_path / "blog"
    (project / "docs").mkdir(parents=True)
    (project / "mkdocs.yml").write_text("site_name: Mine\n", encoding="utf-8")
    (project / "docs" / "logs").mkdir()
    (project / "docs" / "logs" / "index.md").write_text("my logs\n", encoding="utf-8")
    before = {name: (project / name).read_bytes() for name in files_in(project)}
    assert main(["init", str(project)]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert lines[0] == f"error: {project / 'mkdocs.yml'}: already exists, and init never overwrites a file (also in the way: docs/logs/index.md)"
    assert lines[1].startswith("  hint: run init in an empty or new folder")
    assert {name: (project / name).read_bytes() for name in files_in(project)} == before  # nothing written


def test_init_keeps_unrelated_files_and_merges_an_existing_gitignore(tmp_path: Path) -> None:
    project = tmp_path / "repo"
    project.mkdir()
    (project / "README.md").write_text("# My blog\n", encoding="utf-8")
    (project / ".gitignore").write_text("*.swp\n/site/\n", encoding="utf-8")  # as GitHub's new-repo page makes them
    init(project)
    assert (project / "README.md").read_text(encoding="utf-8") == "# My blog\n"
    gitignore = (project / ".gitignore").read_text(encoding="utf-8")
    assert gitignore.startswith("*.swp\n/site/\n# Studylog (python -m generator init)\n")
    assert gitignore.count("/site/") == 1 and "/docs/papers/\n" in gitignore


def test_init_refuses_a_file_and_a_link_out_of_the_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    assert main(["init", str(tmp_path / "file")]) == 1
    assert "is not a folder" in capsys.readouterr().err
    outside = tmp_path / "outside"
    outside.mkdir()
    project = tmp_path / "p"
    project.mkdir()
    (project / "docs").symlink_to(outside)
    assert main(["init", str(project)]) == 1
    err = capsys.readouterr().err
    assert f"error: {project}: docs is a link to {outside}, which leads out of the project" in err
    assert "Traceback" not in err
    assert files_in(outside) == [] and files_in(project) == ["docs"]
    (project / "docs").unlink()
    (project / "docs").symlink_to(project / "docs")  # a loop
    assert main(["init", str(project)]) == 1
    assert "which leads out of the project or nowhere" in capsys.readouterr().err


def test_a_failed_write_takes_back_everything(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    project = tmp_path / "new" / "p"
    real_write = scaffold.write_atomic
    calls = []

    def disk_full_on_the_fourth(path: Path, data: str | bytes) -> None:
        calls.append(path)
        if len(calls) == 4:
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        real_write(path, data)

    monkeypatch.setattr(scaffold, "write_atomic", disk_full_on_the_fourth)
    assert main(["init", str(project)]) == 1
    assert "cannot write the project: No space left on device" in capsys.readouterr().err
    assert len(calls) == 4
    assert not (tmp_path / "new").exists()  # the folders it made are gone too
    # An existing .gitignore gets its own bytes back.
    project.mkdir(parents=True)
    (project / ".gitignore").write_bytes(b"\xef\xbb\xbf*.swp\r\n")
    calls.clear()
    assert main(["init", str(project)]) == 1
    assert files_in(project) == [".gitignore"]
    assert (project / ".gitignore").read_bytes() == b"\xef\xbb\xbf*.swp\r\n"


class _Installed(metadata.Distribution):
    """A distribution's metadata, as pip leaves it: METADATA, and direct_url.json for URL installs."""

    def __init__(self, direct_url: dict[str, object] | None) -> None:
        self.direct_url = direct_url

    def read_text(self, filename: str) -> str | None:
        if filename == "METADATA":
            return "Metadata-Version: 2.4\nName: studylog\nVersion: 1.2.3\n"
        if filename == "direct_url.json" and self.direct_url is not None:
            return json.dumps(self.direct_url)
        return None

    def locate_file(self, path: str | Path) -> Path:
        raise NotImplementedError


@pytest.mark.parametrize(
    ("direct_url", "line", "noted"),
    [
        (None, "studylog==1.2.3", False),
        (
            {"url": "https://github.com/me/studylog.git", "vcs_info": {"vcs": "git", "commit_id": "0d1e2f", "requested_revision": "v1.2.3"}},
            "studylog @ git+https://github.com/me/studylog.git@0d1e2f",
            False,
        ),
        ({"url": "https://example.org/studylog-1.2.3.tar.gz", "archive_info": {}}, "studylog @ https://example.org/studylog-1.2.3.tar.gz", False),
        ({"url": "file:///home/me/studylog", "dir_info": {"editable": True}}, "studylog==1.2.3", True),
        ("not installed", "studylog", True),
    ],
)
def test_requirements_txt_names_the_studylog_that_made_the_project(direct_url: dict[str, object] | str | None, line: str, noted: bool) -> None:
    requirement = studylog_requirement(None if direct_url == "not installed" else _Installed(direct_url))  # type: ignore[arg-type]
    assert requirement.line == line
    assert PipRequirement(requirement.line).name == "studylog"  # pip reads it
    assert (requirement.note is not None) == noted
    if noted and direct_url != "not installed":
        assert "CI cannot reach" in str(requirement.note)


def test_the_template_is_this_repositorys_own_layout() -> None:
    """One definition: the repository's demo is the template plus its sample content."""
    template = template_files()
    demo_only = {"papers.yaml", ".gitignore"}
    for name, data in template.items():
        if name not in demo_only:
            assert (ROOT / name).read_bytes() == data, f"{name} differs from generator/project_template/{name}"
    assert (ROOT / ".gitignore").read_bytes().startswith(template[".gitignore"])
    requirements = (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
    assert [line for line in requirements if line and not line.startswith("#")] == ["-e ."]
    config = yaml.load(template["mkdocs.yml"], Loader=_TagsIgnored)
    studylog = next(p["studylog"] for p in config["plugins"] if isinstance(p, dict) and "studylog" in p)
    assert f"{config['docs_dir']}/{studylog['logs_dir']}" == LOGS_DIR


class _TagsIgnored(yaml.SafeLoader):
    pass


_TagsIgnored.add_multi_constructor("", lambda loader, suffix, node: None)


def test_the_package_ships_the_template_and_the_assets(tmp_path: Path) -> None:
    """A wheel built from pyproject.toml holds every file of both, dotfiles included."""
    source = tmp_path / "src"
    source.mkdir()
    shutil.copy(ROOT / "pyproject.toml", source)
    shutil.copy(ROOT / "README.md", source)
    shutil.copytree(ROOT / "generator", source / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    result = subprocess.run(
        [sys.executable, "-c", "import sys; from setuptools import build_meta; print(build_meta.build_wheel(sys.argv[1]))", str(tmp_path / "dist")],
        cwd=source, capture_output=True, text=True, timeout=300, check=False,
    )
    assert result.returncode == 0, result.stderr
    wheel = tmp_path / "dist" / result.stdout.strip().splitlines()[-1]
    names = set(zipfile.ZipFile(wheel).namelist())
    rendered = {"mkdocs.yml", "docs/logs/index.md"}  # shipped as .j2 templates, rendered in the language init is given
    assert {f"generator/{scaffold.TEMPLATE}/{name}" + (".j2" if name in rendered else "") for name in template_files()} <= names
    assert {"generator/project_template/.gitignore"} <= names
    assert {f"generator/site_assets/{asset.path}" for asset in site_assets()} <= names
    on_disk = {f"generator/{p.relative_to(ROOT / 'generator').as_posix()}" for folder in ("project_template", "site_assets")
               for p in (ROOT / "generator" / folder).rglob("*") if p.is_file()}
    assert on_disk <= names


def test_an_empty_project_builds(tmp_path: Path) -> None:
    project = init(tmp_path / "p")
    site = build_site(project, strict=True)
    counts = [td.get_text(strip=True) for td in article(site, "").select(".sl-counts td")]
    assert counts == ["0"] * 7
    assert (site / "assets" / "katex" / "katex.min.js").exists() and (site / "stylesheets" / "studylog.css").exists()


def test_init_then_import_gives_a_site_of_only_those_posts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = init(tmp_path / "p")
    assert main(["--root", str(project), "import-jekyll", str(BLOG)]) == 0
    posts = sorted(p.name for p in (BLOG / "_posts").glob("20*.md"))
    assert sorted(p.name for p in (project / LOGS_DIR).iterdir()) == posts
    model = load_site(Project.at(project))
    site = build_site(project, strict=True)
    home = article(site, "")
    headers = [th.get_text(strip=True) for th in home.select(".sl-counts th")]
    counts = dict(zip(headers, [td.get_text(strip=True) for td in home.select(".sl-counts td")], strict=True))
    assert counts["논문"] == "0" and counts["자료"] == "0"  # init's default language is Korean
    assert counts["로그"] == str(len(model.logs)) == str(len(posts) - 1)  # the draft stays out
    assert counts["질문"] == str(len(model.questions)) != "3"
    # The demo's questions and backlinks are nowhere: no paper pages, and the Q&A page links only to the imported logs.
    assert not (site / "papers" / "2002.08909").exists() and not any((site / "papers").glob("*/"))
    sources = [a["href"] for a in page(site, "qa/").select("a.sl-qa-source")]
    assert len(sources) == len(model.questions)
    assert not [href for href in sources if "/day-28/" in href]
    imported = {f"{log.date:%Y/%m/%d}/{log.slug}/" for log in model.logs}
    assert {href.removeprefix("../logs/").split("#")[0] for href in sources} <= imported


def test_generated_files_stay_out_of_git(tmp_path: Path) -> None:
    project = init(tmp_path / "p")
    assert main(["--root", str(project), "import-jekyll", str(BLOG)]) == 0
    assert main(["--root", str(project), "generate"]) == 0
    assert (project / "docs" / "papers" / "index.md").exists() and (project / "docs" / "assets" / "katex").is_dir()
    subprocess.run(["git", "init", "-q", str(project)], check=True, timeout=60)
    status = subprocess.run(
        ["git", "-C", str(project), "-c", "core.quotePath=false", "status", "--porcelain", "--untracked-files=all"],
        capture_output=True, text=True, check=True, timeout=60,
    )
    tracked = sorted(line[3:] for line in status.stdout.splitlines())
    logs = [f"{LOGS_DIR}/{p.name}" for p in (BLOG / "_posts").glob("20*.md")]
    assert tracked == sorted(PROJECT_FILES + logs)
