"""``imid-onto build``: the release, written all at once or not at all.

:func:`build` writes the ontology (Turtle, RDF/XML), the knowledge base in every RDF
serialization, the reasoner's inferred triples and the knowledge base with them, one
nanopublication per claim (TriG), a VoID/DCAT description with checksums, the validation
report, the answer of every named query (CSV and JSON), a static documentation site and the
mechanism diagram. It is reproducible (canonical serializations, no date but the release
time), atomic (written beside the output folder and swapped in) and replaces nothing of a
user's (:data:`MARKER`, :func:`check_out`). The folder swap, the folders refused and the
leftovers of killed builds: ``docs/design/release.md``.
"""

from __future__ import annotations

import ctypes
import datetime
import errno
import glob
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef

from imid_onto import paths
from imid_onto.errors import InputError
from imid_onto.io.canonical import canonical_turtle
from imid_onto.io.leftovers import alive
from imid_onto.io.rdf import jsonld_bytes, jsonld_context, new_graph, ntriples_bytes, rdfxml_bytes, trig_bytes
from imid_onto.model.kb import Counts, counts, load_knowledge_base, load_ontology
from imid_onto.publish import mechanism
from imid_onto.publish.kb_ontology import knowledge_base_ontology, owl_form, ro_edges
from imid_onto.publish.nanopub import nanopublications, read_signing_key
from imid_onto.publish.site import write_site
from imid_onto.publish.void import void_description
from imid_onto.query import Table, dataset_from_graph, format_table, load_dataset, named_queries, run_query
from imid_onto.reasoning.infer import Inference, infer, provenance_graph
from imid_onto.validation.report import ValidationReport, validate
from imid_onto.vocab import DCTERMS, ONTOLOGY_IRI

__all__ = ["BuildResult", "build", "ontology_graph", "release_time", "DISTRIBUTIONS", "MARKER"]

#: The file every release holds: a folder with it may be replaced by the next build.
MARKER = ".imid-onto-release"
MARKER_TEXT = (
    b"This folder is a release written by imid-onto build; the next build into it replaces it whole.\n"
    b"Do not keep your own files here.\n"
)

#: The RDF files of a release and what each holds (also their descriptions in void.ttl).
DISTRIBUTIONS: dict[str, str] = {
    "imid.ttl": "the ontology alone, with its external terms (Turtle)",
    "imid.owl": "the ontology alone, with its external terms (RDF/XML, for Protégé and the OWL API)",
    "imid-kb.ttl": (
        "the knowledge base, an ontology of its own that imports the ontology: ontology, entities, documents "
        "and claims with the plain edges of standing claims; asserted only"
    ),
    "imid-kb.nt": "the same as imid-kb.ttl, as N-Triples",
    "imid-kb.jsonld": "the same as imid-kb.ttl, as compact JSON-LD with its context inlined",
    "imid-kb.owl": (
        "the same as imid-kb.ttl in OWL 2 DL, as RDF/XML (Protégé, the OWL API): each claim's statement as "
        "annotations, each plain edge annotated with the claim behind it"
    ),
    "imid-inferred.ttl": "the reasoner's inferred triples, with their PROV-O provenance",
    "imid-kb-full.ttl": (
        "imid-kb.ttl and imid-inferred.ttl together, with the plain edges also in their RO super-relations: "
        "what the named queries run over"
    ),
    "imid-kb.trig": "one nanopublication per claim (head, assertion, provenance and pubinfo graphs), "
    "each with a Trusty URI",
}


@dataclass
class BuildResult:
    out: Path
    sizes: dict[str, int]  # file (relative to out) -> bytes
    counts: Counts
    inference: Inference | None
    validation: ValidationReport
    answers: dict[str, Table]
    labels: dict = field(default_factory=dict)  # node -> label, for the downstream effects in the summary
    skipped: dict[str, str] = field(default_factory=dict)  # part -> why it was not built
    signed: bool = False  # the nanopublications are signed (build's sign_key)

    @property
    def files(self) -> list[Path]:
        return [self.out / name for name in sorted(self.sizes)]

    @property
    def failure(self) -> str | None:
        """Why the release fails its checks (the files are written all the same): the
        ontology with its entities is inconsistent, or the knowledge base has SHACL
        violations; None when it passes."""
        if self.inference is not None and not self.inference.consistent:
            return "the ontology with its entities is inconsistent"
        if self.validation.fails("violation"):
            return f"{self.validation.count('violation')} SHACL violation(s): see {self.out / 'validation-report.ttl'}"
        return None

    def downstream(self) -> dict[str, dict[str, list[str]]]:
        """What is downstream of the loss of each default protein (IKZF1, IKZF3): protein
        label -> chain status label -> effect labels (each once, whichever loss of the protein
        it follows), from the downstream-effects answer."""
        table = self.answers["downstream-effects"]
        col = {name: i for i, name in enumerate(table.columns)}
        found: dict[str, dict[str, list[str]]] = {}
        for row in table.rows:
            protein = self.labels.get(row[col["protein"]], str(row[col["protein"]]))
            status = self.labels.get(row[col["status"]], str(row[col["status"]]))
            effect = self.labels.get(row[col["effect"]], str(row[col["effect"]]))
            found.setdefault(protein, {}).setdefault(status, []).append(effect)
        return {p: {s: sorted(set(e)) for s, e in sorted(by.items())} for p, by in sorted(found.items())}


