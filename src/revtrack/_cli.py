"""
The ``revtrack`` command line, built on click.

Maintainer's notes: this module is a thin layer over the library. Each
command imports what it needs inside its body, so ``revtrack --help``
loads click and this module only; pendulum, attrs and diff-match-patch
load when a command runs. (Importing ``revtrack._cli`` runs the package's
``__init__``, so that saving shows only once ``__init__`` is lazy too.)
Every error a command meets becomes one line on stderr and an exit code;
files are written to a temporary file beside the target and renamed, so a
failed command leaves ``-o`` as it was. A document's text never drives the
terminal: listings (log, blame, audit, the history footer, store ls, and
stderr) always pass it through ``escape_terminal``; documents and machine
formats (show, export, ``--json``, ``--html``, the other diff formats) are
written exactly to files and pipes and escaped only when stdout is a
terminal.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sys
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NoReturn, TypeVar

import click

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from ._model import Document, Revision
    from ._store import SQLiteStore

__all__ = [
    "EXIT_DATA",
    "EXIT_DIFFERENT",
    "EXIT_OK",
    "EXIT_USAGE",
    "cli",
    "main",
]

EXIT_OK = 0
"""Success; for ``diff``, no differences; for ``audit``, no findings."""
EXIT_DIFFERENT = 1
"""``diff`` found differences, or ``audit`` found something."""
EXIT_USAGE = 2
"""A usage error: a bad option, a missing file, an unknown revision."""
EXIT_DATA = 3
"""Bad or corrupt data, including a history that fails ``verify``."""

_F = TypeVar("_F", bound="Callable[..., Any]")

_SQLITE_MAGIC = b"SQLite format 3\x00"
_STORE_SUFFIXES = {".sqlite", ".sqlite3", ".db"}
_COMPACT_SUFFIXES = {".xz", ".rtz"}
_REV_HELP = (
    "REV is a revision number (1 is the first), a negative index (-1 is "
    "the latest), a digest prefix of 4 or more hex digits, or @DATE "
    "(@2019-08-01, @2019-08-01T12:00+01:00): the revision current then."
)


class CliError(click.ClickException):
    """A failure shown as one line on stderr, with its exit code."""

    def __init__(self, message: str, *, code: int) -> None:
        super().__init__(" ".join(message.split()))
        self.exit_code = code  # type: ignore[misc]  # per error, not class

    def show(self, file: IO[Any] | None = None) -> None:
        """Write ``revtrack: <message>`` to stderr."""
        from ._render import escape_terminal  # noqa: PLC0415

        line = escape_terminal(f"revtrack: {self.message}")
        click.echo(line, file=file, err=file is None)


def _code_for(exc: BaseException) -> int:
    from .exceptions import RevisionNotFoundError  # noqa: PLC0415

    if isinstance(exc, RevisionNotFoundError | OSError):
        return EXIT_USAGE
    return EXIT_DATA


def _describe(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        name = f"{exc.filename}: " if exc.filename else ""
        return f"{name}{exc.strerror}"
    return str(exc) or type(exc).__name__


@contextlib.contextmanager
def _about(path: str | os.PathLike[str] | None) -> Iterator[None]:
    """Turn revtrack and OS errors into one-line errors naming *path*."""
    from .exceptions import RevtrackError  # noqa: PLC0415

    try:
        yield
    except (RevtrackError, OSError) as exc:
        if isinstance(exc, BrokenPipeError):
            raise
        text = _describe(exc)
        name = os.fspath(path) if path is not None else None
        if name and not text.startswith(f"{name}:"):
            text = f"{name}: {text}"
        raise CliError(text, code=_code_for(exc)) from exc


class _Group(click.Group):
    """A group that never lets a traceback through."""

    def invoke(self, ctx: click.Context) -> Any:  # noqa: ANN401
        with _about(None):
            try:
                return super().invoke(ctx)
            except BrokenPipeError:
                # The reader went away (| head): stop quietly, as cat does.
                with contextlib.suppress(OSError):
                    devnull = os.open(os.devnull, os.O_WRONLY)
                    os.dup2(devnull, sys.stdout.fileno())
                ctx.exit(EXIT_DIFFERENT)


# -- shared options and helpers ---------------------------------------------


def _settings(ctx: click.Context) -> dict[str, Any]:
    obj = ctx.find_root().obj
    return obj if isinstance(obj, dict) else {}


def _use_color(ctx: click.Context) -> bool:
    """Resolve --color: auto means stdout is a terminal and no NO_COLOR."""
    choice = _settings(ctx).get("color", "auto")
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()


def _stderr_is_terminal() -> bool:
    return sys.stderr.isatty()


@contextlib.contextmanager
def _progress(
    ctx: click.Context, label: str
) -> Iterator[Callable[[int, int], None] | None]:
    """Yield a progress callback drawing a bar on stderr, or None."""
    if _settings(ctx).get("quiet") or not _stderr_is_terminal():
        yield None
        return
    bars: list[Any] = []

    def update(done: int, total: int) -> None:
        if not bars:
            bar = click.progressbar(
                length=max(total, 1), label=label, file=sys.stderr
            )
            bar.__enter__()
            bars.append(bar)
        bar = bars[0]
        bar.update(max(done - bar.pos, 0))

    try:
        yield update
    finally:
        for bar in bars:
            bar.__exit__(None, None, None)


def _say(ctx: click.Context, message: str) -> None:
    """Write a note to stderr unless --quiet."""
    if not _settings(ctx).get("quiet"):
        click.echo(_shown(message), err=True)


def _write_file(path: str, data: bytes) -> None:
    """Write *data* to *path* through a temporary file and a rename."""
    from ._formats import _write_atomically  # noqa: PLC0415

    _write_atomically(path, data)  # fsynced; DiskError says what to do


def _write_stdout(data: bytes) -> None:
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


def _stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


def _shown(text: str) -> str:
    """Return *text* with what could drive a terminal shown instead."""
    from ._render import escape_terminal  # noqa: PLC0415

    return escape_terminal(text)


def _write_document(text: str) -> None:
    """Write *text* exactly to a file or pipe, escaped to a terminal."""
    _write_stdout(
        (_shown(text) if _stdout_is_terminal() else text).encode("utf-8")
    )


def _is_store(path: str) -> bool:
    with Path(path).open("rb") as file:
        return file.read(len(_SQLITE_MAGIC)) == _SQLITE_MAGIC


def _load(path: str, doc_id: str | None) -> Document:
    """Read a history file, or one document of a SQLite store."""
    import revtrack  # noqa: PLC0415

    with _about(path):
        if _is_store(path):
            with revtrack.SQLiteStore(path) as store:
                return store.get(_choose(store, path, doc_id))
        if doc_id is not None:
            msg = f"{path}: --doc is for SQLite stores; this is a file"
            raise CliError(msg, code=EXIT_USAGE)
        return revtrack.load(path)


def _choose(store: SQLiteStore, path: str, doc_id: str | None) -> str:
    """Return *doc_id*, or the store's only id; a usage error if neither."""
    ids = store.ids()
    if doc_id in ids or (doc_id is None and len(ids) == 1):
        return doc_id or ids[0]
    listed = ", ".join(repr(i) for i in ids[:5])
    problem = (
        f"has no document {doc_id!r}"
        if doc_id is not None
        else f"holds {len(ids)} documents"
    )
    msg = f"{path}: the store {problem} ({listed}); choose one with --doc ID"
    raise CliError(msg, code=EXIT_USAGE)


