"""
Every regular expression in revtrack, and the inputs that would make it slow.

:func:`patterns` finds the compiled patterns: each ``revtrack._*`` module's
globals (inside dicts and tuples too), the patterns built by functions
(``BUILT``) and the literal patterns passed to ``re`` functions inside
functions, which :func:`call_sites` finds in the source. :data:`CASES`
says, for each, how revtrack uses it and which inputs attack it: long runs
of what its repeats accept, then a character that makes the match fail, so
a backtracking engine retries every split of the run. :func:`attack` runs
one; ``tests/test_regexes.py`` bounds it in time and ``bench/bench_regex``
shows the time grows linearly with the input.
"""

from __future__ import annotations

import ast
import functools
import importlib
import pkgutil
import re
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import revtrack

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

#: Functions that build patterns: key -> the patterns, by name.
BUILT: dict[str, Callable[[], dict[str, re.Pattern[str]]]] = {}

_RE_FUNCTIONS = {
    "compile",
    "search",
    "match",
    "fullmatch",
    "finditer",
    "findall",
    "split",
    "sub",
    "subn",
}


def _tokens_patterns() -> dict[str, re.Pattern[str]]:
    from revtrack import _tokens  # noqa: PLC0415

    return {
        f"_tokens._pattern({kind!r})": _tokens._pattern(kind)  # noqa: SLF001
        for kind in ("word", "sentence", "line")
    }


BUILT["_tokens._pattern"] = _tokens_patterns


class Case(NamedTuple):
    """
    How revtrack uses one pattern, and the runs that attack it.

    Attributes:
        use: ``"scan"`` (search, finditer, findall, sub: tried at every
            position), ``"match"`` or ``"fullmatch"`` (tried at the start).
        attacks: ``(prefix, run, end)`` triples: the run is repeated to the
            input's size.
    """

    use: str
    attacks: tuple[tuple[str, str, str], ...] = ()


#: Runs every pattern meets: spaces, letters, digits, line breaks.
GENERIC = (
    ("", " ", "\x00"),
    ("", "\t\n", "\x00"),
    ("", "a", "\x00"),
    ("", "0", "\x00"),
    ("", "\r\n", "\x00"),
    ("", "a ", "!"),
    ("", "a.", "\x00"),
)

_DAY = "1 July 2019"

