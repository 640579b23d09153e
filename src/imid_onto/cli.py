"""The ``imid-onto`` command: a thin layer over the Python API.

Exit codes: 0 success, 1 a check failed, 2 bad input or usage. Errors are one line on
stderr, never a traceback (set IMID_DEBUG=1 to see one). Every error and warning passes
:func:`_say`: control characters escaped, the password of --password-env redacted.
"""

from __future__ import annotations

import logging
import os
import sys
import time
import warnings
from pathlib import Path

import click

from imid_onto import __version__
from imid_onto.errors import CheckFailed, DuplicateClaims, ImidError, printable, redact
from imid_onto.io.sparql_text import Limits

STATUS_CHOICES = ["finding", "hypothesis", "open-question", "interpretation", "historical-proposal", "superseded"]
#: imid_onto.io.endpoint's defaults (TIMEOUT, MAX_BYTES), here without importing it at start-up
#: (a test checks they agree)
_ENDPOINT_TIMEOUT, _MAX_BYTES = 300.0, 1 << 30


class _Group(click.Group):
    """The command group: its ``--help`` gives each command's one-line help whole (click
    cuts it to the terminal's width)."""

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, command.get_short_help_str(limit=sys.maxsize)) for name, command in self.commands.items()]
        with formatter.section("Commands"):
            formatter.write_dl(sorted(rows))


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="imid-onto")
@click.option(
    "--kb",
    "kb",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    metavar="DIR",
    help="Read the knowledge base (entities.ttl, documents.ttl, claims/, ledger/) from DIR; else $IMID_KB, "
    "else the kb/ of the checkout you are in, else the copy shipped with imid-onto.",
)
def main(kb: Path | None) -> None:
    """imid-onto: molecular glue drugs, their ligases and neosubstrates, as a knowledge graph.

    Each command that reads the knowledge base names it first, on stderr:
    "imid-onto: knowledge base: DIR (how it was chosen)"."""
    from imid_onto import paths

    paths.use_kb(kb)


def _knowledge_base() -> None:
    """Say which knowledge base this command reads (first, on stderr: stdout stays the answer)."""
    from imid_onto import paths

    _say(f"imid-onto: knowledge base: {paths.knowledge_base()}")


@main.command()
def info() -> None:
    """Counts of classes, properties, individuals and claims, and the ontology version."""
    _knowledge_base()
    from imid_onto.model.kb import counts, load_knowledge_base

    c = counts(load_knowledge_base())
    click.echo(f"imid-onto {__version__}  (ontology version {c.version})")
    click.echo(f"classes              {c.classes:>5}")
    click.echo(f"object properties    {c.object_properties:>5}")
    click.echo(f"datatype properties  {c.datatype_properties:>5}")
    click.echo(f"individuals          {c.individuals:>5}")
    click.echo(f"claims               {c.claims:>5}")
    for title, table in (("by status", c.by_status), ("by study", c.by_study), ("by source document", c.by_source)):
        click.echo(f"claims {title}:")
        for name, n in table.items():
            click.echo(f"  {n:>4}  {name}")


