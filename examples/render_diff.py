"""
Write standalone HTML pages showing the Quintet press release's update.

On 1 August 2019 GOV.UK updated the press release "Attorneys General lead
international cooperation to combat cybercrime" with the change note "Added
link to Quintet communiqué.". This script diffs two plausible revisions of
its opening paragraphs, writes the change as an inline page and as a side by
side page into the current folder, and prints what was inserted and where
the pages are.

Contains public sector information licensed under the Open Government
Licence v3.0.
"""

from __future__ import annotations

from pathlib import Path

import revtrack

TITLE = "Attorneys General lead international cooperation to combat cybercrime"

BEFORE = """\
At a meeting held in London, the Quintet signed a statement reaffirming \
their support of the Council of Europe Convention on Cybercrime — also \
known as the Budapest Convention — as a strong, legally-binding framework \
to combat cybercrime.

The Quintet also discussed a range of shared issues affecting their various \
jurisdictions including corporate criminal liability, sentencing \
frameworks, hostile state activity, social media and data privacy issues.
"""

LINK = (
    "([Quintet communiqué](https://www.gov.uk/government/publications/"
    "quintet-of-attorneys-general-communique))"
)

AFTER = BEFORE.replace(
    "the Quintet signed a statement ",
    f"the Quintet signed a statement {LINK} ",
)


def main() -> None:
    """Write the two pages and say where they are."""
    change = revtrack.diff(BEFORE, AFTER)
    for edit in change.edits:
        if edit.op is revtrack.Op.INSERT:
            print(f"Inserted: {edit.text.strip()}")
    title = f"{TITLE}: changes of 1 August 2019"
    pages = {
        "inline": revtrack.render_html(change, standalone=True, title=title),
        "side-by-side": revtrack.render_html(
            change, style="side-by-side", standalone=True, title=title
        ),
    }
    for style, page in pages.items():
        path = Path(f"quintet-{style}.html").resolve()
        path.write_text(page, encoding="utf-8")
        print(f"Wrote the {style} page: {path}")


if __name__ == "__main__":
    main()