CASES: dict[str, Case] = {
    "_blame._SPLIT['line']": Case("scan", (("", "x", ""),)),
    "_blame._SPLIT['word']": Case("scan", (("", "x \t", ""),)),
    "_classify._CLAIMS[0][0]": Case(
        "scan", (("", "added ", "link"), ("", "add ", "x"))
    ),
    "_classify._CLAIMS[1][0]": Case(
        "scan", (("", "removed ", "lin"), ("", "removes", "."))
    ),
    "_classify._CLAIMS[2][0]": Case(
        "scan",
        (("", "updated ", "lin"), ("", "fix", "x"), ("", "chang ", ".")),
    ),
    "_classify._CLAIMS[3][0]": Case("scan", (("", "dat", "e"),)),
    "_classify._DATE": Case(
        "scan",
        (
            ("", "1 jan ", "x"),
            ("", "january 1, ", "x"),
            ("", "1st ", "x"),
            ("", "12/", "x"),
            ("", "2019-01-", "x"),
        ),
    ),
    "_classify._HEADING": Case("fullmatch", (("#", " ", "\n"),)),
    "_classify._NUMBER": Case("fullmatch"),
    "_classify._PARAGRAPH": Case(
        "scan", (("", "a \n", ""), ("", "a \t\n \t", "\n\n"), ("a", " ", ""))
    ),
    "_classify._SENTENCE": Case(
        "scan", (("", "a.)", "x"), ("", ".", ""), ("", "a \u201d", ""))
    ),
    "_classify._TOKEN": Case("scan"),
    "_classify._WORD": Case("scan"),
    "_classify._WS": Case("scan"),
    "_classify._word_kind:\\w": Case("scan", (("", "!", ""),)),
    "_cli._revision:-?[0-9]{1,18}": Case("fullmatch", (("-", "0", "-"),)),
    "_diff._LINE_BREAK": Case("scan", (("", "\r", "\n"),)),
    "_diffjson._SURROGATE": Case("scan"),
    "_history._ENTRY": Case(
        "fullmatch",
        (
            ("- ", "1", ". "),
            ("1. ", " ", "x"),
            (f"1. {_DAY}", " ", ""),
            (f"1. {_DAY} x", " ", "\n"),
            ("-", " ", "1."),
        ),
    ),
    "_history._ENTRY_START": Case(
        "match", (("-", " ", "1. "), ("", "1", "."))
    ),
    "_history._HEADER": Case(
        "fullmatch",
        (
            (f"Published {_DAY}", " ", "x"),
            (f"Published {_DAY} ", " ", "show all updatesx"),
            (f"Published {_DAY} <u>", " ", "+ x"),
            (f"Published {_DAY} Last updated {_DAY}", " ", "!"),
            (f"Published {_DAY} +", " ", "show all updates </u>x"),
        ),
    ),
    "_html._ESCAPED": Case("scan", (("", "\\", ""),)),
    "_html._HIDDEN_STYLE": Case(
        "scan", (("display", " ", ":"), ("display:", " ", "x"))
    ),
    "_html._HTML_LINK": Case(
        "scan",
        (
            ("", "<a ", ""),
            ("", "<a href=x>", ""),
            ("", '<a href="', ""),
            ("", "<a href=x>y<", "/a"),
            ("<a href=x>", "y", "</a"),
            ("", "<a hrefhref", "="),
        ),
    ),
    "_html._MARKDOWN": Case(
        "scan",
        (
            ("", "[", ""),
            ("", "[x](", ""),
            ("", "[x](y", ""),
            ("[x](", "(a)", ""),
            ("[x](y ", '"', ""),
            ("", "\\[", "]"),
            ("", "[x](y) ", ")"),
        ),
    ),
    "_html._SPACE": Case("scan"),
    "_html._TAG": Case("scan", (("", "<", ""), ("", "<x", ""))),
    "_importers._NAME_TIME": Case(
        "scan",
        (
            ("", "2019-08-01T", "x"),
            ("", "20190801", "x"),
            ("", "2019-08-01 09:30:00.", "x"),
            ("", "2019-08-01_0930+01", "x"),
        ),
    ),
    "_importers._NULL_SHA": Case("fullmatch"),
    "_importers._RAW": Case(
        "fullmatch",
        ((":100644 100644 " + "a" * 40 + " " + "b" * 40 + " M", "0", "x"),),
    ),
    "_importers._SHA": Case("fullmatch"),
    "_model._HEX64": Case("fullmatch"),
    "_model._HEXISH": Case("fullmatch"),
    "_model._ref_time:\\s*[0-9]{4}-[0-9]{2}-[0-9]{2}\\s*": Case(
        "fullmatch", (("", " ", "2019-08-01x"), ("2019-08-01", " ", "x"))
    ),
    "_patch._ASTRAL": Case("scan"),
    "_patch._ESCAPE": Case("scan", (("", "%", ""), ("", "%a", "%"))),
    "_patch._HEADER": Case(
        "match", (("@@ -", "1", ""), ("@@ -1,1 +1", "1", ""))
    ),
    "_patch._SURROGATE": Case("scan"),
    "_render._BREAK": Case("scan"),
    "_render._CLOSER": Case("scan", (("", "++", ""), ("", "-}", ""))),
    "_render._CONTROL": Case("scan", (("", "\r", ""),)),
    "_render._LINE": Case("scan", (("", "\r", ""), ("", "x", ""))),
    "_render._OPENER": Case("scan", (("", "{", ""), ("", "{+", ""))),
    "_time._DISPLAY_DATE": Case("fullmatch", (("1 ", "July", ""),)),
    "_time._ISO_DATE": Case("fullmatch"),
    "_time._ISO_DATETIME": Case(
        "fullmatch",
        (("2019-08-01T09:30:00.", "0", ""), ("2019-08-01T", "0", "")),
    ),
    "_tokens._PLAIN": Case(
        "scan", (("", "a", "\u0301"), ("", "\u2019", "\u200d"))
    ),
    "_tokens._PLAIN_WORD": Case(
        "scan", (("", "a", ""), ("", " ", "\r\n"), ("", "\r", ""))
    ),
    "_tokens._WORD": Case("match"),
    "_tokens._pattern('line')": Case("scan", (("", "\r", ""), ("", "x", ""))),
    "_tokens._pattern('sentence')": Case(
        "scan",
        (
            ("", "a.", ""),
            ("", "a.)", ""),
            ("", ".!?", ""),
            ("", "\u3002", "x"),
            ("", "a ", ""),
            ("", "Mr. ", "x"),
        ),
    ),
    "_tokens._pattern('word')": Case(
        "scan",
        (
            ("", "a\u0301", ""),
            ("", "\u200d", ""),
            ("", "a\u200d", " "),
            ("", "\u6771", ""),
            ("", "e\u0301\u0302", "\u200d"),
        ),
    ),
    "_unified._HUNK": Case(
        "match", (("@@ -1 +1 @@ ", "x", "\n\n"), ("@@ -", "1", ""))
    ),
    "_unified._TIME": Case(
        "match", (("2019-08-01 09:30:00.", "0", " +0100x"),)
    ),
    "_unified._check_label:[\\t\\r\\n]": Case("scan"),
}


