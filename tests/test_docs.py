"""The documentation keeps up: every command and question type is documented."""

from __future__ import annotations

import click

from workbench.cli import main
from workbench.forms.spec import QUESTION_TYPES

from .conftest import ROOT


def command_paths(group: click.Group, prefix: str = "workbench") -> list[str]:
    paths = []
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            paths += command_paths(command, f"{prefix} {name}")
        else:
            paths.append(f"{prefix} {name}")
    return paths


def test_every_command_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [p for p in command_paths(main)
               if p not in readme and p.replace("workbench db ", "db ") not in readme]
    assert not missing


def test_every_question_type_is_documented() -> None:
    forms_doc = (ROOT / "docs" / "forms.md").read_text(encoding="utf-8")
    assert all(f"`{kind}`" in forms_doc for kind in QUESTION_TYPES)


def test_readme_gives_the_two_set_up_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make demo" in readme and "make test" in readme