def ontology_graph() -> Graph:
    """The ontology as released: imid.ttl with its external terms merged in (one
    owl:Ontology header, no imports)."""
    graph = load_ontology()
    external = URIRef("https://w3id.org/imid-onto/ontology/external")
    graph.remove((external, None, None))
    return graph


def release_time(ontology: Graph) -> str:
    """The release's time as an xsd:dateTime: SOURCE_DATE_EPOCH if set, else the
    ontology's modified (or created) date at midnight UTC. Never the clock."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        if not epoch.isdigit():
            raise InputError(f"SOURCE_DATE_EPOCH must be a number of seconds, not {epoch!r}")
        moment = datetime.datetime.fromtimestamp(int(epoch), datetime.UTC)
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    node = URIRef(ONTOLOGY_IRI)
    date = ontology.value(node, DCTERMS.modified) or ontology.value(node, DCTERMS.created)
    if date is None:
        raise InputError("the ontology header has no dcterms:modified or dcterms:created date; set SOURCE_DATE_EPOCH")
    return f"{str(date)[:10]}T00:00:00Z"


def _union(*graphs: Graph) -> Graph:
    union = new_graph()
    for graph in graphs:
        for triple in graph:
            union.add(triple)
    return union


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Swap the folders ``a`` and ``b`` in one atomic step (Linux ``renameat2`` with
    ``RENAME_EXCHANGE``): at every moment each name holds a complete folder. False where
    the system or the file system cannot (the caller then renames twice)."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError, TypeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EXDEV):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _leftovers(out: Path) -> list[tuple[Path, str, int | None]]:
    """The staging and previous folders of builds into ``out``: (path, kind, the pid of the
    build that made it, None if it does not say)."""
    found = []
    for path in out.parent.glob(f".{glob.escape(out.name)}.*"):
        kind, _, tail = path.name[len(out.name) + 2 :].partition("-")
        if kind in ("staging", "previous") and path.is_dir() and not path.is_symlink():
            pid = tail.split("-")[0]
            found.append((path, kind, int(pid) if pid.isdigit() else None))
    return sorted(found)


def _recover(out: Path) -> None:
    """Clean up after builds into ``out`` that were killed: a staging folder is removed; a
    previous release (kept aside by the two-rename swap, where the system cannot swap in
    one step) is put back where ``out`` is missing, and removed otherwise. Folders of a
    build that is still running are left alone."""
    previous = []
    for path, kind, pid in _leftovers(out):
        if pid is not None and pid != os.getpid() and alive(pid):
            continue
        if kind == "previous":
            previous.append(path)
        else:
            shutil.rmtree(path, ignore_errors=True)
    if previous and not out.exists() and not out.is_symlink():
        newest = max(previous, key=lambda path: path.stat().st_mtime)
        newest.rename(out)
        previous.remove(newest)
    for path in previous:
        shutil.rmtree(path, ignore_errors=True)


def _swap_into_place(staging: Path, out: Path) -> None:
    """Put the complete ``staging`` folder where ``out`` is, so that ``out`` is never
    missing nor partly written: one atomic exchange where the system can (Linux), else
    two renames, the previous release kept beside as ``.<out>.previous-<pid>`` until the
    new one is in place (a build killed between them leaves it for :func:`_recover`)."""
    if not (out.exists() or out.is_symlink()):
        staging.rename(out)
        return
    if not out.is_dir() or out.is_symlink():
        raise InputError(f"{out}: exists and is not a folder")
    try:
        if _exchange(staging, out):
            shutil.rmtree(staging, ignore_errors=True)  # now the previous release
            return
        old = out.with_name(f".{out.name}.previous-{os.getpid()}")
        out.rename(old)
    except OSError as err:
        if err.errno in (errno.EBUSY, errno.EXDEV):  # a mount point that os.path.ismount missed (a bind mount)
            raise InputError(_UNSWAPPABLE.format(out=out, what="a mount point")) from None
        raise
    try:
        staging.rename(out)
    except BaseException:
        old.rename(out)
        raise
    shutil.rmtree(old, ignore_errors=True)


_UNSWAPPABLE = (
    "{out}: is {what}, which cannot be replaced whole (a release is written beside its folder and "
    "swapped in): refusing to build into it; give a folder inside it (--out {out}/build)"
)


def _own_folders() -> list[Path]:
    """imid-onto's own sources: the package, its data folders and, in a source checkout,
    the repository's folders (a release may lie in the repository, never in these)."""
    package = Path(__file__).resolve().parent.parent  # the imid_onto package
    data = paths.data_dir().resolve()
    folders = [package, paths.kb_dir().resolve()] + [data / name for name in ("ontology", "kb", "shapes", "queries")]
    if not data.is_relative_to(package):  # a source checkout: data is the repository root
        folders += [data / name for name in (".git", "src", "tests", "benchmarks") if (data / name).exists()]
    return folders


