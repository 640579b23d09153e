"""External identifiers: one CURIE converter, and the project's table of verified ids.

Entities carry each external id twice: as a CURIE (``oboInOwl:hasDbXref "CHEBI:63791"``)
and, for the main one, as a resolvable IRI (``skos:exactMatch``). The converter (the
``curies`` library) is the one place that knows how a prefix expands.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import curies

__all__ = ["converter", "IdentifierRow", "read_identifier_table", "table_curie"]

_OBO = "http://purl.obolibrary.org/obo/"
_RECORDS = [
    *(
        {"prefix": p, "uri_prefix": f"{_OBO}{p}_"}
        for p in ("CHEBI", "GO", "MONDO", "CL", "ECO", "RO", "BFO", "NCBITaxon", "DOID", "NCIT", "PR", "HP")
    ),
    {"prefix": "UniProtKB", "uri_prefix": "http://purl.uniprot.org/uniprot/"},
    {"prefix": "HGNC", "uri_prefix": "https://identifiers.org/hgnc:"},
    {"prefix": "NCBIGene", "uri_prefix": "https://identifiers.org/ncbigene:"},
    {"prefix": "cellosaurus", "uri_prefix": "https://www.cellosaurus.org/"},
    {"prefix": "depmap", "uri_prefix": "https://depmap.org/portal/cell_line/"},
    {"prefix": "drugbank", "uri_prefix": "https://go.drugbank.com/drugs/"},
    {"prefix": "chembl.compound", "uri_prefix": "https://www.ebi.ac.uk/chembl/compound_report_card/"},
    {"prefix": "pubchem.compound", "uri_prefix": "https://pubchem.ncbi.nlm.nih.gov/compound/"},
    {"prefix": "MESH", "uri_prefix": "https://meshb.nlm.nih.gov/record/ui?ui="},
    {"prefix": "Orphanet", "uri_prefix": "http://www.orpha.net/ORDO/Orphanet_"},
    {"prefix": "OMIM", "uri_prefix": "https://omim.org/entry/"},
    {"prefix": "pubmed", "uri_prefix": "https://pubmed.ncbi.nlm.nih.gov/"},
    {"prefix": "doi", "uri_prefix": "https://doi.org/"},
]


@lru_cache(maxsize=1)
def converter() -> curies.Converter:
    """The CURIE <-> IRI converter for every prefix imid-onto uses."""
    import curies  # here: it imports pydantic (slow to import)

    return curies.Converter.from_prefix_map({r["prefix"]: r["uri_prefix"] for r in _RECORDS})


#: identifier-table resource name -> CURIE prefix, for rows whose id has no prefix.
_BARE_ID_PREFIX = {
    "PubChem CID": "pubchem.compound",
    "DrugBank": "drugbank",
    "ChEMBL": "chembl.compound",
    "Cellosaurus": "cellosaurus",
    "DepMap": "depmap",
    "PMID": "pubmed",
    "DOI": "doi",
}


@dataclass(frozen=True)
class IdentifierRow:
    entity: str
    resource: str
    curie: str
    label: str
    verified: bool


def table_curie(resource: str, identifier: str) -> str:
    """The CURIE imid-onto writes for an identifier-table row."""
    if resource in _BARE_ID_PREFIX:
        return f"{_BARE_ID_PREFIX[resource]}:{identifier}"
    return identifier


def read_identifier_table(path: Path) -> dict[str, IdentifierRow]:
    """The table's rows by CURIE (a verified row wins over an unverified one)."""
    rows: dict[str, IdentifierRow] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for record in csv.DictReader(handle, delimiter="\t"):
            curie = table_curie(record["resource"], record["id"])
            row = IdentifierRow(
                entity=record["entity"],
                resource=record["resource"],
                curie=curie,
                label=record["label_in_resource"],
                verified=record["status"] == "verified",
            )
            if curie not in rows or row.verified:
                rows[curie] = row
    return rows
