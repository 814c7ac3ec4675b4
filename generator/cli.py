"""``python -m generator`` (also ``studylog``): check the inputs, fetch metadata, import, write the pages.

This is an edge: it prints diagnostics (``errors.Diagnostic.render``) and turns
StudylogError into one clear message and an exit code, never a traceback. Where
things are comes from ``mkdocs.yml`` (``project.read_config``), the same settings
``mkdocs build`` uses; the shared options override it.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TextIO

from .errors import Diagnostic, StudylogError
from .i18n import available
from .project import COMMAND, ENRICH_COMMAND, Project, load_site, notes, warnings
from .status import KEYS as STATUSES
from .text import ascii_slug, one_line, plural

EXIT_OK, EXIT_ERRORS, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


def _version() -> str:
    try:
        return version("studylog")
    except PackageNotFoundError:
        return "0+unknown"


def _shared_options(parser: argparse.ArgumentParser) -> None:
    """Options every command takes, before or after its name (``check --root .`` and ``--root . check``)."""
    group = parser.add_argument_group("project")
    keep = argparse.SUPPRESS  # so a default given by one parser never hides a value given to the other
    group.add_argument("--root", default=keep, help="the project folder, holding mkdocs.yml (default: .)")
    group.add_argument("--catalogue", default=keep, help="the catalogue, relative to --root (default: from mkdocs.yml)")
    group.add_argument("--lock", default=keep, help="the lock file, relative to --root (default: from mkdocs.yml)")
    group.add_argument("--docs-dir", default=keep, help="the docs folder, relative to --root (default: from mkdocs.yml)")
    group.add_argument("--logs-dir", default=keep,
                       help="the logs folder, relative to --docs-dir (default: the blog's post_dir in mkdocs.yml)")


def _command(sub: argparse._SubParsersAction[argparse.ArgumentParser], name: str, summary: str, description: str,
             examples: Sequence[str]) -> argparse.ArgumentParser:
    epilog = "examples:\n" + "\n".join(f"  {COMMAND} {example}" for example in examples)
    parser = sub.add_parser(name, help=summary, description=description, epilog=epilog,
                            formatter_class=argparse.RawDescriptionHelpFormatter)
    _shared_options(parser)
    return parser


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=COMMAND,
        description="Studylog: a reading list and a study log as one MkDocs site.",
    )
    parser.add_argument("--version", action="version", version=f"studylog {_version()}")
    _shared_options(parser)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = _command(sub, "check", "validate the catalogue, the lock and every log",
                     "Read papers.yaml, the lock and every log as the build does, and report every problem with "
                     "its file and line.\nWarnings (a log linking a paper the catalogue lacks) do not fail it, "
                     "unless --strict.", ["check", "check --strict"])
    check.add_argument("--strict", action="store_true", help="exit non-zero on warnings too")

    enrich = _command(sub, "enrich", "fetch missing arXiv metadata (and citations) into the lock file",
                      "Fetch the metadata of every arXiv paper that the lock lacks, 100 per request, with arXiv's "
                      "3-second pause, and record each new paper's BibTeX key.\nWith --citations, also fetch "
                      "venues, citation counts and references from Semantic Scholar (S2_API_KEY, if set, is sent "
                      "as the API key).\nA warm rerun sends no request.",
                      ["enrich", "enrich --citations", "enrich --citations --max-age 30"])
    enrich.add_argument("--refresh", action="store_true", help="refetch every paper")
    enrich.add_argument("--max-age", type=float, metavar="DAYS", help="refetch records older than DAYS")
    enrich.add_argument("--citations", action="store_true",
                        help="also fetch citation data from Semantic Scholar, by arXiv ID, DOI or ACL Anthology URL")

    add = _command(sub, "add", "add arXiv papers to papers.yaml and fetch their metadata",
                   "Append papers to papers.yaml, keeping every other byte of the file, then fetch their "
                   "metadata.", ["add 2104.08691 --topic prompt-tuning",
                                 "add https://arxiv.org/abs/2002.08909 --topic open-domain-qa --status read",
                                 "add --from-logs --topic to-sort"])
    add.add_argument("papers", nargs="*", metavar="ID_OR_URL", help="arXiv IDs or arxiv.org/abs|pdf URLs")
    add.add_argument("--topic", action="append", default=[], help="a topic id from papers.yaml (repeatable)")
    add.add_argument("--new-topic", metavar="TITLE",
                     help="create the topic TITLE (its id from --topic, or made from the title) and file the papers under it")
    add.add_argument("--title", help="a working title for the one paper added, shown until `enrich` brings arXiv's")
    add.add_argument("--status", choices=STATUSES, help=f"reading status (default: {STATUSES[0]})")
    add.add_argument("--from-logs", action="store_true",
                     help="add every arXiv paper the logs link but the catalogue lacks, titled by the links' text")
    add.add_argument("--no-fetch", action="store_true", help="only edit papers.yaml; fetch later with `enrich`")

    status = _command(sub, "status", "set a paper's reading status in papers.yaml",
                      "Set the reading status of one paper, keeping every other byte of papers.yaml.",
                      ["status 2104.08691 reading", "status https://arxiv.org/abs/2002.08909 read", "status deepquest read"])
    status.add_argument("paper", metavar="ID_OR_URL", help="an arXiv ID or URL, or the id of a paper not on arXiv")
    status.add_argument("status", choices=STATUSES, help="the new status")

    new = _command(sub, "new", "start today's study log from your log template",
                   "Create the day's log from the template you own (docs/logs/.template.md; made on first use),\n"
                   "with the date, an ASCII slug, the day number (one more than the last log's) and the last log's "
                   "categories and tags.\nNever overwrites a file; prints the new log's path.",
                   ["new", "new --date 2021-09-10", 'new --title "[Boostcamp AI Tech] 29일차 학습정리"'])
    new.add_argument("--date", help="the log's date, YYYY-MM-DD (default: today)")
    new.add_argument("--title", help="the log's title (default: the template's)")

    jekyll = _command(sub, "import-jekyll", "convert a Jekyll blog's posts into study logs (never changes SRC)",
                      "Convert every Markdown post of a Jekyll blog into a study log, and report what could not "
                      "be converted.\nRunning it again updates the logs it wrote, while you have not edited them.",
                      ["import-jekyll ~/my-blog", "import-jekyll ~/my-blog/_posts --dest docs/logs/posts"])
    jekyll.add_argument("src", metavar="SRC", help="the Jekyll site folder (holding _posts/) or its _posts folder")
    jekyll.add_argument("--dest", help="where the logs go (default: the site's logs folder)")

    init = _command(sub, "init", "create a new, empty Studylog project in DIR (never overwrites a file)",
                    "Create a new, empty Studylog project of your own: mkdocs.yml, papers.yaml with commented "
                    "examples, an empty lock, the docs folder, a .gitignore, requirements.txt and the GitHub Pages "
                    "workflow.\nDIR may be empty, missing, or hold other files; init refuses if any file it writes is "
                    "already there.", ["init ~/my-studylog", "--root ~/my-studylog import-jekyll ~/my-blog"])
    init.add_argument("dir", metavar="DIR", help="the new project's folder")
    init.add_argument("--language", default="ko", choices=available(),
                      help="the language of the site's own words (theme.language; default: ko)")

    generate = _command(sub, "generate", "write the generated pages to disk (for builds without the plugin)",
                        "Write the pages the plugin makes in memory into the docs folder, for Zensical or a build "
                        "with the plugin off.\nOnly files whose content changed are written.",
                        ["generate", "generate --site-url https://me.github.io/studylog/"])
    generate.add_argument("--out", help="output folder (default: the docs folder)")
    generate.add_argument("--site-url", help="the site's absolute URL, for the RSS feed (default: site_url in mkdocs.yml)")
    generate.add_argument("--watch", action="store_true",
                          help="stay, and write again after every save of papers.yaml, the lock, mkdocs.yml or a log")

    build = _command(sub, "build", "build the site with Zensical: generate, zensical build, Korean search",
                     "Write the generated pages, build the site with Zensical (`zensical build`), then add the words "
                     "inside Korean compounds to its search index.", ["build", "build --site-url https://me.github.io/studylog/"])
    build.add_argument("--site-url", help="the site's absolute URL (default: site_url in mkdocs.yml)")
    build.add_argument("--clean", action="store_true", help="clear Zensical's cache first")
    build.add_argument("--strict", action="store_true", help="stop on Zensical's warnings")

    serve = _command(sub, "serve", "serve the site with Zensical, kept current as you edit",
                     "Write the generated pages and run Zensical's server (`zensical serve`); every save of "
                     "papers.yaml, the lock, mkdocs.yml or a log writes the pages that changed, and the page reloads.\n"
                     "Ctrl-C stops both.", ["serve", "serve --dev-addr 127.0.0.1:8001"])
    serve.add_argument("--dev-addr", metavar="IP:PORT", help="where to serve (default: Zensical's, localhost:8000)")

    index = _command(sub, "search-index", "add the words inside Korean compounds to a built site's search index",
                     "Rewrite the search index a build wrote (Zensical's search.json and search.js, or Material's "
                     "search/search_index.json), adding the words inside Korean compounds, hidden.\n"
                     "Run it after `zensical build`; `build` and `serve` do it for you.",
                     ["search-index site", "search-index"])
    index.add_argument("site", nargs="?", metavar="SITE_DIR", help="the built site (default: site_dir in mkdocs.yml)")
    return parser


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    args = _parser().parse_args(argv)
    try:
        project = _project_loader(args)()
        if args.command == "check":
            return _check(project, strict=args.strict, out=out, err=err)
        if args.command == "enrich":
            return _enrich(project, refresh=args.refresh, max_age=args.max_age, citations=args.citations,
                           out=out, err=err)
        if args.command == "add":
            return _add(project, args, out=out, err=err)
        if args.command == "status":
            return _status(project, args.paper, args.status, out=out)
        if args.command == "new":
            return _new(project, args.date, args.title, out=out)
        if args.command == "init":
            from .scaffold import init_project

            print(init_project(Path(args.dir), language=args.language).render(), file=out)
            return EXIT_OK
        if args.command == "import-jekyll":
            return _import_jekyll(project, Path(args.src), Path(args.dest) if args.dest else None, out=out)
        if args.command == "generate" and args.watch:
            return _watch(args, Path(args.out) if args.out else None, args.site_url, out=out, err=err)
        if args.command == "generate":
            return _generate(project, Path(args.out) if args.out else None, args.site_url, out=out)
        if args.command in ("build", "serve", "search-index"):
            return _zensical(args, project, out=out, err=err)
    except StudylogError as error:
        print(error.render(), file=err)
        return EXIT_ERRORS
    except KeyboardInterrupt:
        print("interrupted; everything fetched so far is saved in the lock. Run the command again to go on.", file=err)
        return EXIT_INTERRUPTED
    return EXIT_USAGE


def _print(diagnostics: Sequence[Diagnostic], file: TextIO) -> None:
    for diagnostic in diagnostics:
        print(diagnostic.render(), file=file)


def _check(project: Project, *, strict: bool, out: TextIO, err: TextIO) -> int:
    site = load_site(project)
    found = warnings(site, project)
    _print(found, err)
    _print(notes(site), out)
    counts = [plural(len(site.entries), "paper"), plural(len(site.resources), "resource"),
              plural(len(site.topics), "topic"), plural(len(site.logs), "log"), plural(len(site.questions), "question")]
    if found:
        counts.append(plural(len(found), "warning"))
    print("ok: " + ", ".join(counts), file=out)
    if strict and found:
        print(f"failed: --strict treats the {plural(len(found), 'warning')} above as errors", file=err)
        return EXIT_ERRORS
    return EXIT_OK


def _enrich(project: Project, *, refresh: bool, max_age: float | None, citations: bool, out: TextIO,
            err: TextIO) -> int:
    from .catalogue import load_catalogue
    from .enrich import run_citations, run_enrich

    catalogue = load_catalogue(project.catalogue)
    report = run_enrich(catalogue.arxiv_ids(), project.lock, refresh=refresh, max_age_days=max_age, out=err,
                        papers=catalogue.papers)
    print(report.summary(), file=out)
    failed = bool(report.failed)
    if citations:
        lookups = [p.scholar_id for p in catalogue.papers if p.scholar_id]
        cited = run_citations(lookups, project.lock, refresh=refresh, max_age_days=max_age, out=err)
        print(cited.summary(), file=out)
        unasked = [p.key for p in catalogue.papers if not p.scholar_id]
        if unasked:
            print(f"  not asked (no arXiv ID, DOI or ACL Anthology URL): {', '.join(unasked)}", file=out)
        failed = failed or bool(cited.failed)
    return EXIT_ERRORS if failed else EXIT_OK


def _add(project: Project, args: argparse.Namespace, *, out: TextIO, err: TextIO) -> int:
    from .add import add_papers, link_titles, parse_inputs

    if args.from_logs == bool(args.papers):
        print("error: give arXiv IDs or URLs to add, or --from-logs (not both)", file=err)
        return EXIT_USAGE
    titles: dict[str, str] = {}
    new_topic = None
    if args.new_topic:
        topic_id = args.topic[0] if args.topic else ascii_slug(args.new_topic)
        if not topic_id:
            print("error: --new-topic needs a title with Latin letters or digits for its id, or an id with --topic",
                  file=err)
            return EXIT_USAGE
        new_topic = (topic_id, one_line(args.new_topic))
        args.topic = list(dict.fromkeys([topic_id, *args.topic]))
    if args.from_logs:
        site = load_site(project)
        ids = list({link.arxiv.base: link.arxiv for _, link in site.unlisted if link.arxiv}.values())
        if not ids:
            print("nothing to add: every arXiv paper the logs link to is in the catalogue", file=out)
            return EXIT_OK
        titles = link_titles(site.unlisted)
    else:
        if not args.topic:
            print("error: say which topic the papers belong to with --topic TOPIC (or --new-topic TITLE)", file=err)
            return EXIT_USAGE
        ids = parse_inputs(args.papers)
        if args.title:
            if len(ids) != 1:
                print("error: --title names one paper; add the others separately", file=err)
                return EXIT_USAGE
            titles = {ids[0].base: one_line(args.title)}
    added = add_papers(project.catalogue, ids, topics=args.topic, status=args.status, titles=titles,
                       new_topic=new_topic)
    if new_topic:
        print(f"topic {new_topic[0]} ({new_topic[1]}) is in {project.catalogue.name}", file=out)
    for arxiv_id in added.ids:
        print(f"added arXiv {arxiv_id} to {project.catalogue.name}", file=out)
    if args.no_fetch or not added.ids:
        return EXIT_OK
    from .enrich import run_enrich

    try:
        report = run_enrich(list(added.ids), project.lock, out=err, papers=added.catalogue.papers)
    except StudylogError as error:
        print(f"{error.render()}\nthe papers were added; run `{ENRICH_COMMAND}` to fetch their metadata", file=err)
        return EXIT_ERRORS
    print(report.summary(), file=out)
    if report.failed and report.unavailable:
        # Offline is a normal state: the papers are in papers.yaml, their metadata can come later.
        print(f"warning: the papers were added; their metadata will come with `{ENRICH_COMMAND}` "
              "once arXiv can be reached", file=err)
        return EXIT_OK
    return EXIT_ERRORS if report.failed else EXIT_OK


def _status(project: Project, paper: str, status: str, *, out: TextIO) -> int:
    from .add import set_status

    found, changed = set_status(project.catalogue, paper, status)
    print(f"{found.key}: {status}" + ("" if changed else " (it already was)"), file=out)
    return EXIT_OK


def _new(project: Project, date: str | None, title: str | None, *, out: TextIO) -> int:
    import datetime as dt

    from .newlog import new_log

    if date is not None:
        try:
            day = dt.date.fromisoformat(date)
        except ValueError:
            raise StudylogError(f"--date {date!r} is not a date", hint="write it as YYYY-MM-DD, e.g. 2021-09-10") from None
    else:
        day = dt.date.today()
    created = new_log(project, day, title=title)
    print(created.path, file=out)
    return EXIT_OK


def _import_jekyll(project: Project, src: Path, dest: Path | None, *, out: TextIO) -> int:
    from .jekyll import import_jekyll

    report = import_jekyll(src, dest or project.docs_dir / project.layout.logs_dir)
    print(report.render(), file=out)
    return EXIT_OK


def _generate(project: Project, target: Path | None, site_url: str | None, *, out: TextIO) -> int:
    from .generate import generate

    result = generate(project, target, site_url)
    print(result.summary(), file=out)
    for note in result.notes():
        print(f"note: {note}", file=out)
    return EXIT_OK


def _project_loader(args: argparse.Namespace) -> Callable[[], Project]:
    """Reads mkdocs.yml again each time (the watch does when it changes), with the options given."""
    return lambda: Project.at(getattr(args, "root", "."), catalogue=getattr(args, "catalogue", None),
                              lock=getattr(args, "lock", None), docs_dir=getattr(args, "docs_dir", None),
                              logs_dir=getattr(args, "logs_dir", None))


def _watch(args: argparse.Namespace, target: Path | None, site_url: str | None, *, out: TextIO, err: TextIO) -> int:
    from .watch import watch_and_generate

    try:
        watch_and_generate(_project_loader(args), target=target, site_url=site_url, out=out, err=err)
    except KeyboardInterrupt:
        print("stopped", file=out)
    return EXIT_OK


def _zensical(args: argparse.Namespace, project: Project, *, out: TextIO, err: TextIO) -> int:
    from . import zensical

    if args.command == "build":
        return zensical.build(project, site_url=args.site_url, clean=args.clean, strict=args.strict, out=out, err=err)
    if args.command == "serve":
        return zensical.serve(_project_loader(args), dev_addr=args.dev_addr, out=out, err=err)
    return zensical.add_korean_words(project.root / args.site if args.site else zensical.site_dir(project), out=out)


__all__ = ["main"]
