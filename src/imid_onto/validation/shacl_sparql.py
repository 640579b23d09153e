"""SHACL validation compiled to SPARQL and run on pyoxigraph: the fast engine.

:func:`compile_shapes` turns each constraint of each shape into one SPARQL SELECT that
returns only the violations, for all focus nodes at once (a shapes graph using a part of
SHACL it does not compile is refused, :class:`Unsupported`), and :func:`evaluate` runs the
plan on pyoxigraph, sharing the checks with a forked process on large graphs. The results
equal pySHACL's, which stays as the reference engine (``imid-onto validate --engine
pyshacl``). What is compiled, how, and the forked runner: ``docs/design/shacl-engine.md``.
"""

from __future__ import annotations

import os
import pickle
import re
import select
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from functools import lru_cache
from itertools import combinations
from typing import TypeVar, overload

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from imid_onto.errors import InputError, Unsupported
from imid_onto.io.rdf import solutions, to_oxigraph
from imid_onto.io.sparql_text import blank_out
from imid_onto.vocab import OWL, RDF, RDFS, SH, XSD, curie

__all__ = ["Unsupported", "RawResult", "Plan", "compile_shapes", "evaluate", "substitute"]


#: A term of the data, as pyoxigraph gives it.
_OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal


@dataclass(frozen=True, slots=True)
class RawResult:
    """One validation result, with the data's terms as pyoxigraph terms."""

    focus: _OxTerm
    shape: Node
    component: URIRef
    severity: URIRef
    #: The shape's sh:path; for a SPARQL-based constraint, ?path (an IRI as a URIRef).
    path: Node | _OxTerm | None
    value: _OxTerm | None
    messages: tuple[str, ...]
    #: For a SPARQL-based constraint, the solution's bindings, for the {?var} in its messages.
    bindings: tuple[tuple[str, _OxTerm], ...] = ()


_T = TypeVar("_T")


def substitute(message: str, bindings: Iterable[tuple[str, _T]], render: Callable[[_T], str]) -> str:
    """Fill the ``{?var}`` / ``{$var}`` of a SPARQL-based constraint's message."""
    for name, term in bindings:

        def rendered(_match: re.Match[str], term: _T = term) -> str:
            return render(term)

        message = re.sub(r"\{[?$]" + re.escape(name) + r"\}", rendered, message)
    return message


# Everything a shape may say that is not a constraint parameter.
_NON_PARAMETERS = {
    RDF.type,
    RDFS.label,
    RDFS.comment,
    RDFS.isDefinedBy,
    SH.name,
    SH.description,
    SH.message,
    SH.severity,
    SH.path,
    SH.property,
    SH.targetClass,
    SH.targetNode,
    SH.targetSubjectsOf,
    SH.targetObjectsOf,
    SH.deactivated,
    SH.order,
    SH.group,
    SH.defaultValue,
    SH.qualifiedValueShapesDisjoint,
}
_COMPONENT_OF = {
    SH["class"]: "ClassConstraintComponent",
    SH.datatype: "DatatypeConstraintComponent",
    SH.nodeKind: "NodeKindConstraintComponent",
    SH.minCount: "MinCountConstraintComponent",
    SH.maxCount: "MaxCountConstraintComponent",
    SH.pattern: "PatternConstraintComponent",
    SH["in"]: "InConstraintComponent",
    SH.hasValue: "HasValueConstraintComponent",
    SH.languageIn: "LanguageInConstraintComponent",
    SH.uniqueLang: "UniqueLangConstraintComponent",
    SH.minLength: "MinLengthConstraintComponent",
    SH.maxLength: "MaxLengthConstraintComponent",
    SH.node: "NodeConstraintComponent",
    SH["not"]: "NotConstraintComponent",
    SH["and"]: "AndConstraintComponent",
    SH["or"]: "OrConstraintComponent",
    SH.xone: "XoneConstraintComponent",
    SH.disjoint: "DisjointConstraintComponent",
    SH.sparql: "SPARQLConstraintComponent",
}
_PARAMETERS = set(_COMPONENT_OF) | {SH.flags, SH.qualifiedValueShape, SH.qualifiedMinCount, SH.qualifiedMaxCount}
# Components whose condition is checked on each value node on its own.
_PER_VALUE = [
    SH["class"],
    SH.datatype,
    SH.nodeKind,
    SH.pattern,
    SH["in"],
    SH.languageIn,
    SH.minLength,
    SH.maxLength,
    SH.node,
    SH["not"],
    SH["and"],
    SH["or"],
    SH.xone,
]
_WELL_TYPED = "urn:x-imid-onto:fn:well-typed"
_TRUE = ox.Literal(True)
_FALSE = ox.Literal(False)
_CLOSURE = "urn:x-imid-onto:validation:subclass-closure"
_SUBCLASS_OF = "urn:x-imid-onto:validation:subclass-of"
_PYTHON_TYPE = {
    XSD.integer: int,
    XSD.float: float,
    XSD.decimal: Decimal,
    XSD.boolean: bool,
    XSD.date: date,
    XSD.time: time,
    XSD.dateTime: datetime,
}
#: The SPARQL tests for each ``sh:nodeKind``.
_NODE_KINDS = {
    SH.IRI: ("isIRI",),
    SH.BlankNode: ("isBlank",),
    SH.Literal: ("isLiteral",),
    SH.BlankNodeOrIRI: ("isBlank", "isIRI"),
    SH.BlankNodeOrLiteral: ("isBlank", "isLiteral"),
    SH.IRIOrLiteral: ("isIRI", "isLiteral"),
}


