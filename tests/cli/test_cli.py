"""The command line as a user runs it (a real process, exit codes, no tracebacks): what every
command shares. Each command's own behaviour is tested with its feature (``validate`` in
tests/validation/, ``query`` in tests/queries/, ``build`` in tests/release/ ...)."""

from __future__ import annotations

import imid_onto
from imid_onto import counts, load_knowledge_base

from ..conftest import imid


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


def test_usage_errors_exit_2():
    assert imid("no-such-command").returncode == 2
    done = imid("claims", "--source", "no-such-document")
    assert done.returncode == 2
    assert "choose from: inside-blood-2014, kurtz-gotlib-2014, lu-2014-pubmed" in done.stderr
