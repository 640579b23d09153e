"""One type for a problem found (imid_onto.errors.Problem), shared by every check: SHACL
validation, the duplicate-claim scan, the quote check and the identifier check; and every
exception class in imid_onto.errors, each with its exit code."""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import pkgutil

from rdflib import Graph, Literal, URIRef

import imid_onto
from imid_onto import errors
from imid_onto.errors import DuplicateClaims, Problem

from ..conftest import FIXTURES

BROKEN = FIXTURES / "broken"
T = "https://w3id.org/imid-onto/test/"


def test_a_problem_has_file_line_focus_message_severity_and_hint():
    assert [f.name for f in dataclasses.fields(Problem)] == ["file", "line", "focus", "message", "severity", "hint"]
    problem = Problem(file="a.ttl", line=3, focus=T + "x", message="claim x: wrong")
    assert (problem.severity, problem.hint) == ("violation", "")
    assert str(problem) == "a.ttl:3: claim x: wrong"
    assert str(dataclasses.replace(problem, line=None)) == "a.ttl: claim x: wrong"
    assert str(Problem(focus=T + "x", message="claim x: wrong")) == "claim x: wrong"  # no place known


def test_a_shacl_result_is_a_problem_with_its_shacl_detail():
    from imid_onto.validation.report import validate

    (result,) = validate([BROKEN / "two-labels.ttl"], alone=True).results
    assert isinstance(result, Problem)
    assert (result.file, result.line, result.focus, result.severity, result.hint) == (
        str(BROKEN / "two-labels.ttl"),
        15,
        T + "multiple-myeloma",
        "violation",
        "",
    )
    assert result.message.startswith("Entity needs exactly one rdfs:label")
    assert (result.component, result.path) == (
        "http://www.w3.org/ns/shacl#MaxCountConstraintComponent",
        "http://www.w3.org/2000/01/rdf-schema#label",
    )


def test_duplicate_claims_are_problems_on_the_claim():
    from imid_onto.validation.duplicates import duplicate_claims, scan

    a, b = BROKEN / "duplicate-claim-a.ttl", BROKEN / "duplicate-claim-b.ttl"
    (problem,) = duplicate_claims([scan(a), scan(b)])
    assert (problem.file, problem.line, problem.focus, problem.severity) == (str(b), 16, T + "claim-2", "violation")
    assert problem.message.startswith(f"claim {T}claim-2 is already described in {a}:35: ")


def test_validate_reports_a_duplicated_claim_itself():
    """A Python caller of validate() gets what `imid-onto validate` says (the CLI found it alone before)."""
    from imid_onto.validation.report import validate

    path = BROKEN / "duplicate-claim.ttl"
    for keep in (False, True, True):  # the second kept: read back, and the duplicates found again
        (problem,) = validate([path], keep=keep).duplicates
        assert (problem.file, problem.line, problem.focus) == (str(path), 51, T + "claim-1")
        assert problem.message.startswith(f"claim {T}claim-1 is described a second time (first at line 36)")
    assert validate([BROKEN / "two-labels.ttl"]).duplicates == []


def test_duplicate_claims_name_the_first_and_where_the_others_are():
    problems = [Problem(file=f"f{i}.ttl", line=i, focus=f"{T}c{i}", message=f"claim c{i} twice") for i in range(1, 9)]
    assert str(DuplicateClaims(problems)) == (
        "f1.ttl:1: claim c1 twice (and 7 more: f2.ttl:2, f3.ttl:3, f4.ttl:4, f5.ttl:5, f6.ttl:6, ...)"
    )
    assert str(DuplicateClaims(problems[:2])) == "f1.ttl:1: claim c1 twice (and 1 more: f2.ttl:2)"


def test_identifier_problems_are_on_the_entity(identifier_table):
    from imid_onto.validation.xrefs import check_identifiers
    from imid_onto.vocab import OBOINOWL

    entity = URIRef(T + "thing")
    graph = Graph()
    graph.add((entity, OBOINOWL.hasDbXref, Literal("CHEBI:000000000")))
    assert check_identifiers(graph, identifier_table) == [
        Problem(focus=str(entity), message=f"{entity}: xref CHEBI:000000000 is not in the identifier table")
    ]


def test_check_places_each_problem_at_its_focus_without_reading_the_message(sources_dir, identifier_table, tmp_path):
    """The file and line come from the problem's focus: a message that does not start with
    the IRI (a quote problem says "claim CURIE: ...") is placed as well as one that does."""
    from imid_onto.validation.check import check

    quote = BROKEN / "quote-not-in-document.ttl"
    xref = tmp_path / "xref.ttl"
    xref.write_text(
        f'<{T}thing> <http://www.geneontology.org/formats/oboInOwl#hasDbXref> "CHEBI:000000000" .\n', encoding="utf-8"
    )
    quoted, bad_id = check([quote, xref])
    assert (quoted.file, quoted.line, quoted.focus) == (str(quote), 36, T + "claim-quote")
    assert quoted.message == (
        f"claim {T}claim-quote: quote not found in {T}source: "
        "'lenalidomide destroys Ikaros within minutes in every cell line tested'"
    )
    assert quoted.hint.startswith("closest passage: 'lenalidomide promotes the cereblon-dependent destruction")
    assert (bad_id.file, bad_id.line, bad_id.focus) == (str(xref), 1, T + "thing")
    assert bad_id.message == f"{T}thing: xref CHEBI:000000000 is not in the identifier table"


def test_every_exception_class_is_in_errors_with_its_exit_code():
    codes = {
        name: cls.exit_code
        for name, cls in vars(errors).items()
        if inspect.isclass(cls) and issubclass(cls, errors.ImidError)
    }
    assert codes == {
        "ImidError": 2,
        "InputError": 2,
        "ParseError": 2,
        "CheckFailed": 1,
        "DuplicateClaims": 1,
        "ReasonerUnavailable": 2,
        "Unsupported": 2,
        "RemoteError": 2,
        "MechanismUnavailable": 2,
    }
    assert set(codes) <= set(imid_onto.__all__)
    elsewhere = []
    for module in pkgutil.walk_packages(imid_onto.__path__, "imid_onto."):
        if module.name == "imid_onto.errors":
            continue
        for name, cls in vars(importlib.import_module(module.name)).items():
            if (
                inspect.isclass(cls)
                and issubclass(cls, Exception)
                and not issubclass(cls, Warning)
                and cls.__module__ == module.name
                and not name.startswith("_")
            ):
                elsewhere.append(f"{module.name}.{name}")
    assert elsewhere == []
