"""The claims in the field's formats (``imid-onto export``), each checked by the format's own
reference where one installs: INDRA's JSON schema (jsonschema), PyBEL, the ``gocam``
package's Model, networkx's GraphML reader, ndex2's CX2 reader, sssom-pydantic. Each is in
the ``exports-test`` extra; where one is absent its test says so and skips (CI sets
IMID_REQUIRE_EXPORTS, so there it fails instead). And for every format: the same input
gives the same bytes, every claim is carried or left out with a reason, and nothing that is
not an established finding is carried as one."""

from __future__ import annotations

import importlib
import json
import re
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest
from rdflib import URIRef

import imid_onto
from imid_onto.model.claims import STANDING_STATUS, read_claims
from imid_onto.publish.exports import EXPORT_FORMATS, export
from imid_onto.vocab import IMID, SKOS, curie, expand

from ..conftest import FIXTURES, SHARED, _absent, imid, one_error_line

INDRA_SCHEMA = SHARED / "conformance" / "indra" / "statements_schema.json"
CLAIM_FORMATS = ("indra", "bel", "gocam", "graphml", "cx2")


def reference(module: str, what: str) -> ModuleType:
    """The format's reference library; skip where absent (fail where IMID_REQUIRE_EXPORTS is set)."""
    try:
        return importlib.import_module(module)
    except ImportError:
        _absent(f"{what} ({module}; pip install '.[exports-test]')", "IMID_REQUIRE_EXPORTS")


@pytest.fixture(scope="module")
def graph():
    return imid_onto.load_knowledge_base()


@pytest.fixture(scope="module")
def claims(graph):
    return {curie(c.iri): c for c in read_claims(graph)}


@pytest.fixture(scope="module")
def exports(graph):
    return {fmt: export(fmt, graph) for fmt in EXPORT_FORMATS}


def _standing(claim) -> bool:
    return claim.status == STANDING_STATUS and not claim.negated


# --- every format ---------------------------------------------------------------------


def test_the_command_offers_every_format_of_the_api():
    from imid_onto.cli import EXPORT_CHOICES

    assert list(EXPORT_FORMATS) == EXPORT_CHOICES


@pytest.mark.parametrize("fmt", list(EXPORT_FORMATS))
def test_an_export_is_the_same_bytes_each_time(fmt, graph, exports):
    assert export(fmt, graph).text == exports[fmt].text


@pytest.mark.parametrize("fmt", CLAIM_FORMATS)
def test_every_claim_is_carried_or_left_out_with_a_reason(fmt, exports, claims):
    result = exports[fmt]
    assert result.exported + len(result.left_out_claims) == len(claims)
    assert sum(result.left_out.values()) == len(result.left_out_claims)
    assert all(reason for _, reason in result.left_out_claims)
    assert Counter(reason for _, reason in result.left_out_claims) == Counter(result.left_out)


@pytest.mark.parametrize("fmt", ("bel", "gocam"))
def test_a_format_without_epistemics_carries_only_what_stands(fmt, exports, claims):
    left = dict(exports[fmt].left_out_claims)
    for name, claim in claims.items():
        if not _standing(claim):
            assert name in left, name
    by_status = Counter(claim.status for claim in claims.values() if claim.status != STANDING_STATUS)
    name = {"bel": "BEL", "gocam": "GO-CAM"}[fmt]
    assert (
        exports[fmt].left_out[f"hypothesis: {name} has no epistemic status, so it would read as a finding"]
        == (by_status[IMID.Hypothesis])
    )
    assert exports[fmt].left_out[f"negated: {name} cannot state a negation"] == sum(
        1 for c in claims.values() if c.negated and c.status == STANDING_STATUS
    )


# --- INDRA ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def statements(exports):
    return json.loads(exports["indra"].text)


