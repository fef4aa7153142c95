"""
A Sphinx directive that writes the CLI reference from the commands.

``revtrack-cli`` walks the click group in :mod:`revtrack._cli` and emits,
for each command, a section holding its ``--help`` text, so the reference
cannot drift from the commands.
"""

# ruff: noqa: INP001  (Sphinx loads it by name from docs/_ext)

from __future__ import annotations

from typing import TYPE_CHECKING

import click
from docutils import nodes
from sphinx.util.docutils import SphinxDirective

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sphinx.application import Sphinx

_WIDTH = 79


def _walk(
    command: click.Command, ctx: click.Context
) -> Iterator[tuple[click.Context, click.Command]]:
    yield ctx, command
    if isinstance(command, click.Group):
        for name in sorted(command.commands):
            sub = command.commands[name]
            if sub.hidden:
                continue
            yield from _walk(
                sub,
                click.Context(
                    sub, info_name=name, parent=ctx, terminal_width=_WIDTH
                ),
            )


class CliReference(SphinxDirective):
    """Emit a section with each command's help text."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        """Build the sections."""
        from revtrack._cli import cli  # noqa: PLC0415

        root = click.Context(cli, info_name="revtrack", terminal_width=_WIDTH)
        sections: list[nodes.Node] = []
        for ctx, command in _walk(cli, root):
            name = ctx.command_path
            section = nodes.section(ids=[nodes.make_id(f"cli-{name}")])
            section += nodes.title(text=name)
            text = command.get_help(ctx)
            block = nodes.literal_block(text, text)
            block["language"] = "text"
            section += block
            sections.append(section)
        return sections


def setup(app: Sphinx) -> dict[str, object]:
    """Register the directive."""
    app.add_directive("revtrack-cli", CliReference)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
