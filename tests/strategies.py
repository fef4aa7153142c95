"""Hypothesis strategies shared by the tests: texts, times, documents."""

from __future__ import annotations

from typing import Any

import pendulum
from hypothesis import strategies as st

import revtrack

#: Zones with daylight saving, odd offsets and southern-hemisphere rules.
ZONES = (
    "UTC",
    "Europe/London",
    "Europe/Berlin",
    "America/New_York",
    "America/Sao_Paulo",
    "Australia/Lord_Howe",
    "Asia/Kolkata",
    "Pacific/Chatham",
)

# Instants near the UK's daylight saving changes, where calendar days and
# offsets are easiest to get wrong.
_TRANSITIONS = (
    pendulum.datetime(2019, 3, 31, 1, 0, tz="UTC"),
    pendulum.datetime(2019, 10, 27, 1, 0, tz="UTC"),
    pendulum.datetime(2019, 7, 31, 23, 0, tz="UTC"),
)


def zones() -> st.SearchStrategy[str]:
    """IANA zone names, some with daylight saving."""
    return st.sampled_from(ZONES)


def instants() -> st.SearchStrategy[pendulum.DateTime]:
    """Aware instants in a named zone, many near daylight saving changes."""
    uniform = st.integers(
        min_value=pendulum.datetime(1995, 1, 1).int_timestamp,
        max_value=pendulum.datetime(2040, 1, 1).int_timestamp,
    ).map(lambda s: pendulum.from_timestamp(s, tz="UTC"))
    near = st.builds(
        lambda base, minutes: base.add(minutes=minutes),
        st.sampled_from(_TRANSITIONS),
        st.integers(min_value=-180, max_value=180),
    )
    return st.builds(
        lambda when, zone: when.in_tz(zone),
        st.one_of(uniform, near),
        zones(),
    )


def texts() -> st.SearchStrategy[str]:
    """Document texts with astral characters, combining marks and CRs."""
    pieces = st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from(["\r\n", "\r", "\n", "💩", "🏳️‍🌈", "e\u0301", " "]),
    )
    return st.lists(pieces, max_size=40).map("".join)


def notes() -> st.SearchStrategy[str]:
    """Change notes: non-empty, one line."""
    return st.text(
        alphabet=st.characters(
            codec="utf-8", exclude_categories=("Cc", "Zl", "Zp")
        ),
        min_size=1,
        max_size=30,
    ).map(lambda s: s.strip() or "Changed.")


@st.composite
def steps(draw: st.DrawFn, *, min_size: int = 1) -> list[dict[str, Any]]:
    """Arguments for a chain: gaps in minutes, kinds, notes and texts."""
    count = draw(st.integers(min_value=min_size, max_value=8))
    start = draw(instants())
    result = []
    when = start
    for index in range(count):
        when = when.add(
            minutes=draw(st.integers(min_value=0, max_value=60 * 30))
        )
        kind = (
            "major"
            if index == 0
            else draw(st.sampled_from(["major", "minor", "republish"]))
        )
        result.append(
            {
                "text": draw(texts()),
                "at": when.in_tz(draw(zones())),
                "kind": kind,
                "note": draw(notes()),
            }
        )
    return result


def append_step(doc: revtrack.Document, step: dict[str, Any]) -> None:
    """Append one step of :func:`steps` to *doc*."""
    if not doc.revisions:
        doc.publish(step["text"], at=step["at"])
    elif step["kind"] == "major":
        doc.update(step["text"], at=step["at"], note=step["note"])
    else:
        doc.update(
            step["text"],
            at=step["at"],
            minor=step["kind"] == "minor",
            republish=step["kind"] == "republish",
        )


def build(chain: list[dict[str, Any]], **options: Any) -> revtrack.Document:
    """Build a document from :func:`steps`."""
    doc = revtrack.Document("doc", "A title", **options)
    for step in chain:
        append_step(doc, step)
    return doc


def documents() -> st.SearchStrategy[revtrack.Document]:
    """Whole documents with mixed update types and zones."""
    return steps().map(build)


def json_values() -> st.SearchStrategy[Any]:
    """Small JSON values for revision meta: nested lists and objects."""
    scalars = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(2**53), max_value=2**53),
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(max_size=8),
    )
    return st.recursive(
        scalars,
        lambda inner: st.one_of(
            st.lists(inner, max_size=3),
            st.dictionaries(st.text(max_size=5), inner, max_size=3),
        ),
        max_leaves=4,
    )


@st.composite
def stored_documents(draw: st.DrawFn) -> revtrack.Document:
    """Documents using every stored field: url, authors, meta, backwards."""
    chain = draw(steps())
    names = st.sampled_from(["doc", "Ünïcode 💩", "a/b", " spaced "])
    doc = revtrack.Document(
        draw(names),
        draw(names),
        url=draw(st.none() | st.sampled_from(["/a", "https://x.test/é"])),
        allow_backwards=draw(st.booleans()),
    )
    metas = st.none() | st.dictionaries(
        st.sampled_from(["tags", "k", "é"]), json_values(), max_size=2
    )
    for index, step in enumerate(chain):
        extra: dict[str, Any] = {
            "author": draw(st.none() | st.sampled_from(["Ann", "Бо"])),
            "meta": draw(metas),
        }
        if index == 0:
            doc.publish(step["text"], at=step["at"], **extra)
        elif step["kind"] == "major":
            doc.update(step["text"], at=step["at"], note=step["note"], **extra)
        else:
            doc.update(
                step["text"],
                at=step["at"],
                minor=step["kind"] == "minor",
                republish=step["kind"] == "republish",
                **extra,
            )
    return doc
