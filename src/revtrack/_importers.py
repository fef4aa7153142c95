"""
Importers: git histories, snapshot folders, JSON Lines, GOV.UK items.

Maintainer's notes: git is run as a command with an argument list (never a
shell): one ``git log`` lists the commits and the blob each left, and one
``git cat-file --batch`` process reads every blob, so an import costs two
processes however long the history. Blobs are decoded as strict UTF-8, so
a revision's text encodes back to exactly the bytes that were committed.
Importers decide ``allow_backwards`` from the data: a document accepts time
going backwards exactly when its imported history does.
"""

from __future__ import annotations

import datetime as dt
import errno
import itertools
import json
import os
import re
import subprocess
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal

import attrs

from ._formats import Limits, read_jsonl
from ._html import html_to_text
from ._model import Document
from ._time import parse_timestamp
from .exceptions import FormatError, InvalidRevisionError, LimitExceededError

if TYPE_CHECKING:
    from collections.abc import Sequence

    import pendulum

__all__ = [
    "Progress",
    "import_git",
    "import_govuk",
    "import_jsonl",
    "import_snapshots",
]

Progress = Callable[[int, int], None]
"""A progress callback: called with (steps done, steps in all)."""

_NULL_SHA = re.compile(r"0+")
_RAW = re.compile(
    r":(?P<old_mode>[0-7]{6}) (?P<new_mode>[0-7]{6}) "
    r"(?P<old>[0-9a-f]{40,64}) (?P<new>[0-9a-f]{40,64}) "
    r"(?P<status>[A-Z])[0-9]*"
)
_SHA = re.compile(r"[0-9a-f]{40,64}")
# One commit: marker, sha, author name, email, author date, committer
# date, subject; NUL-separated, since none of them can hold a NUL.
_LOG_FORMAT = "%x00%x00%H%x00%an%x00%ae%x00%aI%x00%cI%x00%s"
_COMMIT_FIELDS = 6


@attrs.frozen
class _Commit:
    sha: str
    author: str
    authored: str
    committed: str
    subject: str
    blob: str
    path: str


def _git(repo: str | os.PathLike[str]) -> list[str]:
    # -c options make the output independent of the user's configuration;
    # literal pathspecs keep a path such as "*.md" from acting as a glob.
    return [
        "git",
        "--literal-pathspecs",
        "-c",
        "log.showSignature=false",
        "-c",
        "core.quotePath=false",
        "-C",
        os.fspath(repo),
    ]


def _run_git_log(
    repo: str | os.PathLike[str], path: str, *, follow: bool
) -> bytes:
    args = [
        *_git(repo),
        "log",
        "--first-parent",
        "--root",
        "--raw",
        "--no-abbrev",
        "--no-color",
        "--no-renames" if not follow else "--follow",
        "--encoding=UTF-8",
        "-z",
        f"--format={_LOG_FORMAT}",
        "--",
        path,
    ]
    result = subprocess.run(args, capture_output=True, check=False)  # noqa: S603
    if result.returncode != 0:
        reason = result.stderr.decode("utf-8", "replace").strip()
        reason = reason.splitlines()[0] if reason else "no message"
        msg = (
            f"git could not list the history of {path!r} in "
            f"{os.fspath(repo)!r}: {reason} (exit {result.returncode}); "
            f"pass a git repository and a path inside it"
        )
        raise FormatError(msg)
    return result.stdout


def _parse_log(output: bytes) -> list[_Commit]:
    """Read ``git log -z --raw`` output, newest first, into commits."""
    tokens = [t.decode("utf-8", "replace") for t in output.split(b"\0")]
    commits: list[_Commit] = []
    fields: list[str] | None = None
    index = 0
    while index < len(tokens):
        token = tokens[index].lstrip("\n")
        index += 1
        if not token:
            continue
        if raw := _RAW.fullmatch(token):
            index += 2 if raw["status"] in "RC" else 1
            if index > len(tokens):
                msg = f"git log output ends inside an entry: {token!r}"
                raise FormatError(msg)
            path = tokens[index - 1]
            if fields is not None and raw["status"] != "D":
                sha, name, email, authored, committed, subject = fields
                commits.append(
                    _Commit(
                        sha,
                        f"{name} <{email}>",
                        authored,
                        committed,
                        subject,
                        raw["new"],
                        path,
                    )
                )
            fields = None
            continue
        if not _SHA.fullmatch(token):
            msg = f"unexpected output from git log: {token[:80]!r}"
            raise FormatError(msg)
        fields = [token, *tokens[index : index + _COMMIT_FIELDS - 1]]
        index += _COMMIT_FIELDS - 1
    return commits


