"""SSSOM TSV of the entities' SKOS matches (``skos:exactMatch``, ``closeMatch``,
``broadMatch``, ``narrowMatch`` in kb/entities.ttl): one row per mapping, with SSSOM's
required columns and a ``curie_map`` that expands every CURIE used to the IRI the
knowledge base holds. An entity with no match is counted, not written
(docs/design/exports.md).
"""

from __future__ import annotations

from rdflib import Literal, URIRef

from imid_onto.publish.exports.base import Export, Source, Tally
from imid_onto.vocab import ENT, RDF, RDFS, SKOS, curie

__all__ = ["export_sssom", "PREFIXES", "COLUMNS", "MAPPING_SET_ID"]

MAPPING_SET_ID = "https://w3id.org/imid-onto/kb/mappings/imid-onto.sssom.tsv"

#: The curie_map: every prefix a mapping may use, with the IRI it expands to.
PREFIXES = {
    "ent": str(ENT),
    "skos": str(SKOS),
    "semapv": "https://w3id.org/semapv/vocab/",
    "CHEBI": "http://purl.obolibrary.org/obo/CHEBI_",
    "GO": "http://purl.obolibrary.org/obo/GO_",
    "MONDO": "http://purl.obolibrary.org/obo/MONDO_",
    "CL": "http://purl.obolibrary.org/obo/CL_",
    "NCBITaxon": "http://purl.obolibrary.org/obo/NCBITaxon_",
    "UniProtKB": "http://purl.uniprot.org/uniprot/",
    "cellosaurus": "https://www.cellosaurus.org/CVCL_",
}

COLUMNS = (
    "subject_id",
    "subject_label",
    "predicate_id",
    "object_id",
    "object_label",
    "mapping_justification",
)


def _compress(iri: str) -> str | None:
    """The CURIE of ``iri`` by the longest matching prefix of :data:`PREFIXES`."""
    best = max((p for p, ns in PREFIXES.items() if iri.startswith(ns)), key=lambda p: len(PREFIXES[p]), default=None)
    return None if best is None else f"{best}:{iri[len(PREFIXES[best]) :]}"


def _cell(text: str) -> str:
    return " ".join(text.split())


def export_sssom(source: Source) -> Export:
    """The entities' SKOS matches as an SSSOM mapping set (TSV with its YAML header)."""
    from imid_onto import __version__

    graph = source.graph
    tally = Tally()
    rows = []
    unmatched = 0
    entities = sorted({s for s in graph.subjects(RDF.type, None) if str(s).startswith(str(ENT))}, key=str)
    for entity in entities:
        term = source.term(entity)
        by_predicate = {
            SKOS.exactMatch: term.exact,
            SKOS.closeMatch: term.close,
            SKOS.broadMatch: term.broad,
            SKOS.narrowMatch: term.narrow,
        }
        matches = [(predicate, obj) for predicate, objs in by_predicate.items() for obj in objs]
        if not matches:
            unmatched += 1
            continue
        for predicate, obj in matches:
            object_id = _compress(obj)
            if object_id is None:
                tally.left.append((term.curie, f"match {obj} has no prefix in the curie_map"))
                continue
            labels = sorted(str(x) for x in graph.objects(URIRef(obj), RDFS.label) if isinstance(x, Literal))
            rows.append(
                (
                    term.curie,
                    _cell(term.label),
                    curie(predicate),
                    object_id,
                    _cell(labels[0]) if labels else "",
                    "semapv:ManualMappingCuration",
                )
            )
            tally.carry()
    header = [
        "curie_map:",
        *(f"  {prefix}: {PREFIXES[prefix]}" for prefix in PREFIXES),
        f"mapping_set_id: {MAPPING_SET_ID}",
        f"mapping_set_version: {__version__}",
        "mapping_set_title: imid-onto entities mapped to external identifiers",
        "mapping_set_description: The SKOS matches of the imid-onto knowledge base's entities (drugs, proteins, "
        "diseases, cell lines, cell types, organisms, events), each verified in the project's identifier table.",
        "license: https://creativecommons.org/licenses/by/4.0/",
        "creator_label:",
        "  - The imid-onto developers",
    ]
    lines = [f"# {line}" for line in header]
    lines.append("\t".join(COLUMNS))
    lines += ["\t".join(row) for row in rows]
    result = tally.export("sssom", "\n".join(lines) + "\n", unit="mappings")
    if unmatched:
        result.left_out["entity with no SKOS match (no verified external id)"] = unmatched
    return result
