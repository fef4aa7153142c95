"""Importers: git histories, snapshot folders, JSON Lines, GOV.UK items."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gzip
import hashlib
import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import revtrack
from revtrack import UpdateType, format_timestamp
from revtrack._importers import (
    _name_time,
    _parse_log,
    import_git,
    import_govuk,
    import_jsonl,
    import_snapshots,
)
from revtrack.exceptions import (
    FormatError,
    InvalidRevisionError,
    LimitExceededError,
)

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"
#: Small corpora, so the suite stays fast: renames, CJK, 100 KB texts.
SMALL = ("github-privacy-statement", "art-of-command-line-zh", "de-btmg")


def corpus(name: str) -> list[dict[str, Any]]:
    """Return a corpus's revisions, each with its manifest details."""
    if not CORPORA.is_dir():
        pytest.skip(f"no corpora at {CORPORA}")
    return _corpus(name)


@functools.cache
def _corpus(name: str) -> list[dict[str, Any]]:
    manifest = json.loads((CORPORA / "MANIFEST.json").read_text("utf-8"))
    entry = next(c for c in manifest["corpora"] if c["name"] == name)
    path = CORPORA / entry["file"]
    opener: Any = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as file:
        lines = [json.loads(line) for line in file]
    details = entry["revision_details"]
    assert len(details) == len(lines)
    return [{**line, **d} for line, d in zip(lines, details, strict=True)]


def _git_time(text: str) -> str:
    """Write an ISO timestamp as git's raw '<epoch> <+hhmm>'."""
    when = dt.datetime.fromisoformat(text)
    offset = when.utcoffset() or dt.timedelta(0)
    minutes = int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    hours, mins = divmod(abs(minutes), 60)
    return f"{int(when.timestamp())} {sign}{hours:02d}{mins:02d}"


def _data(payload: bytes) -> bytes:
    return b"data %d\n" % len(payload) + payload + b"\n"


def git(repo: Path, *args: str, stdin: bytes | None = None) -> bytes:
    """Run git in *repo* with a fixed identity, returning its stdout."""
    return subprocess.run(
        [
            "git",
            "-c",
            "user.name=Test",
            "-c",
            "user.email=test@example.org",
            "-C",
            str(repo),
            *args,
        ],
        input=stdin,
        capture_output=True,
        check=True,
    ).stdout


def build_repo(
    repo: Path,
    revisions: list[dict[str, Any]],
    *,
    path: str | None = None,
) -> Path:
    """
    Commit each revision with its dates and message, via git fast-import.

    Each revision goes to its manifest path (so moves are renames) or to
    *path*; the author date is its timestamp, the committer date the
    manifest's commit date.
    """
    repo.mkdir(parents=True, exist_ok=True)
    git(repo, "init", "-q", "-b", "main")
    stream = bytearray()
    previous = None
    for rev in revisions:
        where = path or rev["path"]
        stream += b"commit refs/heads/main\n"
        stream += (
            f"author Corpus Author <author@example.org> "
            f"{_git_time(rev['timestamp'])}\n"
            f"committer Corpus Committer <committer@example.org> "
            f"{_git_time(rev.get('committed', rev['timestamp']))}\n"
        ).encode()
        stream += _data(rev["message"].encode("utf-8"))
        if previous is not None and previous != where:
            stream += f"D {previous}\n".encode()
        stream += f"M 100644 inline {where}\n".encode()
        stream += _data(rev["text"].encode("utf-8"))
        previous = where
    git(repo, "fast-import", "--quiet", stdin=bytes(stream))
    git(repo, "reset", "-q", "--hard")
    return repo


def _instant(text: str) -> str:
    return dt.datetime.fromisoformat(text).isoformat()


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _tiny() -> list[dict[str, Any]]:
    return [
        {
            "timestamp": "2019-07-31T10:00:00+01:00",
            "message": "First",
            "text": "one\n",
        },
        {
            "timestamp": "2019-08-01T09:30:00+01:00",
            "message": "Second",
            "text": "two\n",
        },
    ]