def _read_blobs(
    repo: str | os.PathLike[str],
    commits: Sequence[_Commit],
    progress: Progress | None,
) -> Generator[str, None, None]:
    """Yield each commit's blob as text, through one cat-file process."""
    args = [*_git(repo), "cat-file", "--batch"]
    with subprocess.Popen(  # noqa: S603
        args,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    ) as process:
        stdin, stdout = process.stdin, process.stdout
        if stdin is None or stdout is None:  # pragma: no cover
            msg = "git cat-file gave no pipes"
            raise FormatError(msg)
        try:
            for done, commit in enumerate(commits, start=1):
                stdin.write(commit.blob.encode("ascii") + b"\n")
                stdin.flush()
                yield _decode_blob(_read_object(stdout, commit), commit)
                if progress is not None:
                    progress(done, len(commits))
        finally:
            stdin.close()
            process.kill()


def _read_object(stdout: IO[bytes], commit: _Commit) -> bytes:
    header = stdout.readline().decode("ascii", "replace").split()
    if len(header) != 3 or header[1] != "blob" or not header[2].isdigit():  # noqa: PLR2004
        msg = (
            f"git cannot read {commit.path!r} at commit {commit.sha}: "
            f"{' '.join(header) or 'no answer'}"
        )
        raise FormatError(msg)
    size = int(header[2])
    data = stdout.read(size + 1)
    if len(data) != size + 1:
        msg = f"git stopped while reading {commit.path!r} at {commit.sha}"
        raise FormatError(msg)
    return data[:size]


def _decode_blob(data: bytes, commit: _Commit) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        msg = (
            f"{commit.path!r} at commit {commit.sha} is not UTF-8 text "
            f"(byte {exc.start}: {data[exc.start : exc.start + 1]!r}); "
            f"revtrack keeps text only, so convert the file to UTF-8"
        )
        raise FormatError(msg) from exc


def _goes_backwards(times: Sequence[pendulum.DateTime]) -> bool:
    return any(b < a for a, b in itertools.pairwise(times))


