"""``imid-onto fmt``: canonical Turtle written in place, ``--check`` naming the file and the
command that fixes it, and a file that does not parse named with its line and column."""

from __future__ import annotations

from ..conftest import FIXTURES, cli


def test_a_malformed_file_names_file_line_and_column_without_traceback():
    bad = FIXTURES / "broken" / "literal-subject.ttl"
    done = cli("fmt", "--check", str(bad))
    assert done.returncode == 2
    assert done.stderr.startswith(f"imid-onto: error: {bad}:3:1: syntax error:")
    assert "Traceback" not in done.stderr


def test_fmt_check_names_the_fixing_command(tmp_path):
    loose = tmp_path / "loose.ttl"
    loose.write_text('@prefix ex: <https://w3id.org/imid-onto/test/> .\nex:a ex:b "x" .\n')
    done = cli("fmt", "--check", str(loose))
    assert done.returncode == 1
    assert f"run: imid-onto fmt {loose}" in done.stdout
    assert cli("fmt", str(loose)).returncode == 0
    assert cli("fmt", "--check", str(loose)).returncode == 0