class TestImportGitCorpora:
    """import_git on git repositories rebuilt from the corpora."""

    @pytest.mark.parametrize("name", SMALL)
    def test_author_dates(self, name: str, tmp_path: Path) -> None:
        """Every revision comes back byte-exact with its date and note."""
        revisions = corpus(name)
        build_repo(tmp_path / "repo", revisions, path="document.md")
        doc = import_git(tmp_path / "repo", "document.md", dates="author")
        assert [r["sha256"] for r in revisions] == [
            _sha(r.text) for r in doc.revisions
        ]
        assert [_instant(r["timestamp"]) for r in revisions] == [
            format_timestamp(r.at) for r in doc.revisions
        ]
        assert [r["message"] for r in revisions] == [
            r.note for r in doc.revisions
        ]
        assert [_instant(r["committed"]) for r in revisions] == [
            r.meta["git"]["committed"] for r in doc.revisions
        ]

    @pytest.mark.parametrize(
        ("name", "count"),
        [("github-terms-of-service", 44), ("github-privacy-statement", 57)],
    )
    def test_follows_renames(
        self, name: str, count: int, tmp_path: Path
    ) -> None:
        """Moves of the file to other folders are followed."""
        revisions = corpus(name)[:count]
        build_repo(tmp_path / "repo", revisions)
        doc = import_git(tmp_path / "repo", revisions[-1]["path"])
        assert [(r["sha256"], r["path"]) for r in revisions] == [
            (_sha(r.text), r.meta["git"]["path"]) for r in doc.revisions
        ]

    def test_committer_dates(self, tmp_path: Path) -> None:
        """With committer dates, the author date moves into meta."""
        revisions = corpus("art-of-command-line-zh")
        build_repo(tmp_path / "repo", revisions)
        doc = import_git(tmp_path / "repo", revisions[-1]["path"])
        assert [_instant(r["committed"]) for r in revisions] == [
            format_timestamp(r.at) for r in doc.revisions
        ]
        assert [_instant(r["timestamp"]) for r in revisions] == [
            r.meta["git"]["authored"] for r in doc.revisions
        ]

    def test_commit_shas(self, tmp_path: Path) -> None:
        """The meta of each revision names its commit, as git log lists it."""
        revisions = corpus("de-btmg")
        repo = build_repo(tmp_path / "repo", revisions)
        doc = import_git(repo, revisions[-1]["path"])
        listed = git(repo, "log", "--reverse", "--format=%H").split()
        assert [sha.decode() for sha in listed] == [
            r.meta["git"]["commit"] for r in doc.revisions
        ]


class TestParseLog:
    """Reading git log's NUL-separated output."""

    @given(st.binary(max_size=300))
    @settings(max_examples=200)
    def test_fuzz(self, output: bytes) -> None:
        """Any output gives commits or raises FormatError."""
        with contextlib.suppress(FormatError):
            _parse_log(output)

    @given(
        st.lists(
            st.sampled_from(
                [
                    "",
                    "\n",
                    "a" * 40,
                    ":100644 100644 " + "b" * 40 + " " + "c" * 40 + " R100",
                    "x.md",
                    "2019-08-01T10:00:00Z",
                ]
            ),
            max_size=30,
        )
    )
    @settings(max_examples=200)
    def test_fuzz_tokens(self, tokens: list[str]) -> None:
        """Plausible tokens in any order give commits or FormatError."""
        with contextlib.suppress(FormatError):
            _parse_log("\0".join(tokens).encode())

    def test_rename_entry(self) -> None:
        """A rename entry's second path is the file's path then."""
        raw = ":100644 100644 " + "b" * 40 + " " + "c" * 40 + " R090"
        fields = ["a" * 40, "Ann", "ann@example.org", "t1", "t2", "Moved"]
        output = "\0".join(["", "", *fields, "\n" + raw, "old.md", "new.md"])
        (commit,) = _parse_log(output.encode())
        assert ("c" * 40, "new.md", "Ann <ann@example.org>") == (
            commit.blob,
            commit.path,
            commit.author,
        )