def import_git(
    repo: str | os.PathLike[str],
    path: str,
    *,
    dates: Literal["committer", "author"] = "committer",
    follow_renames: bool = True,
    id: str | None = None,  # noqa: A002
    title: str | None = None,
    url: str | None = None,
    progress: Progress | None = None,
) -> Document:
    r"""
    Read the history of one file in a git repository.

    Each commit on the first-parent line of ``HEAD`` that changed the file
    becomes a major revision: its subject is the change note, its author
    (``Name <email>``) the author, and ``meta["git"]`` holds the commit
    sha, the file's path at that commit and the other date. Commits that
    leave the content as it was (a rename, a mode change) and deletions add
    no revision. Texts are the committed bytes, decoded as strict UTF-8.

    Author dates go backwards when commits are rebased; committer dates
    rarely do. The document allows time to go backwards exactly when the
    chosen dates do.

    Args:
        repo: The repository (its work tree or a bare repository).
        path: The file, relative to the repository's top.
        dates: Which commit date is each revision's time; the other is
            kept in ``meta["git"]`` as ``"authored"`` or ``"committed"``.
        follow_renames: Follow the file across renames, as
            ``git log --follow`` does.
        id: The document id; by default *path*.
        title: The document title; by default the file's name.
        url: Where the document is published, if anywhere.
        progress: Called with (revisions read, revisions in all).

    >>> import subprocess, tempfile, pathlib
    >>> repo = pathlib.Path(tempfile.mkdtemp())
    >>> def git(*args):
    ...     _ = subprocess.run(["git", "-C", str(repo), *args], check=True,
    ...                        capture_output=True)
    >>> git("init", "-q")
    >>> for text, when in [("one\n", "2019-07-31T10:00+01:00"),
    ...                    ("two\n", "2019-08-01T09:30+01:00")]:
    ...     _ = (repo / "page.md").write_text(text)
    ...     git("add", "page.md")
    ...     git("-c", "user.name=Ann", "-c", "user.email=ann@example.org",
    ...         "commit", "-q", "-m", f"Wrote {text.strip()}",
    ...         f"--date={when}")
    >>> doc = import_git(repo, "page.md", dates="author")
    >>> [(r.note, r.text, r.at.isoformat()) for r in doc.revisions]
    [('Wrote one', 'one\n', '2019-07-31T10:00:00+01:00'),
     ('Wrote two', 'two\n', '2019-08-01T09:30:00+01:00')]
    >>> doc.latest.author
    'Ann <ann@example.org>'

    Raises:
        FormatError: If git cannot read the repository, the file has no
            history, or a revision is not UTF-8 (naming the commit).
        InvalidRevisionError: If *dates* is not one of the two choices.
        OSError: If *repo* is not a folder or ``git`` cannot be run.

    .. versionadded:: 0.1.0
    """
    if dates not in {"committer", "author"}:
        msg = f"dates must be 'committer' or 'author', got {dates!r}"
        raise InvalidRevisionError(msg)
    if not isinstance(path, str) or not path:
        msg = f"path must be a non-empty str, got {path!r}"
        raise InvalidRevisionError(msg)
    if not Path(repo).is_dir():
        code = errno.ENOTDIR if Path(repo).exists() else errno.ENOENT
        raise OSError(code, os.strerror(code), os.fspath(repo))
    commits = _parse_log(_run_git_log(repo, path, follow=follow_renames))
    commits.reverse()
    # Keep the commits that change the content (renames keep the blob).
    changed = [
        c
        for i, c in enumerate(commits)
        if i == 0 or c.blob != commits[i - 1].blob
    ]
    if not changed:
        msg = (
            f"git has no history of {path!r} in {os.fspath(repo)!r}; "
            f"pass the path of a committed file, relative to the "
            f"repository's top"
        )
        raise FormatError(msg)
    own, other = ("committed", "authored")
    if dates == "author":
        own, other = other, own
    times = [parse_timestamp(getattr(c, own)) for c in changed]
    doc = Document(
        id or path,
        title or Path(path).name,
        url=url,
        allow_backwards=_goes_backwards(times),
    )
    texts = _read_blobs(repo, changed, progress)
    try:
        for commit, when, text in zip(changed, times, texts, strict=True):
            meta = {
                "git": {
                    "commit": commit.sha,
                    "path": commit.path,
                    other: getattr(commit, other),
                }
            }
            note = commit.subject.strip() or f"Commit {commit.sha[:12]}."
            if doc.revisions:
                doc.update(
                    text, at=when, note=note, author=commit.author, meta=meta
                )
            else:
                doc.publish(
                    text, at=when, note=note, author=commit.author, meta=meta
                )
    finally:
        texts.close()
    return doc


# A timestamp in a file name: an ISO 8601 date, then optionally a time
# (colons may be dashes or absent, as file systems need) and an offset.
_NAME_TIME = re.compile(
    r"(?<![0-9])(?P<y>[0-9]{4})-?(?P<mo>[0-9]{2})-?(?P<d>[0-9]{2})"
    r"(?:[T_ ](?P<h>[0-9]{2})[:\-]?(?P<mi>[0-9]{2})"
    r"(?:[:\-]?(?P<s>[0-9]{2})(?:[.,](?P<f>[0-9]{1,6}))?)?"
    r"(?P<z>Z|[+-][0-9]{2}[:\-]?[0-9]{2})?)?(?![0-9])"
)
_HTML_SUFFIXES = {".html", ".htm", ".xhtml"}


def _name_time(name: str, tz: str) -> pendulum.DateTime | None:
    match = _NAME_TIME.search(name)
    if match is None:
        return None
    text = f"{match['y']}-{match['mo']}-{match['d']}"
    if match["h"] is not None:
        text += f"T{match['h']}:{match['mi']}:{match['s'] or '00'}"
        if match["f"]:
            text += f".{match['f']}"
        zone = match["z"] or ""
        text += zone if zone in {"", "Z"} else f"{zone[:3]}:{zone[-2:]}"
    try:
        return parse_timestamp(text, tz=None if match["z"] else tz)
    except FormatError as exc:
        msg = (
            f"{name!r} holds {match[0]!r}, which looks like a timestamp "
            f"but is not a valid one: {exc}; rename the file"
        )
        raise FormatError(msg) from exc