def _ox_term(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, (URIRef, Literal)):
        return to_oxigraph(term)
    raise Unsupported(f"a blank node cannot be written into a query ({term})")


def _integer(shape: Node, parameter: URIRef, argument: Node) -> int:
    """The number a count or length parameter gives (InputError where it is not one)."""
    try:
        return int(str(argument))
    except ValueError:
        raise InputError(f"shape {shape}: {curie(parameter)} {argument} is not an integer") from None


def _severity(shapes: Graph, shape: Node) -> URIRef:
    """``shape``'s sh:severity (default: sh:Violation; InputError where it is not an IRI)."""
    severity = shapes.value(shape, SH.severity) or SH.Violation
    if not isinstance(severity, URIRef):
        raise InputError(f"shape {shape}: sh:severity {severity} is not an IRI")
    return severity


def _nt(term: Node) -> str:
    """``term`` (from the shapes graph) as an N-Triples term for the query text."""
    return str(_ox_term(term))


def _well_typed(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> ox.Literal:
    """The custom SPARQL function: is the literal well formed for its datatype, by rdflib's
    rules (pySHACL's)?"""
    return _TRUE if isinstance(term, ox.Literal) and _lexical_ok(term.value, term.datatype.value) else _FALSE


@lru_cache(maxsize=65536)
def _lexical_ok(lexical: str, datatype_iri: str) -> bool:
    datatype = URIRef(datatype_iri)
    literal = Literal(lexical, datatype=datatype)
    if getattr(literal, "ill_typed", None) is True:
        return False
    return datatype not in _PYTHON_TYPE or isinstance(literal.value, _PYTHON_TYPE[datatype])


class _Compiler:
    def __init__(self, shapes: Graph) -> None:
        self.g = shapes
        self.fresh = 0
        self.classes: set[Node] = set()

    def subclass_of(self, t: str, cls: Node) -> str:
        """``t`` is ``cls`` or one of its subclasses: a lookup in the subclass closure that
        ``evaluate`` computes first, in a named graph of its own (much cheaper than
        ``rdfs:subClassOf*`` on every row)."""
        self.classes.add(cls)
        return f"GRAPH <{_CLOSURE}> {{ {t} <{_SUBCLASS_OF}> {_nt(cls)} }}"

    def var(self, stem: str = "v") -> str:
        self.fresh += 1
        return f"?{stem}{self.fresh}"

    def items(self, node: Node) -> list[Node]:
        return list(Collection(self.g, node))

    # --- paths -----------------------------------------------------------------------------
    def path(self, node: Node) -> str:
        g = self.g
        if isinstance(node, URIRef):
            return _nt(node)
        if (node, RDF.first, None) in g:
            return "(" + "/".join(self.path(p) for p in self.items(node)) + ")"
        for predicate, template in (
            (SH.inversePath, "^({})"),
            (SH.zeroOrMorePath, "({})*"),
            (SH.oneOrMorePath, "({})+"),
            (SH.zeroOrOnePath, "({})?"),
        ):
            inner = g.value(node, predicate)
            if inner is not None:
                return template.format(self.path(inner))
        alternatives = g.value(node, SH.alternativePath)
        if alternatives is not None:
            return "(" + "|".join(self.path(p) for p in self.items(alternatives)) + ")"
        raise Unsupported(f"path {node} is not a SHACL path")

    # --- conditions on one node ------------------------------------------------------------
    def check_parameters(self, shape: Node) -> None:
        for predicate in set(self.g.predicates(shape)):
            if predicate in _NON_PARAMETERS or predicate in _PARAMETERS:
                continue
            if str(predicate).startswith(str(SH)):
                raise Unsupported(
                    f"shape {shape} uses {predicate}, which the fast engine does not compile: use --engine pyshacl"
                )
        if self.g.value(shape, SH.qualifiedValueShapesDisjoint) == Literal(True):
            raise Unsupported(f"shape {shape}: sh:qualifiedValueShapesDisjoint needs --engine pyshacl")

    def value_condition(self, parameter: URIRef, argument: Node, v: str, shape: Node) -> str:
        """A SPARQL expression true when node ``v`` satisfies ``parameter argument``."""
        if parameter == SH["class"]:
            t = self.var("t")
            return f"EXISTS {{ {v} {_nt(RDF.type)} {t} . {self.subclass_of(t, argument)} }}"
        if parameter == SH.datatype:
            if argument == RDFS.Literal:
                return f"isLiteral({v})"
            if argument == RDF.langString:
                return f'(isLiteral({v}) && lang({v}) != "")'
            same = f"(isLiteral({v}) && sameTerm(datatype({v}), {_nt(argument)}))"
            if argument == XSD.string:
                return same
            return f"({same} && <{_WELL_TYPED}>({v}))"
        if parameter == SH.nodeKind:
            kinds = _NODE_KINDS.get(argument) if isinstance(argument, URIRef) else None
            if kinds is None:
                raise InputError(f"shape {shape}: sh:nodeKind {argument} is not a SHACL node kind")
            return "(" + " || ".join(f"{k}({v})" for k in kinds) + ")"
        if parameter == SH.pattern:
            flags = self.g.value(shape, SH.flags)
            flag_text = f", {_nt(Literal(str(flags)))}" if flags is not None else ""
            return f"(!isBlank({v}) && REGEX(STR({v}), {_nt(Literal(str(argument)))}{flag_text}))"
        if parameter == SH["in"]:
            members = self.items(argument)
            return "(" + " || ".join(f"sameTerm({v}, {_nt(m)})" for m in members) + ")" if members else "false"
        if parameter == SH.languageIn:
            ranges = [str(r).lower() for r in self.items(argument)]
            if "*" in ranges:
                return f'(isLiteral({v}) && lang({v}) != "")'
            tests = " || ".join(
                f'LCASE(lang({v})) = {_nt(Literal(r))} || STRBEFORE(LCASE(lang({v})), "-") = {_nt(Literal(r))}'
                for r in ranges
            )
            return f'(isLiteral({v}) && lang({v}) != "" && ({tests or "false"}))'
        if parameter in (SH.minLength, SH.maxLength):
            op = ">=" if parameter == SH.minLength else "<="
            return f"(!isBlank({v}) && STRLEN(STR({v})) {op} {_integer(shape, parameter, argument)})"
        if parameter == SH.node:
            return self.conforms(argument, v)
        if parameter == SH["not"]:
            return f"!({self.conforms(argument, v)})"
        if parameter in (SH["and"], SH["or"], SH.xone):
            parts = [self.conforms(member, v) for member in self.items(argument)]
            if parameter == SH.xone:
                return "((" + " + ".join(f"IF({p}, 1, 0)" for p in parts) + ") = 1)" if parts else "false"
            joiner = " && " if parameter == SH["and"] else " || "
            return (
                "(" + joiner.join(f"({p})" for p in parts) + ")"
                if parts
                else ("true" if parameter == SH["and"] else "false")
            )
        raise Unsupported(f"shape {shape}: {parameter} cannot be checked on a single value")

    def distinct_values(self, focus: str, path: str, count: int, condition: str | None = None) -> str:
        """A group pattern matching ``count`` pairwise distinct values of ``focus``/``path``."""
        names = [self.var("w") for _ in range(count)]
        patterns = " . ".join(f"{focus} {path} {n}" for n in names)
        tests = [f"!sameTerm({a}, {b})" for a, b in combinations(names, 2)]
        if condition:
            tests += [condition.replace("?__", n) for n in names]
        return f"{{ {patterns} {('FILTER (' + ' && '.join(tests) + ')') if tests else ''} }}"

    def property_condition(self, shape: Node, focus: str) -> str:
        """True when ``focus`` satisfies every constraint of property shape ``shape``."""
        g = self.g
        self.check_parameters(shape)
        path_node = g.value(shape, SH.path)
        if path_node is None:
            raise Unsupported(f"property shape {shape} has no sh:path")
        path = self.path(path_node)
        parts = []
        for parameter in _PER_VALUE:
            for argument in g.objects(shape, parameter):
                w = self.var("w")
                cond = self.value_condition(parameter, argument, w, shape)
                parts.append(f"NOT EXISTS {{ {focus} {path} {w} FILTER (!COALESCE({cond}, false)) }}")
        for argument in g.objects(shape, SH.minCount):
            if (n := _integer(shape, SH.minCount, argument)) > 0:
                parts.append("EXISTS " + self.distinct_values(focus, path, n))
        for argument in g.objects(shape, SH.maxCount):
            parts.append("NOT EXISTS " + self.distinct_values(focus, path, _integer(shape, SH.maxCount, argument) + 1))
        for argument in g.objects(shape, SH.hasValue):
            parts.append(f"EXISTS {{ {focus} {path} {_nt(argument)} }}")
        if g.value(shape, SH.uniqueLang) == Literal(True):
            a, b = self.var("w"), self.var("w")
            parts.append(
                f"NOT EXISTS {{ {focus} {path} {a}, {b} FILTER (!sameTerm({a}, {b}) && "
                f'lang({a}) != "" && LCASE(lang({a})) = LCASE(lang({b}))) }}'
            )
        for argument in g.objects(shape, SH.disjoint):
            w = self.var("w")
            parts.append(f"NOT EXISTS {{ {focus} {path} {w} . {focus} {_nt(argument)} {w} }}")
        qualified = g.value(shape, SH.qualifiedValueShape)
        if qualified is not None:
            template = self.conforms(qualified, "?__")
            for argument in g.objects(shape, SH.qualifiedMinCount):
                if (n := _integer(shape, SH.qualifiedMinCount, argument)) > 0:
                    parts.append("EXISTS " + self.distinct_values(focus, path, n, template))
            for argument in g.objects(shape, SH.qualifiedMaxCount):
                n = _integer(shape, SH.qualifiedMaxCount, argument)
                parts.append("NOT EXISTS " + self.distinct_values(focus, path, n + 1, template))
        if (shape, SH.sparql, None) in g:
            raise Unsupported(f"shape {shape}: SPARQL constraints on property shapes need --engine pyshacl")
        return " && ".join(parts) or "true"

    def conforms(self, shape: Node, v: str) -> str:
        """A SPARQL expression true when node ``v`` conforms to ``shape``."""
        g = self.g
        if g.value(shape, SH.deactivated) == Literal(True):
            return "true"
        if g.value(shape, SH.path) is not None:
            return self.property_condition(shape, v)
        self.check_parameters(shape)
        if (shape, SH.sparql, None) in g:
            raise Unsupported(f"shape {shape}: SPARQL constraints in nested shapes need --engine pyshacl")
        parts = []
        for parameter in _PER_VALUE:
            for argument in g.objects(shape, parameter):
                parts.append(self.value_condition(parameter, argument, v, shape))
        for argument in g.objects(shape, SH.hasValue):
            parts.append(f"sameTerm({v}, {_nt(argument)})")
        for prop in g.objects(shape, SH.property):
            parts.append(self.property_condition(prop, v))
        return "(" + " && ".join(f"({p})" for p in parts) + ")" if parts else "true"


@dataclass
class Check:
    """One SPARQL query giving the results of one constraint of one targeted shape."""

    query: str
    shape: Node
    component: URIRef
    severity: URIRef
    path: Node | None
    messages: tuple[str, ...]
    value: str | None = None  # where a result's sh:value comes from: "focus", "value" (?value) or none
    #: Several constraints checked by one query: each (variable, component) gives a result
    #: where the variable is false. Without flags, every row is a result of ``component``.
    flags: tuple[tuple[str, URIRef], ...] = ()
    sparql: bool = False
    per_focus: bool = False
    focus_query: str = ""
    prefixes: dict[str, str] = field(default_factory=dict)


def _focus_pattern(compiler: _Compiler, shape: Node) -> str | None:
    shapes = compiler.g
    parts = []
    classes = list(shapes.objects(shape, SH.targetClass))
    if (shape, RDF.type, RDFS.Class) in shapes or (shape, RDF.type, OWL.Class) in shapes:
        classes.append(shape)
    for cls in classes:
        parts.append(f"?this {_nt(RDF.type)} ?target_class . {compiler.subclass_of('?target_class', cls)}")
    for node in shapes.objects(shape, SH.targetNode):
        parts.append(f"VALUES ?this {{ {_nt(node)} }}")
    for predicate in shapes.objects(shape, SH.targetSubjectsOf):
        parts.append(f"?this {_nt(predicate)} ?target_object")
    for predicate in shapes.objects(shape, SH.targetObjectsOf):
        parts.append(f"?target_subject {_nt(predicate)} ?this")
    if not parts:
        return None
    union = " UNION ".join(f"{{ {p} }}" for p in parts)
    return f"{{ SELECT DISTINCT ?this WHERE {{ {union} }} }}"


def _messages(shapes: Graph, *nodes: Node) -> tuple[str, ...]:
    for node in nodes:
        found = sorted(str(m) for m in shapes.objects(node, SH.message))
        if found:
            return tuple(found)
    return ()


def _sparql_prefixes(shapes: Graph, constraint: Node) -> dict[str, str]:
    prefixes = {}
    for ontology in shapes.objects(constraint, SH.prefixes):
        for declaration in shapes.objects(ontology, SH.declare):
            prefixes[str(shapes.value(declaration, SH.prefix))] = str(shapes.value(declaration, SH.namespace))
    return prefixes


def _this_binding(select: str) -> str:
    """Where ``$this`` occurs in the WHERE clause of ``select``: "top" (bound by the top-level
    group), "nested" (only inside nested groups or expressions), or "absent"."""
    text = blank_out(select)
    start = text.find("{")
    if start < 0:
        return "absent"
    depth, parens, where = 0, 0, "absent"
    for match in re.finditer(r"[{}()]|[?$]this\b", text[start:]):
        token = match.group(0)
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
        elif token == "(":
            parens += 1
        elif token == ")":
            parens -= 1
        elif depth == 1 and parens == 0:
            return "top"
        else:
            where = "nested"
    return where


@dataclass
class Plan:
    """The compiled shapes: updates to run first, then one query per constraint."""

    prepare: list[str]
    checks: list[Check]


def compile_shapes(shapes: Graph) -> Plan:
    """One query per constraint of every targeted, active shape."""
    compiler = _Compiler(shapes)
    checks: list[Check] = []
    node_shapes = set(shapes.subjects(RDF.type, SH.NodeShape)) | {
        s
        for t in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
        for s in shapes.subjects(t, None)
    }
    for shape in sorted(node_shapes, key=str):
        focus = _focus_pattern(compiler, shape)
        if focus is None or shapes.value(shape, SH.deactivated) == Literal(True):
            continue
        compiler.check_parameters(shape)
        severity = _severity(shapes, shape)
        if shapes.value(shape, SH.path) is not None:
            raise Unsupported(f"shape {shape}: a targeted property shape needs --engine pyshacl")
        own = _messages(shapes, shape)
        conditions = [
            (compiler.value_condition(parameter, argument, "?this", shape), SH[_COMPONENT_OF[parameter]])
            for parameter in _PER_VALUE
            for argument in shapes.objects(shape, parameter)
        ]
        conditions += [
            (f"sameTerm(?this, {_nt(argument)})", SH.HasValueConstraintComponent)
            for argument in shapes.objects(shape, SH.hasValue)
        ]
        if conditions:
            checks.append(
                _flagged(
                    f"SELECT DISTINCT ?this __FLAGS__ WHERE {{ {focus} __BINDS__ }}",
                    conditions,
                    shape,
                    severity,
                    None,
                    own,
                    value="focus",
                )
            )
        for constraint in shapes.objects(shape, SH.sparql):
            if shapes.value(constraint, SH.deactivated) == Literal(True):
                continue
            select = shapes.value(constraint, SH.select)
            if select is None:
                raise Unsupported(f"shape {shape}: a SPARQL constraint without sh:select")
            binding = _this_binding(str(select))
            per_focus = binding == "nested"
            query = str(select) if per_focus else f"SELECT * WHERE {{ {focus} {{ {select} }} }}"
            checks.append(
                Check(
                    query,
                    shape,
                    SH.SPARQLConstraintComponent,
                    severity,
                    None,
                    _messages(shapes, constraint, shape),
                    sparql=True,
                    per_focus=per_focus,
                    focus_query=f"SELECT ?this WHERE {{ {focus} }}",
                    prefixes=_sparql_prefixes(shapes, constraint),
                )
            )
        for prop in sorted(shapes.objects(shape, SH.property), key=str):
            checks.extend(_property_checks(compiler, shapes, prop, focus))
    prepare = [
        f"INSERT {{ GRAPH <{_CLOSURE}> {{ ?t <{_SUBCLASS_OF}> {_nt(c)} }} }} "
        f"WHERE {{ ?t {_nt(RDFS.subClassOf)}* {_nt(c)} }}"
        for c in sorted(compiler.classes, key=str)
    ]
    return Plan(prepare, checks)


def _flagged(
    template: str,
    conditions: list[tuple[str, URIRef]],
    shape: Node,
    severity: URIRef,
    path: Node | None,
    messages: tuple[str, ...],
    *,
    value: str,
) -> Check:
    """One query checking several conditions on each value: ``?okN`` is each condition's
    outcome (an error counts as false), and a row comes back where any is false."""
    flags = tuple((f"?ok{i}", component) for i, (_, component) in enumerate(conditions))
    binds = " ".join(
        f"BIND (COALESCE({cond}, false) AS {flag})" for (cond, _), (flag, _) in zip(conditions, flags, strict=True)
    )
    failing = " || ".join(f"!{flag}" for flag, _ in flags)
    query = template.replace("__FLAGS__", " ".join(flag for flag, _ in flags)).replace(
        "__BINDS__", f"{binds} FILTER ({failing})"
    )
    return Check(query, shape, conditions[0][1], severity, path, messages, value, flags)


def _property_checks(compiler: _Compiler, shapes: Graph, prop: Node, focus: str) -> Iterator[Check]:
    if shapes.value(prop, SH.deactivated) == Literal(True):
        return
    compiler.check_parameters(prop)
    if (prop, SH.sparql, None) in shapes or (prop, SH.property, None) in shapes:
        raise Unsupported(f"shape {prop}: SPARQL or nested property shapes in a property shape need --engine pyshacl")
    path_node = shapes.value(prop, SH.path)
    if path_node is None:
        raise Unsupported(f"property shape {prop} has no sh:path")
    path = compiler.path(path_node)
    severity = _severity(shapes, prop)
    messages = _messages(shapes, prop)

    def check(query: str, parameter: URIRef, *, component: URIRef | None = None, value: str | None = None) -> Check:
        return Check(query, prop, component or SH[_COMPONENT_OF[parameter]], severity, path_node, messages, value)

    conditions = [
        (compiler.value_condition(parameter, argument, "?value", prop), SH[_COMPONENT_OF[parameter]])
        for parameter in _PER_VALUE
        for argument in shapes.objects(prop, parameter)
    ]
    if conditions:
        yield _flagged(
            f"SELECT DISTINCT ?this ?value __FLAGS__ WHERE {{ {focus} ?this {path} ?value __BINDS__ }}",
            conditions,
            prop,
            severity,
            path_node,
            messages,
            value="value",
        )
    for argument in shapes.objects(prop, SH.minCount):
        n = _integer(prop, SH.minCount, argument)
        if n == 1:
            yield check(f"SELECT ?this WHERE {{ {focus} FILTER NOT EXISTS {{ ?this {path} ?value }} }}", SH.minCount)
        elif n > 1:
            yield check(
                f"SELECT ?this WHERE {{ {focus} OPTIONAL {{ ?this {path} ?value }} }} "
                f"GROUP BY ?this HAVING (COUNT(DISTINCT ?value) < {n})",
                SH.minCount,
            )
    for argument in shapes.objects(prop, SH.maxCount):
        n = _integer(prop, SH.maxCount, argument)
        if n == 1:  # a join on the subject is cheaper than counting every focus node's values
            yield check(
                f"SELECT DISTINCT ?this WHERE {{ {focus} ?this {path} ?a . ?this {path} ?b "
                f"FILTER (!sameTerm(?a, ?b)) }}",
                SH.maxCount,
            )
        else:
            yield check(
                f"SELECT ?this WHERE {{ {focus} ?this {path} ?value }} "
                f"GROUP BY ?this HAVING (COUNT(DISTINCT ?value) > {n})",
                SH.maxCount,
            )
    for argument in shapes.objects(prop, SH.hasValue):
        yield check(
            f"SELECT ?this WHERE {{ {focus} FILTER NOT EXISTS {{ ?this {path} {_nt(argument)} }} }}", SH.hasValue
        )
    if shapes.value(prop, SH.uniqueLang) == Literal(True):
        yield check(
            f"SELECT DISTINCT ?this ?lang WHERE {{ {focus} ?this {path} ?a, ?b "
            f'FILTER (!sameTerm(?a, ?b) && lang(?a) != "" && LCASE(lang(?a)) = LCASE(lang(?b))) '
            f"BIND (LCASE(lang(?a)) AS ?lang) }}",
            SH.uniqueLang,
        )
    for argument in shapes.objects(prop, SH.disjoint):
        yield check(
            f"SELECT DISTINCT ?this ?value WHERE {{ {focus} ?this {path} ?value . ?this {_nt(argument)} ?value }}",
            SH.disjoint,
            value="value",
        )
    qualified = shapes.value(prop, SH.qualifiedValueShape)
    if qualified is not None:
        cond = compiler.conforms(qualified, "?value")
        for parameter, op in ((SH.qualifiedMinCount, "<"), (SH.qualifiedMaxCount, ">")):
            for argument in shapes.objects(prop, parameter):
                component = (
                    SH.QualifiedMinCountConstraintComponent if op == "<" else SH.QualifiedMaxCountConstraintComponent
                )
                n = _integer(prop, parameter, argument)
                yield check(
                    f"SELECT ?this WHERE {{ {focus} OPTIONAL {{ ?this {path} ?value FILTER ({cond}) }} }} "
                    f"GROUP BY ?this HAVING (COUNT(DISTINCT ?value) {op} {n})",
                    parameter,
                    component=component,
                )


def _sparql_rows(store: ox.Store, check: Check) -> Iterator[tuple[_OxTerm, dict[str, _OxTerm]]]:
    """(focus node, bound variables) for each solution of a SPARQL-based constraint."""
    runs: list[tuple[_OxTerm | None, ox.QuerySolutions]]
    if check.per_focus:
        focus_nodes = [row["this"] for row in solutions(store.query(check.focus_query))]
        runs = [
            (
                this,
                solutions(store.query(check.query, prefixes=check.prefixes, substitutions={ox.Variable("this"): this})),
            )
            for this in focus_nodes
        ]
    else:
        runs = [(None, solutions(store.query(check.query, prefixes=check.prefixes)))]
    for this, answer in runs:
        names = [v.value for v in answer.variables]
        for row in answer:
            bound = {name: row[name] for name in names if row[name] is not None}
            yield (this if this is not None else bound["this"]), bound


#: Below this many triples one process is fast enough; above, the checks are shared with a
#: forked worker (the store is shared copy-on-write, never copied).
PARALLEL_FROM = 200_000


def evaluate(
    store: ox.Store, plan: Plan, *, workers: int | None = None, meanwhile: Callable[[], object] | None = None
) -> list[RawResult]:
    """Run the plan over ``store``'s default graph (its named graphs are not read; the
    plan's own named graph is dropped at the end). On a large store, with more than one
    CPU and where ``os.fork`` exists, the checks are shared with a forked process.
    ``meanwhile`` is a check of the caller's own that reads the store. This process runs it
    before it takes any check from the queue; when the checks are shared, the forked
    process is meanwhile taking checks from the queue, so neither waits for the other."""
    for update in plan.prepare:
        store.update(update)
    try:
        if workers is None:
            workers = 2 if len(store) >= PARALLEL_FROM and (os.cpu_count() or 1) > 1 else 1
        if workers > 1 and hasattr(os, "fork") and len(plan.checks) <= _QUEUE_MAX:
            return _evaluate_forked(store, plan.checks, meanwhile)
        return _evaluate(store, plan.checks, meanwhile)
    finally:
        store.remove_graph(ox.NamedNode(_CLOSURE)) if ox.NamedNode(_CLOSURE) in store.named_graphs() else None


#: A term as plain data, to pass through a pipe: ("iri", IRI), ("blank", label) or
#: ("literal", lexical form, datatype IRI, language tag or None).
_Plain = tuple[str, str] | tuple[str, str, str, str | None]
#: A RawResult as plain data (the shape, component, severity and a path from the shapes
#: graph are rdflib terms, which pickle).
_PlainResult = tuple[
    _Plain, Node, URIRef, URIRef, _Plain | Node | None, _Plain | None, tuple[str, ...], tuple[tuple[str, _Plain], ...]
]


@overload
def _plain(term: _OxTerm) -> _Plain: ...
@overload
def _plain(term: None) -> None: ...
@overload
def _plain(term: _OxTerm | None) -> _Plain | None: ...


def _plain(term: _OxTerm | None) -> _Plain | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return ("iri", term.value)
    if isinstance(term, ox.BlankNode):
        return ("blank", term.value)
    return ("literal", term.value, term.datatype.value, term.language)


@overload
def _term(plain: _Plain) -> _OxTerm: ...
@overload
def _term(plain: None) -> None: ...
@overload
def _term(plain: _Plain | None) -> _OxTerm | None: ...


def _term(plain: _Plain | None) -> _OxTerm | None:
    if plain is None:
        return None
    if len(plain) == 2:
        kind, value = plain
        return ox.NamedNode(value) if kind == "iri" else ox.BlankNode(value)
    _, value, datatype, language = plain
    return ox.Literal(value, language=language) if language else ox.Literal(value, datatype=ox.NamedNode(datatype))


#: The most checks whose numbers (4 bytes each) fit in PIPE_BUF, which every pipe holds at
#: once (Linux gives a pipe as little as one page when a user has many): the queue is
#: written before the fork, so the write must not block.
_QUEUE_MAX = getattr(select, "PIPE_BUF", 512) // 4  # POSIX's least PIPE_BUF where select has none


def _evaluate_forked(
    store: ox.Store, checks: list[Check], meanwhile: Callable[[], object] | None = None
) -> list[RawResult]:
    """The checks shared between this process and a forked child (same store, same
    blank-node ids), each taking the next check when it is done with one, so that neither
    waits long for the other (the checks' costs differ by 10x); the child's results come
    back pickled through a pipe. The next check's number is read from a pipe filled before
    the fork: on Linux a read from a pipe is atomic, and every read takes 4 bytes of a
    whole number of them, so each check runs once."""
    queue = b"".join(i.to_bytes(4, "big") for i in range(len(checks)))
    opened: list[int] = []
    try:
        queue_read, queue_write = os.pipe()
        opened += [queue_read, queue_write]
        if os.write(queue_write, queue) != len(queue):  # at most PIPE_BUF: written whole, at once
            raise OSError("the queue of checks was not written whole")
        os.close(opened.pop())
        read_end, write_end = os.pipe()
        opened += [read_end, write_end]
        pid = os.fork()
    except OSError:
        for fd in opened:
            os.close(fd)
        raise
    if pid == 0:  # the child: run its share, send it, and leave without cleanup handlers
        status = 0
        try:
            os.close(read_end)
            found: list[_PlainResult] = [
                (
                    _plain(r.focus),
                    r.shape,
                    r.component,
                    r.severity,
                    _plain(r.path) if isinstance(r.path, ox.NamedNode | ox.BlankNode | ox.Literal) else r.path,
                    _plain(r.value),
                    r.messages,
                    tuple((k, _plain(v)) for k, v in r.bindings),
                )
                for r in _evaluate(store, _taken(queue_read, checks))
            ]
            with os.fdopen(write_end, "wb") as pipe:
                pickle.dump(("ok", found), pipe)
        except BaseException as err:  # noqa: BLE001 - reported to the parent, which raises it
            try:
                with os.fdopen(write_end, "wb") as pipe:
                    pickle.dump(("error", f"{type(err).__name__}: {err}"), pipe)
            except BaseException:  # noqa: BLE001
                pass
            status = 1
        os._exit(status)
    os.close(write_end)
    try:
        results = _evaluate(store, _taken(queue_read, checks), meanwhile)
    except BaseException:
        while os.read(queue_read, 4096):  # the queue emptied: the child stops after the check it is on
            pass
        raise
    finally:
        os.close(queue_read)
        with os.fdopen(read_end, "rb") as pipe:
            payload = pipe.read()
        os.waitpid(pid, 0)
    answer: tuple[str, list[_PlainResult] | str] = (
        pickle.loads(payload) if payload else ("error", "the worker process died")
    )
    kind, child_results = answer
    if kind != "ok" or isinstance(child_results, str):
        raise RuntimeError(f"validation worker failed: {child_results}")
    for focus, shape, component, severity, path, value, messages, bindings in child_results:
        results.append(
            RawResult(
                _term(focus),
                shape,
                component,
                severity,
                _term(path) if isinstance(path, tuple) else path,
                _term(value),
                messages,
                tuple((k, _term(v)) for k, v in bindings),
            )
        )
    return results


def _taken(queue: int, checks: list[Check]) -> Iterator[Check]:
    """The checks whose numbers this process reads from ``queue``, until it is empty."""
    while len(number := os.read(queue, 4)) == 4:
        yield checks[int.from_bytes(number, "big")]


def _evaluate(
    store: ox.Store, checks: Iterable[Check], meanwhile: Callable[[], object] | None = None
) -> list[RawResult]:
    """The results of ``checks``, after ``meanwhile`` (see :func:`evaluate`) has run."""
    if meanwhile is not None:
        meanwhile()
    functions: dict[ox.NamedNode, Callable[..., _OxTerm | ox.Triple | None]] = {ox.NamedNode(_WELL_TYPED): _well_typed}
    results: list[RawResult] = []
    for check in checks:
        if check.sparql:
            for this, bound in _sparql_rows(store, check):
                path = bound.get("path")
                results.append(
                    RawResult(
                        this,
                        check.shape,
                        check.component,
                        check.severity,
                        URIRef(path.value) if isinstance(path, ox.NamedNode) else path,
                        bound.get("value", this),
                        check.messages,
                        tuple(sorted({**bound, "this": this}.items())),
                    )
                )
            continue
        for row in solutions(store.query(check.query, custom_functions=functions)):
            this = row["this"]
            value = this if check.value == "focus" else (row["value"] if check.value == "value" else None)
            failed = [c for flag, c in check.flags if row[flag[1:]] != _TRUE] if check.flags else [check.component]
            for component in failed:
                results.append(
                    RawResult(this, check.shape, component, check.severity, check.path, value, check.messages)
                )
    return results