def check_out(out: Path, *, force: bool = False) -> None:
    """Refuse to build into ``out`` where that could lose a file: a folder that is not
    empty and is not an earlier release (unless ``force``); the root, the home folder or
    a folder holding or inside imid-onto's sources (even with ``force``); a folder that
    cannot be swapped whole (a mount point, the current folder)."""
    real = out.resolve()
    home = os.path.expanduser("~")  # "~" itself where there is no HOME and no passwd entry
    for folder, what in [
        (Path(real.anchor), "the root folder"),
        (Path(home).resolve() if os.path.isabs(home) else None, "your home folder"),
    ]:
        if folder is not None and folder.is_relative_to(real):
            how = f"is {what}" if folder == real else f"holds {what} ({folder})"
            raise InputError(f"{out}: {how}: refusing to replace it, even with --force")
    for folder in _own_folders():
        if folder.is_relative_to(real) or real.is_relative_to(folder):
            how = "is one of" if folder == real else "holds" if folder.is_relative_to(real) else "is inside"
            raise InputError(
                f"{out}: {how} imid-onto's own source folders ({folder}): refusing to replace it, "
                "even with --force; give another folder (--out build)"
            )
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise InputError(f"{out}: exists and is not a folder")
    if not out.exists():
        return
    if os.path.ismount(out):
        raise InputError(_UNSWAPPABLE.format(out=out, what="a mount point"))
    if real == Path(os.path.abspath(os.curdir)).resolve():
        raise InputError(
            _UNSWAPPABLE.format(out=out, what="the current folder").replace(f"--out {out}/build", "--out build")
        )
    if force or (out / MARKER).is_file():
        return
    try:
        with os.scandir(out) as entries:
            empty = next(entries, None) is None
    except OSError as err:
        raise InputError(f"{out}: cannot be read ({err.strerror}): refusing to replace it") from None
    if not empty:
        raise InputError(
            f"{out}: not empty and not an imid-onto release (it has no {MARKER}): refusing to "
            "replace it; give another folder, or --force to replace it and everything in it"
        )