def _history_args(func: _F) -> _F:
    func = click.option(
        "--doc",
        "doc_id",
        metavar="ID",
        help="The document to read when HISTORY is a SQLite store.",
    )(func)
    return click.argument(
        "history", type=click.Path(dir_okay=False, allow_dash=False)
    )(func)


def _revision(doc: Document, ref: str, path: str) -> Revision:
    """Look *ref* up as the command line spells it."""
    if ref.startswith("--"):
        msg = f"no such option: {ref}"
        raise click.UsageError(msg)
    value: int | str = ref
    count = len(doc.revisions)
    # Longer runs of digits are digest prefixes (int() refuses 4300).
    if re.fullmatch(r"-?[0-9]{1,18}", ref) and (
        ref.startswith("-") or 1 <= int(ref) <= count or len(ref) < 4  # noqa: PLR2004
    ):
        value = int(ref)
    with _about(path):
        return doc.revision(value)


def _format_for(path: str, choice: str) -> str:
    if choice != "auto":
        return choice
    suffix = Path(path).suffix.lower()
    if suffix in _STORE_SUFFIXES:
        return "sqlite"
    if suffix in _COMPACT_SUFFIXES:
        return "compact"
    if suffix in {".jsonl", ".ndjson"}:
        return "jsonl"
    return "json"


