"""The command line explains itself: every command has a description with an example, every
option has help, and the shell completion covers every command."""

from __future__ import annotations

import argparse

import pytest

from belarchive.cli import build_parser, gui_request


def _commands(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> list[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found.append(((*path, name), sub))
                found += _commands(sub, (*path, name))
    return found


def test_every_command_has_a_description_with_an_example_and_every_option_help() -> None:
    missing = []
    for path, sub in _commands(build_parser()):
        has_children = any(isinstance(a, argparse._SubParsersAction) for a in sub._actions)
        if not has_children and "Example:" not in (sub.description or ""):
            missing.append(f"{' '.join(path)}: no description with an example")
        for action in sub._actions:
            if isinstance(action, (argparse._HelpAction, argparse._SubParsersAction)):
                continue
            if not action.help:
                missing.append(f"{' '.join(path)} {action.option_strings or action.dest}: no help")
    assert not missing, "\n".join(missing)


def test_completion_scripts_name_every_command() -> None:
    from belarchive.cli.desktop_cmds import completion_script

    bash, zsh = completion_script("bash"), completion_script("zsh")
    for path, _sub in _commands(build_parser()):
        assert path[-1] in bash and path[-1] in zsh


@pytest.mark.parametrize(
    ("args", "gui"),
    [
        ([], []),
        (["Cases.belarchive"], ["--catalogue", "Cases.belarchive"]),
        (["-C", "x", "-u", "anna"], ["--catalogue", "x", "--user", "anna"]),
        (["--catalogue=x"], ["--catalogue", "x"]),
        (["Cases.belarchive", "-u", "anna"], ["--catalogue", "Cases.belarchive", "--user", "anna"]),
        (["list"], None),
        (["-C", "x", "list"], None),
        (["--version"], None),
        (["-C"], None),
    ],
)
def test_what_opens_the_desktop_app(args: list[str], gui: list[str] | None) -> None:
    assert gui_request(args) == gui
