"""The named queries' answers on the shipped knowledge base (asserted triples), one table per
question, as tests/queries/test_named_queries.py expects them. Each table keeps the columns
that say what a scientist checks against the texts (QUESTIONS); terms are written by their
local name, literals as text.

When the claims change, print the answers the data now gives, in this file's form:

    python -m tests.queries.shipped_answers            # every table
    python -m tests.queries.shipped_answers conflicts  # one

then read each changed row against its sentence before pasting it into TABLES.
"""

from __future__ import annotations

import pprint
import sys

from rdflib import Literal

from imid_onto.query import Dataset, named_query, run_query
from imid_onto.vocab import curie

#: table -> (query, parameters, the columns the table keeps)
QUESTIONS: dict[str, tuple[str, dict[str, str], tuple[str, ...]]] = {
    "downstream-effects": (
        "downstream-effects",
        {},
        ("protein", "start", "effect", "steps", "direction", "status", "claims"),
    ),
    "upstream-causes": ("upstream-causes", {}, ("cause", "steps", "direction", "status", "claims")),
    "neosubstrates": (
        "neosubstrates",
        {},
        ("drug", "boundReceptor", "receptor", "complex", "neosubstrate", "claim", "status", "study"),
    ),
    "evidence-for IKZF1": ("evidence-for", {"entity": "IKZF1"}, ("claim", "about", "status", "negated")),
    "evidence-for IL2": ("evidence-for", {"entity": "IL2"}, ("claim", "about", "status", "negated")),
    "evidence-for IRF4": ("evidence-for", {"entity": "IRF4"}, ("claim", "about", "status", "negated")),
    "open-questions": ("open-questions", {}, ("claim", "status", "negated", "asks", "about", "subject", "object")),
    "conflicts": ("conflicts", {}, ("kind", "claim", "status", "other", "otherStatus", "otherDocument")),
}


def cell(value) -> str | None:
    """A term by its local name (ent:IKZF1 -> IKZF1, claim:KG-50 -> KG-50), a literal as text."""
    if value is None or isinstance(value, Literal):
        return None if value is None else str(value)
    return curie(value).split(":", 1)[-1]


def answer(dataset: Dataset, table: str, **other: str) -> list[tuple]:
    """The table's rows as the data gives them now (with ``other`` parameter values), in the
    query's order, without repeats."""
    name, params, keep = QUESTIONS[table]
    result = run_query(dataset, named_query(name), {k: [v] for k, v in {**params, **other}.items()})
    index = [result.columns.index(column) for column in keep]
    rows: list[tuple] = []
    for row in result.rows:
        kept = tuple(cell(row[i]) for i in index)
        if kept not in rows:
            rows.append(kept)
    return rows