def _save(ctx: click.Context, doc: Document, path: str, choice: str) -> None:
    """Write *doc* to *path* in the chosen format; nothing on failure."""
    import revtrack  # noqa: PLC0415

    kind = _format_for(path, choice)
    with _about(path):
        if kind == "sqlite":
            existed = Path(path).exists()
            try:
                with revtrack.SQLiteStore(path) as store:
                    store.put(doc)
            except BaseException:
                if not existed:
                    for suffix in ("", "-wal", "-shm", "-journal"):
                        with contextlib.suppress(OSError):
                            Path(path + suffix).unlink()
                raise
        else:
            _write_file(path, _serialise(doc, kind))
    _say(ctx, f"wrote {len(doc.revisions)} revisions of {doc.id!r} to {path}")


def _serialise(doc: Document, kind: str) -> bytes:
    import revtrack  # noqa: PLC0415

    if kind == "compact":
        return revtrack.dumps(doc, compact=True)
    if kind == "jsonl":
        return "".join(revtrack.write_jsonl(doc)).encode("utf-8")
    return revtrack.dumps(doc).encode("utf-8")


_output_option = click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, writable=False),
    help="Where to write the history.",
)
_format_option = click.option(
    "--format",
    "out_format",
    type=click.Choice(["auto", "json", "compact", "jsonl", "sqlite"]),
    default="auto",
    show_default=True,
    help=(
        "auto: a SQLite store for .sqlite, .sqlite3 or .db; compact for "
        ".xz or .rtz; JSON Lines for .jsonl; else full JSON."
    ),
)


def _doc_options(func: _F) -> _F:
    for option in (
        click.option("--url", help="Where the document is published."),
        click.option("--title", help="The document's title."),
        click.option("--id", "doc_id", metavar="ID", help="The document id."),
    ):
        func = option(func)
    return func


# -- the command group ------------------------------------------------------


@click.group(cls=_Group)
@click.option(
    "--color",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="Colour output: auto means on a terminal, unless NO_COLOR is set.",
)
@click.option(
    "-q", "--quiet", is_flag=True, help="No progress bars and no notes."
)
@click.version_option(package_name="revtrack")
@click.pass_context
def cli(ctx: click.Context, *, color: str, quiet: bool) -> None:
    r"""
    Keep documents as timestamped revision chains and diff them.

    \b
    Exit codes:
      0  success (diff: no differences; audit: nothing found)
      1  differences found (diff) or findings (audit)
      2  usage error: bad option, missing file, unknown revision or date
      3  bad or corrupt data, including a failed verify

    \b
    Example:
      revtrack import git ~/site-policy Policies/terms.md -o terms.json
      revtrack log terms.json
      revtrack diff terms.json @2019-01-01 -1
    """
    ctx.obj = {"color": color, "quiet": quiet}


@cli.group(name="import", cls=_Group)
def import_() -> None:
    r"""
    Read a history from git, a folder, JSON Lines or GOV.UK.

    \b
    Example:
      revtrack import dir snapshots/ --pattern '*.html' -o page.json
    """


