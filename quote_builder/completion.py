"""Shell completion scripts made from the command line's own parser.

``quote-builder completion bash|zsh|fish`` prints a script that knows every command,
sub-command, option and fixed choice (it is generated from ``cli.build_parser()``, so it
never falls behind the commands). Where a file or a URL is expected it completes file
names. The script is static: pressing Tab never starts Quote Builder.
"""

from __future__ import annotations

import argparse
import shlex
from collections.abc import Iterator
from dataclasses import dataclass, field

SHELLS = ("bash", "zsh", "fish")
PROG = "quote-builder"


@dataclass
class Level:
    """One command level: ``()`` is the top, ``("quotes", "list")`` a sub-command."""

    path: tuple[str, ...]
    commands: dict[str, str] = field(default_factory=dict)  # name: help
    options: dict[str, str] = field(default_factory=dict)  # option string: help
    valued: set[str] = field(default_factory=set)  # options that take a value
    choices: dict[str, tuple[str, ...]] = field(default_factory=dict)  # option: its choices
    positional_choices: tuple[str, ...] = ()


def levels(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> Iterator[Level]:
    level = Level(path)
    children: list[tuple[str, argparse.ArgumentParser]] = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {a.dest: a.help or "" for a in action._choices_actions}
            for name, sub in action.choices.items():
                level.commands[name] = helps.get(name, "")
                children.append((name, sub))
        elif action.option_strings:
            if action.help == argparse.SUPPRESS:
                continue
            for option in action.option_strings:
                level.options[option] = action.help or ""
                if action.nargs != 0:
                    level.valued.add(option)
                    if action.choices:
                        level.choices[option] = tuple(str(c) for c in action.choices)
        elif action.choices and not level.positional_choices:
            level.positional_choices = tuple(str(c) for c in action.choices)
    yield level
    for name, sub in children:
        yield from levels(sub, (*path, name))


def _key(path: tuple[str, ...]) -> str:
    # "@" is the top level (bash refuses an empty key in an associative array).
    return shlex.quote(" ".join(("@", *path)))


def bash_script(parser: argparse.ArgumentParser) -> str:
    all_levels = list(levels(parser))
    lines = [
        f"# bash completion for {PROG} (made by `{PROG} completion bash`)",
        "declare -gA _qb_commands _qb_options _qb_valued _qb_choices _qb_positional",
    ]
    for lv in all_levels:
        k = _key(lv.path)
        lines.append(f"_qb_commands[{k}]={shlex.quote(' '.join(lv.commands))}")
        lines.append(f"_qb_options[{k}]={shlex.quote(' '.join(sorted(lv.options)))}")
        lines.append(f"_qb_valued[{k}]={shlex.quote(' '.join(sorted(lv.valued)))}")
        lines.append(f"_qb_positional[{k}]={shlex.quote(' '.join(lv.positional_choices))}")
        for option, choices in sorted(lv.choices.items()):
            lines.append(
                f"_qb_choices[{_key((*lv.path, option))}]={shlex.quote(' '.join(choices))}"
            )
    lines.append(
        r"""_quote_builder() {
    local cur="${COMP_WORDS[COMP_CWORD]}" prev="" path="@" word i skip=0
    ((COMP_CWORD > 0)) && prev="${COMP_WORDS[COMP_CWORD-1]}"
    for ((i = 1; i < COMP_CWORD; i++)); do
        word="${COMP_WORDS[i]}"
        if ((skip)); then skip=0; continue; fi
        if [[ "$word" == -* ]]; then
            [[ "$word" != *=* && " ${_qb_valued[$path]} " == *" $word "* ]] && skip=1
        elif [[ " ${_qb_commands[$path]} " == *" $word "* ]]; then
            path="$path $word"
        fi
    done
    if ((skip)); then
        local key="$path $prev"
        if [[ -n "${_qb_choices[$key]+set}" ]]; then
            mapfile -t COMPREPLY < <(compgen -W "${_qb_choices[$key]}" -- "$cur")
        else
            mapfile -t COMPREPLY < <(compgen -f -- "$cur")
        fi
        return 0
    fi
    if [[ "$cur" == -* ]]; then
        mapfile -t COMPREPLY < <(compgen -W "${_qb_options[$path]}" -- "$cur")
        return 0
    fi
    local words="${_qb_commands[$path]} ${_qb_positional[$path]}"
    if [[ -n "${words// /}" ]]; then
        mapfile -t COMPREPLY < <(compgen -W "$words" -- "$cur")
    else
        mapfile -t COMPREPLY < <(compgen -f -- "$cur")
    fi
    return 0
}
complete -o filenames -o bashdefault -F _quote_builder quote-builder"""
    )
    return "\n".join(lines) + "\n"


def zsh_script(parser: argparse.ArgumentParser) -> str:
    return (
        f"# zsh completion for {PROG} (made by `{PROG} completion zsh`): zsh runs the bash\n"
        "# script through bashcompinit.\n"
        "autoload -U +X compinit && compinit\n"
        "autoload -U +X bashcompinit && bashcompinit\n" + bash_script(parser)
    )


def _fish_text(text: str) -> str:
    return shlex.quote(text.split(";")[0].split(" (")[0][:70])


def fish_script(parser: argparse.ArgumentParser) -> str:
    lines = [f"# fish completion for {PROG} (made by `{PROG} completion fish`)"]
    lines.append(f"complete -c {PROG} -f")
    for lv in levels(parser):
        if lv.path:
            seen = "; and ".join(f"__fish_seen_subcommand_from {w}" for w in lv.path)
            condition = seen
        else:
            condition = "__fish_use_subcommand"
        leaf = not lv.commands
        for name, text in lv.commands.items():
            lines.append(
                f"complete -c {PROG} -n {shlex.quote(condition)} -a {name} -d {_fish_text(text)}"
            )
        for option, text in sorted(lv.options.items()):
            flag = f"-l {option[2:]}" if option.startswith("--") else f"-s {option[1:]}"
            extra = ""
            if option in lv.choices:
                extra = f" -x -a {shlex.quote(' '.join(lv.choices[option]))}"
            elif option in lv.valued:
                extra = " -r -F"
            lines.append(
                f"complete -c {PROG} -n {shlex.quote(condition)} {flag}{extra} -d {_fish_text(text)}"
            )
        if lv.positional_choices:
            lines.append(
                f"complete -c {PROG} -n {shlex.quote(condition)} -a {shlex.quote(' '.join(lv.positional_choices))}"
            )
        elif leaf and lv.path:
            lines.append(f"complete -c {PROG} -n {shlex.quote(condition)} -F")
    return "\n".join(lines) + "\n"


def completion_script(parser: argparse.ArgumentParser, shell: str) -> str:
    return {"bash": bash_script, "zsh": zsh_script, "fish": fish_script}[shell](parser)
