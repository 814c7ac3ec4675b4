"""``python -m generator``: check the inputs, fetch arXiv metadata, write the pages to disk.

This is an edge: it turns StudylogError into one clear message and an exit code,
never a traceback.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from .errors import StudylogError
from .model import SiteInfo
from .project import ENRICH_COMMAND, Project, load_site, site_info, unfetched_message

EXIT_OK, EXIT_ERRORS, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m generator",
        description="Studylog: a reading list and a study log as one MkDocs site.",
    )
    parser.add_argument("--root", default=".", help="the project folder (default: the current one)")
    parser.add_argument("--catalogue", default="papers.yaml", help="the catalogue, relative to --root")
    parser.add_argument("--lock", default="papers.lock.json", help="the lock file, relative to --root")
    parser.add_argument("--docs-dir", default="docs", help="the docs folder, relative to --root")
    parser.add_argument("--logs-dir", default="logs/posts", help="the logs folder, relative to --docs-dir")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = sub.add_parser("check", help="validate the catalogue, the lock and every log")
    check.add_argument("--strict", action="store_true", help="exit non-zero on warnings too")

    enrich = sub.add_parser("enrich", help="fetch missing arXiv metadata into the lock file")
    enrich.add_argument("--refresh", action="store_true", help="refetch every paper")
    enrich.add_argument("--max-age", type=float, metavar="DAYS", help="refetch records older than DAYS")

    add = sub.add_parser("add", help="add arXiv papers to papers.yaml and fetch their metadata")
    add.add_argument("papers", nargs="*", metavar="ID_OR_URL", help="arXiv IDs or arxiv.org/abs|pdf URLs")
    add.add_argument("--topic", action="append", default=[], help="a topic id from papers.yaml (repeatable)")
    add.add_argument("--status", choices=["to-read", "reading", "read"], help="reading status (default: to-read)")
    add.add_argument("--from-logs", action="store_true", help="add every arXiv paper the logs link but the catalogue lacks")
    add.add_argument("--no-fetch", action="store_true", help="only edit papers.yaml; fetch later with `enrich`")

    jekyll = sub.add_parser("import-jekyll", help="convert a Jekyll blog's posts into study logs (never changes SRC)")
    jekyll.add_argument("src", metavar="SRC", help="the Jekyll site folder (holding _posts/) or its _posts folder")
    jekyll.add_argument("--dest", help="where the logs go (default: the site's posts folder, docs/logs/posts)")

    init = sub.add_parser(
        "init",
        help="create a new, empty Studylog project in DIR (never overwrites a file)",
        description="Create a new, empty Studylog project of your own: mkdocs.yml, papers.yaml with commented "
        "examples, an empty lock, the docs folder, a .gitignore, requirements.txt and the GitHub Pages workflow. "
        "DIR may be empty, missing, or hold other files; init refuses if any file it writes is already there.",
        epilog="example:\n  python -m generator init ~/my-studylog\n  cd ~/my-studylog\n"
        "  python -m generator import-jekyll ~/my-blog\n  mkdocs serve",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    init.add_argument("dir", metavar="DIR", help="the new project's folder")

    generate = sub.add_parser("generate", help="write the generated pages to disk (for builds without the plugin)")
    generate.add_argument("--out", help="output folder (default: the docs folder)")
    generate.add_argument("--site-url", help="the site's absolute URL, for the RSS feed (default: site_url in mkdocs.yml)")
    return parser


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    args = _parser().parse_args(argv)
    project = Project.at(
        args.root, catalogue=args.catalogue, lock=args.lock, docs_dir=args.docs_dir, logs_dir=args.logs_dir
    )
    try:
        if args.command == "check":
            return _check(project, strict=args.strict, out=out, err=err)
        if args.command == "enrich":
            return _enrich(project, refresh=args.refresh, max_age=args.max_age, out=out, err=err)
        if args.command == "add":
            return _add(project, args, out=out, err=err)
        if args.command == "init":
            from .scaffold import init_project

            print(init_project(Path(args.dir)).render(), file=out)
            return EXIT_OK
        if args.command == "import-jekyll":
            return _import_jekyll(project, Path(args.src), Path(args.dest) if args.dest else None, out=out)
        if args.command == "generate":
            info = site_info(Path(args.root) / "mkdocs.yml")
            if args.site_url:
                info = dataclasses.replace(info, url=args.site_url)
            return _generate(project, Path(args.out) if args.out else None, info, out=out)
    except StudylogError as error:
        print(f"error: {error}" if not getattr(error, "errors", None) else _several(error), file=err)
        return EXIT_ERRORS
    except KeyboardInterrupt:
        print("interrupted; everything fetched so far is saved in the lock. Run the command again to go on.", file=err)
        return EXIT_INTERRUPTED
    return EXIT_USAGE


def _several(error: StudylogError) -> str:
    errors = error.errors  # type: ignore[attr-defined]
    return "\n".join(f"error: {e}" for e in errors) + f"\n{len(errors)} errors"


def _check(project: Project, *, strict: bool, out: TextIO, err: TextIO) -> int:
    site = load_site(project)
    warnings = []
    for log, link in site.unlisted:
        warnings.append(
            f"{log.path}:{link.line}: links arXiv {link.arxiv}, which {project.catalogue.name} lacks\n"
            f"  hint: add it to {project.catalogue.name} (arxiv: \"{link.arxiv}\")"
        )
    for w in warnings:
        print(f"warning: {w}", file=err)
    notice = unfetched_message(site)
    if notice:
        print(f"note: {notice}", file=out)
    print(
        f"ok: {len(site.entries)} papers, {len(site.resources)} resources, {len(site.topics)} topics, "
        f"{len(site.logs)} logs, {len(site.questions)} questions"
        + (f", {len(warnings)} warnings" if warnings else ""),
        file=out,
    )
    return EXIT_ERRORS if strict and warnings else EXIT_OK


def _enrich(project: Project, *, refresh: bool, max_age: float | None, out: TextIO, err: TextIO) -> int:
    from .catalogue import load_catalogue
    from .enrich import run_enrich

    catalogue = load_catalogue(project.catalogue)
    report = run_enrich(catalogue.arxiv_ids(), project.lock, refresh=refresh, max_age_days=max_age, out=err)
    print(report.summary(), file=out)
    return EXIT_ERRORS if report.failed else EXIT_OK


def _add(project: Project, args: argparse.Namespace, *, out: TextIO, err: TextIO) -> int:
    from .add import add_papers, parse_inputs

    if args.from_logs == bool(args.papers):
        print("error: give arXiv IDs or URLs to add, or --from-logs (not both)", file=err)
        return EXIT_USAGE
    if args.from_logs:
        site = load_site(project)
        ids = list({link.arxiv.base: link.arxiv for _, link in site.unlisted if link.arxiv}.values())
        if not ids:
            print("nothing to add: every arXiv paper the logs link to is in the catalogue", file=out)
            return EXIT_OK
    else:
        if not args.topic:
            print("error: say which topic the papers belong to with --topic TOPIC", file=err)
            return EXIT_USAGE
        ids = parse_inputs(args.papers)
    added = add_papers(project.catalogue, ids, topics=args.topic, status=args.status)
    for arxiv_id in added.ids:
        print(f"added arXiv {arxiv_id} to {project.catalogue.name}", file=out)
    if args.no_fetch or not added.ids:
        return EXIT_OK
    from .enrich import run_enrich

    try:
        report = run_enrich(list(added.ids), project.lock, out=err)
    except StudylogError as error:
        print(f"error: {error}\nthe papers were added; run `{ENRICH_COMMAND}` to fetch their metadata", file=err)
        return EXIT_ERRORS
    print(report.summary(), file=out)
    return EXIT_ERRORS if report.failed else EXIT_OK


def _import_jekyll(project: Project, src: Path, dest: Path | None, *, out: TextIO) -> int:
    from .jekyll import import_jekyll

    report = import_jekyll(src, dest or project.docs_dir / project.logs_dir)
    print(report.render(), file=out)
    return EXIT_OK


def _generate(project: Project, target: Path | None, info: SiteInfo, *, out: TextIO) -> int:
    from .assets import site_assets
    from .feed import is_site_url
    from .fsutil import write_if_changed
    from .pages import render_site

    site = load_site(project)
    target = target or project.docs_dir
    if info.url and not is_site_url(info.url):
        raise StudylogError(f"site_url {info.url!r} is not an absolute http(s) URL; the RSS feed needs one")
    written = sum(write_if_changed(target / page.path, page.content) for page in render_site(site, info))
    written += sum(write_if_changed(target / asset.path, asset.data) for asset in site_assets())
    print(f"generated pages in {target}: {written} written, the rest unchanged", file=out)
    if not info.url:
        print("note: no site_url in mkdocs.yml, so no RSS feed; set it or pass --site-url", file=out)
    return EXIT_OK


__all__ = ["main", "ENRICH_COMMAND"]