@import_.command(name="git")
@click.argument("repo", type=click.Path(file_okay=False))
@click.argument("path")
@_output_option
@_format_option
@click.option(
    "--dates",
    type=click.Choice(["committer", "author"]),
    default="committer",
    show_default=True,
    help="Which commit date each revision gets; the other goes in meta.",
)
@click.option(
    "--follow/--no-follow",
    default=True,
    show_default=True,
    help="Follow the file across renames.",
)
@_doc_options
@click.pass_context
def import_git_command(
    ctx: click.Context,
    *,
    repo: str,
    path: str,
    output: str,
    out_format: str,
    dates: str,
    follow: bool,
    doc_id: str | None,
    title: str | None,
    url: str | None,
) -> None:
    r"""
    Read the history of PATH in the git repository REPO.

    Each commit that changed the file is a revision: its subject is the
    change note, its author the author.

    \b
    Example:
      revtrack import git . docs/policy.md --dates author -o policy.json
    """
    from ._importers import import_git  # noqa: PLC0415

    with _progress(ctx, "Reading commits") as progress, _about(repo):
        doc = import_git(
            repo,
            path,
            dates="author" if dates == "author" else "committer",
            follow_renames=follow,
            id=doc_id,
            title=title,
            url=url,
            progress=progress,
        )
    _save(ctx, doc, output, out_format)


def _check_pattern(value: str) -> str:
    if not value or Path(value).is_absolute() or ".." in Path(value).parts:
        msg = f"expected a glob inside FOLDER, such as '*.html', got {value!r}"
        raise click.BadParameter(msg)
    return value


@import_.command(name="dir")
@click.argument("folder", type=click.Path(file_okay=False))
@_output_option
@_format_option
@click.option(
    "--pattern",
    callback=lambda _ctx, _param, value: _check_pattern(value),
    default="*",
    show_default=True,
    help="A glob for the snapshot files; '**/*.md' reads subfolders.",
)
@click.option(
    "--tz",
    default="UTC",
    show_default=True,
    help="The zone of times in file names that have no offset.",
)
@_doc_options
@click.pass_context
def import_dir_command(
    ctx: click.Context,
    *,
    folder: str,
    output: str,
    out_format: str,
    pattern: str,
    tz: str,
    doc_id: str | None,
    title: str | None,
    url: str | None,
) -> None:
    r"""
    Read a FOLDER of saved versions of one document.

    A timestamp in a file's name (2019-08-01T09-30-00+01-00.html) is its
    time, else its modification time. HTML files are turned into text.

    \b
    Example:
      revtrack import dir captures/ --pattern '*.html' -o page.json
    """
    from ._importers import import_snapshots  # noqa: PLC0415

    with _progress(ctx, "Reading files") as progress, _about(folder):
        doc = import_snapshots(
            folder,
            pattern=pattern,
            tz=tz,
            id=doc_id,
            title=title,
            url=url,
            progress=progress,
        )
    _save(ctx, doc, output, out_format)


@import_.command(name="jsonl")
@click.argument("source", type=click.Path(dir_okay=False))
@_output_option
@_format_option
@_doc_options
@click.pass_context
def import_jsonl_command(
    ctx: click.Context,
    *,
    source: str,
    output: str,
    out_format: str,
    doc_id: str | None,
    title: str | None,
    url: str | None,
) -> None:
    r"""
    Read a JSON Lines history: {"timestamp", "message", "text"} a line.

    \b
    Example:
      revtrack import jsonl awesome-readme.jsonl.gz -o awesome.sqlite
    """
    from ._importers import import_jsonl  # noqa: PLC0415

    with _progress(ctx, "Reading lines") as progress, _about(source):
        doc = import_jsonl(
            source, id=doc_id, title=title, url=url, progress=progress
        )
    _save(ctx, doc, output, out_format)


@import_.command(name="govuk")
@click.argument("item", type=click.Path(dir_okay=False))
@_output_option
@_format_option
@click.pass_context
def import_govuk_command(
    ctx: click.Context, *, item: str, output: str, out_format: str
) -> None:
    r"""
    Read a GOV.UK content item (the Content API's JSON for a page).

    Its change notes become the revisions; only the latest has text.
    Disagreements inside the item are shown as warnings.

    \b
    Example:
      curl -s https://www.gov.uk/api/content/guidance/x > item.json
      revtrack import govuk item.json -o x.json
    """
    import warnings  # noqa: PLC0415

    from ._importers import import_govuk  # noqa: PLC0415

    with warnings.catch_warnings(record=True) as caught, _about(item):
        warnings.simplefilter("always")
        doc = import_govuk(item)
    for warning in caught:
        _say(ctx, f"revtrack: warning: {item}: {warning.message}")
    _save(ctx, doc, output, out_format)


