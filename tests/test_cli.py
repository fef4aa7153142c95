"""The revtrack command line, through click's runner and as a process."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pty
import re
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result
from hypothesis import given, settings
from hypothesis import strategies as st

import revtrack
from revtrack import _cli
from revtrack._cli import EXIT_DATA, EXIT_DIFFERENT, EXIT_OK, EXIT_USAGE, cli
from revtrack._render import escape_terminal

from .test_importers import CORPORA, build_repo, corpus

SCRIPT = Path(sys.executable).parent / "revtrack"


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    """Run the command line in-process, as click's runner does."""
    return CliRunner().invoke(cli, list(args), env=env)


def process(
    *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    """Run the installed console script as a real process."""
    if not SCRIPT.exists():
        pytest.skip(f"no console script at {SCRIPT}; pip install -e .")
    return subprocess.run(
        [str(SCRIPT), *args],
        capture_output=True,
        check=False,
        env={**os.environ, **(env or {})},
    )


def sample() -> revtrack.Document:
    """Return a three-revision document, with a minor update."""
    doc = revtrack.Document("quintet", "Attorneys General lead")
    doc.publish("The cat sat.\n", at="2019-07-31T10:00:00+01:00")
    doc.update(
        "The dog sat.\n",
        at="2019-08-01T09:30:00+01:00",
        note="Changed the animal.",
    )
    doc.update("The dog sat!\n", at="2019-08-02T09:00:00+01:00", minor=True)
    return doc


@pytest.fixture
def history(tmp_path: Path) -> Path:
    """The sample document written as a full JSON history."""
    path = tmp_path / "quintet.json"
    revtrack.dump(sample(), path)
    return path


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _one_error_line(
    result: Result | subprocess.CompletedProcess[bytes],
) -> str:
    stderr = (
        result.stderr
        if isinstance(result, Result)
        else result.stderr.decode("utf-8")
    )
    lines = stderr.splitlines()
    assert 1 == len(lines), stderr
    assert lines[0].startswith("revtrack: ")
    return lines[0]


def _commands(
    group: click.Group, prefix: tuple[str, ...] = ()
) -> list[tuple[str, ...]]:
    found: list[tuple[str, ...]] = [prefix]
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            found += _commands(command, (*prefix, name))
        else:
            found.append((*prefix, name))
    return found


class TestHelp:
    """Every command explains itself."""

    @pytest.mark.parametrize("path", _commands(cli))
    def test_example(self, path: tuple[str, ...]) -> None:
        """Each command's --help exits 0 and shows an example."""
        result = run(*path, "--help")
        assert (EXIT_OK, True) == (
            result.exit_code,
            "Example:" in result.stdout,
        )

    def test_exit_codes_documented(self) -> None:
        """The top-level help lists the exit codes."""
        text = run("--help").stdout
        assert all(f"  {code}  " in text for code in (0, 1, 2, 3))

    def test_console_script(self) -> None:
        """The installed script prints the version."""
        result = process("--version")
        assert (0, revtrack.__name__) == (
            result.returncode,
            result.stdout.decode().split(",")[0],
        )

    def test_python_m(self) -> None:
        """Running `python -m revtrack` gives the same command line."""
        result = subprocess.run(
            [sys.executable, "-m", "revtrack", "--help"],
            capture_output=True,
            check=False,
        )
        assert (0, b"Usage: revtrack") == (
            result.returncode,
            result.stdout[:15],
        )


class TestImportGit:
    """revtrack import git, on repositories rebuilt from the corpora."""

    def test_corpus_in_process(self, tmp_path: Path) -> None:
        """Every revision comes back byte-exact with its date and note."""
        revisions = corpus("art-of-command-line-zh")
        repo = build_repo(tmp_path / "repo", revisions, path="README-zh.md")
        out = tmp_path / "out.json"
        result = run(
            "import", "git", str(repo), "README-zh.md", "-o", str(out),
            "--dates", "author",
        )  # fmt: skip
        assert EXIT_OK == result.exit_code, result.stderr
        doc = revtrack.load(out)
        assert [
            (r["sha256"], r["timestamp"], r["message"]) for r in revisions
        ] == [
            (_sha(r.text.encode()), r.at.isoformat(), r.note)
            for r in doc.revisions
        ]

    def test_corpus_as_process(self, tmp_path: Path) -> None:
        """The console script imports a renamed file with committer dates."""
        revisions = corpus("github-terms-of-service")
        repo = build_repo(tmp_path / "repo", revisions)
        out = tmp_path / "out.sqlite"
        result = process(
            "import", "git", str(repo), revisions[-1]["path"], "-o", str(out),
        )  # fmt: skip
        assert 0 == result.returncode, result.stderr
        with revtrack.SQLiteStore(out) as store:
            (doc_id,) = store.ids()
            doc = store.get(doc_id)
        assert [(r["sha256"], r["committed"]) for r in revisions] == [
            (_sha(r.text.encode()), r.at.isoformat()) for r in doc.revisions
        ]

    def test_missing_repository(self, tmp_path: Path) -> None:
        """A repository that does not exist exits 2 naming it."""
        missing = tmp_path / "missing"
        out = tmp_path / "out.json"
        result = run("import", "git", str(missing), "a.md", "-o", str(out))
        assert (EXIT_USAGE, False) == (result.exit_code, out.exists())
        assert str(missing) in _one_error_line(result)

    def test_not_a_repository(self, tmp_path: Path) -> None:
        """A folder that is not a repository exits 3, writing nothing."""
        out = tmp_path / "out.json"
        result = run("import", "git", str(tmp_path), "a.md", "-o", str(out))
        assert (EXIT_DATA, False) == (result.exit_code, out.exists())
        assert "not a git repository" in _one_error_line(result)


class TestImportOthers:
    """revtrack import dir, jsonl and govuk."""

    def test_dir_as_process(self, tmp_path: Path) -> None:
        """A folder of snapshots comes back byte-exact, in time order."""
        revisions = corpus("de-btmg")
        folder = tmp_path / "snaps"
        folder.mkdir()
        for rev in revisions:
            stamp = rev["timestamp"].replace(":", "-")
            (folder / f"{stamp}.md").write_bytes(rev["text"].encode())
        out = tmp_path / "out.json"
        result = process("import", "dir", str(folder), "-o", str(out))
        assert 0 == result.returncode, result.stderr
        doc = revtrack.load(out)
        assert [(r["sha256"], r["timestamp"]) for r in revisions] == [
            (_sha(r.text.encode()), r.at.isoformat()) for r in doc.revisions
        ]

    def test_dir_bad_pattern(self, tmp_path: Path) -> None:
        """A pattern leaving the folder is a usage error."""
        result = run(
            "import", "dir", str(tmp_path), "--pattern", "../*",
            "-o", str(tmp_path / "o.json"),
        )  # fmt: skip
        assert EXIT_USAGE == result.exit_code

    def test_jsonl(self, tmp_path: Path) -> None:
        """A JSON Lines corpus imports with its notes, as compact."""
        if not CORPORA.is_dir():
            pytest.skip("no corpora")
        source = CORPORA / "github-terms-of-service.jsonl"
        out = tmp_path / "tos.xz"
        result = run("import", "jsonl", str(source), "-o", str(out))
        assert EXIT_OK == result.exit_code, result.stderr
        expected = revtrack.read_jsonl(
            source, id="github-terms-of-service", title="x"
        )
        assert [r.note for r in expected.revisions] == [
            r.note for r in revtrack.load(out).revisions
        ]

    def test_govuk_warnings(self, tmp_path: Path) -> None:
        """An inconsistent content item imports, with a warning line."""
        item = {
            "title": "Quintet",
            "base_path": "/quintet",
            "first_published_at": "2019-07-31T10:30:00+01:00",
            "public_updated_at": "2019-08-02T09:00:00+01:00",
            "details": {"body": "<p>Hi</p>", "change_history": []},
        }
        source = tmp_path / "item.json"
        source.write_text(json.dumps(item))
        out = tmp_path / "out.json"
        result = run("import", "govuk", str(source), "-o", str(out))
        assert EXIT_OK == result.exit_code, result.stderr
        assert "warning" in result.stderr
        assert "<p>Hi</p>" == revtrack.load(out).latest.text


class TestLogShowHistory:
    """revtrack log, show and history."""

    def test_log(self, history: Path) -> None:
        """One line a revision: number, time, type, digest and note."""
        doc = sample()
        lines = run("log", str(history)).stdout.splitlines()
        assert [
            [
                str(r.number),
                r.at.isoformat(),
                r.update_type.value,
                r.digest[:12],
                *(r.note or "").split(),
            ]
            for r in doc.revisions
        ] == [line.split() for line in lines]

    def test_log_json(self, history: Path) -> None:
        """--json lists every revision's fields."""
        entries = json.loads(run("log", str(history), "--json").stdout)
        assert [r.chain_digest for r in sample().revisions] == [
            e["chain_digest"] for e in entries
        ]

    @pytest.mark.parametrize(
        ("ref", "number"),
        [("1", 1), ("-1", 3), ("-3", 1), ("@2019-08-01", 2)],
    )
    def test_show(self, history: Path, ref: str, number: int) -> None:
        """Show writes the revision's text byte for byte."""
        doc = sample()
        result = run("show", str(history), ref)
        expected = doc.revision(number).text.encode()
        assert (EXIT_OK, expected) == (result.exit_code, result.stdout_bytes)

    def test_show_digest_prefix(self, history: Path) -> None:
        """A digest prefix names a revision."""
        doc = sample()
        result = run("show", str(history), doc.revision(2).digest[:8])
        assert doc.revision(2).text.encode() == result.stdout_bytes

    def test_show_corpus_as_process(self, tmp_path: Path) -> None:
        """Through a real pipe, every revision's bytes are exact."""
        if not CORPORA.is_dir():
            pytest.skip("no corpora")
        out = tmp_path / "zh.json"
        source = CORPORA / "art-of-command-line-zh.jsonl"
        assert (
            0
            == process(
                "import", "jsonl", str(source), "-o", str(out)
            ).returncode
        )
        revisions = corpus("art-of-command-line-zh")
        for number in (1, len(revisions) // 2, len(revisions)):
            shown = process("show", str(out), str(number)).stdout
            assert revisions[number - 1]["sha256"] == _sha(shown)

    def test_history(self, history: Path) -> None:
        """The footer is the document's history text."""
        assert (
            sample().history_text() + "\n"
            == run("history", str(history)).stdout
        )

    def test_history_as_of(self, history: Path) -> None:
        """--as-of shows the footer as it was then."""
        expected = sample().as_of("2019-07-31T23:00+01:00").history_text()
        result = run("history", str(history), "--as-of", "2019-07-31")
        assert expected + "\n" == result.stdout

    def test_history_html(self, history: Path) -> None:
        """--html writes the footer's HTML."""
        result = run("history", str(history), "--html")
        assert sample().history_html() + "\n" == result.stdout


class TestDiff:
    """revtrack diff: formats, exit codes and colour."""

    @pytest.mark.parametrize("kind", ["json", "delta", "dmp", "markdown"])
    def test_formats(self, history: Path, kind: str) -> None:
        """Each format is the library's rendering of the same diff."""
        result = run("diff", str(history), "1", "2", "--format", kind)
        diff = sample().diff(1, 2)
        expected = {
            "json": revtrack.dumps_diff(diff) + "\n",
            "delta": revtrack.format_delta(diff) + "\n",
            "dmp": revtrack.Patch.from_diff(diff).format("dmp"),
            "markdown": revtrack.render_markdown(diff),  # ends in "\n"
        }[kind]
        assert (EXIT_DIFFERENT, expected) == (result.exit_code, result.stdout)

    def test_term_and_html(self, history: Path) -> None:
        """Terminal and HTML views are the library's renderings."""
        diff = sample().diff(1, 2)
        term = run("--color=never", "diff", str(history), "1", "2")
        html = run("diff", str(history), "1", "2", "--format", "html")
        assert (
            revtrack.render_terminal(diff, color=False).rstrip("\n"),
            revtrack.render_html(
                diff, standalone=True, title=sample().title
            ).rstrip("\n"),
        ) == (term.stdout.rstrip("\n"), html.stdout.rstrip("\n"))

    def test_granularity(self, history: Path) -> None:
        """--granularity reaches the diff engine."""
        result = run(
            "diff", str(history), "1", "2", "--format", "json",
            "--granularity", "char",
        )  # fmt: skip
        expected = revtrack.dumps_diff(sample().diff(1, 2, granularity="char"))
        assert expected + "\n" == result.stdout

    def test_no_differences(self, history: Path) -> None:
        """The same revision twice exits 0 and prints nothing."""
        result = run("diff", str(history), "2", "2")
        assert (EXIT_OK, "") == (result.exit_code, result.stdout)

    def test_stat(self, history: Path) -> None:
        """--format stat counts the words changed."""
        result = run("diff", str(history), "1", "2", "--format", "stat")
        assert result.stdout.startswith("1 words inserted, 1 deleted")

    def test_colour(self, history: Path) -> None:
        """--color=always colours, never and NO_COLOR in auto do not."""
        always = run("--color=always", "diff", str(history), "1", "2")
        never = run("--color=never", "diff", str(history), "1", "2")
        auto = run("diff", str(history), "1", "2", env={"NO_COLOR": "1"})
        assert (True, False, False) == (
            "\x1b[" in always.stdout,
            "\x1b[" in never.stdout,
            "\x1b[" in auto.stdout,
        )

    @pytest.mark.skipif(shutil.which("patch") is None, reason="no patch(1)")
    @pytest.mark.parametrize(("a", "b"), [(1, 2), (5, 30), (30, 5)])
    def test_unified_applies(self, tmp_path: Path, a: int, b: int) -> None:
        """GNU patch turns revision a into revision b with the diff."""
        if not CORPORA.is_dir():
            pytest.skip("no corpora")
        out = tmp_path / "tos.json"
        source = CORPORA / "github-terms-of-service.jsonl"
        run("import", "jsonl", str(source), "-o", str(out))
        work = tmp_path / "work.md"
        work.write_bytes(run("show", str(out), str(a)).stdout_bytes)
        result = run("diff", str(out), str(a), str(b), "--format", "unified")
        assert EXIT_DIFFERENT == result.exit_code
        subprocess.run(
            ["patch", "-s", str(work)],
            input=result.stdout_bytes,
            check=True,
        )
        assert run("show", str(out), str(b)).stdout_bytes == work.read_bytes()


class TestErrors:
    """Bad input: exit 2 or 3, one line on stderr, nothing written."""

    def test_missing_file(self, tmp_path: Path) -> None:
        """A missing history exits 2 naming the file."""
        missing = tmp_path / "missing.json"
        result = process("log", str(missing))
        assert EXIT_USAGE == result.returncode
        assert str(missing) in _one_error_line(result)

    def test_not_a_history(self, tmp_path: Path) -> None:
        """A file that is not a history exits 3."""
        path = tmp_path / "notes.json"
        path.write_text('{"hello": 1}')
        result = process("show", str(path), "1")
        assert EXIT_DATA == result.returncode
        assert str(path) in _one_error_line(result)

    @pytest.mark.parametrize("ref", ["9", "-9", "ffff", "@1999-01-01", "x"])
    def test_unknown_revision(self, history: Path, ref: str) -> None:
        """An unknown revision exits 2."""
        result = run("show", str(history), ref)
        assert EXIT_USAGE == result.exit_code
        assert str(history) in _one_error_line(result)

    def test_malformed_date(self, history: Path) -> None:
        """A malformed --as-of date exits 2."""
        result = run("history", str(history), "--as-of", "31/07/2019")
        assert EXIT_USAGE == result.exit_code
        assert "31/07/2019" in _one_error_line(result)

    def test_corrupt_history(self, history: Path) -> None:
        """A tampered text fails verify with exit 3, naming the revision."""
        data = json.loads(history.read_text())
        data["revisions"][1]["text"] = "The rat sat.\n"
        history.write_text(json.dumps(data))
        result = process("verify", str(history))
        assert EXIT_DATA == result.returncode
        assert "revision 2" in _one_error_line(result)

    def test_output_untouched(self, tmp_path: Path) -> None:
        """A failed import leaves -o as it was and no temporary files."""
        bad = tmp_path / "bad.jsonl"
        bad.write_text("not json\n")
        out = tmp_path / "out.json"
        out.write_text("precious")
        result = run("import", "jsonl", str(bad), "-o", str(out))
        assert (EXIT_DATA, "precious") == (result.exit_code, out.read_text())
        assert ["bad.jsonl", "out.json"] == sorted(
            p.name for p in tmp_path.iterdir()
        )

    def test_store_not_created(self, tmp_path: Path) -> None:
        """A failed import into a new store leaves no store file."""
        bad = tmp_path / "bad.jsonl"
        bad.write_text("not json\n")
        result = run(
            "import", "jsonl", str(bad), "-o", str(tmp_path / "s.sqlite")
        )
        assert (EXIT_DATA, ["bad.jsonl"]) == (
            result.exit_code,
            [p.name for p in tmp_path.iterdir()],
        )

    def test_usage_error(self, history: Path) -> None:
        """An unknown option exits 2."""
        assert EXIT_USAGE == run("log", str(history), "--bogus").exit_code

    def test_unknown_option_among_revisions(self, history: Path) -> None:
        """A long option where a revision goes is a usage error."""
        assert EXIT_USAGE == run("show", str(history), "--bogus").exit_code

    @given(st.text(max_size=40))
    @settings(max_examples=100, deadline=None)
    def test_revision_fuzz(self, ref: str) -> None:
        """Any revision spelling finds one or raises a usage error."""
        with contextlib.suppress(click.ClickException):
            _cli._revision(sample(), ref, "h.json")

    def test_broken_pipe(self, history: Path) -> None:
        """A reader that goes away causes no traceback."""
        if not SCRIPT.exists():
            pytest.skip("no console script")
        with subprocess.Popen(
            [str(SCRIPT), "log", str(history), "--json"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        ) as proc:
            assert proc.stdout is not None
            assert proc.stderr is not None
            proc.stdout.close()
            stderr = proc.stderr.read()
        assert b"Traceback" not in stderr


class TestVerifyExportStore:
    """revtrack verify, export and store."""

    def test_verify(self, history: Path) -> None:
        """An intact history verifies with exit 0."""
        assert EXIT_OK == run("verify", str(history)).exit_code

    @pytest.mark.parametrize("kind", ["json", "compact"])
    def test_export_round_trip(
        self, history: Path, tmp_path: Path, kind: str
    ) -> None:
        """Exported histories load back equal."""
        out = tmp_path / f"out.{kind}"
        result = run("export", str(history), "--format", kind, "-o", str(out))
        assert EXIT_OK == result.exit_code
        assert sample() == revtrack.load(out)

    def test_export_jsonl(self, history: Path) -> None:
        """JSON Lines goes to stdout as write_jsonl writes it."""
        result = run("export", str(history), "--format", "jsonl")
        assert "".join(revtrack.write_jsonl(sample())) == result.stdout

    def test_store(self, history: Path, tmp_path: Path) -> None:
        """Put, ls, get and verify a store."""
        store = tmp_path / "s.sqlite"
        assert (
            EXIT_OK == run("store", "put", str(store), str(history)).exit_code
        )
        assert "quintet\n" == run("store", "ls", str(store)).stdout
        got = run("store", "get", str(store), "quintet")
        assert sample() == revtrack.loads(got.stdout)
        assert EXIT_OK == run("verify", str(store)).exit_code
        assert sample().latest.text == run("show", str(store), "-1").stdout

    def test_store_unknown_id(self, history: Path, tmp_path: Path) -> None:
        """Getting an id the store lacks exits 2 with one line."""
        store = tmp_path / "s.sqlite"
        run("store", "put", str(store), str(history))
        result = run("store", "get", str(store), "nope")
        assert EXIT_USAGE == result.exit_code
        assert "nope" in _one_error_line(result)

    def test_doc_on_a_file(self, history: Path) -> None:
        """--doc with a history file is a usage error."""
        result = run("log", str(history), "--doc", "quintet")
        assert EXIT_USAGE == result.exit_code
        assert "--doc" in _one_error_line(result)

    def test_ls_not_a_store(self, history: Path) -> None:
        """Listing a file that is not a store exits 3."""
        result = run("store", "ls", str(history))
        assert EXIT_DATA == result.exit_code
        assert "not" in _one_error_line(result)

    def test_put_conflict_keeps_store(
        self, history: Path, tmp_path: Path
    ) -> None:
        """A put that conflicts exits 3 and leaves the store as it was."""
        store = tmp_path / "s.sqlite"
        run("store", "put", str(store), str(history))
        other = revtrack.Document("quintet", "Another")
        other.publish("Different.\n", at="2019-07-31T10:00:00+01:00")
        path = tmp_path / "other.json"
        revtrack.dump(other, path)
        result = run("store", "put", str(store), str(path))
        assert EXIT_DATA == result.exit_code
        assert sample() == revtrack.loads(
            run("store", "get", str(store), "quintet").stdout
        )

    def test_store_needs_doc(self, history: Path, tmp_path: Path) -> None:
        """A store with two documents needs --doc."""
        store = tmp_path / "s.sqlite"
        other = tmp_path / "other.json"
        revtrack.dump(revtrack.Document("other", "Other"), other)
        run("store", "put", str(store), str(history), str(other))
        result = run("log", str(store))
        assert EXIT_USAGE == result.exit_code
        assert "--doc" in _one_error_line(result)
        chosen = run("log", str(store), "--doc", "quintet")
        assert 3 == len(chosen.stdout.splitlines())


class TestAudit:
    """revtrack audit."""

    def test_findings(self, tmp_path: Path) -> None:
        """A substantive minor update is found, with exit 1."""
        doc = revtrack.Document("d", "Quintet")
        doc.publish("Held on 3 May.", at="2019-07-31T10:00Z")
        doc.update("Held on 4 May.", at="2019-08-01T10:00Z", minor=True)
        path = tmp_path / "d.json"
        revtrack.dump(doc, path)
        result = run("audit", str(path), "--json")
        findings = [
            {"revision": f.revision, "rule": f.rule, "evidence": f.evidence}
            for f in revtrack._classify.audit(doc)
        ]
        assert (EXIT_DIFFERENT, [2]) == (
            result.exit_code,
            [f["revision"] for f in findings],
        )
        assert findings == json.loads(result.stdout)

    def test_nothing_found(self, history: Path) -> None:
        """A history with nothing to report exits 0 and prints nothing."""
        result = run("audit", str(history))
        assert (EXIT_OK, "") == (result.exit_code, result.stdout)


class TestProgress:
    """Progress bars on a terminal."""

    @pytest.fixture
    def terminal(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Make stderr count as a terminal."""
        monkeypatch.setattr(_cli, "_stderr_is_terminal", lambda: True)

    @pytest.mark.usefixtures("terminal")
    def test_bar(self, tmp_path: Path) -> None:
        """An import on a terminal draws a labelled bar on stderr."""
        folder = tmp_path / "snaps"
        folder.mkdir()
        for day in range(1, 4):
            (folder / f"2019-08-0{day}.txt").write_text(str(day))
        result = run("import", "dir", str(folder), "-o", str(tmp_path / "o"))
        assert "Reading files" == result.stderr.splitlines()[0]

    @pytest.mark.usefixtures("terminal")
    def test_verify_file_bar(self, history: Path) -> None:
        """Verifying a history file on a terminal draws a bar too."""
        result = run("verify", str(history))
        assert EXIT_OK == result.exit_code
        assert result.stderr.startswith("Verifying")

    @pytest.mark.usefixtures("terminal")
    def test_quiet(self, tmp_path: Path) -> None:
        """--quiet draws no bar and writes nothing to stderr."""
        folder = tmp_path / "snaps"
        folder.mkdir()
        (folder / "2019-08-01.txt").write_text("a")
        out = tmp_path / "o.json"
        result = run("-q", "import", "dir", str(folder), "-o", str(out))
        assert (EXIT_OK, "") == (result.exit_code, result.stderr)

    @pytest.mark.usefixtures("terminal")
    def test_verify_store(self, history: Path, tmp_path: Path) -> None:
        """Verifying a store on a terminal draws a bar."""
        store = tmp_path / "s.sqlite"
        run("-q", "store", "put", str(store), str(history))
        result = run("verify", str(store))
        assert (EXIT_OK, "Verifying") == (
            result.exit_code,
            result.stderr.splitlines()[0],
        )

    def test_piped(self, tmp_path: Path) -> None:
        """Off a terminal there is no bar, only the summary note."""
        folder = tmp_path / "snaps"
        folder.mkdir()
        (folder / "2019-08-01.txt").write_text("a")
        result = run("import", "dir", str(folder), "-o", str(tmp_path / "o"))
        assert ["wrote 1 revisions of 'snaps' to " + str(tmp_path / "o")] == (
            result.stderr.splitlines()
        )


class TestBlame:
    """revtrack blame."""

    def test_lines(self, history: Path) -> None:
        """Each line carries the number of the revision that wrote it."""
        doc = sample()
        result = run("blame", str(history), "2")
        expected = [
            f"{s.revision.number} {s.revision.at.date().isoformat()}  "
            f"{s.text.rstrip()}"
            for s in revtrack.blame(doc, revision=2)
        ]
        assert (EXIT_OK, expected) == (
            result.exit_code,
            result.stdout.splitlines(),
        )

    def test_words_json(self, history: Path) -> None:
        """--json lists the word spans as the library finds them."""
        doc = sample()
        result = run("blame", str(history), "--granularity", "word", "--json")
        assert [
            {"text": s.text, "revision": s.revision.number}
            for s in revtrack.blame(doc, granularity="word")
        ] == json.loads(result.stdout)

    def test_words_text(self, history: Path) -> None:
        """Word runs are marked with their revision and join to the text."""
        result = run("blame", str(history), "--granularity", "word")
        assert "[1]The [2]dog [3]sat!\n" == result.stdout


# -- output safety (issue 8) ------------------------------------------------

#: Escape sequences and bidi controls a hostile document might carry.
_EVIL_TEXT = "Hello \x1b[2J world\u202e olleh\n\x9b31m tail\n"
_CONTROLS = re.compile(
    "\x1b|\r(?!\n)|[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f]"
    "|[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    """A history whose texts, notes and id carry terminal controls."""
    doc = revtrack.Document("evil\x1b[2J\u202e", "Title\x1b]0;pwned\x07")
    doc.publish(_EVIL_TEXT, at="2019-07-31T10:00Z", note="First\x1b[31m.")
    doc.update(
        _EVIL_TEXT.replace("world", "world!"),
        at="2019-08-01T10:00Z",
        note="Bell\x07 \u2066x\u2069 \u202eton",
    )
    doc.update("Held on 4 May \x1b[1m.\n", at="2019-08-02T10:00Z", minor=True)
    path = tmp_path / "evil.json"
    revtrack.dump(doc, path)
    return path


#: Listings, with a piece of the document each must show escaped.
_LISTINGS = [
    ((), ("log",), "First\u241b[31m."),
    (("--color", "always"), ("log",), "First\u241b[31m."),
    ((), ("blame", "2"), "Hello \u241b[2J world!\\u202e olleh"),
    ((), ("blame", "2", "--granularity", "word"), "\u241b[2J"),
    ((), ("audit",), "May \u241b[1m."),
    ((), ("history",), "First\u241b[31m."),
    ((), ("diff", "1"), "\u241b[1m"),
    (("--color", "always"), ("diff", "1"), "\u241b[1m"),
]
_DOCUMENTS = [
    ("show", "1"),
    ("log", "--json"),
    ("blame", "2", "--json"),
    ("audit", "--json"),
    ("export",),
    ("export", "--format", "jsonl"),
    ("history", "--html"),
    ("diff", "1", "--format", "unified"),
    ("diff", "1", "--format", "markdown"),
    ("diff", "1", "--format", "html"),
]
#: Exactly the colour codes the command line writes itself: click's yellow
#: for digests and labels, and render_terminal's.
_OWN_SGR = re.compile(r"\x1b\[(?:0|2|33|31|32|1;36|31;9|32;4|36;4|36;9)m")


def _invoke(path: Path, args: tuple[str, ...]) -> Result:
    """Run a command on *path*: its name, the path, then its arguments."""
    return run(args[0], str(path), *args[1:])


class TestTerminalSafety:
    """No command lets a document's text drive the terminal."""

    @pytest.mark.parametrize(("options", "args", "shown"), _LISTINGS)
    def test_listings(
        self,
        hostile: Path,
        options: tuple[str, ...],
        args: tuple[str, ...],
        shown: str,
    ) -> None:
        """Listings show controls as pictures, to a terminal or a pipe."""
        result = run(*options, args[0], str(hostile), *args[1:])
        assert result.exit_code in {EXIT_OK, EXIT_DIFFERENT}, result.stderr
        assert shown in _OWN_SGR.sub("", result.stdout)
        assert [] == _CONTROLS.findall(_OWN_SGR.sub("", result.stdout))
        if options:
            assert _OWN_SGR.search(result.stdout)

    @pytest.mark.parametrize("args", _DOCUMENTS)
    def test_documents_exact_to_pipes(
        self, hostile: Path, args: tuple[str, ...]
    ) -> None:
        """Documents and machine formats keep every character in a pipe."""
        result = _invoke(hostile, args)
        assert result.exit_code in {EXIT_OK, EXIT_DIFFERENT}, result.stderr
        assert "\u202e" in result.stdout
        assert "\u241b" not in result.stdout

    @pytest.mark.parametrize("args", _DOCUMENTS)
    def test_documents_escaped_on_terminal(
        self,
        hostile: Path,
        args: tuple[str, ...],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        """On a terminal the same output arrives with controls shown."""
        piped = _invoke(hostile, args).stdout
        monkeypatch.setattr(_cli, "_stdout_is_terminal", lambda: True)
        result = _invoke(hostile, args)
        assert escape_terminal(piped) == result.stdout
        assert [] == _CONTROLS.findall(result.stdout)

    def test_show_exact_bytes(self, hostile: Path) -> None:
        """Show to a pipe is the stored text byte for byte."""
        result = run("show", str(hostile), "1")
        assert _EVIL_TEXT.encode() == result.stdout_bytes

    def test_store_ls(self, hostile: Path, tmp_path: Path) -> None:
        """The store ls listing shows a hostile id with controls escaped."""
        store = tmp_path / "s.sqlite"
        assert (
            EXIT_OK
            == run("-q", "store", "put", str(store), str(hostile)).exit_code
        )
        result = run("store", "ls", str(store))
        assert "evil\u241b[2J\\u202e\n" == result.stdout

    def test_errors(self, tmp_path: Path) -> None:
        """An error naming a hostile file name shows its controls."""
        name = tmp_path / "no\x1b[2Jsuch\u202e.json"
        line = _one_error_line(run("show", str(name)))
        assert [] == _CONTROLS.findall(line)
        assert "no\u241b[2Jsuch\\u202e.json" in line

    def test_real_terminal(self, hostile: Path) -> None:
        """Through a real pseudo-terminal, show sends no escape sequence."""
        if not SCRIPT.exists():
            pytest.skip(f"no console script at {SCRIPT}; pip install -e .")
        main, side = pty.openpty()
        with subprocess.Popen(
            [str(SCRIPT), "show", str(hostile), "1"],
            stdout=side,
            stderr=subprocess.DEVNULL,
        ) as child:
            os.close(side)
            chunks = []
            with contextlib.suppress(OSError):  # EIO once the child exits
                while chunk := os.read(main, 4096):
                    chunks.append(chunk)
            os.close(main)
        assert 0 == child.returncode
        shown = b"".join(chunks).decode("utf-8").replace("\r\n", "\n")
        assert [] == _CONTROLS.findall(shown)
        assert "Hello \u241b[2J world\\u202e olleh\n" in shown


class TestRevisionShorthandRegressions:
    """References fuzzing found that escaped as tracebacks."""

    @pytest.mark.parametrize("ref", ["1" * 5000, "-" + "1" * 5000, "9" * 19])
    def test_long_numbers(self, history: Path, ref: str) -> None:
        """A number too long for int() is an unknown revision, not a crash."""
        result = run("show", str(history), ref)
        assert EXIT_USAGE == result.exit_code
        assert str(history) in _one_error_line(result)

    def test_year_one_at_a_positive_offset(self, history: Path) -> None:
        """A time before year 1 in UTC is an unknown revision, not a crash."""
        result = run("show", str(history), "@0001-01-01T00:00+05:00")
        assert EXIT_USAGE == result.exit_code
        assert "outside years 1 to 9999" in _one_error_line(result)
