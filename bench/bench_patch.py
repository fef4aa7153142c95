"""
revtrack's patches against diff-match-patch's own patch functions.

A seeded 1 MB Markdown-like text with scattered word edits (about 1,300
hunks), timed in the same run:

- make: ``revtrack.make_patch(old, new, granularity="char")`` against
  ``patch_make(old, new)`` (both compute their own character diff; dmp with
  no deadline), and ``Patch.from_diff`` against ``patch_make(old, diffs)``
  given the same diff;
- format: ``Patch.format("dmp")`` against ``patch_toText``;
- parse: ``Patch.parse`` against ``patch_fromText`` on the same text;
- apply: ``Patch.apply`` against ``patch_apply``;
- parse again at 4 MB (about 5,100 hunks), to show how both scale
  (``patch_fromText`` deletes each line from the front of a list).

Ratios are diff-match-patch's median time over revtrack's (above 1 means
revtrack is faster).
"""

from __future__ import annotations

import random

from diff_match_patch import diff_match_patch

import revtrack

from ._timing import median_time, table

_WORDS = [
    "the",
    "of",
    "and",
    "to",
    "in",
    "is",
    "that",
    "for",
    "it",
    "as",
    "with",
    "was",
    "on",
    "be",
    "by",
    "this",
    "are",
    "or",
    "which",
    "an",
    "from",
    "at",
    "not",
    "have",
    "has",
    "but",
    "all",
    "were",
    "their",
    "been",
    "one",
    "can",
    "more",
    "revision",
    "document",
    "policy",
    "statement",
    "update",
    "section",
    "paragraph",
    "clause",
    "privacy",
    "terms",
    "service",
    "data",
    "user",
    "account",
    "content",
    "law",
    "act",
    "amendment",
]


def _texts(size: int, edits: int, seed: int = 3) -> tuple[str, str]:
    rnd = random.Random(seed)
    paragraphs = []
    total = 0
    while total < size:
        words = [rnd.choice(_WORDS) for _ in range(rnd.randint(20, 80))]
        para = " ".join(words).capitalize() + ".\n\n"
        if rnd.random() < 0.1:
            para = "## " + " ".join(words[:4]) + "\n\n"
        paragraphs.append(para)
        total += len(para)
    old = "".join(paragraphs)[:size]
    tokens = old.split(" ")
    for i in rnd.sample(range(len(tokens)), edits):
        tokens[i] = rnd.choice(_WORDS).upper()
    return old, " ".join(tokens)


def main() -> None:
    """Print the ratio table for a 1 MB text."""
    old, new = _texts(1_000_000, 1_300)
    dmp = diff_match_patch()
    dmp.Diff_Timeout = 0
    diffs = dmp.diff_main(old, new)
    ops = {0: revtrack.Op.EQUAL, 1: revtrack.Op.INSERT, -1: revtrack.Op.DELETE}
    d = revtrack.Diff(tuple(revtrack.Edit(ops[o], t) for o, t in diffs))
    patch = revtrack.Patch.from_diff(d)
    text = patch.format("dmp")
    dmp_patches = dmp.patch_make(old, diffs)
    dmp_text = dmp.patch_toText(dmp_patches)
    assert patch.apply(old) == new  # noqa: S101
    assert dmp.patch_apply(dmp_patches, old)[0] == new  # noqa: S101
    print(
        f"1 MB text, {len(patch.hunks)} revtrack hunks,"
        f" {len(dmp_patches)} diff-match-patch hunks"
    )
    steps = [
        (
            "make from texts",
            lambda: revtrack.make_patch(old, new, granularity="char"),
            lambda: dmp.patch_make(old, new),
        ),
        (
            "make from a diff",
            lambda: revtrack.Patch.from_diff(d),
            lambda: dmp.patch_make(old, diffs),
        ),
        (
            "format",
            lambda: patch.format("dmp"),
            lambda: dmp.patch_toText(dmp_patches),
        ),
        (
            "parse",
            lambda: revtrack.Patch.parse(text),
            lambda: dmp.patch_fromText(dmp_text),
        ),
        (
            "apply",
            lambda: patch.apply(old),
            lambda: dmp.patch_apply(dmp_patches, old),
        ),
    ]
    big_old, big_new = _texts(4_000_000, 5_200)
    big_text = revtrack.make_patch(
        big_old, big_new, granularity="char"
    ).format()
    steps.append(
        (
            "parse, 4 MB",
            lambda: revtrack.Patch.parse(big_text),
            lambda: dmp.patch_fromText(big_text),
        )
    )
    rows = []
    for name, ours, theirs in steps:
        mine = median_time(ours, repeat=3)
        other = median_time(theirs, repeat=3)
        rows.append(
            [name, f"{mine:.3f}", f"{other:.3f}", f"{other / mine:.1f}x"]
        )
    print(table(["step", "revtrack s", "dmp s", "dmp / revtrack"], rows))