# -- reading ----------------------------------------------------------------


@cli.command(name="log")
@_history_args
@click.option("--json", "as_json", is_flag=True, help="Write a JSON array.")
@click.pass_context
def log_command(
    ctx: click.Context,
    *,
    history: str,
    doc_id: str | None,
    as_json: bool,
) -> None:
    r"""
    List the revisions: number, date, type, short digest and note.

    \b
    Example:
      revtrack log policy.json
      revtrack log policy.json --json | jq '.[-1].note'
    """
    from ._time import format_timestamp  # noqa: PLC0415

    doc = _load(history, doc_id)
    if as_json:
        from ._formats import revision_json  # noqa: PLC0415

        entries = [revision_json(r) for r in doc.revisions]
        text = json.dumps(entries, ensure_ascii=False, indent=2) + "\n"
        _write_document(text)
        return
    color = _use_color(ctx)
    width = len(str(len(doc.revisions)))
    lines = []
    for r in doc.revisions:
        note = _shown(" ".join((r.note or "").split()))
        digest = (
            click.style(r.digest[:12], fg="yellow")
            if color
            else (r.digest[:12])
        )
        lines.append(
            f"{r.number:>{width}}  {format_timestamp(r.at)}  "
            f"{r.update_type.value:<9}  {digest}  {note}".rstrip()
        )
    _write_stdout("".join(f"{line}\n" for line in lines).encode("utf-8"))


@cli.command(
    name="show",
    context_settings={"ignore_unknown_options": True},
    epilog=_REV_HELP,
)
@_history_args
@click.argument("rev", default="-1")
def show_command(*, history: str, doc_id: str | None, rev: str) -> None:
    r"""
    Write revision REV's text to stdout exactly as stored (default -1).

    On a terminal, control and bidirectional formatting characters are
    shown (ESC as ␛, U+202E as \u202e) instead of sent.

    \b
    Example:
      revtrack show policy.json @2019-08-01 > policy-then.md
    """
    doc = _load(history, doc_id)
    _write_document(_revision(doc, rev, history).text)


@cli.command(name="history")
@_history_args
@click.option(
    "--as-of",
    "as_of",
    metavar="DATE",
    help="The footer as readers saw it then, such as 2019-08-01.",
)
@click.option("--html", "as_html", is_flag=True, help="Write HTML.")
@click.option(
    "--tz",
    default="Europe/London",
    show_default=True,
    help="The zone whose calendar gives the dates.",
)
def history_command(
    *,
    history: str,
    doc_id: str | None,
    as_of: str | None,
    as_html: bool,
    tz: str,
) -> None:
    r"""
    Write the public change history: published, last updated, notes.

    \b
    Example:
      revtrack history policy.json --as-of 2019-08-01
    """
    doc = _load(history, doc_id)
    with _about(history):
        if as_of is not None:
            when = doc.revision("@" + as_of.removeprefix("@")).at
            doc = doc.as_of(when)
        text = doc.history_html(tz=tz) if as_html else doc.history_text(tz=tz)
    text = text.rstrip("\n") + "\n"
    if as_html:
        _write_document(text)
    else:
        _write_stdout(_shown(text).encode("utf-8"))


_FORMATS = [
    "term",
    "unified",
    "html",
    "json",
    "dmp",
    "delta",
    "markdown",
    "stat",
]


