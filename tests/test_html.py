"""html_to_text and extract_links."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from revtrack import Link, extract_links, html_to_text
from revtrack.exceptions import FormatError


class TestBlocks:
    """Block elements each get their own line."""

    def test_headings_paragraphs_items(self) -> None:
        """Headings, paragraphs and list items are lines of their own."""
        html = (
            "<h1>Title</h1><p>One <b>bold</b>\n  word.</p>"
            "<ul><li>a</li><li>b<li>c</ul><ol><li>x</li><li>y</li></ol>"
            "<h2>Next</h2>"
        )
        expected = (
            "# Title\n\nOne bold word.\n\n- a\n- b\n- c\n\n1. x\n2. y\n\n"
            "## Next\n"
        )
        assert expected == html_to_text(html)

    def test_line_break_and_pre(self) -> None:
        """A <br> breaks the line and <pre> keeps its white space."""
        html = "<p>a<br>b</p><pre>  x\n    y</pre>"
        assert "a\nb\n\n  x\n    y\n" == html_to_text(html)

    def test_rule(self) -> None:
        """A horizontal rule ends the block before it."""
        assert "a\n\nb\n" == html_to_text("<p>a<hr>b</p>")

    def test_nothing_readable(self) -> None:
        """A page with no readable text gives the empty string."""
        assert "" == html_to_text("<html><head><title>T</title></head></html>")


class TestDropped:
    """Scripts, styles and hidden elements are not text."""

    @pytest.mark.parametrize(
        "html",
        [
            "<p>keep</p><script>var x = '<p>no</p>';</script>",
            "<p>keep</p><style>p { color: red }</style>",
            "<p>keep</p><div hidden><p>no</p></div>",
            '<p>keep</p><span aria-hidden="true">no</span>',
            '<p>keep</p><div style="color: red; display: none">no</div>',
            "<p>keep</p><template><p>no</p></template>",
        ],
    )
    def test_dropped(self, html: str) -> None:
        """The hidden part leaves no text behind."""
        assert "keep\n" == html_to_text(html)

    def test_aria_hidden_false_is_kept(self) -> None:
        """aria-hidden="false" hides nothing."""
        assert "yes\n" == html_to_text('<p aria-hidden="false">yes</p>')


class TestLinksAndEntities:
    """Links become Markdown and entities are decoded."""

    def test_link_resolved(self) -> None:
        """A relative href is resolved against the base URL."""
        html = '<p>See <a href="../c">the <i>communiqué</i></a>.</p>'
        expected = "See [the communiqué](https://gov.uk/c).\n"
        assert expected == html_to_text(html, base_url="https://gov.uk/a/b")

    def test_entities(self) -> None:
        """Named and numeric entities are decoded."""
        assert "café — “q” & <\n" == html_to_text(
            "<p>caf&eacute; &mdash; &#8220;q&#x201d; &amp; &lt;</p>"
        )

    def test_brackets_escaped(self) -> None:
        """Brackets in link text are escaped so the link still parses."""
        text = html_to_text('<a href="/x">[draft]</a>')
        assert (Link("[draft]", "/x"),) == extract_links(text)

    def test_bytes(self) -> None:
        """Bytes are read as UTF-8, with U+FFFD for bytes that are not."""
        assert "é\ufffd\n" == html_to_text("<p>é".encode() + b"\xff</p>")

    def test_not_text(self) -> None:
        """Anything but str or bytes raises FormatError."""
        with pytest.raises(FormatError):
            html_to_text(42)  # type: ignore[arg-type]


class TestHostile:
    """Hostile pages give text, in time linear in their size."""

    # No timed assertions: at these sizes the quadratic paths of
    # html.parser (an open tag or comment at the end of the page) take
    # minutes, so a regression shows as a stalled suite.
    @pytest.mark.parametrize(
        ("html", "expected"),
        [
            ("<div>" * 10_000 + "deep" + "</div>" * 10_000, "deep\n"),
            ("<a" * 20_000, ""),
            ("x<!--" * 20_000, "x\n"),
            ('<a b="' * 20_000 + ">", ""),
            ("<p " + "a=b " * 20_000 + ">x", "x\n"),
            ("</p>" * 20_000 + "x", "x\n"),
            ("<p>x<script>" + "</scrip" * 20_000, "x\n"),
        ],
    )
    def test_hostile(self, html: str, expected: str) -> None:
        """Unclosed tags, deep nesting and open constructs give text."""
        assert expected == html_to_text(html)

    def test_huge_attribute(self) -> None:
        """A 500,000-character href is kept whole."""
        text = html_to_text('<a href="' + "x" * 500_000 + '">y</a>')
        assert "[y](" + "x" * 500_000 + ")\n" == text

    def test_deep_text_kept(self) -> None:
        """Text inside 10,000 unclosed divs is still read."""
        assert "deep\n" == html_to_text("<div>" * 10_000 + "deep")

    def test_mixed_encodings(self) -> None:
        """Latin-1 bytes inside UTF-8 become U+FFFD, not an error."""
        raw = "<p>naïve ".encode() + "naïve</p>".encode("latin-1")
        assert "naïve na\ufffdve\n" == html_to_text(raw)

    @given(st.text())
    @settings(max_examples=200, deadline=None)
    def test_fuzz(self, html: str) -> None:
        """Any string gives text ending in a newline, or nothing."""
        text = html_to_text(html)
        assert text == "" or text.endswith("\n")

    @given(st.text(alphabet="<>/ap =\"'!-&;#x", max_size=60))
    @settings(max_examples=200, deadline=None)
    def test_fuzz_markup(self, html: str) -> None:
        """Strings made of markup characters never raise."""
        assert isinstance(html_to_text(html), str)


class TestExtractLinks:
    """Links in Markdown and HTML text."""

    def test_markdown_and_html(self) -> None:
        """Both forms are found, in order, with their positions."""
        text = "a [x](/1 \"t\") b <A HREF='/2'>y &amp; z</a> ![img](/i)"
        links = extract_links(text)
        assert (Link("x", "/1"), Link("y & z", "/2")) == links
        assert ['[x](/1 "t")', "<A HREF='/2'>y &amp; z</a>"] == [
            text[k.start : k.end] for k in links
        ]

    def test_parentheses_in_target(self) -> None:
        """A target may hold balanced parentheses, as CommonMark allows."""
        assert (Link("PDF", "/a(07.22)(FR).pdf"),) == extract_links(
            "See [PDF](/a(07.22)(FR).pdf)."
        )

    def test_escaped_bracket(self) -> None:
        """An escaped bracket in the text is unescaped in the link text."""
        assert (Link("a]b", "/x"),) == extract_links(r"[a\]b](/x)")

    def test_long_unclosed_runs(self) -> None:
        """Long runs of unclosed links hold no link (and do not stall)."""
        assert () == extract_links(
            "[a](" * 50_000 + "[" * 50_000 + "<a href=x>" * 5_000
        )

    @given(st.text())
    @settings(max_examples=200, deadline=None)
    def test_fuzz(self, text: str) -> None:
        """Any text gives links whose positions cut out their markup."""
        for link in extract_links(text):
            assert 0 <= link.start < link.end <= len(text)


class TestFuzzRegressions:
    """Pages and texts fuzzing found that broke html_to_text or were slow."""

    @pytest.mark.parametrize(
        ("html", "expected"),
        [
            ("<p>a<![im/b>c</p>", "ac\n"),
            ("<p>a<![ x", "a\n"),
            ("<p>a<![ ]>b", "ab\n"),
            ("<p>a<![CDATA[x]]>b</p>", "ab\n"),
        ],
    )
    def test_bad_marked_section(self, html: str, expected: str) -> None:
        """A '<![' section html.parser cannot read is a comment to '>'."""
        assert expected == html_to_text(html)

    def test_href_after_a_stray_tag_start(self) -> None:
        """A link whose start tag holds '<' before href is not a link."""
        text = '<a title="<" href="/x">x</a> <a href="/y">y</a>'
        assert [("y", "/y")] == [
            (k.text, k.target) for k in extract_links(text)
        ]

    def test_unclosed_links(self) -> None:
        """A run of unclosed '<a href="' holds no link, and ends."""
        assert () == extract_links('<a href="' * 5000 + "x")
