"""``imid-onto build``: the release files, written all at once or not at all.

Every file is first written into a staging folder beside the output folder; only when all
are written does the staging folder replace the output folder. A build that fails leaves
the previous output as it was.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef

from .canonical import canonical_turtle
from .errors import InputError, ReasonerUnavailable
from .kb import Counts, counts, load_knowledge_base, load_ontology
from .rdfio import rdfxml_bytes
from .reasoning import ReasoningResult, reason

__all__ = ["BuildResult", "build", "ontology_graph"]


@dataclass
class BuildResult:
    out: Path
    files: list[Path]
    counts: Counts
    reasoning: ReasoningResult | None
    reasoning_skipped: str = ""
    sizes: dict[str, int] = field(default_factory=dict)


def ontology_graph() -> Graph:
    """The ontology as released: imid.ttl with its external terms merged in (one
    owl:Ontology header, no imports)."""
    graph = load_ontology()
    external = URIRef("https://w3id.org/imid-onto/ontology/external")
    graph.remove((external, None, None))
    return graph


def _swap_into_place(staging: Path, out: Path) -> None:
    old = None
    if out.exists():
        if not out.is_dir():
            raise InputError(f"{out}: exists and is not a folder")
        old = out.with_name(f".{out.name}.previous")
        if old.exists():
            shutil.rmtree(old)
        out.rename(old)
    staging.rename(out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def build(out: Path, *, run_reasoner: bool = True) -> BuildResult:
    """Write the release files into ``out`` (replacing what was there, atomically)."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    ontology = ontology_graph()
    knowledge_base = load_knowledge_base()
    reasoning: ReasoningResult | None = None
    skipped = ""
    if run_reasoner:
        try:
            reasoning = reason()
        except ReasonerUnavailable as err:
            skipped = str(err)
    else:
        skipped = "reasoner not run (--no-reason)"

    outputs: dict[str, bytes] = {
        "imid.ttl": canonical_turtle(ontology).encode("utf-8"),
        "imid.owl": rdfxml_bytes(ontology),
        "imid-kb.ttl": canonical_turtle(knowledge_base).encode("utf-8"),
    }
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.staging-", dir=out.parent))
    umask = os.umask(0)
    os.umask(umask)
    staging.chmod(0o777 & ~umask)  # mkdtemp makes it private; the output is not
    try:
        for name, data in sorted(outputs.items()):
            (staging / name).write_bytes(data)
        _swap_into_place(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return BuildResult(
        out=out,
        files=[out / name for name in sorted(outputs)],
        counts=counts(knowledge_base),
        reasoning=reasoning,
        reasoning_skipped=skipped,
        sizes={name: len(data) for name, data in outputs.items()},
    )