def _write_staging(
    out: Path, files: dict[str, bytes], site_graph: Graph | None, version: str, date: str, force: bool = False
) -> None:
    _recover(out)
    try:
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.staging-{os.getpid()}-", dir=out.parent))
    except OSError as err:
        raise InputError(
            f"{out}: cannot write beside it, in {out.parent} ({err.strerror}): a release is written "
            "there first, then swapped in; give a folder whose parent you can write"
        ) from None
    umask = os.umask(0)
    os.umask(umask)
    staging.chmod(0o777 & ~umask)  # mkdtemp makes it private; the output is not
    try:
        for name, data in sorted(files.items()):
            target = staging / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        if site_graph is not None:
            (staging / "docs").mkdir()
            write_site(site_graph, staging / "docs", version=version, generated=date)
        check_out(out, force=force)  # again: the folder may have changed while the release was made
        _swap_into_place(staging, out)
    except OSError as err:
        shutil.rmtree(staging, ignore_errors=True)
        raise InputError(
            f"{out}: the release could not be written ({err.strerror or err}); the previous one is as it was"
        ) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def build(
    out: Path, *, run_reasoner: bool = True, site: bool = True, force: bool = False, sign_key: Path | None = None
) -> BuildResult:
    """Write the release into ``out``, replacing an earlier release there atomically;
    a folder of anything else is refused (see :func:`check_out`) unless ``force``. With
    ``sign_key`` (an RSA private key file), every nanopublication is also signed with it
    (needs nanopub-sign: ``pip install 'imid-onto[sign]'``)."""
    out = Path(os.path.abspath(out))
    check_out(out, force=force)
    key = read_signing_key(sign_key) if sign_key is not None else None  # a bad key: refused before any work
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise InputError(f"{out}: cannot make the folder it goes in ({err.strerror})") from None
    _recover(out)  # after a build that was killed: no folder left half-way, none missing
    ontology = ontology_graph()
    knowledge_base = load_knowledge_base()
    moment = release_time(ontology)
    c = counts(knowledge_base)
    skipped: dict[str, str] = {}

    inference: Inference | None = None
    released = knowledge_base_ontology(knowledge_base)  # imid-kb.*: an ontology of its own
    full = _union(released, ro_edges(released))  # what the named queries run over (imid-kb-full.ttl)
    site_graph = knowledge_base  # the site and the diagram: the knowledge base as loaded, with the ontology's header
    files: dict[str, bytes] = {
        "imid.ttl": canonical_turtle(ontology).encode("utf-8"),
        "imid.owl": rdfxml_bytes(ontology),
        "imid-kb.ttl": canonical_turtle(released).encode("utf-8"),
        "imid-kb.nt": ntriples_bytes(released),
        "imid-kb.jsonld": jsonld_bytes(released, jsonld_context(released)),
        "imid-kb.owl": rdfxml_bytes(owl_form(released)),
    }
    files["context.jsonld"] = _context_document(released)
    if run_reasoner:
        inference = infer(knowledge_base)  # HermiT; OWL 2 RL (with a warning) where Java is missing
        inferred = provenance_graph(inference, generated=moment)
        full = _union(full, inferred)
        site_graph = _union(knowledge_base, inferred)
        files["imid-inferred.ttl"] = canonical_turtle(inferred).encode("utf-8")
        files["imid-kb-full.ttl"] = canonical_turtle(full).encode("utf-8")
    else:
        skipped["reasoner"] = "not run (--no-reason): no imid-inferred.ttl or imid-kb-full.ttl"

    files["imid-kb.trig"] = trig_bytes(nanopublications(knowledge_base, key=key))

    report = validate()
    files["validation-report.ttl"] = report.as_turtle().encode("utf-8")

    dataset = dataset_from_graph(full, inference.reasoner if inference else "none")
    answers = {name: run_query(dataset, query) for name, query in named_queries().items()}
    for name, table in answers.items():
        files[f"answers/{name}.csv"] = format_table(table, "csv").encode("utf-8")
        files[f"answers/{name}.json"] = format_table(table, "json").encode("utf-8")

    try:
        files["mechanism.svg"], files["mechanism.png"] = mechanism.render_mechanism(
            site_graph
        )  # looked up here: tests swap it
    except mechanism.MechanismUnavailable as err:
        skipped["mechanism diagram"] = str(err)

    distributions = {name: (files[name], what) for name, what in DISTRIBUTIONS.items() if name in files}
    void = void_description(released, distributions, version=c.version, issued=moment[:10])
    files["void.ttl"] = canonical_turtle(void).encode("utf-8")

    files[MARKER] = MARKER_TEXT
    _write_staging(out, files, site_graph if site else None, c.version, moment[:10], force)
    if not site:
        skipped["documentation site"] = "not built (site=False)"
    sizes = {name: len(data) for name, data in files.items()}
    if site:
        for path in sorted((out / "docs").rglob("*")):
            if path.is_file():
                sizes[str(path.relative_to(out))] = path.stat().st_size
    if inference is not None:  # the persistent store that `imid-onto query` opens (imid_onto.io.cache)
        try:
            load_dataset(inferred=inference.inferred, reasoner=inference.reasoner, cache=True)
        except OSError as err:
            skipped["query store"] = f"not written: {err}"
    labels = {
        node: dataset.label(node)
        for row in answers["downstream-effects"].rows
        for node in row
        if isinstance(node, URIRef)
    }
    return BuildResult(
        out=out,
        sizes=sizes,
        counts=c,
        inference=inference,
        validation=report,
        answers=answers,
        labels=labels,
        skipped=skipped,
        signed=key is not None,
    )


def _context_document(graph: Graph) -> bytes:
    """``context.jsonld``: the JSON-LD context of the release, for compacting other data
    the same way (imid-kb.jsonld carries the same context inline)."""
    return (json.dumps({"@context": jsonld_context(graph)}, indent=1, sort_keys=True) + "\n").encode("utf-8")
