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


def test_the_command_table_says_which_module_registers_each_command() -> None:
    """``belarchive list`` builds only event_cmds' part of the parser (cold start); the
    table that decides this must name every command where its module registers it."""
    import importlib

    from belarchive.cli import COMMAND_MODULES

    for module_name, commands in COMMAND_MODULES.items():
        sub = argparse.ArgumentParser().add_subparsers()
        importlib.import_module(module_name).register(sub)
        assert tuple(sub.choices) == commands, module_name
    whole = {path[0] for path, _sub in _commands(build_parser()) if len(path) == 1}
    assert whole == {c for commands in COMMAND_MODULES.values() for c in commands}


def test_a_named_command_parses_the_same_with_the_partial_parser() -> None:
    line = ["list", "-C", "x", "--tag", "detention", "--from", "2020-11-01"]
    partial, whole = build_parser("list").parse_args(line), build_parser().parse_args(line)
    assert vars(partial).keys() == vars(whole).keys()
    assert {k: v for k, v in vars(partial).items() if k != "handler"} == {
        k: v for k, v in vars(whole).items() if k != "handler"
    }
    assert {path[0] for path, _ in _commands(build_parser("list")) if len(path) == 1} == set(
        COMMANDS_OF_EVENT_MODULE
    )


COMMANDS_OF_EVENT_MODULE = ("add", "show", "list", "edit", "tag", "annotate", "status", "delete",
                            "undelete", "merge", "history")  # fmt: skip