@main.command()
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Output folder: new, empty, or an earlier release (replaced atomically).",
)
@click.option("--no-reason", is_flag=True, help="Skip the reasoner (no imid-inferred.ttl, imid-kb-full.ttl).")
@click.option(
    "--force",
    is_flag=True,
    help="Replace OUT even if it is not an earlier release, and everything in it (never the root, "
    "the home folder or imid-onto's own sources).",
)
@click.option(
    "--sign-key",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Also sign every nanopublication with this RSA private key (base64 PKCS#8, as ~/.nanopub/id_rsa; "
    "needs: pip install 'imid-onto[sign]').",
)
def build(out: Path, no_reason: bool, force: bool, sign_key: Path | None) -> None:
    """Build the release into OUT and print a summary.

    Exit 1 if the ontology is inconsistent or the knowledge base has SHACL violations
    (the files are written). "Validation: conforms" is the report's sh:conforms: no
    result of any severity (infos included); the build fails on violations only. A
    folder OUT that is not empty and is not an earlier release is refused (exit 2) unless
    --force. Every nanopublication has a Trusty URI; with --sign-key it is also signed."""
    _knowledge_base()
    from imid_onto.publish.release import MARKER
    from imid_onto.publish.release import build as run_build

    result = run_build(out, run_reasoner=not no_reason, force=force, sign_key=sign_key)
    c = result.counts
    top = [name for name in sorted(result.sizes) if "/" not in name and name != MARKER]
    pages = sum(1 for name in result.sizes if name.startswith("docs/") and name.endswith(".html"))
    answers = sum(1 for name in result.sizes if name.startswith("answers/"))
    click.echo(f"Built imid-onto {c.version} into {printable(str(result.out))}/")
    for name in top:
        click.echo(f"  {name:<22} {result.sizes[name]:>9,} bytes")
    click.echo(f"  {'answers/':<22} {answers:>9} files (CSV and JSON of {len(result.answers)} named queries)")
    if pages:
        click.echo(f"  {'docs/':<22} {pages:>9} HTML pages (open docs/index.html)")
    click.echo(
        f"Knowledge base: {c.classes} classes, {c.object_properties + c.datatype_properties} properties, "
        f"{c.individuals} individuals, {c.claims} claims "
        f"({', '.join(f'{n} {s}' for s, n in c.by_status.items())}); {c.claims} nanopublications "
        f"({'signed, ' if result.signed else ''}with Trusty URIs)"
    )
    if result.inference is not None:
        r = result.inference
        state = "consistent" if r.consistent else "INCONSISTENT"
        click.echo(
            f"Reasoner: {r.reasoner}: the ontology with its entities is {state}; {len(r.inferred)} inferred triples"
        )
        if r.warning:
            _warn(r.warning)
    v = result.validation
    verdict = "conforms" if v.conforms else "DOES NOT CONFORM" if v.fails("violation") else "does not conform"
    # SHACL's sh:conforms is false on any result; say that infos and warnings alone do not stop a release
    released = "" if v.conforms or v.fails("violation") else "no violation, so the release is built; "
    notes = ", notes for curators: imid-onto validate --infos" if v.count("info") else ""
    click.echo(
        f"Validation: {verdict} ({v.count('violation')} violations, {v.count('warning')} warnings, "
        f"{v.count('info')} infos{notes}; {released}validation-report.ttl)"
    )
    for part, why in result.skipped.items():
        click.echo(f"Skipped: {part}: {why}")
    downstream = result.downstream()
    for protein, by_status in downstream.items():
        click.echo(f"Downstream of {protein} loss (its degradation, knock-down or a fall in its level), by status:")
        for status, effects in by_status.items():
            click.echo(f"  {status}: {', '.join(effects)}")
    if downstream:
        click.echo("Each chain, the loss it starts from and who showed each step: imid-onto query downstream-effects")
    if result.failure:
        raise CheckFailed(result.failure)


@main.command()
@click.option("--source", help="Only claims quoted from this source document (e.g. kurtz-gotlib-2014).")
@click.option("--status", type=click.Choice(STATUS_CHOICES), help="Only claims with this status.")
@click.option(
    "--data",
    "data",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="List the claims of these RDF files instead of the knowledge base (repeat for several); "
    "read from the persistent store that query --data keeps.",
)
@click.option("--no-cache", is_flag=True, help="With --data: parse afresh instead of opening the persistent store.")
def claims(source: str | None, status: str | None, data: tuple[Path, ...], no_cache: bool) -> None:
    """List claims with their quotes, for review beside the source text."""
    _knowledge_base()
    from imid_onto.model.claims import claim_rows
    from imid_onto.model.kb import load_knowledge_base, source_document_names

    def listed(graph):
        if source and ":" not in source and source not in source_document_names(graph):
            raise click.BadParameter(
                f"no source document {source!r}; choose from: {', '.join(source_document_names(graph))}",
                param_hint="--source",
            )
        return claim_rows(graph, source=source, status=status)

    if data:
        from imid_onto.io.rdf import graph_view
        from imid_onto.query import with_dataset

        rows = with_dataset(
            lambda dataset: listed(graph_view(dataset.store)), list(data), warn=_warn, cache=not no_cache
        )
    else:
        rows = listed(load_knowledge_base())
    for row in rows:
        name = row.iri.rsplit("/", 1)[-1]
        negated = "NOT " if row.negated else ""
        click.echo(printable(f"{name}  [{row.status}]  {negated}{row.statement}"))  # the user's text: one line each
        click.echo(printable(f"    study: {', '.join(row.studies)}   quoted from: {row.source}"))
        click.echo(printable(f'    "{row.quote}"'))
    click.echo(f"{len(rows)} claims")


@main.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--alone",
    is_flag=True,
    help="Read FILES with the ontology only, not beside the knowledge base's entities and documents.",
)
def check(files: tuple[Path, ...], alone: bool) -> None:
    """Check every quote against its source text and every external id against the
    identifier table; and each coverage ledger against its source text and the claims.

    Needs ../shared or IMID_SOURCES / IMID_IDENTIFIERS. Checks the knowledge base (its
    ledgers, kb/ledger/, too), or FILES read as validate reads them: with the ontology and
    the knowledge base's entities and documents (their claims may quote its documents),
    unless --alone. Each problem names its file and line. Exit 1 on a problem, 2 on
    unreadable input."""
    _knowledge_base()
    from imid_onto.validation.check import check as run_check

    problems = run_check(list(files), alone=alone)
    for problem in problems:  # printable(): a file name or a value may hold a newline or a terminal escape
        click.echo(printable(str(problem)))
        if problem.hint:
            click.echo(printable(f"    {problem.hint}"))
    if problems:
        raise CheckFailed(
            printable(str(problems[0])) if len(problems) == 1 else f"{len(problems)} problems (listed above)"
        )
    ledgers = "" if files else "; every sentence of the source texts accounted for"
    click.echo(f"all quotes found; all external ids verified{ledgers}")


