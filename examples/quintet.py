"""
Build the history of a GOV.UK press release and print its public footer.

The press release "Attorneys General lead international cooperation to
combat cybercrime" was first published on 31 July 2019 and updated on
1 August 2019 to add a link to the Quintet communiqué. This script rebuilds
that history from two plausible revisions of its text and prints the footer
as GOV.UK shows it.

Run it with ``make demo``. Contains public sector information licensed under
the Open Government Licence v3.0.
"""

from __future__ import annotations

import revtrack

TITLE = "Attorneys General lead international cooperation to combat cybercrime"

FIRST = """\
At a meeting held in London, the Quintet signed a statement reaffirming \
their support of the Council of Europe Convention on Cybercrime — also \
known as the Budapest Convention — as a strong, legally-binding framework \
to combat cybercrime.

The statement also supports the Open-Ended Intergovernmental Expert Group \
on Cybercrime (IEG), the United Nations forum in which substantive experts \
gather to discuss responses to cybercrime, and is best placed to take \
account of a comprehensive set of viewpoints and possible solutions on the \
subject of cybercrime.

Commenting on the meeting, UK Attorney General, Geoffrey Cox QC MP, said:

International cooperation is vital in the fight against cybercrime and my \
Quintet counterparts and I believe the Council of Europe Convention on \
Cybercrime (Budapest Convention) is the best means to do this.
"""

# The update of 1 August 2019 adds the link its change note announces.
SECOND = FIRST.replace(
    "At a meeting held in London, the Quintet signed a statement",
    "At a meeting held in London, the Quintet signed a statement "
    "([Quintet communiqué](https://www.gov.uk/government/publications/"
    "quintet-of-attorneys-general-communique))",
)


def build() -> revtrack.Document:
    """Return the press release's document with its two revisions."""
    doc = revtrack.Document(
        "attorneys-general-lead-international-cooperation-to-combat-cybercrime",
        TITLE,
        url="https://www.gov.uk/government/news/"
        "attorneys-general-lead-international-cooperation-to-combat-cybercrime",
    )
    doc.publish(FIRST, at="2019-07-31T10:30", tz="Europe/London")
    doc.update(
        SECOND,
        at="2019-08-01T09:15",
        tz="Europe/London",
        note="Added link to Quintet communiqué.",
    )
    return doc


def main() -> None:
    """Print the title, what changed and the public footer."""
    doc = build()
    print(doc.title)
    print()
    change = doc.diff(1, 2)
    for edit in change.edits:
        if edit.op is revtrack.Op.INSERT:
            print(f"Revision 2 added: {edit.text.strip()}")
    print()
    print(doc.history_text(tz="Europe/London"))


if __name__ == "__main__":
    main()