@cli.command(
    name="diff",
    context_settings={"ignore_unknown_options": True},
    epilog=_REV_HELP,
)
@_history_args
@click.argument("rev1")
@click.argument("rev2", default="-1")
@click.option(
    "--granularity",
    type=click.Choice(["char", "word", "sentence", "line", "paragraph"]),
    default="word",
    show_default=True,
    help="The smallest unit that is kept or changed.",
)
@click.option(
    "--format",
    "out_format",
    type=click.Choice(_FORMATS),
    default="term",
    show_default=True,
    help="term: coloured words; unified: for patch(1); html; json; dmp: "
    "diff-match-patch patch text; delta; markdown: CriticMarkup; stat.",
)
@click.option(
    "--context",
    "context_lines",
    type=click.IntRange(min=0),
    default=3,
    show_default=True,
    help="Unchanged lines around each unified hunk.",
)
@click.option("--ignore-whitespace", is_flag=True, help="Whitespace runs.")
@click.option("--ignore-case", is_flag=True, help="Upper and lower case.")
@click.option(
    "--ignore-typography", is_flag=True, help="Quotes, dashes, spaces."
)
@click.option("--no-moves", is_flag=True, help="Do not look for moves.")
@click.pass_context
def diff_command(
    ctx: click.Context,
    *,
    history: str,
    doc_id: str | None,
    rev1: str,
    rev2: str,
    granularity: str,
    out_format: str,
    context_lines: int,
    ignore_whitespace: bool,
    ignore_case: bool,
    ignore_typography: bool,
    no_moves: bool,
) -> None:
    r"""
    Show what changed from REV1 to REV2 (default: the latest).

    Exits 0 when there are no differences and 1 when there are.

    \b
    Example:
      revtrack diff policy.json 3 5 --granularity sentence
      revtrack diff policy.json -2 --format unified | patch old.md
    """
    import revtrack  # noqa: PLC0415

    doc = _load(history, doc_id)
    old = _revision(doc, rev1, history)
    new = _revision(doc, rev2, history)
    if out_format == "unified":
        text = revtrack.unified_diff(
            old.text,
            new.text,
            old_label=f"a/{doc.id}",
            new_label=f"b/{doc.id}",
            old_time=old.at,
            new_time=new.at,
            context=context_lines,
        )
        _write_document(text)
        ctx.exit(EXIT_DIFFERENT if text else EXIT_OK)
    with _about(history):
        result = revtrack.diff(
            old.text,
            new.text,
            granularity=granularity,  # type: ignore[arg-type]
            ignore_whitespace=ignore_whitespace,
            ignore_case=ignore_case,
            ignore_typography=ignore_typography,
            detect_moves=not no_moves,
        )
    if result.changed or out_format not in {"term", "html", "markdown"}:
        # Views of the whole text say nothing when nothing changed.
        text = _render(ctx, result, out_format, title=doc.title)
        if out_format == "term":  # escaped already, and maybe coloured
            _write_stdout(text.encode("utf-8"))
        else:
            _write_document(text)
    ctx.exit(EXIT_DIFFERENT if result.changed else EXIT_OK)


def _render(ctx: click.Context, result: Any, kind: str, *, title: str) -> str:  # noqa: ANN401
    import revtrack  # noqa: PLC0415

    if kind == "term":
        return _end_line(
            revtrack.render_terminal(result, color=_use_color(ctx))
        )
    if kind == "html":
        return _end_line(
            revtrack.render_html(result, standalone=True, title=title)
        )
    if kind == "json":
        return revtrack.dumps_diff(result) + "\n"
    if kind == "dmp":
        return revtrack.Patch.from_diff(result).format("dmp")
    if kind == "delta":
        return revtrack.format_delta(result) + "\n"
    if kind == "markdown":
        return _end_line(revtrack.render_markdown(result))
    stats = result.stats
    return (
        f"{stats.words_inserted} words inserted, {stats.words_deleted} "
        f"deleted; {stats.lines_inserted} lines inserted, "
        f"{stats.lines_deleted} deleted; {stats.chars_inserted} characters "
        f"inserted, {stats.chars_deleted} deleted; "
        f"{stats.similarity:.1%} similar\n"
    )


def _end_line(text: str) -> str:
    return text if not text or text.endswith("\n") else text + "\n"