@main.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt_",
    type=click.Choice(["text", "json", "turtle"]),
    default="text",
    show_default=True,
    help="text for people; json for programs; turtle for the standard sh:ValidationReport.",
)
@click.option(
    "--fail-on",
    type=click.Choice(["violation", "warning", "info"]),
    default="violation",
    show_default=True,
    help="Exit 1 when a result of this severity or worse is found.",
)
@click.option(
    "--engine",
    type=click.Choice(["oxigraph", "pyshacl"]),
    default="oxigraph",
    show_default=True,
    help="oxigraph: the shapes compiled to SPARQL (fast); pyshacl: the reference implementation.",
)
@click.option(
    "--no-cache",
    is_flag=True,
    help="Validate afresh instead of reusing the report kept for the same bytes (in $IMID_CACHE).",
)
@click.option(
    "--alone",
    is_flag=True,
    help="Read FILES with the ontology only, not beside the knowledge base's entities and documents.",
)
@click.option("--infos", is_flag=True, help="With --format text: show each info too, not only their count.")
def validate(
    files: tuple[Path, ...], fmt_: str, fail_on: str, engine: str, no_cache: bool, alone: bool, infos: bool
) -> None:
    """Validate FILES (default: the knowledge base) against the SHACL shapes.

    FILES may be Turtle, TriG, N-Triples, N-Quads, JSON-LD or RDF/XML (by extension);
    they are read as check reads them: with the ontology (for class checks) and the
    knowledge base's entities and documents, unless --alone. The text report shows the
    violations and warnings, then counts the infos (--infos shows them). Exit 0 conforms, 1 results at or above
    --fail-on (or a claim IRI described twice), 2 input that is unreadable or empty (an
    empty file is an empty graph: it would conform, having nothing in it to check). Both
    engines give the same results. The report is kept: validating the same bytes again
    (files, shapes and ontology unchanged) reads it instead of parsing.
    """
    _knowledge_base()
    from imid_onto.validation.report import validate as run_validate

    # precheck: missing, a folder, unknown kind, empty, not UTF-8, truncated XML: exit 2
    report = run_validate(list(files) or None, engine=engine, keep=not no_cache, precheck=True, alone=alone)
    if report.duplicates:  # a claim IRI described twice: said instead of the report, in one line, exit 1
        raise DuplicateClaims(report.duplicates)
    for note in report.notes:  # what could not be checked (the quotes, without the source texts)
        _warn(note)
    if fmt_ == "json":
        sys.stdout.writelines(report.json_chunks())  # piece by piece: a report can be large
        click.echo()
    elif fmt_ == "turtle":
        sys.stdout.writelines(report.turtle_chunks())
    else:
        click.echo(report.as_text(infos=infos))
    if report.fails(fail_on):
        sys.exit(1)


