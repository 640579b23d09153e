"""The public API (imid_onto's ``__all__``): what help() and dir() show, what ``import
imid_onto`` costs, and that each operation is what the command of its name does."""

from __future__ import annotations

import contextlib
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import imid_onto
from imid_onto.reasoning.infer import RL_LOSS

from ..conftest import FIXTURES, REPO, cli

CHIMERA = (
    "https://w3id.org/imid-onto/test/chimera is both https://w3id.org/imid-onto/ontology#Protein and "
    "https://w3id.org/imid-onto/ontology#SmallMolecule, which are disjoint"
)


def _python(code: str, env: dict | None = None) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _run(code: str) -> str:
    """``code`` run as a script in this process: what it prints."""
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code, "<script>", "exec"), {"__name__": "__main__"})
    return printed.getvalue()


def test_dir_shows_every_name_of_all_before_any_is_used():
    shown = _python("import imid_onto; print(' '.join(dir(imid_onto)))").split()
    assert [name for name in imid_onto.__all__ if name not in shown] == []


def test_help_shows_every_name_of_all():
    text = _python("import imid_onto, pydoc; print(pydoc.render_doc(imid_onto, renderer=pydoc.plaintext))")
    missing = [
        name
        for name in imid_onto.__all__
        if name != "__version__" and not re.search(rf"^ {{4}}(class )?{name}\(", text, re.MULTILINE)
    ]
    assert missing == []
    assert re.search(r"^VERSION\n +\S", text, re.MULTILINE)


def test_the_readme_uses_only_names_of_all():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    used = set(re.findall(r"\bimid_onto\.([A-Za-z_]\w*)\s*\(", readme))
    assert used <= set(imid_onto.__all__)


def test_the_readmes_python_example_runs(java, sources_dir):
    """The README's "From Python" block, run as it is written, answers as the command does."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = readme.split("From Python:", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]
    out = _run(block)
    assert out.splitlines()[0] == (
        "{'established finding': 147, 'historical proposal': 19, 'hypothesis': 15, 'interpretation': 8, "
        "'open question': 21}"
    )
    table = cli("query", "downstream-effects", "--param", "protein=IKZF1")
    assert table.returncode == 0 and out.split("\n", 1)[1] == table.stdout + "\n"  # print() adds a line end


def test_import_loads_no_rdf_library_nor_the_reasoner():
    loaded = _python("import sys, imid_onto; print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))")
    assert {"rdflib", "pyoxigraph", "owlready2", "click"}.isdisjoint(loaded.split())


def test_the_operations_keep_their_names_after_their_subpackages_are_imported():
    """Importing the subpackages validation/ and reasoning/ leaves the operations validate()
    and reason() as they are."""
    names = _python(
        "import imid_onto.reasoning.infer, imid_onto.validation.report, imid_onto\n"
        "from imid_onto.validation import duplicates\n"
        "print(imid_onto.reason.__module__, imid_onto.validate.__module__, imid_onto.check.__module__)"
    )
    assert names.split() == ["imid_onto.reasoning.infer", "imid_onto.validation.report", "imid_onto.validation.check"]


def test_reason_names_the_causes_of_an_inconsistency_as_the_command_does(java):
    result = imid_onto.reason([FIXTURES / "reasoning" / "inconsistent.ttl"])
    assert isinstance(result, imid_onto.Inference)
    assert (result.consistent, result.causes, result.warning) == (False, [CHIMERA], "")
    assert result.reasoner.startswith("HermiT")


def test_reason_without_java_falls_back_to_owl_rl_and_says_so(monkeypatch, tmp_path):
    from imid_onto.reasoning import infer

    monkeypatch.setattr(infer, "java_available", lambda: False)
    with pytest.warns(UserWarning, match="^no Java for HermiT; falling back to OWL 2 RL$"):
        result = imid_onto.reason()
    assert (result.consistent, result.warning, len(result.inferred)) == (True, RL_LOSS, 5)
    assert result.reasoner.startswith("owlrl")


def test_the_command_says_both_warnings_without_java(tmp_path):
    env = dict(os.environ, PATH=str(Path(sys.executable).parent))  # python, but no java
    done = cli("reason", env=env)
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines() == [
        "imid-onto: warning: no Java for HermiT; falling back to OWL 2 RL",
        f"imid-onto: warning: {RL_LOSS}",
    ]
    assert done.stdout.splitlines()[0].startswith("Reasoner: owlrl")


def test_a_build_result_says_why_it_fails(tmp_path):
    from rdflib import Graph

    from imid_onto.publish.release import BuildResult
    from imid_onto.validation.report import ValidationReport, ValidationResult

    def built(inference, results):
        return BuildResult(
            out=tmp_path, sizes={}, counts=None, inference=inference, validation=ValidationReport(results), answers={}
        )

    violation = ValidationResult(focus="x", shape="s", component="c", severity="violation")
    info = ValidationResult(focus="x", shape="s", component="c", severity="info")
    consistent = imid_onto.Inference(Graph(), "HermiT", "0" * 64, consistent=True)
    inconsistent = imid_onto.Inference(Graph(), "HermiT", "0" * 64, consistent=False)
    assert built(consistent, [info]).failure is None
    assert built(None, [info]).failure is None
    assert built(None, [violation, violation]).failure == (
        f"2 SHACL violation(s): see {tmp_path / 'validation-report.ttl'}"
    )
    assert built(inconsistent, [violation]).failure == "the ontology with its entities is inconsistent"