class TestImportGit:
    """import_git's choices and errors on small repositories."""

    def test_empty_path(self, tmp_path: Path) -> None:
        """An empty path raises InvalidRevisionError."""
        with pytest.raises(InvalidRevisionError, match="path must be"):
            import_git(tmp_path, "")

    def test_author(self, tmp_path: Path) -> None:
        """The commit author is the revision author."""
        repo = build_repo(tmp_path, _tiny(), path="a.md")
        doc = import_git(repo, "a.md")
        assert ["Corpus Author <author@example.org>"] * 2 == [
            r.author for r in doc.revisions
        ]

    def test_backwards_author_dates(self, tmp_path: Path) -> None:
        """Author dates that go backwards make a document allowing it."""
        revisions = [
            {**_tiny()[0], "timestamp": "2019-08-02T10:00:00+01:00"},
            {**_tiny()[1], "committed": "2019-08-03T10:00:00+01:00"},
        ]
        revisions[0]["committed"] = "2019-08-02T10:00:00+01:00"
        repo = build_repo(tmp_path, revisions, path="a.md")
        by_author = import_git(repo, "a.md", dates="author")
        by_committer = import_git(repo, "a.md", dates="committer")
        assert (True, False) == (
            by_author.allow_backwards,
            by_committer.allow_backwards,
        )

    def test_unchanged_content_skipped(self, tmp_path: Path) -> None:
        """A commit that renames without changing the text adds nothing."""
        repo = build_repo(tmp_path, _tiny(), path="a.md")
        git(repo, "mv", "a.md", "b.md")
        git(repo, "commit", "-q", "-m", "Renamed")
        doc = import_git(repo, "b.md")
        assert ["First", "Second"] == [r.note for r in doc.revisions]

    def test_no_follow(self, tmp_path: Path) -> None:
        """Without following renames, history stops at the rename."""
        repo = build_repo(tmp_path, _tiny(), path="a.md")
        git(repo, "mv", "a.md", "b.md")
        git(repo, "commit", "-q", "-m", "Renamed")
        (repo / "b.md").write_text("three\n")
        git(repo, "commit", "-q", "-am", "Third")
        doc = import_git(repo, "b.md", follow_renames=False)
        assert ["Renamed", "Third"] == [r.note for r in doc.revisions]

    def test_empty_subject(self, tmp_path: Path) -> None:
        """A commit without a message gets a note naming the commit."""
        repo = build_repo(tmp_path, _tiny()[:1], path="a.md")
        (repo / "a.md").write_text("changed\n")
        git(repo, "commit", "-q", "-a", "--allow-empty-message", "-m", "")
        doc = import_git(repo, "a.md")
        sha = doc.latest.meta["git"]["commit"]
        assert f"Commit {sha[:12]}." == doc.latest.note

    def test_deletion_skipped(self, tmp_path: Path) -> None:
        """A deletion adds no revision; a later re-creation does."""
        repo = build_repo(tmp_path, _tiny(), path="a.md")
        git(repo, "rm", "-q", "a.md")
        git(repo, "commit", "-q", "-m", "Deleted")
        (repo / "a.md").write_text("back\n")
        git(repo, "add", "a.md")
        git(repo, "commit", "-q", "-m", "Restored")
        doc = import_git(repo, "a.md")
        assert ["one\n", "two\n", "back\n"] == [r.text for r in doc.revisions]

    def test_progress(self, tmp_path: Path) -> None:
        """Progress counts revisions up to the total."""
        repo = build_repo(tmp_path, _tiny(), path="a.md")
        calls: list[tuple[int, int]] = []
        import_git(repo, "a.md", progress=lambda d, t: calls.append((d, t)))
        assert [(1, 2), (2, 2)] == calls

    def test_defaults(self, tmp_path: Path) -> None:
        """The id is the path and the title the file name by default."""
        repo = tmp_path / "repo"
        build_repo(repo, _tiny(), path="docs/a.md")
        doc = import_git(repo, "docs/a.md")
        assert ("docs/a.md", "a.md") == (doc.id, doc.title)

    def test_not_utf8(self, tmp_path: Path) -> None:
        """A blob that is not UTF-8 raises FormatError naming its commit."""
        repo = build_repo(tmp_path, _tiny(), path="a.md")
        (repo / "a.md").write_bytes(b"caf\xe9\n")
        git(repo, "commit", "-q", "-am", "Latin-1")
        sha = git(repo, "rev-parse", "HEAD").decode().strip()
        with pytest.raises(FormatError, match=sha):
            import_git(repo, "a.md")

    def test_not_a_repository(self, tmp_path: Path) -> None:
        """A folder that is not a repository raises FormatError."""
        with pytest.raises(FormatError, match="not a git repository"):
            import_git(tmp_path, "a.md")

    def test_missing_repository(self, tmp_path: Path) -> None:
        """A repository folder that does not exist raises OSError."""
        with pytest.raises(FileNotFoundError):
            import_git(tmp_path / "missing", "a.md")

    def test_no_history(self, tmp_path: Path) -> None:
        """A path git never saw raises FormatError."""
        repo = build_repo(tmp_path, _tiny(), path="a.md")
        with pytest.raises(FormatError, match="no history"):
            import_git(repo, "missing.md")

    def test_path_is_literal(self, tmp_path: Path) -> None:
        """A path with glob characters is not a pattern."""
        repo = build_repo(tmp_path, _tiny(), path="a.md")
        with pytest.raises(FormatError, match="no history"):
            import_git(repo, "*.md")

    @pytest.mark.parametrize("dates", ["commit", "", "AUTHOR"])
    def test_bad_dates(self, dates: Any, tmp_path: Path) -> None:
        """An unknown dates choice raises InvalidRevisionError."""
        with pytest.raises(InvalidRevisionError, match="dates must be"):
            import_git(tmp_path, "a.md", dates=dates)