def _modules() -> Iterator[str]:
    for info in pkgutil.iter_modules(revtrack.__path__):
        if info.name.startswith("_") and info.name != "__main__":
            yield info.name


def _walk(
    value: object, key: str, depth: int = 0
) -> Iterator[tuple[str, re.Pattern[str]]]:
    if isinstance(value, re.Pattern):
        yield key, value
    elif depth < 3 and isinstance(value, dict):  # noqa: PLR2004
        for name, item in value.items():
            yield from _walk(item, f"{key}[{name!r}]", depth + 1)
    elif depth < 3 and isinstance(value, tuple | list):  # noqa: PLR2004
        for i, item in enumerate(value):
            yield from _walk(item, f"{key}[{i}]", depth + 1)


class _Calls(ast.NodeVisitor):
    """Collect ``re.<function>(...)`` calls and the function around each."""

    def __init__(self) -> None:
        self.scope: list[str] = []
        self.found: list[tuple[str | None, str | None]] = []

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self.scope.append(node.name)
        self.generic_visit(node)
        self.scope.pop()

    visit_AsyncFunctionDef = visit_FunctionDef  # type: ignore[assignment]  # noqa: N815

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and func.value.id == "re"
            and func.attr in _RE_FUNCTIONS
        ):
            first = node.args[0] if node.args else None
            literal = (
                first.value
                if isinstance(first, ast.Constant)
                and isinstance(first.value, str)
                else None
            )
            self.found.append((self.scope[0] if self.scope else None, literal))
        self.generic_visit(node)


@functools.cache
def call_sites() -> dict[str, str | None]:
    """
    Return the ``re`` calls inside functions, by key.

    A call with a literal pattern is ``module.function:pattern`` (its value
    the pattern); any other is ``module.function``, which must be in
    :data:`BUILT` (its value ``None``). Calls at module level make the
    globals that :func:`patterns` reads.
    """
    root = Path(revtrack.__file__).parent
    sites: dict[str, str | None] = {}
    for module in _modules():
        calls = _Calls()
        calls.visit(ast.parse((root / f"{module}.py").read_text("utf-8")))
        for function, literal in calls.found:
            if function is None:
                continue
            if literal is None or f"{module}.{function}" in BUILT:
                sites[f"{module}.{function}"] = None
            else:
                sites[f"{module}.{function}:{literal}"] = literal
    return sites


def patterns() -> dict[str, re.Pattern[str]]:
    """Return every pattern revtrack compiles or passes to ``re``, by key."""
    found: dict[str, re.Pattern[str]] = {}
    for module in _modules():
        namespace = vars(importlib.import_module(f"revtrack.{module}"))
        for name, value in namespace.items():
            found.update(_walk(value, f"{module}.{name}"))
    for key, literal in call_sites().items():
        if literal is not None:
            found[key] = re.compile(literal)
    for build in BUILT.values():
        found.update(build())
    return found


def inputs(case: Case, size: int) -> list[str]:
    """Return the attack inputs for *case*, each about *size* characters."""
    out = []
    for prefix, run, end in (*GENERIC, *case.attacks):
        out.append(prefix + run * (size // len(run)) + end)
    return out


def attack(pattern: re.Pattern[str], case: Case, size: int) -> int:
    """Run *pattern* over each attack input as revtrack uses it."""
    hits = 0
    for text in inputs(case, size):
        if case.use == "scan":
            hits += sum(1 for _ in pattern.finditer(text))
        elif case.use == "match":
            hits += pattern.match(text) is not None
        else:
            hits += pattern.fullmatch(text) is not None
    return hits