@cli.command(
    name="blame",
    context_settings={"ignore_unknown_options": True},
    epilog=_REV_HELP,
)
@_history_args
@click.argument("rev", default="-1")
@click.option(
    "--granularity",
    type=click.Choice(["line", "word"]),
    default="line",
    show_default=True,
    help="Blame whole lines, or words.",
)
@click.option("--json", "as_json", is_flag=True, help="Write a JSON array.")
@click.pass_context
def blame_command(
    ctx: click.Context,
    *,
    history: str,
    doc_id: str | None,
    rev: str,
    granularity: str,
    as_json: bool,
) -> None:
    r"""
    Show which revision wrote each line (or word) of REV (default -1).

    Lines are prefixed with the revision number and date; words are
    grouped into runs marked [N] for the revision that wrote them.

    \b
    Example:
      revtrack blame policy.json
      revtrack blame policy.json @2019-08-01 --granularity word
    """
    import revtrack  # noqa: PLC0415

    doc = _load(history, doc_id)
    target = _revision(doc, rev, history)
    with _about(history):
        spans = revtrack.blame(
            doc,
            granularity="word" if granularity == "word" else "line",
            revision=target.number,
        )
    if as_json:
        entries = [
            {"text": s.text, "revision": s.revision.number} for s in spans
        ]
        _write_document(json.dumps(entries, ensure_ascii=False, indent=2))
        _write_stdout(b"\n")
        return
    if granularity == "line":
        width = len(str(target.number))
        color = _use_color(ctx)
        lines = []
        for span in spans:
            label = (
                f"{span.revision.number:>{width}} "
                f"{span.revision.at.date().isoformat()}"
            )
            if color:
                label = click.style(label, fg="yellow")
            lines.append(
                f"{label}  {_shown(span.text.removesuffix(chr(10)))}\n"
            )
        text = "".join(lines)
    else:
        parts = []
        previous = None
        for span in spans:
            if span.revision.number != previous:
                parts.append(f"[{span.revision.number}]")
                previous = span.revision.number
            parts.append(_shown(span.text))
        text = _end_line("".join(parts))
    _write_stdout(text.encode("utf-8"))


@cli.command(name="audit")
@_history_args
@click.option("--json", "as_json", is_flag=True, help="Write a JSON array.")
@click.pass_context
def audit_command(
    ctx: click.Context,
    *,
    history: str,
    doc_id: str | None,
    as_json: bool,
) -> None:
    r"""
    Find what the public record hides.

    That is: substantive minor updates, notes that claim what did not
    happen, time going backwards, and updates that change nothing.
    Exits 1 when it finds something.

    \b
    Example:
      revtrack audit policy.json --json
    """
    import revtrack  # noqa: PLC0415

    doc = _load(history, doc_id)
    findings = revtrack.audit(doc)
    if as_json:
        entries = [
            {"revision": f.revision, "rule": f.rule, "evidence": f.evidence}
            for f in findings
        ]
        _write_document(json.dumps(entries, ensure_ascii=False, indent=2))
        _write_stdout(b"\n")
    else:
        text = "".join(
            f"{f.revision}  {f.rule}  {_shown(' '.join(f.evidence.split()))}\n"
            for f in findings
        )
        _write_stdout(text.encode("utf-8"))
    ctx.exit(EXIT_DIFFERENT if findings else EXIT_OK)


@cli.command(name="verify")
@click.argument("history", type=click.Path(dir_okay=False))
@click.pass_context
def verify_command(ctx: click.Context, *, history: str) -> None:
    r"""
    Check every digest of a history file, or every document of a store.

    Exits 3, naming the first revision that does not match, when the data
    is damaged or was changed.

    \b
    Example:
      revtrack verify archive.sqlite && echo intact
    """
    import revtrack  # noqa: PLC0415

    with _about(history):
        if not _is_store(history):
            with _progress(ctx, "Verifying") as progress:
                doc = revtrack.load(history, progress=progress)
            _say(ctx, f"{history}: {len(doc.revisions)} revisions verified")
            return
        with (
            revtrack.SQLiteStore(history) as store,
            _progress(ctx, "Verifying") as progress,
        ):
            ids = store.ids()
            for done, doc_id in enumerate(ids, start=1):
                store.get(doc_id)
                if progress is not None:
                    progress(done, len(ids))
    _say(ctx, f"{history}: {len(ids)} documents verified")


def _export_options(func: _F) -> _F:
    """Add the --format and -o options shared by export and store get."""
    func = click.option(
        "-o",
        "--output",
        type=click.Path(dir_okay=False),
        help="Write here instead of stdout.",
    )(func)
    return click.option(
        "--format",
        "out_format",
        type=click.Choice(["json", "compact", "jsonl"]),
        default="json",
        show_default=True,
        help="Full JSON, compact (xz deltas) or JSON Lines.",
    )(func)


