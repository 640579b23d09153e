"""What OBO tools make of imid-onto's files, for the tests: ROBOT's report (its own queries
and default profile, run by pyoxigraph) and the OWL API (tools/owlprofile/OwlProfile.java,
run by Java), and the lists of accepted rows that docs/design/owl.md keeps."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from imid_onto.io.rdf import to_store
from imid_onto.vocab import curie

from ..conftest import REPO

#: The design note that lists every WARN row of the ontology's report and every ERROR row of
#: the knowledge base's, each with its reason.
OWL_NOTE = REPO / "docs" / "design" / "owl.md"


@dataclass(frozen=True)
class Row:
    level: str  # ERROR, WARN or INFO (ROBOT's default profile)
    check: str  # the query's name
    entity: str  # as a CURIE where imid-onto has the prefix
    value: str


def _text(term: object) -> str:
    if term is None:
        return ""
    return term.value if isinstance(term, ox.NamedNode | ox.Literal) else str(term)


def robot_report(data: Graph | ox.Store, queries: Path) -> list[Row]:
    """Every row of every ROBOT report query over ``data``, with its level in the default profile."""
    store = data if isinstance(data, ox.Store) else to_store(data)
    rows = []
    for line in (queries / "report_profile.txt").read_text().splitlines():
        if not line.strip():
            continue
        level, name = line.split("\t")
        solutions = store.query((queries / f"{name}.rq").read_text())
        assert isinstance(solutions, ox.QuerySolutions)
        for solution in solutions:
            entity, value = solution["entity"], solution["value"]
            rows.append(
                Row(
                    level,
                    name,
                    curie(entity.value) if isinstance(entity, ox.NamedNode) else str(entity),
                    _text(value),
                )
            )
    return sorted(set(rows), key=lambda r: (r.level, r.check, r.entity, r.value))


def listed(section: str) -> set[tuple[str, str]]:
    """The (check, CURIE) pairs that the table under ``section`` (a '## ' heading) of
    docs/design/owl.md lists: its first column names the check, its second the CURIEs,
    each in backquotes."""
    text = OWL_NOTE.read_text(encoding="utf-8")
    start = text.index(f"\n## {section}\n")
    end = text.find("\n## ", start + 1)
    pairs = set()
    for line in text[start : end if end >= 0 else None].splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) >= 3 and re.fullmatch(r"`\w+`", cells[0]):
            for term in re.findall(r"`([\w.-]+:[\w.-]+)`", cells[1]):
                pairs.add((cells[0].strip("`"), term))
    return pairs


@dataclass
class OwlApiReport:
    """What the OWL API made of one file (tools/owlprofile/OwlProfile.java's records)."""

    ontology: str = "-"
    version: str = "-"
    imports: list[str] = field(default_factory=list)
    missing_imports: list[str] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    unparsed: list[str] = field(default_factory=list)
    assertions: list[tuple[str, str, str, str]] = field(default_factory=list)
    error: str | None = None
    summary: str = ""


def owl_api(
    command: list[str], *files: Path, mapped: dict[str, Path] | None = None, assertions: bool = False
) -> dict[str, OwlApiReport]:
    """Run the OWL API check over ``files`` (imports resolved only through ``mapped``, IRI ->
    local file: nothing is fetched): file name -> its report."""
    args = [*command]
    for iri, path in (mapped or {}).items():
        args += ["--map", f"{iri}={path}"]
    if assertions:
        args.append("--assertions")
    done = subprocess.run([*args, *map(str, files)], capture_output=True, text=True, timeout=600)
    assert done.returncode in (0, 2), done.stderr[-3000:]
    reports: dict[str, OwlApiReport] = {}
    report = OwlApiReport()
    for line in done.stdout.splitlines():
        kind, _, rest = line.partition("\t")
        parts = rest.split("\t")
        if kind == "file":
            report = reports.setdefault(Path(rest).name, OwlApiReport())
        elif kind == "ontology":
            report.ontology, report.version = parts[0], parts[1]
        elif kind == "import":
            report.imports.append(rest)
        elif kind == "missing-import":
            report.missing_imports.append(rest)
        elif kind == "violation":
            report.violations.append(rest)
        elif kind == "unparsed":
            report.unparsed.append(rest)
        elif kind == "assertion":
            report.assertions.append((parts[0], parts[1], parts[2], parts[3] if len(parts) > 3 else ""))
        elif kind == "error":
            report.error = rest
        elif kind == "summary":
            report.summary = rest
    assert sorted(reports) == sorted(Path(f).name for f in files), done.stdout[-3000:] + done.stderr[-3000:]
    return reports
