"""The command line as a user runs it (a real process, exit codes, no tracebacks): what every
command shares. Each command's own behaviour is tested with its feature (``validate`` in
tests/validation/, ``query`` in tests/queries/, ``build`` in tests/release/ ...)."""

from __future__ import annotations

import imid_onto
from imid_onto import counts, load_knowledge_base
from imid_onto.cli import main

from ..conftest import imid, one_error_line


def test_version():
    done = imid("--version")
    assert done.returncode == 0
    assert done.stdout.strip() == f"imid-onto, version {imid_onto.__version__}"


def test_info_prints_the_counts_of_the_api():
    c = counts(load_knowledge_base())
    done = imid("info")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert f"classes              {c.classes:>5}" in lines
    assert f"individuals          {c.individuals:>5}" in lines
    assert f"claims               {c.claims:>5}" in lines
    for name, n in [*c.by_status.items(), *c.by_study.items()]:
        assert f"  {n:>4}  {name}" in lines


def test_usage_errors_are_one_line_naming_the_help_to_read():
    assert one_error_line(imid("no-such-command"), 2) == "No such command 'no-such-command'. (see imid-onto --help)"
    assert one_error_line(imid("claims", "--source", "no-such-document"), 2) == (
        "Invalid value for --source: no source document 'no-such-document'; choose from: inside-blood-2014, "
        "kurtz-gotlib-2014, lu-2014-pubmed (see imid-onto claims --help)"
    )
    assert one_error_line(imid("query", "--bogus"), 2) == (
        "No such option '--bogus'. Did you mean '--user'? (see imid-onto query --help)"
    )
    assert one_error_line(imid("validate", "--format", "xml"), 2) == (
        "Invalid value for '--format': 'xml' is not one of 'text', 'json', 'turtle'. (see imid-onto validate --help)"
    )
    assert one_error_line(imid("build"), 2) == "Missing option '--out'. (see imid-onto build --help)"
    assert one_error_line(imid("publish", "--graph", "urn:x"), 2) == (
        "Missing option '--endpoint'. (see imid-onto publish --help)"
    )
    assert one_error_line(imid("fmt", "no-such-file.ttl"), 2) == (
        "Invalid value for '[FILES]...': File 'no-such-file.ttl' does not exist. (see imid-onto fmt --help)"
    )


def test_help_gives_each_commands_one_line_help_whole():
    done = imid("--help")
    assert done.returncode == 0 and done.stderr == ""
    listed = " ".join(done.stdout.split("Commands:")[1].split())  # the rows, unwrapped
    for name, command in sorted(main.commands.items()):
        words = " ".join(command.help.split("\n\n")[0].split())
        first = words[: words.index(". ") + 1] if ". " in words else words  # the first sentence
        assert f"{name} {first}" in listed
    assert "..." not in listed
    assert imid("validate", "--help").stdout.startswith("Usage: imid-onto validate [OPTIONS] [FILES]...")