def _snapshot_folder(folder: Path, revisions: list[dict[str, Any]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for rev in revisions:
        when = dt.datetime.fromisoformat(rev["timestamp"])
        name = when.strftime("%Y%m%dT%H%M%S%z") + ".md"
        (folder / name).write_bytes(rev["text"].encode("utf-8"))
    return folder


class TestImportSnapshots:
    """import_snapshots on folders of saved versions."""

    @pytest.mark.parametrize("name", ["github-privacy-statement", "de-btmg"])
    def test_corpus(self, name: str, tmp_path: Path) -> None:
        """Every file comes back byte-exact, in time order, at its time."""
        revisions = corpus(name)
        folder = _snapshot_folder(tmp_path / "snaps", revisions)
        doc = import_snapshots(folder)
        assert [r["sha256"] for r in revisions] == [
            _sha(r.text) for r in doc.revisions
        ]
        assert [_instant(r["timestamp"]) for r in revisions] == [
            format_timestamp(r.at) for r in doc.revisions
        ]

    def test_mtime(self, tmp_path: Path) -> None:
        """A file without a timestamp in its name is dated by its mtime."""
        for name, text, when in [("b.txt", "old", 1e9), ("a.txt", "new", 2e9)]:
            (tmp_path / name).write_text(text)
            os.utime(tmp_path / name, (when, when))
        doc = import_snapshots(tmp_path)
        assert [("old", 1e9), ("new", 2e9)] == [
            (r.text, r.at.timestamp()) for r in doc.revisions
        ]
        assert ["mtime", "mtime"] == [
            r.meta["snapshot"]["time_from"] for r in doc.revisions
        ]

    def test_html(self, tmp_path: Path) -> None:
        """HTML files become text through html_to_text."""
        page = "<h1>Quintet</h1><p>Hello <b>world</b></p>"
        (tmp_path / "2019-08-01.html").write_text(page)
        doc = import_snapshots(tmp_path)
        assert revtrack._html.html_to_text(page) == doc.latest.text

    def test_same_text_is_republish(self, tmp_path: Path) -> None:
        """A snapshot equal to the one before is a republish."""
        for day in ("2019-08-01", "2019-08-02", "2019-08-03"):
            text = "a" if day != "2019-08-03" else "b"
            (tmp_path / f"{day}.txt").write_text(text)
        doc = import_snapshots(tmp_path)
        assert [
            UpdateType.MAJOR,
            UpdateType.REPUBLISH,
            UpdateType.MAJOR,
        ] == [r.update_type for r in doc.revisions]

    def test_pattern_and_hidden(self, tmp_path: Path) -> None:
        """Only files matching the pattern count; hidden files never."""
        (tmp_path / "2019-08-01.txt").write_text("a")
        (tmp_path / "2019-08-02.md").write_text("b")
        (tmp_path / ".2019-08-03.txt").write_text("c")
        doc = import_snapshots(tmp_path, pattern="*.txt")
        assert ["a"] == [r.text for r in doc.revisions]

    def test_zone_for_naive_names(self, tmp_path: Path) -> None:
        """A name without an offset is read in tz."""
        (tmp_path / "2019-08-01_09-30.txt").write_text("a")
        doc = import_snapshots(tmp_path, tz="Europe/London")
        assert "2019-08-01T09:30:00+01:00" == format_timestamp(doc.latest.at)

    def test_not_utf8(self, tmp_path: Path) -> None:
        """A file that is not UTF-8 raises FormatError naming it."""
        (tmp_path / "2019-08-01.txt").write_bytes(b"caf\xe9")
        with pytest.raises(FormatError, match=r"2019-08-01\.txt"):
            import_snapshots(tmp_path)

    def test_impossible_name(self, tmp_path: Path) -> None:
        """A name with an impossible date raises FormatError naming it."""
        (tmp_path / "2019-13-45.txt").write_text("a")
        with pytest.raises(FormatError, match=r"2019-13-45\.txt"):
            import_snapshots(tmp_path)

    @pytest.mark.parametrize("pattern", ["", "../*", "/etc/*", "a/../../*"])
    def test_bad_pattern(self, pattern: str, tmp_path: Path) -> None:
        """A pattern that is empty or leaves the folder is refused."""
        (tmp_path / "2019-08-01.txt").write_text("a")
        with pytest.raises(InvalidRevisionError, match="pattern"):
            import_snapshots(tmp_path, pattern=pattern)

    def test_empty(self, tmp_path: Path) -> None:
        """A folder with no matching files raises FormatError."""
        with pytest.raises(FormatError, match="no files"):
            import_snapshots(tmp_path)

    def test_missing_folder(self, tmp_path: Path) -> None:
        """A missing folder raises FileNotFoundError."""
        with pytest.raises(FileNotFoundError):
            import_snapshots(tmp_path / "missing")

    def test_progress(self, tmp_path: Path) -> None:
        """Progress counts files up to the total."""
        for day in ("2019-08-01", "2019-08-02"):
            (tmp_path / f"{day}.txt").write_text(day)
        calls: list[tuple[int, int]] = []
        import_snapshots(tmp_path, progress=lambda d, t: calls.append((d, t)))
        assert [(1, 2), (2, 2)] == calls


_aware = st.datetimes(
    min_value=dt.datetime(1970, 1, 2),  # noqa: DTZ001
    max_value=dt.datetime(2999, 12, 30),  # noqa: DTZ001
    timezones=st.builds(
        dt.timezone,
        st.integers(-14 * 60, 14 * 60).map(lambda m: dt.timedelta(minutes=m)),
    ),
).map(lambda d: d.replace(microsecond=0))


class TestNameTime:
    """Reading timestamps out of file names."""

    @given(_aware, st.sampled_from(["%Y%m%dT%H%M%S", "%Y-%m-%dT%H-%M-%S"]))
    @settings(max_examples=100)
    def test_round_trip(self, when: dt.datetime, layout: str) -> None:
        """A time written into a name, with its offset, reads back."""
        offset = when.strftime("%z")
        name = f"page-{when.strftime(layout)}{offset}.html"
        parsed = _name_time(name, "UTC")
        assert parsed is not None
        assert when.isoformat() == format_timestamp(parsed)

    @given(st.text())
    @settings(max_examples=200)
    def test_fuzz(self, name: str) -> None:
        """Any name gives a time, None, or FormatError."""
        with contextlib.suppress(FormatError):
            _name_time(name, "UTC")

    def test_no_timestamp(self) -> None:
        """A name without a date gives None."""
        assert _name_time("index.html", "UTC") is None


class TestImportJsonl:
    """import_jsonl on JSON Lines files."""

    def test_corpus(self) -> None:
        """A corpus file comes back with every text and note."""
        revisions = corpus("art-of-command-line-zh")
        doc = import_jsonl(CORPORA / "art-of-command-line-zh.jsonl")
        assert [r["sha256"] for r in revisions] == [
            _sha(r.text) for r in doc.revisions
        ]
        assert ("art-of-command-line-zh", False) == (
            doc.id,
            doc.allow_backwards,
        )

    def test_gzip_and_backwards(self, tmp_path: Path) -> None:
        """A .gz file is read, and backward times make a document allow it."""
        lines = [
            {"timestamp": "2019-08-02T10:00Z", "message": "A", "text": "a"},
            {"timestamp": "2019-08-01T10:00Z", "message": "B", "text": "b"},
        ]
        path = tmp_path / "page.jsonl.gz"
        with gzip.open(path, "wt", encoding="utf-8") as file:
            file.writelines(json.dumps(line) + "\n" for line in lines)
        doc = import_jsonl(path)
        assert ("page", True, ["a", "b"]) == (
            doc.id,
            doc.allow_backwards,
            [r.text for r in doc.revisions],
        )

    def test_progress_ends_at_size(self, tmp_path: Path) -> None:
        """The last progress call reports the whole file read."""
        path = tmp_path / "p.jsonl"
        path.write_text(
            '{"timestamp": "2019-08-01T10:00Z", "message": "A", "text": "a"}'
        )
        calls: list[tuple[int, int]] = []
        import_jsonl(path, progress=lambda d, t: calls.append((d, t)))
        size = path.stat().st_size
        assert (size, size) == calls[-1]

    def test_bad_line(self, tmp_path: Path) -> None:
        """A line that is not JSON raises FormatError naming the line."""
        path = tmp_path / "p.jsonl"
        path.write_text('{"timestamp": "2019-08-01T10:00Z"}\nnot json\n')
        with pytest.raises(FormatError, match="line 1"):
            import_jsonl(path)


class TestImportGovuk:
    """import_govuk on saved content items."""

    ITEM: dict[str, Any] = {  # noqa: RUF012
        "title": "Quintet",
        "base_path": "/quintet",
        "first_published_at": "2019-07-31T10:30:00+01:00",
        "details": {
            "body": "<p>Hi</p>",
            "change_history": [
                {
                    "public_timestamp": "2019-08-01T09:00:00+01:00",
                    "note": "Added a link.",
                },
                {
                    "public_timestamp": "2019-07-31T10:30:00+01:00",
                    "note": "First published.",
                },
            ],
        },
    }

    def test_item(self, tmp_path: Path) -> None:
        """The file reads as Document.from_govuk_content_item reads it."""
        path = tmp_path / "item.json"
        path.write_text(json.dumps(self.ITEM))
        expected = revtrack.Document.from_govuk_content_item(self.ITEM)
        assert expected == import_govuk(path)

    def test_not_json(self, tmp_path: Path) -> None:
        """A file that is not JSON raises FormatError."""
        path = tmp_path / "item.json"
        path.write_text("{")
        with pytest.raises(FormatError, match="content item"):
            import_govuk(path)

    def test_limit(self, tmp_path: Path) -> None:
        """A file over the limit raises LimitExceededError."""
        path = tmp_path / "item.json"
        path.write_text(json.dumps(self.ITEM))
        with pytest.raises(LimitExceededError):
            import_govuk(path, limits=revtrack.Limits(max_size=10))