#: The passwords read for this command (--password-env): never shown, in any form.
_SECRETS: list[str] = []


def _say(line: str) -> None:
    """Write ``line`` to stderr as one line: control characters (a file name's newline, a
    server's terminal escapes) escaped, the password redacted."""
    click.echo(printable(redact(line, _SECRETS)), err=True)


def _warn(message) -> None:
    _say(f"imid-onto: warning: {message}")


def _parse_params(values: tuple[str, ...]) -> dict[str, list[str]]:
    params: dict[str, list[str]] = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise click.UsageError(f"--param takes NAME=VALUE, not {item!r}")
        params.setdefault(name.strip(), []).append(value)
    return params


@main.command()
@click.argument("name", required=False)
@click.option(
    "--param",
    "-p",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="A parameter: an IRI, a CURIE or a label (repeat for several values).",
)
@click.option(
    "--format",
    "fmt_",
    type=click.Choice(["table", "csv", "tsv", "json"]),
    default="table",
    show_default=True,
    help="json and csv/tsv are the W3C SPARQL 1.1 results formats.",
)
@click.option("--list", "list_", is_flag=True, help="List the named queries and their questions.")
@click.option("--file", "file_", type=click.Path(dir_okay=False, path_type=Path), help="Run your own SPARQL SELECT.")
@click.option("--asserted-only", is_flag=True, help="Leave out the reasoner's inferred triples.")
@click.option("--engine", type=click.Choice(["oxigraph", "rdflib"]), default="oxigraph", show_default=True)
@click.option("--endpoint", metavar="URL", help="Run it on this SPARQL endpoint instead (SPARQL 1.1 Protocol).")
@click.option(
    "--graph",
    "graphs",
    multiple=True,
    metavar="IRI",
    help="With --endpoint: the graph(s) to query (default-graph-uri); Virtuoso's default is every graph.",
)
@click.option("--user", help="With --endpoint: user name (HTTP Digest or Basic).")
@click.option("--password-env", metavar="VAR", help="With --endpoint: the environment variable holding the password.")
@click.option(
    "--data",
    "data",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Query these RDF files (with the ontology) instead of the knowledge base (repeat for several).",
)
@click.option(
    "--no-cache",
    is_flag=True,
    help="Parse and reason afresh instead of opening the persistent store (kept in $IMID_CACHE).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    metavar="SECONDS",
    help=f"With --file: stop the query after this long (default {Limits.seconds:g}); with --endpoint: the "
    f"time limit for the whole command (default {_ENDPOINT_TIMEOUT:g}). Exit 2 past it.",
)
@click.option(
    "--max-rows",
    type=click.IntRange(min=0),
    default=Limits.rows,
    show_default=True,
    metavar="N",
    help="With --file: refuse an answer of more rows (exit 2).",
)
@click.option(
    "--max-memory",
    type=click.IntRange(min=1),
    default=Limits.memory_mb,
    show_default=True,
    metavar="MB",
    help="With --file: stop the query past this much memory beyond the loaded data (exit 2; Linux).",
)
@click.option(
    "--max-bytes",
    type=click.IntRange(min=1),
    default=_MAX_BYTES,
    show_default=True,
    metavar="BYTES",
    help="With --endpoint: the most bytes of the store's answers that are read (exit 2 past it).",
)
def query(
    name: str | None,
    params: tuple[str, ...],
    fmt_: str,
    list_: bool,
    file_: Path | None,
    asserted_only: bool,
    engine: str,
    endpoint: str | None,
    graphs: tuple[str, ...],
    user: str | None,
    password_env: str | None,
    data: tuple[Path, ...],
    no_cache: bool,
    timeout: float | None,
    max_rows: int,
    max_memory: int,
    max_bytes: int,
) -> None:
    """Answer the competency question NAME (see --list), or your own SELECT (--file).

    It runs over the knowledge base (or your own files, --data), or over a SPARQL
    endpoint holding the published release (--endpoint).

    The first query over some files parses them, derives the plain edges, runs the reasoner
    and keeps the result in a persistent store; later queries open that store while the
    files are unchanged.

    Your own query (--file) must be a SELECT that reaches no network and changes nothing
    (no SERVICE, FROM, LOAD or update; decided from its parse); it runs within --timeout,
    --max-rows and --max-memory."""
    from imid_onto.query import format_table, named_queries, named_query, run_query, user_query, with_dataset

    if list_:
        for query_ in named_queries().values():
            click.echo(f"{query_.name:<20} {query_.question}")
            for param in query_.params:
                click.echo(f"{'':<22}--param {param.name}=...  (default: {', '.join(param.defaults)}) {param.help}")
        return
    if (name is None) == (file_ is None):
        raise click.UsageError("give a query NAME (see --list) or --file, not both")
    given = click.get_current_context().get_parameter_source
    if file_ is not None:
        chosen = user_query(file_, Limits(timeout or Limits.seconds, max_rows, max_memory))
    else:
        if any(given(o) is not click.core.ParameterSource.DEFAULT for o in ("max_rows", "max_memory")):
            raise click.UsageError("--max-rows and --max-memory go with --file")
        if timeout is not None and endpoint is None:
            raise click.UsageError("--timeout goes with --file or --endpoint")
        assert name is not None  # given: checked above
        chosen = named_query(name)
    if endpoint is None and given("max_bytes") is not click.core.ParameterSource.DEFAULT:
        raise click.UsageError("--max-bytes goes with --endpoint")
    if endpoint is not None:
        from imid_onto.query import RemoteDataset

        if data:
            raise click.UsageError("--data and --endpoint exclude each other: the endpoint holds the data")
        from imid_onto.io.endpoint import Endpoint

        limit = timeout or _ENDPOINT_TIMEOUT  # one limit for the whole command: resolving, labels and the query
        remote = Endpoint(
            endpoint,
            user=user,
            password=_password(password_env),
            timeout=limit,
            max_bytes=max_bytes,
            deadline=time.monotonic() + limit,
        )
        table = run_query(RemoteDataset(remote, tuple(graphs)), chosen, _parse_params(params))
        click.echo(format_table(table, fmt_), nl=False)
        return
    if graphs or user or password_env:
        raise click.UsageError("--graph, --user and --password-env go with --endpoint")
    _knowledge_base()
    table = with_dataset(
        lambda dataset: run_query(dataset, chosen, _parse_params(params), engine=engine),
        list(data) or None,
        asserted_only=asserted_only,
        warn=_warn,
        cache=not no_cache,
    )
    click.echo(format_table(table, fmt_), nl=False)


