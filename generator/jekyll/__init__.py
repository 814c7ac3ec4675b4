"""Import a Jekyll blog's posts as study logs (Material blog posts).

:func:`import_jekyll` reads a Jekyll ``_posts`` folder (or a site root holding one),
converts each post and writes it into the logs folder, one file per post under the
post's own file name. It never writes into the blog, and reads nothing outside it.
Running it again updates the logs it wrote before, writes only what changed, and
leaves a log alone once you have edited it. What it could not convert safely is
listed in the report, with the file and line, and left as it was: nothing is
dropped without a word. One bad post is reported and skipped; the rest are
imported.

The work is split along the way a post goes:

``blog``
    the blog: ``_config.yml``, and its posts, refusing links out of its folder;
``front_matter``
    a post's front matter as a log's (dates, categories and tags, what is left out);
``addresses``
    where each post lived (Jekyll's permalinks): the log's ``redirect_from``, and
    which log a link between posts means;
``code``, ``body``, ``links``
    the body: code, kramdown and Liquid, links; headings one rank down under the
    title, the subtitle, and the excerpt separator;
``destination``
    the logs folder: what is there and whose, and writing;
``report``
    what it did, every problem as a :class:`~generator.errors.Diagnostic`.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import Diagnostic, StudylogError
from .addresses import Addresses, old_addresses
from .blog import Blog
from .body import BodyConverter, demote_headings, page_body
from .destination import Destination, render_log, write
from .front_matter import Reading, read_post
from .links import LinkRewriter
from .report import ImportReport, count_dropped, warning

__all__ = ["ImportReport", "import_jekyll"]


def import_jekyll(src: Path | str, dest: Path | str) -> ImportReport:
    """Convert the posts of the Jekyll blog at ``src`` into study logs in ``dest``.

    ``src`` is the blog's folder (holding ``_posts/``) or its ``_posts`` folder.
    Raises StudylogError when there is nothing to import, when ``dest`` is inside
    the blog, and when a log cannot be written (a full disk); every problem with
    a single post goes into the report.
    """
    blog = Blog.open(Path(src))
    dest = Path(dest)
    if blog.inside(dest):
        raise StudylogError(
            f"the destination {dest} is inside the blog's folder {blog.base}",
            hint="the import never writes into the blog; pass --dest the site's logs folder (docs/logs/posts), "
                 "outside the blog",
        )
    problems: list[Diagnostic] = [*blog.problems]
    skipped = [*blog.skipped]
    existing = Destination.scan(dest, blog)
    problems += existing.problems
    readings = [read_post(post, blog) for post in blog.posts]
    logs = {post.stem: post.name for post in blog.posts}
    """Post stem -> the log it ends up as (for ``{% post_url %}`` and old links)."""
    addresses = Addresses(blog.config)
    olds: dict[str, list[str]] = {}
    kept: list[Reading] = []
    for reading in readings:
        if not reading.ok:
            skipped.append(reading.post.path)
            continue
        old, unknown = old_addresses(reading, blog.config)
        if unknown:
            reading.problem(None, f"the permalink has placeholders Jekyll does not have ({', '.join(unknown)}); "
                            "the post's old address is not redirected", "add it as `redirect_from:` to the log")
        olds[reading.name] = old if reading.published else []  # an unpublished post had no page
        # A post already in the logs by other means (the same date and title) is not imported twice.
        twin = existing.twin_of(reading)
        if twin is not None:
            moved = f"; add `redirect_from: [{', '.join(old)}]` to it to keep the old address" if old else ""
            reading.problem(None, f"already in the logs as {twin.name} (same date and title); not imported again",
                            f"delete {twin.name} to import this post instead{moved}")
            skipped.append(reading.post.path)
            logs[reading.post.stem] = twin.name
            addresses.add(reading.post, twin.name, old)
            continue
        addresses.add(reading.post, reading.name, old)
        kept.append(reading)
    bodies = {reading.name: _body(reading, blog, addresses, logs, olds) for reading in kept}
    problems += [p for reading in readings for p in reading.problems]
    existing.give_unique_urls(kept, problems)

    created: list[Path] = []
    updated: list[Path] = []
    unchanged: list[Path] = []
    for reading in kept:
        target = dest / reading.name
        if olds[reading.name]:
            reading.meta["redirect_from"] = olds[reading.name]
        state = existing.state(target, reading.post)
        if state == "foreign":
            problems.append(warning(target, None, f"{target.name} exists and was not written by the import; left "
                                    f"alone, {reading.post.rel} not imported",
                                    "move that file away (or rename the post) and import again"))
            skipped.append(reading.post.path)
        elif state == "edited":
            problems.append(warning(target, None, f"you edited {target.name} since it was imported; kept your version",
                                    f"delete {target.name} and import again to take {reading.post.rel} as it is now"))
            unchanged.append(target)
        elif write(target, render_log(reading.post, reading.meta, bodies[reading.name])):
            (updated if state == "imported" else created).append(target)
        else:
            unchanged.append(target)
    written = {p.name for p in (*created, *updated, *unchanged)}
    return ImportReport(
        source=blog.posts_dir,
        dest=dest,
        converted=tuple(created),
        updated=tuple(updated),
        unchanged=tuple(unchanged),
        skipped=tuple(skipped),
        diagnostics=tuple(sorted(problems, key=lambda d: (d.path or "", d.line or 0))),
        dropped=count_dropped([r.dropped for r in kept if r.name in written]),
        redirects=sum(len(olds[r.name]) for r in kept if r.name in written),
    )


def _body(reading: Reading, blog: Blog, addresses: Addresses, logs: dict[str, str],
          olds: dict[str, list[str]]) -> str:
    def problem(src: int | None, message: str, hint: str | None) -> None:
        reading.problem(reading.body_line + (src or 0), message, hint)

    old = olds[reading.name] or old_addresses(reading, blog.config)[0]
    links = LinkRewriter(blog, reading.post, old[0] if old else None, addresses, logs, problem)
    body = demote_headings(BodyConverter(reading.body, problem, links).convert())
    return page_body(body, subtitle=reading.subtitle, excerpt=reading.excerpt, separator=reading.excerpt_separator)