def test_indra_statements_are_valid_against_indras_schema(statements, sources_dir):
    jsonschema = reference("jsonschema", "the JSON Schema validator")
    schema = json.loads(INDRA_SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft6Validator(schema)
    assert [e.message for e in validator.iter_errors(statements)] == []
    bio_context = jsonschema.Draft6Validator({**schema, **schema["definitions"]["BioContext"]})
    for statement in statements:
        for evidence in statement["evidence"]:
            assert list(bio_context.iter_errors(evidence["context"])) == []
            assert evidence["context"]["type"] == "bio"


def test_one_indra_statement_per_claim_with_its_quote_and_epistemics(statements, claims, exports):
    assert len(statements) == exports["indra"].exported
    assert len({s["id"] for s in statements}) == len(statements)
    for statement in statements:
        (evidence,) = statement["evidence"]
        claim = claims[curie(evidence["source_id"])]
        assert evidence["text"] == " ".join(claim.quote.exact.split())
        epistemics = evidence["epistemics"]
        assert epistemics["negated"] == claim.negated
        assert epistemics["status"] == str(claim.status).rsplit("#", 1)[-1]
        assert epistemics["hypothesis"] == (claim.status != STANDING_STATUS)  # nothing else reads as a finding


def test_indra_statement_types_follow_the_relation_and_the_object(statements):
    by_claim = {curie(s["evidence"][0]["source_id"]): s for s in statements}
    degradation = by_claim["claim:LUPM-07"]  # CRBN induces degradation of IKZF1
    assert (degradation["type"], degradation["subj"]["name"], degradation["obj"]["name"]) == (
        "DecreaseAmount",
        "CRBN",
        "IKZF1",
    )
    assert degradation["obj"]["db_refs"]["HGNC"] == "13176" and degradation["obj"]["db_refs"]["UP"] == "Q13422"
    assert degradation["evidence"][0]["pmid"] == "24292623"  # the PubMed record's verified PMID
    binding = by_claim["claim:LUPM-04"]  # thalidomide binds cereblon
    assert binding["type"] == "Complex"
    assert [m["db_refs"].get("CHEBI") for m in binding["members"]] == ["CHEBI:9513", None]
    types = Counter(s["type"] for s in statements)
    assert set(types) <= {"Activation", "Inhibition", "IncreaseAmount", "DecreaseAmount", "Complex", "Ubiquitination"}
    assert types["DecreaseAmount"] and types["IncreaseAmount"] and types["Activation"] and types["Inhibition"]


def test_indra_leaves_out_relations_it_has_no_statement_for(exports, claims):
    left = dict(exports["indra"].left_out_claims)
    for name, claim in claims.items():
        if claim.relation == IMID.treats:
            assert left[name] == "relation imid:treats: INDRA has no statement type for it"


# --- BEL ------------------------------------------------------------------------------

#: The lines of the script besides its statements.
_BEL_LINE = re.compile(
    r"^(?:SET DOCUMENT \w+ = \".*\"|DEFINE (?:NAMESPACE|ANNOTATION) \w+ AS PATTERN \".*\""
    r"|SET Citation = \{\"(?:PubMed|DOI|URL)\", \"[^\"]+\"\}|SET Evidence = \"(?:[^\"\\]|\\.)*\""
    r"|SET \w+ = (?:\"[^\"]*\"|\{\"[^\"]*\"(?:, \"[^\"]*\")*\})|UNSET ALL|)$"
)
_REFERENCE = re.compile(r'[A-Z]+:[A-Za-z0-9_.\-]+ ! (?:[A-Za-z0-9_]+|"[^"\\]*")')
_FUNCTIONS = ("a", "p", "r", "g", "bp", "path", "complex", "composite", "deg", "act", "ma")
_RELATIONSHIPS = ("->", "-|", "binds", "partOf", "regulates")


def _term(text: str, at: int = 0) -> int:
    """Where the BEL term starting at ``at`` ends (the subset of BEL 2.1 this export writes:
    ``f(NS:id ! name)``, ``f(term, term...)``, ``p(..., pmod(Ub))``); AssertionError if none does."""
    function = re.match(r"[a-z]+\(", text[at:])
    assert function and function.group()[:-1] in _FUNCTIONS, text[at:]
    at += function.end()
    reference = _REFERENCE.match(text, at)
    at = reference.end() if reference else _term(text, at)
    while text.startswith(", ", at):
        at = at + len(", pmod(Ub)") if text.startswith(", pmod(Ub)", at) else _term(text, at + 2)
    assert text.startswith(")", at), text[at:]
    return at + 1


def _bel_statements(text: str) -> list[str]:
    return [line for line in text.splitlines() if line and not line.startswith(("SET ", "UNSET ", "DEFINE "))]


def test_the_bel_script_keeps_to_the_bel_it_writes(exports):
    """A grammar check of every line that needs no PyBEL: where PyBEL does not install, this
    is the check of the BEL script (the test below parses it with PyBEL itself)."""
    text = exports["bel"].text
    statements = _bel_statements(text)
    assert [line for line in text.splitlines() if line not in statements and not _BEL_LINE.match(line)] == []
    for statement in statements:
        end = _term(statement)
        relationship = statement[end:].split(" ")[1]
        assert relationship in _RELATIONSHIPS, statement
        start = end + 2 + len(relationship)
        assert _term(statement, start) == len(statement), statement
    assert len(statements) == exports["bel"].exported


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_the_bel_script_is_read_by_pybel(exports, claims, tmp_path):
    pybel = reference("pybel", "PyBEL")
    path = tmp_path / "claims.bel"
    path.write_text(exports["bel"].text, encoding="utf-8")
    graph = pybel.from_bel_script(str(path))
    assert graph.warnings == []
    lines = exports["bel"].text.splitlines()
    statements = {n + 1 for n, line in enumerate(lines) if line in _bel_statements(exports["bel"].text)}
    assert len(statements) == exports["bel"].exported
    edges = {}
    for _, _, data in graph.edges(data=True):
        if "line" in data:
            edges.setdefault(data["line"], data)
    assert set(edges) == statements  # every statement gives an edge, with its evidence
    for data in edges.values():
        (name,) = [a["identifier"] for a in data["annotations"]["Claim"]]
        claim = claims[name]
        assert _standing(claim)
        assert data["evidence"] == " ".join(claim.quote.exact.split())
    lupm = [d for d in edges.values() if d["annotations"]["Claim"][0]["identifier"] == "claim:LUPM-07"]
    assert lupm[0]["citation"]["namespace"] == "pubmed" and lupm[0]["citation"]["identifier"] == "24292623"


def test_bel_terms_follow_the_entities(exports):
    statements = set(_bel_statements(exports["bel"].text))
    assert "a(CHEBI:63791 ! lenalidomide) -> deg(p(HGNC:13176 ! IKZF1))" in statements
    assert "a(CHEBI:9513 ! thalidomide) binds p(HGNC:30185 ! CRBN)" in statements
    # KG-75: the decrease of IKZF1 protein (not named a degradation) is upstream of IRF4's decrease
    assert "p(HGNC:13176 ! IKZF1) -> p(HGNC:6119 ! IRF4)" in statements


# --- GO-CAM ---------------------------------------------------------------------------


def test_the_gocam_model_is_valid_in_the_gocam_package(exports, claims):
    gocam = reference("gocam.datamodel", "the gocam package")
    data = json.loads(exports["gocam"].text)
    model = gocam.Model.model_validate(data)
    associations = [a for activity in model.activities for a in activity.causal_associations or []]
    assert {a.predicate for a in associations} <= {"RO:0002304", "RO:0002305", "RO:0002411"}
    evidence = [e for a in associations for e in a.evidence]
    assert len(evidence) == exports["gocam"].exported
    assert all(re.fullmatch(r"ECO:\d{7}", e.term) for e in evidence)
    ids = {activity.id for activity in model.activities}
    assert all(a.downstream_activity in ids for a in associations)
    assert len(data["comments"]) == exports["gocam"].exported
    for line in data["comments"]:
        assert _standing(claims[line.split(":", 2)[0] + ":" + line.split(":", 2)[1]])


# --- GraphML and CX2 ------------------------------------------------------------------


#: What the networks leave out of the shipped knowledge base: the claims that are no edge.
NOT_AN_EDGE = {
    "qualifier independent (the object happens without the subject): not a causal edge": 1,
    "question (no subject, relation and object to state)": 7,
}


def test_the_graphml_is_read_by_networkx_with_every_claim_on_its_edge(exports, claims, tmp_path):
    nx = reference("networkx", "networkx")
    path = tmp_path / "claims.graphml"
    path.write_text(exports["graphml"].text, encoding="utf-8")
    graph = nx.read_graphml(path)
    assert graph.is_directed() and graph.is_multigraph()
    assert exports["graphml"].left_out == NOT_AN_EDGE
    assert graph.number_of_edges() == exports["graphml"].exported == len(claims) - 8  # 7 questions, 1 independent
    for subject, obj, data in graph.edges(data=True):
        claim = claims[curie(data["claim"])]
        assert (URIRef(subject), URIRef(obj)) == (claim.subject, claim.object)
        assert data["status"] == str(claim.status).rsplit("#", 1)[-1]
        assert data["negated"] == claim.negated and data["hypothesis"] == (claim.status != STANDING_STATUS)
        assert data["quote"] == " ".join(claim.quote.exact.split())
        assert data["studies"] == "; ".join(curie(s) for s in claim.studies)
    assert graph.nodes["https://w3id.org/imid-onto/kb/entity/IKZF1"]["name"] == "IKZF1"


def test_the_cx2_is_read_by_ndex2_and_declares_every_attribute(exports, claims):
    data = json.loads(exports["cx2"].text)
    aspects = {key: value for aspect in data for key, value in aspect.items()}
    counts = {m["name"]: m["elementCount"] for m in aspects["metaData"]}
    assert exports["cx2"].left_out == NOT_AN_EDGE
    edges = len(claims) - 8  # 7 questions, 1 independent
    assert counts["nodes"] == len(aspects["nodes"]) and counts["edges"] == len(aspects["edges"]) == edges
    declared = aspects["attributeDeclarations"][0]
    python = {"string": str, "boolean": bool, "integer": int, "list_of_string": list}
    for kind in ("nodes", "edges"):
        for element in aspects[kind]:
            for key, value in element["v"].items():
                assert isinstance(value, python[declared[kind][key]["d"]]), (kind, key)
    cx2 = reference("ndex2.cx2", "ndex2 (NDEx's client)")
    network = cx2.CX2Network()
    network.create_from_raw_cx2(data)
    assert len(network.get_nodes()) == counts["nodes"] and len(network.get_edges()) == edges


# --- SSSOM ----------------------------------------------------------------------------


def _sssom(text: str) -> tuple[dict, list[dict[str, str]]]:
    from ruamel.yaml import YAML

    header = "\n".join(line[2:] for line in text.splitlines() if line.startswith("# "))
    rows = [line.split("\t") for line in text.splitlines() if not line.startswith("#")]
    return YAML(typ="safe").load(header), [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_sssom_has_the_required_columns_and_every_match(exports, graph):
    metadata, rows = _sssom(exports["sssom"].text)
    assert {"curie_map", "mapping_set_id", "license"} <= set(metadata)
    assert rows and all(
        row["subject_id"] and row["predicate_id"] and row["object_id"] and row["mapping_justification"] for row in rows
    )
    curie_map = metadata["curie_map"]
    found = set()
    for row in rows:
        subject = URIRef(expand(row["subject_id"]))
        prefix, local = row["object_id"].split(":", 1)
        found.add((subject, URIRef(expand(row["predicate_id"])), URIRef(curie_map[prefix] + local)))
    expected = {
        (s, p, o)
        for p in (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch)
        for s, o in graph.subject_objects(p)
        if str(s).startswith("https://w3id.org/imid-onto/kb/entity/")
    }
    assert found == expected and exports["sssom"].exported == len(rows)


def test_sssom_is_read_by_sssom_pydantic(exports, tmp_path):
    sssom = reference("sssom_pydantic", "sssom-pydantic")
    path = tmp_path / "entities.sssom.tsv"
    path.write_text(exports["sssom"].text, encoding="utf-8")
    mappings, _, _, errors = sssom.read(path, return_errors=True)
    assert errors == [] and len(mappings) == exports["sssom"].exported


# --- the command ----------------------------------------------------------------------


def test_export_writes_the_file_and_says_what_it_left_out(tmp_path, exports):
    out = tmp_path / "claims.bel"
    done = imid("export", "--format", "bel", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert out.read_text(encoding="utf-8") == exports["bel"].text and done.stdout == ""
    lines = done.stderr.splitlines()
    assert lines[0] == f"imid-onto: export bel: {exports['bel'].exported} claims exported, " + (
        f"{sum(exports['bel'].left_out.values())} left out"
    )
    assert lines[-1] == f"imid-onto: written: {out}"
    for reason, n in exports["bel"].left_out.items():
        assert f"imid-onto:   left out {n:>4}: {reason}" in lines


def test_export_to_standard_output(exports):
    done = imid("export", "--format", "sssom")
    assert done.returncode == 0 and done.stdout == exports["sssom"].text


def test_export_errors_are_one_line(tmp_path):
    assert one_error_line(imid("export", "--format", "owl"), 2).startswith("Invalid value for '--format': 'owl'")
    assert one_error_line(imid("export", "--format", "bel", "--out", str(tmp_path)), 2).startswith(
        "Invalid value for '--out'"
    )
    assert one_error_line(imid("export", "--format", "bel", "--out", str(tmp_path / "no" / "x.bel")), 2).startswith(
        "cannot write"
    )


def test_an_unknown_format_from_python_is_an_input_error(graph):
    with pytest.raises(imid_onto.InputError, match="unknown export format 'owl'"):
        imid_onto.export("owl", graph)


def test_the_python_api_writes_what_the_command_writes(tmp_path, graph, exports):
    result = imid_onto.write_export("indra", tmp_path / "s.json", graph)
    assert isinstance(result, imid_onto.Export)
    assert Path(tmp_path / "s.json").read_text(encoding="utf-8") == exports["indra"].text


# --- claim model 2: statuses, questions, qualifiers, bound receptors, activities ------------

MODEL2 = FIXTURES / "exports" / "model2.ttl"


@pytest.fixture(scope="module")
def model2():
    graph = imid_onto.load_knowledge_base([MODEL2])
    return {fmt: export(fmt, graph) for fmt in EXPORT_FORMATS}


def _left(result, name):
    return dict(result.left_out_claims).get(name)


def test_questions_and_independent_claims_are_left_out_of_every_format(model2):
    for fmt in CLAIM_FORMATS:
        assert _left(model2[fmt], "claim:X-06") == "question (no subject, relation and object to state)", fmt
        assert _left(model2[fmt], "claim:X-07") == (
            "qualifier independent (the object happens without the subject): not a causal edge"
        ), fmt


def test_interpretations_and_historical_proposals_are_marked_or_left_out(model2):
    statements = {curie(s["evidence"][0]["source_id"]): s for s in json.loads(model2["indra"].text)}
    for name, status in (("claim:X-04", "Interpretation"), ("claim:X-05", "HistoricalProposal")):
        epistemics = statements[name]["evidence"][0]["epistemics"]
        assert (epistemics["hypothesis"], epistemics["status"]) == (True, status)
        for fmt in ("bel", "gocam"):
            assert "no epistemic status" in _left(model2[fmt], name)
    # the fixture's one of each, besides the shipped knowledge base's 8 interpretations and 19 historical proposals
    assert model2["indra"].marked["status Interpretation (not an established finding)"] == 8 + 1
    assert model2["graphml"].marked["status HistoricalProposal (not an established finding)"] == 19 + 1


def test_model2_indra_statements_follow_the_new_entities(model2, sources_dir):
    jsonschema = reference("jsonschema", "the JSON Schema validator")
    statements = json.loads(model2["indra"].text)
    schema = json.loads(INDRA_SCHEMA.read_text(encoding="utf-8"))
    assert [e.message for e in jsonschema.Draft6Validator(schema).iter_errors(statements)] == []
    by_claim = {curie(s["evidence"][0]["source_id"]): s for s in statements}
    bound = by_claim["claim:X-01"]  # lenalidomide-bound cereblon induces degradation of IKZF1
    assert bound["type"] == "DecreaseAmount" and bound["subj"]["name"] == "CRBN"
    assert bound["subj"]["bound_conditions"][0]["agent"]["db_refs"]["CHEBI"] == "CHEBI:63791"
    assert bound["subj"]["db_refs"]["IMID"] == "ent:lenalidomide-bound-CRBN"
    decrease = by_claim["claim:X-02"]  # lenalidomide acts upstream of IKZF1 protein decrease (necessary)
    assert (decrease["type"], decrease["obj"]["name"]) == ("DecreaseAmount", "IKZF1")
    assert decrease["evidence"][0]["epistemics"]["qualifiers"] == ["Necessary"]
    ligase = by_claim["claim:X-03"]  # IMiD-bound ligase activity -> IKZF1 ubiquitination
    assert (ligase["type"], ligase["enz"]["name"], ligase["sub"]["name"]) == ("Ubiquitination", "CRL4-CRBN", "IKZF1")
    assert ligase["enz"]["activity"] == {"activity_type": "catalytic", "is_active": True}
    contested = by_claim["claim:X-08"]["evidence"][0]["epistemics"]
    assert contested["contested_by"] == ["claim:X-02"] and contested["hypothesis"] is False
    combination = by_claim["claim:X-11"]["evidence"][0]
    assert combination["annotations"]["context"] == {"contextPatientSubgroup": ["ent:relapsed-CLL-patients"]}
    assert by_claim["claim:X-10"]["members"][1]["db_refs"]["HGNC"] == "6001"  # the IL2 gene
    assert _left(model2["indra"], "claim:X-12") == "relation imid:resembles: INDRA has no statement type for it"


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_model2_bel_terms_are_read_by_pybel(model2, tmp_path):
    text = model2["bel"].text
    statements = {}
    lines = text.splitlines()
    for n, line in enumerate(lines):
        if line.startswith('SET Claim = "claim:X-'):
            statements[line.split('"')[1]] = next(x for x in lines[n:] if x in _bel_statements(text))
    assert statements == {
        "claim:X-01": "complex(a(CHEBI:63791 ! lenalidomide), p(HGNC:30185 ! CRBN)) -> deg(p(HGNC:13176 ! IKZF1))",
        "claim:X-02": "a(CHEBI:63791 ! lenalidomide) -| p(HGNC:13176 ! IKZF1)",
        "claim:X-03": 'act(complex(IMID:CRL4-CRBN ! "CRL4-CRBN"), ma(IMID:IMiD-bound-CRL4-CRBN-ligase-activity ! '
        '"IMiD-bound CRL4-CRBN ubiquitin ligase activity")) -> p(HGNC:13176 ! IKZF1, pmod(Ub))',
        "claim:X-08": 'p(HGNC:30185 ! CRBN) -> bp(IMID:CLL-proliferation-inhibition ! "inhibition of CLL cell '
        'proliferation")',
        "claim:X-09": "a(CHEBI:63791 ! lenalidomide) -| r(HGNC:13176 ! IKZF1)",
        "claim:X-10": "p(HGNC:13176 ! IKZF1) binds g(HGNC:6001 ! IL2)",
        "claim:X-11": "composite(a(CHEBI:63791 ! lenalidomide), a(IMID:rituximab ! rituximab)) -> "
        'bp(IMID:CLL-clinical-activity ! "clinical activity in CLL")',
    }
    assert 'SET ContestedBy = "claim:X-02"' in lines and 'SET Subgroup = "ent:relapsed-CLL-patients"' in lines
    pybel = reference("pybel", "PyBEL")
    path = tmp_path / "model2.bel"
    path.write_text(text, encoding="utf-8")
    graph = pybel.from_bel_script(str(path))
    assert graph.warnings == []
    assert len({d["line"] for _, _, d in graph.edges(data=True) if "line" in d}) == model2["bel"].exported


def test_model2_gocam_activities(model2):
    gocam = reference("gocam.datamodel", "the gocam package")
    data = json.loads(model2["gocam"].text)
    gocam.Model.model_validate(data)
    activities = {a["id"]: a for a in data["activities"]}
    ligase = activities[str(expand("ent:IMiD-bound-CRL4-CRBN-ligase-activity"))]
    assert ligase["molecular_function"]["term"] == "GO:0061630"
    assert ligase["enabled_by"]["term"] == str(expand("ent:CRL4-CRBN"))
    # the shipped Stewart caption's KG-29 and KG-30, and the fixture's X-03 beside KG-29
    associations = ligase["causal_associations"]
    assert [(a["predicate"], a["downstream_activity"], len(a["evidence"])) for a in associations] == [
        ("RO:0002304", str(expand("ent:IKZF1-ubiquitination")), 2),
        ("RO:0002304", str(expand("ent:IKZF3-ubiquitination")), 1),
    ]
    assert any("contested by claim:X-02" in line for line in data["comments"])
    assert _left(model2["gocam"], "claim:X-01") == (
        "relation imid:inducesDegradationOf: not a causal relation between activities"
    )


def test_model2_network_edges_carry_the_new_fields(model2, tmp_path):
    nx = reference("networkx", "networkx")
    path = tmp_path / "model2.graphml"
    path.write_text(model2["graphml"].text, encoding="utf-8")
    edges = {curie(d["claim"]): d for _, _, d in nx.read_graphml(path).edges(data=True)}
    assert "claim:X-06" not in edges and "claim:X-07" not in edges
    assert edges["claim:X-08"]["contested_by"] == "claim:X-02"
    assert edges["claim:X-09"]["qualifiers"] == "MRNALevel"
    assert (edges["claim:X-12"]["causal"], edges["claim:X-12"]["relation"]) == (False, "imid:resembles")
    assert (edges["claim:X-04"]["status"], edges["claim:X-04"]["hypothesis"]) == ("Interpretation", True)
    assert edges["claim:X-02"]["sign"] == 1 and edges["claim:X-02"]["relation"] == "imid:actsUpstreamOfPositiveEffect"