def _password(variable: str | None) -> str | None:
    """The password from the environment variable named ``variable`` (never from the command
    line, where other users of the machine could read it)."""
    if variable is None:
        return None
    value = os.environ.get(variable)
    if value is None:
        raise click.UsageError(f"--password-env {variable}: no such environment variable is set")
    _SECRETS.append(value)
    return value


@main.command()
@click.option(
    "--endpoint",
    required=True,
    metavar="URL",
    help="The store's SPARQL 1.1 Graph Store Protocol service (Virtuoso: http://HOST:8890/sparql-graph-crud-auth; "
    "for a dataset, Oxigraph: http://HOST:7878/store, Fuseki: http://HOST:3030/DATASET).",
)
@click.option(
    "--graph",
    "graph",
    metavar="IRI",
    help="The graph to replace with the file (required for a graph file; a dataset, .trig or .nq, names its own).",
)
@click.option(
    "--file",
    "file_",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("build") / "imid-kb-full.ttl",
    show_default=True,
    help="The RDF file to upload (imid-onto build writes it).",
)
@click.option("--user", help="User name (HTTP Digest or Basic).")
@click.option("--password-env", metavar="VAR", help="The environment variable holding the password.")
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=_ENDPOINT_TIMEOUT,
    show_default=True,
    metavar="SECONDS",
    help="Time limit for the whole exchange with the store: upload and answer.",
)
@click.option(
    "--max-bytes",
    type=click.IntRange(min=1),
    default=_MAX_BYTES,
    show_default=True,
    metavar="BYTES",
    help="The most bytes of the store's answer that are read.",
)
def publish(
    endpoint: str,
    graph: str | None,
    file_: Path,
    user: str | None,
    password_env: str | None,
    timeout: float,
    max_bytes: int,
) -> None:
    """Upload the release to a triple store: one HTTP PUT that replaces the graph IRI
    (SPARQL 1.1 Graph Store HTTP Protocol); or, for a dataset (--file build/imid-kb.trig:
    the nanopublications), one POST that adds its graphs at the store's dataset endpoint
    (Oxigraph, Fuseki). The file is parsed here first; nothing that does not parse is sent."""
    from imid_onto.io.endpoint import publish as run_publish

    if not file_.is_file():
        raise ImidError(f"{file_}: no such file (run: imid-onto build --out {file_.parent})")
    status, count = run_publish(
        file_, endpoint, graph, user=user, password=_password(password_env), timeout=timeout, max_bytes=max_bytes
    )
    if graph is None:
        click.echo(printable(f"Published {file_} ({count:,} quads) to the dataset at {endpoint}: HTTP {status}"))
    else:
        click.echo(printable(f"Published {file_} ({count:,} triples) to <{graph}> at {endpoint}: HTTP {status}"))


