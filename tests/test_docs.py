"""The README is the user's manual: every command and every option of it is documented there."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from resolis_ld.cli import cli

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found = []
    for name, command in sorted(group.commands.items()):
        found.append((f"{prefix}{name}", command))
        if isinstance(command, click.Group):
            found += commands(command, f"{prefix}{name} ")
    return found


@pytest.mark.parametrize("name, command", commands(cli), ids=lambda item: str(item) if isinstance(item, str) else "")
def test_every_command_has_a_section_an_example_and_its_options_in_the_readme(name: str, command: click.Command):
    assert f"resolis-ld {name}" in README, f"the README does not show resolis-ld {name}"
    assert "Example" in (command.help or ""), f"resolis-ld {name} --help has no example"
    if isinstance(command, click.Group):
        return
    for param in command.params:
        if isinstance(param, click.Option) and not param.hidden:
            flags = param.opts
            if not set(flags) & {"--help", "--quiet", "--verbose", "--debug", "--version"}:
                assert any(re.search(rf"(?<![\w-]){re.escape(flag)}(?![\w-])", README) for flag in flags), (
                    f"resolis-ld {name}: {flags[0]} is not in the README"
                )