@cli.command(name="export")
@_history_args
@_export_options
@click.pass_context
def export_command(
    ctx: click.Context,
    *,
    history: str,
    doc_id: str | None,
    out_format: str,
    output: str | None,
) -> None:
    r"""
    Write a history in another format.

    \b
    Example:
      revtrack export archive.sqlite --doc policy --format jsonl > p.jsonl
    """
    doc = _load(history, doc_id)
    _emit(ctx, doc, out_format, output)


def _emit(
    ctx: click.Context, doc: Document, kind: str, output: str | None
) -> None:
    if output is not None:
        _save(ctx, doc, output, kind)
        return
    if kind == "compact":
        if _stdout_is_terminal():
            msg = "compact output is binary; pass -o FILE or redirect stdout"
            raise click.UsageError(msg)
        _write_stdout(_serialise(doc, kind))
        return
    _write_document(_serialise(doc, kind).decode("utf-8"))


# -- stores -----------------------------------------------------------------


@cli.group(name="store", cls=_Group)
def store_group() -> None:
    r"""
    List, read and add documents in a SQLite store.

    \b
    Example:
      revtrack store put archive.sqlite policy.json terms.json
      revtrack store ls archive.sqlite
    """


@store_group.command(name="ls")
@click.argument("store", type=click.Path(dir_okay=False, exists=True))
def store_ls(store: str) -> None:
    r"""
    List the ids of the documents in STORE, one a line.

    \b
    Example:
      revtrack store ls archive.sqlite
    """
    import revtrack  # noqa: PLC0415

    with _about(store):
        _require_store(store)
        with revtrack.SQLiteStore(store) as opened:
            ids = opened.ids()
    _write_stdout("".join(f"{_shown(i)}\n" for i in ids).encode("utf-8"))


def _require_store(path: str) -> None:
    if not _is_store(path):
        msg = f"{path}: expected a SQLite store, but it is not one"
        raise CliError(msg, code=EXIT_DATA)


@store_group.command(name="get")
@click.argument("store", type=click.Path(dir_okay=False, exists=True))
@click.argument("doc_id", metavar="ID")
@_export_options
@click.pass_context
def store_get(
    ctx: click.Context,
    store: str,
    doc_id: str,
    out_format: str,
    output: str | None,
) -> None:
    r"""
    Write document ID of STORE as a history file, checked.

    \b
    Example:
      revtrack store get archive.sqlite policy -o policy.json
    """
    import revtrack  # noqa: PLC0415

    with _about(store):
        _require_store(store)
        with revtrack.SQLiteStore(store) as opened:
            doc = opened.get(_choose(opened, store, doc_id))
    _emit(ctx, doc, out_format, output)


@store_group.command(name="put")
@click.argument("store", type=click.Path(dir_okay=False))
@click.argument(
    "histories", nargs=-1, required=True, type=click.Path(dir_okay=False)
)
@click.pass_context
def store_put(ctx: click.Context, store: str, histories: tuple[str]) -> None:
    r"""
    Add history files to STORE (created if missing), each in one step.

    A document already stored must be a start of the one added.

    \b
    Example:
      revtrack store put archive.sqlite policy.json terms.json
    """
    docs = [_load(path, None) for path in histories]
    for doc in docs:
        _save(ctx, doc, store, "sqlite")


def _keep_blocks(command: click.Command) -> None:
    r"""Turn the ``\b`` of raw docstrings into click's no-rewrap mark."""
    if command.help:
        command.help = command.help.replace("\\b\n", "\b\n")
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            _keep_blocks(sub)


_keep_blocks(cli)


def main(argv: list[str] | None = None) -> NoReturn:
    """
    Run the ``revtrack`` command line and exit with its code.

    >>> main(["--version"])
    Traceback (most recent call last):
    ...
    SystemExit: 0
    """
    cli.main(args=argv, prog_name="revtrack")
    sys.exit(EXIT_OK)  # pragma: no cover  (click always exits)