@main.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--out",
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the inferred triples with their provenance (Turtle) to this file.",
)
def reason(files: tuple[Path, ...], out: Path | None) -> None:
    """Classify the ontology and the entities (and FILES, if given): consistency, inferred
    types and subclasses. Exit 1 if inconsistent."""
    _knowledge_base()
    from imid_onto.reasoning.infer import reason as run_reason
    from imid_onto.reasoning.infer import write_inferred
    from imid_onto.vocab import curie

    result = run_reason(files)  # without Java: OWL 2 RL, and a warning saying so
    if result.warning:
        _warn(result.warning)
    click.echo(f"Reasoner: {result.reasoner}")
    click.echo(f"Input: sha256 {result.input_sha256}")
    if not result.consistent:
        for cause in result.causes:
            click.echo(f"  {cause}")
        raise CheckFailed(
            "inconsistent: " + ("; ".join(result.causes) if result.causes else "no single class or individual found")
        )
    click.echo("Consistent: yes")
    click.echo(f"Inferred triples: {len(result.inferred)}")
    for s, p, o in sorted(result.inferred):
        click.echo(f"  {curie(s)} {curie(p)} {curie(o)}")
    if out is not None:
        write_inferred(result, out)
        click.echo(f"Written: {out}")


#: imid_onto.publish.exports.EXPORT_FORMATS, here without importing it at start-up (a test checks they agree)
EXPORT_CHOICES = ["indra", "bel", "gocam", "graphml", "cx2", "sssom"]


@main.command()
@click.option(
    "--format",
    "fmt_",
    type=click.Choice(EXPORT_CHOICES),
    required=True,
    help="indra: INDRA Statements JSON; bel: a BEL script; gocam: a GO-CAM-style model (JSON); "
    "graphml, cx2: the network of claims (Cytoscape, NDEx); sssom: the entities' matches (SSSOM TSV).",
)
@click.option(
    "--out",
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to FILE (default: standard output).",
)
def export(fmt_: str, out: Path | None) -> None:
    """The claims in a format the field exchanges, written offline.

    Prints on stderr how many claims it carries, and how many it marks (a status other
    than established finding, a negation, a qualifier: carried as such) or leaves out
    because the format cannot carry them, each with its reason. Nothing is turned into a
    finding: a format without epistemic status (BEL, GO-CAM) carries only the established,
    not negated claims."""
    _knowledge_base()
    from imid_onto.model.kb import load_knowledge_base
    from imid_onto.publish.exports import export as run_export
    from imid_onto.publish.exports import write_export

    graph = load_knowledge_base()  # read before the try: only writing the file gives "cannot write"
    if out is None:
        result = run_export(fmt_, graph)
        sys.stdout.write(result.text)
        sys.stdout.flush()
    else:
        try:
            result = write_export(fmt_, out, graph)
        except OSError as err:
            raise click.ClickException(f"cannot write {out}: {err.strerror}") from None
    head, *rest = result.summary()
    _say(f"imid-onto: export {head}")
    for line in rest:
        _say(f"imid-onto: {line}")
    if out is not None:
        _say(f"imid-onto: written: {out}")