def import_snapshots(
    folder: str | os.PathLike[str],
    *,
    pattern: str = "*",
    tz: str = "UTC",
    id: str | None = None,  # noqa: A002
    title: str | None = None,
    url: str | None = None,
    progress: Progress | None = None,
) -> Document:
    """
    Read a folder of saved versions of one document, oldest first.

    A file's time is the ISO 8601 timestamp in its name, if it has one
    (``2019-08-01T09:30:00+01:00.md``, ``20190801T093000Z.html``,
    ``page-2019-08-01.txt``: colons may be dashes or left out; a time
    without an offset is in *tz*), and otherwise its modification time.
    Files are read as strict UTF-8; HTML files (``.html``, ``.htm``,
    ``.xhtml``) become text through ``revtrack.html_to_text()``. Each
    file is a major revision noted with its name; one whose text is the
    same as the one before is a republish. Hidden files are skipped.

    Args:
        folder: The folder.
        pattern: A glob for the files to read, such as ``"*.html"``;
            ``"**/*.md"`` reads subfolders too.
        tz: The zone for times in names that have no offset.
        id: The document id; by default the folder's name.
        title: The document title; by default the id.
        url: Where the document is published, if anywhere.
        progress: Called with (files read, files in all).

    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "2019-07-31T10-00-00+01-00.txt").write_text("One")
    >>> _ = (folder / "20190801T093000+0100.txt").write_text("Two")
    >>> doc = import_snapshots(folder)
    >>> [(r.text, r.at.isoformat()) for r in doc.revisions]
    [('One', '2019-07-31T10:00:00+01:00'),
     ('Two', '2019-08-01T09:30:00+01:00')]

    Raises:
        FormatError: If no file matches, a file is not UTF-8, or a name
            holds an impossible timestamp (each naming the file).
        InvalidRevisionError: If *pattern* is empty or leaves the folder.
        OSError: If the folder or a file cannot be read.

    .. versionadded:: 0.1.0
    """
    if (
        not pattern
        or Path(pattern).is_absolute()
        or ".." in Path(pattern).parts
    ):
        msg = (
            f"pattern must be a non-empty glob inside the folder, such as "
            f"'*.html', got {pattern!r}"
        )
        raise InvalidRevisionError(msg)
    base = Path(folder)
    if not base.is_dir():
        code = errno.ENOTDIR if base.exists() else errno.ENOENT
        raise OSError(code, os.strerror(code), os.fspath(folder))
    files = sorted(
        p
        for p in base.glob(pattern)
        if p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(base).parts)
    )
    if not files:
        msg = (
            f"no files in {os.fspath(folder)!r} match {pattern!r}; pass "
            f"--pattern (pattern=) to choose the snapshots"
        )
        raise FormatError(msg)
    dated = []
    for file in files:
        name = file.relative_to(base).as_posix()
        when = _name_time(file.name, tz)
        source = "name"
        if when is None:
            stamp = dt.datetime.fromtimestamp(file.stat().st_mtime, dt.UTC)
            when = parse_timestamp(stamp, tz=tz)
            source = "mtime"
        dated.append((when, name, file, source))
    dated.sort(key=lambda entry: (entry[0], entry[1]))
    doc = Document(
        id or base.resolve().name or "snapshots",
        title or id or base.resolve().name or "snapshots",
        url=url,
    )
    previous = None
    for done, (when, name, file, source) in enumerate(dated, start=1):
        data = file.read_bytes()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            msg = (
                f"{os.fspath(file)!r} is not UTF-8 text (byte {exc.start}); "
                f"convert it to UTF-8"
            )
            raise FormatError(msg) from exc
        if file.suffix.lower() in _HTML_SUFFIXES:
            text = html_to_text(text, base_url=url)
        meta = {"snapshot": {"file": name, "time_from": source}}
        if previous is None:
            doc.publish(text, at=when, note=f"Saved as {name}.", meta=meta)
        elif text == previous:
            doc.update(text, at=when, republish=True, meta=meta)
        else:
            doc.update(text, at=when, note=f"Saved as {name}.", meta=meta)
        previous = text
        if progress is not None:
            progress(done, len(dated))
    return doc