#: The expected answers. Written out from the data and read against the source texts.
TABLES: dict[str, list[tuple]] = {
    "downstream-effects": [
        (
            "IKZF1",
            "IKZF1-degradation",
            "B-cell-function-alteration",
            "1",
            "increase",
            "EstablishedFinding",
            "claim:KG-34",
        ),
        ("IKZF1", "IKZF1-degradation", "CDKN1A-upregulation", "1", "increase", "OpenQuestion", "claim:IB-70"),
        (
            "IKZF1",
            "IKZF1-degradation",
            "CLL-proliferation-inhibition",
            "1",
            "increase",
            "OpenQuestion",
            "claim:IB-06 claim:IB-76",
        ),
        ("IKZF1", "IKZF1-degradation", "IL2-upregulation", "1", "increase", "EstablishedFinding", "claim:IB-83"),
        ("IKZF1", "IKZF1-degradation", "IL2-upregulation", "1", "increase", "Hypothesis", "claim:KG-81"),
        ("IKZF1", "IKZF1-degradation", "IRF4-downregulation", "1", "increase", "EstablishedFinding", "claim:KG-75"),
        ("IKZF1", "IKZF1-degradation", "T-cell-costimulation", "1", "increase", "EstablishedFinding", "claim:IB-81"),
        (
            "IKZF1",
            "IKZF1-degradation",
            "T-cell-function-alteration",
            "1",
            "increase",
            "EstablishedFinding",
            "claim:KG-33",
        ),
        (
            "IKZF1",
            "IKZF1-degradation",
            "anti-myeloma-activity",
            "1",
            "increase",
            "EstablishedFinding",
            "claim:KG-45 claim:LUPM-09",
        ),
        (
            "IKZF1",
            "IKZF1-degradation",
            "microenvironment-immune-modulation",
            "1",
            "increase",
            "OpenQuestion",
            "claim:IB-08 claim:IB-79",
        ),
        (
            "IKZF1",
            "IKZF1-degradation",
            "myeloma-cell-death",
            "1",
            "increase",
            "EstablishedFinding",
            "claim:KG-35 claim:KG-64",
        ),
        (
            "IKZF1",
            "IKZF1-degradation",
            "myeloma-proliferation-inhibition",
            "1",
            "increase",
            "EstablishedFinding",
            "claim:IB-61",
        ),
        ("IKZF1", "IKZF1-knockdown", "CDKN1A-upregulation", "1", "increase", "EstablishedFinding", "claim:IB-73"),
        (
            "IKZF1",
            "IKZF1-knockdown",
            "CLL-proliferation-inhibition",
            "2",
            "increase",
            "EstablishedFinding",
            "claim:IB-73 ; claim:IB-36",
        ),
        ("IKZF1", "IKZF1-knockdown", "myeloma-cell-death", "1", "increase", "EstablishedFinding", "claim:KG-66"),
        (
            "IKZF3",
            "IKZF3-degradation",
            "B-cell-function-alteration",
            "1",
            "increase",
            "EstablishedFinding",
            "claim:KG-37",
        ),
        ("IKZF3", "IKZF3-degradation", "CDKN1A-upregulation", "1", "increase", "OpenQuestion", "claim:IB-71"),
        (
            "IKZF3",
            "IKZF3-degradation",
            "CLL-proliferation-inhibition",
            "1",
            "increase",
            "OpenQuestion",
            "claim:IB-07 claim:IB-77",
        ),
        ("IKZF3", "IKZF3-degradation", "IL2-upregulation", "1", "increase", "EstablishedFinding", "claim:IB-84"),
        ("IKZF3", "IKZF3-degradation", "IL2-upregulation", "1", "increase", "Hypothesis", "claim:KG-82"),
        ("IKZF3", "IKZF3-degradation", "IRF4-downregulation", "1", "increase", "EstablishedFinding", "claim:KG-76"),
        ("IKZF3", "IKZF3-degradation", "T-cell-costimulation", "1", "increase", "EstablishedFinding", "claim:IB-82"),
        (
            "IKZF3",
            "IKZF3-degradation",
            "T-cell-function-alteration",
            "1",
            "increase",
            "EstablishedFinding",
            "claim:KG-36",
        ),
        (
            "IKZF3",
            "IKZF3-degradation",
            "anti-myeloma-activity",
            "1",
            "increase",
            "EstablishedFinding",
            "claim:KG-46 claim:LUPM-10",
        ),
        (
            "IKZF3",
            "IKZF3-degradation",
            "microenvironment-immune-modulation",
            "1",
            "increase",
            "OpenQuestion",
            "claim:IB-09 claim:IB-80",
        ),
        (
            "IKZF3",
            "IKZF3-degradation",
            "myeloma-cell-death",
            "1",
            "increase",
            "EstablishedFinding",
            "claim:KG-38 claim:KG-65",
        ),
        (
            "IKZF3",
            "IKZF3-degradation",
            "myeloma-proliferation-inhibition",
            "1",
            "increase",
            "EstablishedFinding",
            "claim:IB-62",
        ),
        ("IKZF3", "IKZF3-knockdown", "myeloma-cell-death", "1", "increase", "EstablishedFinding", "claim:KG-67"),
    ],
    "upstream-causes": [
        ("CRBN", "2", "increase", "EstablishedFinding", "claim:KG-83 claim:LUPM-07 ; claim:KG-35 claim:KG-64"),
        ("CRBN-depletion", "1", "decrease", "Hypothesis", "claim:KG-69"),
        (
            "CRL4-CRBN-ligase-activity",
            "3",
            "increase",
            "EstablishedFinding",
            "claim:KG-29 ; claim:KG-31 ; claim:KG-35 claim:KG-64",
        ),
        ("IKZF1-degradation", "1", "increase", "EstablishedFinding", "claim:KG-35 claim:KG-64"),
        ("IKZF1-knockdown", "1", "increase", "EstablishedFinding", "claim:KG-66"),
        ("IKZF1-ubiquitination", "2", "increase", "EstablishedFinding", "claim:KG-31 ; claim:KG-35 claim:KG-64"),
        ("IKZF3-degradation", "1", "increase", "EstablishedFinding", "claim:KG-38 claim:KG-65"),
        ("IKZF3-knockdown", "1", "increase", "EstablishedFinding", "claim:KG-67"),
        ("IKZF3-ubiquitination", "2", "increase", "EstablishedFinding", "claim:KG-32 ; claim:KG-38 claim:KG-65"),
        ("lenalidomide", "1", "increase", "EstablishedFinding", "claim:IB-25"),
        ("lenalidomide-CRBN-binding", "1", "increase", "Hypothesis", "claim:KG-70"),
        (
            "pomalidomide",
            "4",
            "increase",
            "EstablishedFinding",
            "claim:KG-28 ; claim:KG-29 ; claim:KG-31 ; claim:KG-35 claim:KG-64",
        ),
        (
            "thalidomide",
            "4",
            "increase",
            "EstablishedFinding",
            "claim:KG-26 ; claim:KG-29 ; claim:KG-31 ; claim:KG-35 claim:KG-64",
        ),
    ],
    "neosubstrates": [
        ("lenalidomide", None, "CRBN", "CRL4-CRBN", "IKZF1", "IB-59", "EstablishedFinding", "kronke-2014"),
        ("lenalidomide", None, "CRBN", "CRL4-CRBN", "IKZF1", "IB-59", "EstablishedFinding", "lu-2014"),
        ("lenalidomide", None, "CRBN", "CRL4-CRBN", "IKZF1", "KG-50", "EstablishedFinding", "kronke-2014"),
        ("lenalidomide", None, "CRBN", "CRL4-CRBN", "IKZF1", "KG-50", "EstablishedFinding", "lu-2014"),
        ("lenalidomide", None, "CRBN", "CRL4-CRBN", "IKZF3", "IB-60", "EstablishedFinding", "kronke-2014"),
        ("lenalidomide", None, "CRBN", "CRL4-CRBN", "IKZF3", "IB-60", "EstablishedFinding", "lu-2014"),
        ("lenalidomide", None, "CRBN", "CRL4-CRBN", "IKZF3", "KG-51", "EstablishedFinding", "kronke-2014"),
        ("lenalidomide", None, "CRBN", "CRL4-CRBN", "IKZF3", "KG-51", "EstablishedFinding", "lu-2014"),
    ],
    "evidence-for IKZF1": [
        ("IB-06", "IKZF1-degradation", "OpenQuestion", "false"),
        ("IB-08", "IKZF1-degradation", "OpenQuestion", "false"),
        ("IB-53", "CRBN-IKZF1-binding", "EstablishedFinding", "false"),
        ("IB-55", "IKZF1", "EstablishedFinding", "false"),
        ("IB-56", "IKZF1", "EstablishedFinding", "false"),
        ("IB-59", "IKZF1", "EstablishedFinding", "false"),
        ("IB-61", "IKZF1-degradation", "EstablishedFinding", "false"),
        ("IB-70", "IKZF1-degradation", "OpenQuestion", "false"),
        ("IB-72", "IKZF1", "Hypothesis", "false"),
        ("IB-73", "IKZF1-knockdown", "EstablishedFinding", "false"),
        ("IB-76", "IKZF1-degradation", "OpenQuestion", "false"),
        ("IB-79", "IKZF1-degradation", "OpenQuestion", "false"),
        ("IB-81", "IKZF1-degradation", "EstablishedFinding", "false"),
        ("IB-83", "IKZF1-degradation", "EstablishedFinding", "false"),
        ("KG-29", "IKZF1-ubiquitination", "EstablishedFinding", "false"),
        ("KG-31", "IKZF1-degradation", "EstablishedFinding", "false"),
        ("KG-31", "IKZF1-ubiquitination", "EstablishedFinding", "false"),
        ("KG-33", "IKZF1-degradation", "EstablishedFinding", "false"),
        ("KG-34", "IKZF1-degradation", "EstablishedFinding", "false"),
        ("KG-35", "IKZF1-degradation", "EstablishedFinding", "false"),
        ("KG-45", "IKZF1-degradation", "EstablishedFinding", "false"),
        ("KG-48", "IKZF1-ubiquitination", "EstablishedFinding", "false"),
        ("KG-50", "IKZF1", "EstablishedFinding", "false"),
        ("KG-52", "IKZF1", "EstablishedFinding", "false"),
        ("KG-54", "IKZF1-degradation", "EstablishedFinding", "false"),
        ("KG-56", "IKZF1-degradation", "EstablishedFinding", "false"),
        ("KG-58", "IKZF1-degradation", "EstablishedFinding", "false"),
        ("KG-60", "IKZF1-degradation", "EstablishedFinding", "false"),
        ("KG-62", "IKZF1-mRNA-decrease", "EstablishedFinding", "true"),
        ("KG-64", "IKZF1-degradation", "EstablishedFinding", "false"),
        ("KG-66", "IKZF1-knockdown", "EstablishedFinding", "false"),
        ("KG-71", "IKZF1-degradation", "Hypothesis", "false"),
        ("KG-75", "IKZF1-degradation", "EstablishedFinding", "false"),
        ("KG-77", "IKZF1-degradation", "EstablishedFinding", "false"),
        ("KG-81", "IKZF1-degradation", "Hypothesis", "false"),
        ("KG-83", "IKZF1", "EstablishedFinding", "false"),
        ("KG-86", "IKZF1-degradation", "OpenQuestion", "false"),
        ("KG-88", "IKZF1", "OpenQuestion", "false"),
        ("LUPM-07", "IKZF1", "EstablishedFinding", "false"),
        ("LUPM-09", "IKZF1-degradation", "EstablishedFinding", "false"),
        ("LUPM-11", "IKZF1-degradation", "Hypothesis", "true"),
    ],
    "evidence-for IL2": [
        ("IB-83", "IL2-upregulation", "EstablishedFinding", "false"),
        ("IB-84", "IL2-upregulation", "EstablishedFinding", "false"),
        ("KG-16", "IL2-upregulation", "Hypothesis", "false"),
        ("KG-21", "IL2-upregulation", "Hypothesis", "false"),
        ("KG-22", "IL2-upregulation", "EstablishedFinding", "false"),
        ("KG-74", "IL2-upregulation", "Hypothesis", "false"),
        ("KG-79", "IL2-upregulation", "EstablishedFinding", "false"),
        ("KG-81", "IL2-upregulation", "Hypothesis", "false"),
        ("KG-82", "IL2-upregulation", "Hypothesis", "false"),
    ],
    "evidence-for IRF4": [
        ("KG-73", "IRF4-downregulation", "Hypothesis", "false"),
        ("KG-75", "IRF4-downregulation", "EstablishedFinding", "false"),
        ("KG-76", "IRF4-downregulation", "EstablishedFinding", "false"),
        ("KG-80", "IRF4-downregulation", "EstablishedFinding", "false"),
    ],
    "open-questions": [
        ("IB-05", "Hypothesis", "false", None, None, "CDKN1A-upregulation", "CLL-cell-cycle-arrest"),
        ("IB-06", "OpenQuestion", "false", None, None, "IKZF1-degradation", "CLL-proliferation-inhibition"),
        ("IB-07", "OpenQuestion", "false", None, None, "IKZF3-degradation", "CLL-proliferation-inhibition"),
        ("IB-08", "OpenQuestion", "false", None, None, "IKZF1-degradation", "microenvironment-immune-modulation"),
        ("IB-09", "OpenQuestion", "false", None, None, "IKZF3-degradation", "microenvironment-immune-modulation"),
        ("IB-12", "OpenQuestion", "false", None, None, "CLL-proliferation-inhibition", "CLL-clinical-activity"),
        ("IB-21", "Hypothesis", "false", None, None, "microenvironment-immune-modulation", "tumor-flare-reaction"),
        ("IB-22", "Hypothesis", "false", None, None, "CLL-proliferation-inhibition", "CLL-clinical-activity"),
        ("IB-23", "Hypothesis", "false", None, None, "microenvironment-immune-modulation", "CLL-clinical-activity"),
        ("IB-29", "OpenQuestion", "false", None, None, "microenvironment-immune-modulation", "CLL-progression"),
        ("IB-31", "Hypothesis", "false", None, None, "CLL-proliferation-inhibition", "CLL-clinical-activity"),
        ("IB-35", "Hypothesis", "false", None, None, "CLL-proliferation-inhibition", "CLL-clinical-activity"),
        ("IB-69", "Hypothesis", "false", None, None, "lenalidomide", "CDKN1A-mRNA-increase"),
        ("IB-70", "OpenQuestion", "false", None, None, "IKZF1-degradation", "CDKN1A-upregulation"),
        ("IB-71", "OpenQuestion", "false", None, None, "IKZF3-degradation", "CDKN1A-upregulation"),
        ("IB-72", "Hypothesis", "false", None, None, "IKZF1", "CDKN1A"),
        ("IB-74", "Hypothesis", "false", None, None, "lenalidomide", "CDKN1A-degradation"),
        ("IB-76", "OpenQuestion", "false", None, None, "IKZF1-degradation", "CLL-proliferation-inhibition"),
        ("IB-77", "OpenQuestion", "false", None, None, "IKZF3-degradation", "CLL-proliferation-inhibition"),
        (
            "IB-78",
            "OpenQuestion",
            "false",
            None,
            None,
            "lenalidomide-CRBN-binding",
            "microenvironment-immune-modulation",
        ),
        ("IB-79", "OpenQuestion", "false", None, None, "IKZF1-degradation", "microenvironment-immune-modulation"),
        ("IB-80", "OpenQuestion", "false", None, None, "IKZF3-degradation", "microenvironment-immune-modulation"),
        ("IB-85", "OpenQuestion", "false", None, None, "lenalidomide", "CLL-clinical-activity"),
        ("IB-86", "Hypothesis", "false", None, None, "CRBN", "CLL-clinical-activity"),
        ("KG-11", "OpenQuestion", "false", None, None, "thalidomide", "anti-cancer-activity"),
        ("KG-12", "Hypothesis", "false", None, None, "thalidomide", "angiogenesis-inhibition"),
        ("KG-13", "Hypothesis", "false", None, None, "thalidomide", "microenvironment-immune-modulation"),
        ("KG-14", "Hypothesis", "false", None, None, "thalidomide", "oxidative-stress"),
        ("KG-15", "Hypothesis", "false", None, None, "thalidomide", "TNF-downregulation"),
        ("KG-16", "Hypothesis", "false", None, None, "thalidomide", "IL2-upregulation"),
        ("KG-17", "Hypothesis", "false", None, None, "lenalidomide", "angiogenesis-inhibition"),
        ("KG-18", "Hypothesis", "false", None, None, "lenalidomide", "microenvironment-immune-modulation"),
        ("KG-19", "Hypothesis", "false", None, None, "lenalidomide", "oxidative-stress"),
        ("KG-20", "Hypothesis", "false", None, None, "lenalidomide", "TNF-downregulation"),
        ("KG-69", "Hypothesis", "false", None, None, "CRBN-depletion", "myeloma-cell-death"),
        ("KG-70", "Hypothesis", "false", None, None, "lenalidomide-CRBN-binding", "myeloma-cell-death"),
        ("KG-71", "Hypothesis", "false", None, None, "lenalidomide-CRBN-binding", "IKZF1-degradation"),
        ("KG-72", "Hypothesis", "false", None, None, "lenalidomide-CRBN-binding", "IKZF3-degradation"),
        ("KG-73", "Hypothesis", "false", None, None, "IRF4-downregulation", "anti-myeloma-activity"),
        ("KG-74", "Hypothesis", "false", None, None, "IL2-upregulation", "anti-myeloma-activity"),
        ("KG-81", "Hypothesis", "false", None, None, "IKZF1-degradation", "IL2-upregulation"),
        ("KG-82", "Hypothesis", "false", None, None, "IKZF3-degradation", "IL2-upregulation"),
        ("KG-86", "OpenQuestion", "false", None, None, "proteasome-inhibitor", "IKZF1-degradation"),
        ("KG-87", "OpenQuestion", "false", None, None, "proteasome-inhibitor", "IKZF3-degradation"),
        ("KG-88", "OpenQuestion", "false", None, None, "IKZF1", "ALL-leukemogenesis"),
        (
            "KG-90",
            "OpenQuestion",
            "false",
            None,
            None,
            "transcription-factor-degradation",
            "del5q-MDS-therapeutic-effect",
        ),
        ("LUPM-02", "Hypothesis", "false", None, None, "lenalidomide", "B-cell-malignancy"),
        ("LUPM-11", "Hypothesis", "true", None, None, "IKZF1-degradation", "teratogenicity"),
        ("LUPM-12", "Hypothesis", "true", None, None, "IKZF3-degradation", "teratogenicity"),
    ],
    "conflicts": [
        ("different status", "IB-04", "Hypothesis", "IB-67", "EstablishedFinding", "inside-blood-2014"),
        ("different status", "IB-04", "Hypothesis", "IB-68", "OpenQuestion", "inside-blood-2014"),
        ("different status", "IB-12", "OpenQuestion", "IB-35", "Hypothesis", "inside-blood-2014"),
        ("different status", "IB-15", "EstablishedFinding", "IB-17", "Hypothesis", "inside-blood-2014"),
        ("different status", "IB-16", "EstablishedFinding", "IB-17", "Hypothesis", "inside-blood-2014"),
        ("different status", "IB-67", "EstablishedFinding", "IB-68", "OpenQuestion", "inside-blood-2014"),
        ("different status", "IB-83", "EstablishedFinding", "KG-81", "Hypothesis", "kurtz-gotlib-2014"),
        ("different status", "IB-84", "EstablishedFinding", "KG-82", "Hypothesis", "kurtz-gotlib-2014"),
        ("superseded", "IB-03", "Superseded", "IB-22", "Hypothesis", "inside-blood-2014"),
        ("superseded", "IB-03", "Superseded", "IB-31", "Hypothesis", "inside-blood-2014"),
        ("superseded", "IB-49", "Superseded", "IB-53", "EstablishedFinding", "inside-blood-2014"),
        ("superseded", "IB-49", "Superseded", "IB-54", "EstablishedFinding", "inside-blood-2014"),
        ("superseded", "IB-49", "Superseded", "LUPM-07", "EstablishedFinding", "lu-2014-pubmed"),
        ("superseded", "IB-49", "Superseded", "LUPM-08", "EstablishedFinding", "lu-2014-pubmed"),
        ("superseded", "IB-50", "Superseded", "IB-53", "EstablishedFinding", "inside-blood-2014"),
        ("superseded", "IB-50", "Superseded", "IB-54", "EstablishedFinding", "inside-blood-2014"),
        ("superseded", "IB-50", "Superseded", "LUPM-07", "EstablishedFinding", "lu-2014-pubmed"),
        ("superseded", "IB-50", "Superseded", "LUPM-08", "EstablishedFinding", "lu-2014-pubmed"),
        ("superseded", "IB-52", "Superseded", "LUPM-07", "EstablishedFinding", "lu-2014-pubmed"),
        ("superseded", "IB-52", "Superseded", "LUPM-08", "EstablishedFinding", "lu-2014-pubmed"),
        ("superseded", "IB-63", "Superseded", "IB-65", "EstablishedFinding", "inside-blood-2014"),
        ("superseded", "IB-63", "Superseded", "LUPM-07", "EstablishedFinding", "lu-2014-pubmed"),
        ("superseded", "IB-63", "Superseded", "LUPM-08", "EstablishedFinding", "lu-2014-pubmed"),
        ("superseded", "IB-64", "Superseded", "IB-65", "EstablishedFinding", "inside-blood-2014"),
        ("superseded", "IB-64", "Superseded", "LUPM-07", "EstablishedFinding", "lu-2014-pubmed"),
        ("superseded", "IB-64", "Superseded", "LUPM-08", "EstablishedFinding", "lu-2014-pubmed"),
        ("superseded", "KG-41", "Superseded", "KG-26", "EstablishedFinding", "kurtz-gotlib-2014"),
        ("superseded", "KG-41", "Superseded", "KG-47", "EstablishedFinding", "kurtz-gotlib-2014"),
        ("superseded", "KG-41", "Superseded", "KG-50", "EstablishedFinding", "kurtz-gotlib-2014"),
        ("superseded", "KG-41", "Superseded", "KG-51", "EstablishedFinding", "kurtz-gotlib-2014"),
        ("superseded", "KG-42", "Superseded", "KG-26", "EstablishedFinding", "kurtz-gotlib-2014"),
        ("superseded", "KG-42", "Superseded", "KG-47", "EstablishedFinding", "kurtz-gotlib-2014"),
        ("superseded", "KG-42", "Superseded", "KG-50", "EstablishedFinding", "kurtz-gotlib-2014"),
        ("superseded", "KG-42", "Superseded", "KG-51", "EstablishedFinding", "kurtz-gotlib-2014"),
        ("superseded", "KG-43", "Superseded", "KG-26", "EstablishedFinding", "kurtz-gotlib-2014"),
        ("superseded", "KG-43", "Superseded", "KG-47", "EstablishedFinding", "kurtz-gotlib-2014"),
        ("superseded", "KG-43", "Superseded", "KG-50", "EstablishedFinding", "kurtz-gotlib-2014"),
        ("superseded", "KG-43", "Superseded", "KG-51", "EstablishedFinding", "kurtz-gotlib-2014"),
        ("superseded", "KG-44", "Superseded", "KG-26", "EstablishedFinding", "kurtz-gotlib-2014"),
        ("superseded", "KG-44", "Superseded", "KG-47", "EstablishedFinding", "kurtz-gotlib-2014"),
        ("superseded", "KG-44", "Superseded", "KG-50", "EstablishedFinding", "kurtz-gotlib-2014"),
        ("superseded", "KG-44", "Superseded", "KG-51", "EstablishedFinding", "kurtz-gotlib-2014"),
        ("superseded", "LUPM-03", "Superseded", "LUPM-07", "EstablishedFinding", "lu-2014-pubmed"),
        ("superseded", "LUPM-03", "Superseded", "LUPM-09", "EstablishedFinding", "lu-2014-pubmed"),
        ("superseded", "LUPM-05", "Superseded", "LUPM-07", "EstablishedFinding", "lu-2014-pubmed"),
        ("superseded", "LUPM-05", "Superseded", "LUPM-08", "EstablishedFinding", "lu-2014-pubmed"),
    ],
}


def main(names: list[str]) -> None:
    from imid_onto.query import load_dataset

    dataset = load_dataset(asserted_only=True)
    for table in names or list(QUESTIONS):
        print(f"    {table!r}: {pprint.pformat(answer(dataset, table), width=110, indent=4)},")


if __name__ == "__main__":
    main(sys.argv[1:])