@main.command()
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--check", "check_only", is_flag=True, help="Only report files not in canonical form (exit 1).")
def fmt(files: tuple[Path, ...], check_only: bool) -> None:
    """Rewrite FILES in canonical form (default: the ontology and the claims files).

    A Turtle file gets rdflib's sorted form; a claims file (kb/claims/*.yaml) keeps its
    comments and the order of its records."""
    from imid_onto import paths
    from imid_onto.io.canonical import format_file, is_canonical
    from imid_onto.model.kb import sources

    if not files:
        _knowledge_base()
    targets = list(files) or [*sources([]), *paths.claim_files()]
    if check_only:
        bad = [p for p in targets if not is_canonical(p)]
        for path in bad:
            click.echo(printable(f"{path}: not in canonical form (run: imid-onto fmt {path})"))
        if bad:
            raise CheckFailed(f"{len(bad)} file(s) not in canonical form")
        return
    for path in targets:
        click.echo(printable(f"{path}: {'reformatted' if format_file(path) else 'already canonical'}"))


@main.command("new-claim")
@click.option(
    "--source", required=True, help="The quoted document (e.g. kurtz-gotlib-2014): its claims file gets the claim."
)
@click.option("--append", is_flag=True, help="Append the record to the document's claims file instead of printing it.")
def new_claim(source: str, append: bool) -> None:
    """Mint the next free claim id for a document and print a record to fill in."""
    import datetime

    from imid_onto import paths
    from imid_onto.io import records
    from imid_onto.vocab import DOC

    files = paths.claim_files()
    path = records.file_of_document(DOC[source.removeprefix("doc:")], files)
    if path is None:
        known = [f.stem for f in files]
        raise click.BadParameter(
            f"no claims file quotes doc:{source.removeprefix('doc:')}; choose from: {', '.join(known)}",
            param_hint="--source",
        )
    record = records.new_record(path, datetime.datetime.now(datetime.UTC).date())
    if append:
        line = records.append_record(path, record)
        click.echo(printable(f"{path}:{line}: appended; fill in each <...>, then run: imid-onto check"))
    else:
        click.echo(printable(f"# append to {path}, fill in each <...>, then run: imid-onto check"))
        click.echo(record, nl=False)


def run() -> None:
    """Entry point: run the CLI, turning every error into one line and an exit code."""
    # rdflib logs a traceback for every ill-typed literal it reads ("abc"^^xsd:dateTime);
    # validation reports those literals itself, in one line each.
    logging.getLogger("rdflib.term").setLevel(logging.CRITICAL)
    warnings.filterwarnings("ignore", module="rdflib.term")
    # a warning (e.g. an owl:imports not followed) is one line too, without a source line
    warnings.showwarning = lambda message, *_: _warn(message)
    try:
        main.main(prog_name="imid-onto", standalone_mode=False)
    except click.exceptions.Exit as exit_:
        sys.exit(exit_.exit_code)
    except click.exceptions.Abort:
        _say("imid-onto: aborted")
        sys.exit(2)
    except click.UsageError as err:  # one line, with where to read more (click writes four)
        where = err.ctx.command_path if err.ctx is not None else "imid-onto"
        _say(f"imid-onto: error: {err.format_message()} (see {where} --help)")
        sys.exit(2)
    except click.ClickException as err:
        _say(f"imid-onto: error: {err.format_message()}")
        sys.exit(2)
    except ImidError as err:
        if os.environ.get("IMID_DEBUG"):
            raise
        _say(f"imid-onto: error: {err}")
        sys.exit(err.exit_code)
    except Exception as err:
        if os.environ.get("IMID_DEBUG"):
            raise
        _say(f"imid-onto: internal error: {type(err).__name__}: {err} (IMID_DEBUG=1 shows details)")
        sys.exit(2)


if __name__ == "__main__":
    run()