def _jsonl_stem(path: Path) -> str:
    name = path.name
    for suffix in (".gz", ".jsonl", ".json", ".ndjson"):
        name = name.removesuffix(suffix)
    return name or path.name


def import_jsonl(
    source: str | os.PathLike[str],
    *,
    id: str | None = None,  # noqa: A002
    title: str | None = None,
    url: str | None = None,
    limits: Limits | None = None,
    progress: Progress | None = None,
) -> Document:
    r"""
    Read a JSON Lines history file, as :func:`revtrack.read_jsonl` does.

    The id defaults to the file's name without ``.jsonl`` and ``.gz``,
    and the document allows time to go backwards exactly when its lines
    do. A name ending in ``.gz`` is read through gzip.

    Args:
        source: The file.
        id: The document id.
        title: The document title; by default the id.
        url: Where the document is published, if anywhere.
        limits: How much input to accept.
        progress: Called with (bytes of the file read, its size).

    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "page.jsonl"
    >>> _ = path.write_text(
    ...     '{"timestamp": "2019-08-01T10:00Z", "message": "Hi", '
    ...     '"text": "a"}\n{"timestamp": "2019-07-31T10:00Z", '
    ...     '"message": "Oh", "text": "b"}\n')
    >>> doc = import_jsonl(path)
    >>> doc.id, doc.allow_backwards, doc.latest.note
    ('page', True, 'Oh')

    Raises:
        FormatError: Naming the line that cannot be read.
        LimitExceededError: If the file is larger than *limits* allows.
        OSError: If the file cannot be opened.

    .. versionadded:: 0.1.0
    """
    path = Path(source)
    doc_id = id or _jsonl_stem(path)
    size = path.stat().st_size
    with path.open("rb") as raw:
        if path.suffix == ".gz":
            import gzip  # noqa: PLC0415  (only for .gz files)

            lines: IO[bytes] = gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[assignment]
        else:
            lines = raw

        def read() -> Iterator[bytes]:
            for count, line in enumerate(lines, start=1):
                yield line
                if progress is not None and count % 16 == 0:
                    progress(raw.tell(), size)

        doc = read_jsonl(
            read(),  # type: ignore[arg-type]  # read_jsonl reads bytes too
            id=doc_id,
            title=title or doc_id,
            url=url,
            allow_backwards=True,
            limits=limits,
        )
    if progress is not None:
        progress(size, size)
    backwards = _goes_backwards([r.at for r in doc.revisions])
    if backwards:
        return doc
    return Document.from_revisions(
        doc.revisions, id=doc.id, title=doc.title, url=url, verify=False
    )


def import_govuk(
    source: str | os.PathLike[str], *, limits: Limits | None = None
) -> Document:
    """
    Read a GOV.UK content item saved as a JSON file.

    See :meth:`revtrack.Document.from_govuk_content_item` for what the
    document holds; disagreements inside the item are warnings.

    >>> import json, pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "item.json"
    >>> _ = path.write_text(json.dumps({
    ...     "title": "Quintet", "base_path": "/quintet",
    ...     "first_published_at": "2019-07-31T10:30:00+01:00",
    ...     "details": {"body": "<p>Hi</p>", "change_history": [
    ...         {"public_timestamp": "2019-07-31T10:30:00+01:00",
    ...          "note": "First published."}]}}))
    >>> import_govuk(path).url
    'https://www.gov.uk/quintet'

    Raises:
        FormatError: If the file is not JSON or not a content item.
        LimitExceededError: If it is larger than *limits* allows.
        OSError: If the file cannot be read.

    .. versionadded:: 0.1.0
    """
    limits = limits or Limits()
    with Path(source).open("rb") as file:
        data = file.read(limits.max_size + 1)
    if len(data) > limits.max_size:
        msg = (
            f"the content item is more than {limits.max_size} bytes; pass "
            f"limits=Limits(max_size=...) to read it"
        )
        raise LimitExceededError(msg)
    try:
        item: Any = json.loads(data)
    except (ValueError, RecursionError) as exc:
        msg = f"expected a GOV.UK content item as JSON, got: {exc}"
        raise FormatError(msg) from exc
    return Document.from_govuk_content_item(item)
