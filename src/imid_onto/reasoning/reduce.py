"""What the OWL reasoner is given: the knowledge base, made smaller without changing what
it entails about classes and individuals.

The reasoner's cost grows with the individuals it must realize, so :func:`summarize`
reduces its input in five steps, each exact (the same class memberships, subclass axioms
and consistency as the full input; tests/reasoning/test_reduced_input.py compares both): the claims are
left out (:func:`without_claims`), then inert properties (:func:`property_roles`),
properties with only a domain and a range are pointed at stand-in individuals,
individuals described alike are given once, and closed enumerations become class
assertions (:func:`closed_enumerations`). Each step, its conditions and why it is exact:
``docs/design/reasoning.md``.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from imid_onto.io.rdf import new_graph, solutions, to_rdflib
from imid_onto.vocab import IMID, OA, OWL, RDF, RDFS

__all__ = ["Summary", "closed_enumerations", "property_roles", "summarize", "without_claims"]

#: Property characteristics and axioms that let assertions of a property bear on classes.
_CHARACTERISTICS = [
    OWL.FunctionalProperty,
    OWL.InverseFunctionalProperty,
    OWL.SymmetricProperty,
    OWL.AsymmetricProperty,
    OWL.ReflexiveProperty,
    OWL.IrreflexiveProperty,
]
_LIST = f"<{RDF.rest}>*/<{RDF.first}>"
_CONSTRAINED = f"""
SELECT DISTINCT ?p WHERE {{
    {{ ?x <{OWL.onProperty}> ?p }}
    UNION {{ ?p a ?c . VALUES ?c {{ {" ".join(f"<{c}>" for c in _CHARACTERISTICS)} }} }}
    UNION {{ ?p <{OWL.inverseOf}> ?x }} UNION {{ ?x <{OWL.inverseOf}> ?p }}
    UNION {{ ?p <{OWL.equivalentProperty}> ?x }} UNION {{ ?x <{OWL.equivalentProperty}> ?p }}
    UNION {{ ?p <{OWL.propertyDisjointWith}> ?x }} UNION {{ ?x <{OWL.propertyDisjointWith}> ?p }}
    UNION {{ ?p <{OWL.propertyChainAxiom}> ?x }} UNION {{ ?x <{OWL.propertyChainAxiom}>/{_LIST} ?p }}
    UNION {{ ?x <{OWL.hasKey}>/{_LIST} ?p }} UNION {{ ?x <{OWL.members}>/{_LIST} ?p }}
    UNION {{ ?x <{OWL.onProperties}>/{_LIST} ?p }} UNION {{ ?x <{OWL.assertionProperty}> ?p }}
}}"""
_VOCABULARY = (str(RDF), str(RDFS), str(OWL))
#: Stand-in individuals are named under this IRI (never in any output).
_STAND_IN = "urn:x-imid-onto:reasoner:stand-in:"


@dataclass
class Summary:
    """The reasoner's input and how to read its answer back."""

    graph: Graph
    members: dict[URIRef, list[URIRef]] = field(default_factory=dict)  # representative -> the others
    stand_ins: set[URIRef] = field(default_factory=set)
    individuals: int = 0  # individuals in the knowledge base (without claims)
    enumerations: list[URIRef] = field(default_factory=list)  # classes whose owl:oneOf was given as assertions

    def expand(self, inferred: Graph) -> Graph:
        """The reasoner's inferred triples about the summary as triples about the knowledge
        base: each representative's also for the individuals it stands for, none about a
        stand-in."""
        out = new_graph()
        for s, p, o in inferred:
            if s in self.stand_ins or o in self.stand_ins:
                continue
            out.add((s, p, o))
            for member in self.members.get(s, []) if isinstance(s, URIRef) else []:
                out.add((member, p, o))
        return out


def _is_vocabulary(iri: str) -> bool:
    return str(iri).startswith(_VOCABULARY)  # str(): rdflib's URIRef.startswith reads a tuple as its str()


def property_roles(store: ox.Store) -> tuple[set[str], set[str]]:
    """(inert properties, domain/range-only properties) among the properties ``store``
    declares or uses: see the module's steps 2 and 3. A property is judged with all its
    super-properties."""
    constrained = {row["p"].value for row in solutions(store.query(_CONSTRAINED)) if isinstance(row["p"], ox.NamedNode)}
    ranged = {
        q.subject.value
        for p in (RDFS.domain, RDFS.range)
        for q in store.quads_for_pattern(None, ox.NamedNode(str(p)), None)
        if isinstance(q.subject, ox.NamedNode)
    }
    supers: dict[str, set[str]] = defaultdict(set)
    for quad in store.quads_for_pattern(None, ox.NamedNode(str(RDFS.subPropertyOf)), None):
        if isinstance(quad.object, ox.NamedNode) and not isinstance(quad.subject, ox.Triple):
            supers[quad.subject.value].add(quad.object.value)
    predicates = {row["p"].value for row in solutions(store.query("SELECT DISTINCT ?p WHERE { ?s ?p ?o }"))}
    for kind in (OWL.ObjectProperty, OWL.DatatypeProperty):
        predicates |= {
            q.subject.value
            for q in store.quads_for_pattern(None, ox.NamedNode(str(RDF.type)), ox.NamedNode(str(kind)))
            if isinstance(q.subject, ox.NamedNode)
        }
    inert: set[str] = set()
    domain_range: set[str] = set()
    for prop in predicates:
        if _is_vocabulary(prop):
            continue
        seen: set[str] = set()
        todo = [prop]
        while todo:  # the property and all its super-properties
            current = todo.pop()
            if current not in seen:
                seen.add(current)
                todo.extend(supers[current])
        if seen & constrained:
            continue
        (domain_range if seen & ranged else inert).add(prop)
    declared = store.quads_for_pattern(None, ox.NamedNode(str(RDF.type)), ox.NamedNode(str(OWL.AnnotationProperty)))
    annotations = {q.subject.value for q in declared if not isinstance(q.subject, ox.Triple)}
    annotations |= {str(RDFS.label), str(RDFS.comment), str(RDFS.seeAlso), str(RDFS.isDefinedBy), str(OWL.versionInfo)}
    return inert | annotations, domain_range - annotations


def without_claims(store: ox.Store) -> ox.QuerySolutions:
    """Every triple of ``store`` (as ?s ?p ?o) but those about claims, quotes and selectors."""
    return solutions(
        store.query(f"""
        SELECT ?s ?p ?o WHERE {{
            ?s ?p ?o .
            MINUS {{ ?s a <{IMID.Claim}> }}
            MINUS {{ ?claim <{IMID.hasQuote}> ?s }}
            MINUS {{ ?quote <{OA.hasSelector}> ?s }}
        }}""")
    )  # MINUS, a hash anti-join: linear where FILTER NOT EXISTS is evaluated row by row


def summarize(store: ox.Store) -> Summary:
    """The reasoner's input for the knowledge base in ``store`` (ontology, data and plain
    edges): steps 1 to 5 of this module."""
    inert, domain_range = property_roles(store)
    rows = without_claims(store)
    graph = new_graph()
    # What each individual's description is made of, and who is named outside the data.
    types: dict[ox.NamedNode, set[str]] = defaultdict(set)
    shape: dict[ox.NamedNode, set[tuple]] = defaultdict(set)
    pinned: set[ox.NamedNode] = set()
    kept: list[tuple] = []  # triples given as they are
    stand_ins: dict[tuple[str, str], URIRef] = {}

    def stand_in(prop: str, direction: str) -> URIRef:
        if (prop, direction) not in stand_ins:
            digest = hashlib.sha256(prop.encode()).hexdigest()[:16]
            stand_ins[(prop, direction)] = URIRef(f"{_STAND_IN}{direction}-{digest}")
        return stand_ins[(prop, direction)]

    for row in rows:
        s, p, o = row["s"], row["p"].value, row["o"]
        if p in inert:
            continue
        if (
            p == str(RDF.type)
            and isinstance(s, ox.NamedNode)
            and isinstance(o, ox.NamedNode)
            and (not _is_vocabulary(o.value) or o.value == str(OWL.NamedIndividual))
        ):
            types[s].add(o.value)
        elif p in domain_range and isinstance(s, ox.NamedNode) and isinstance(o, ox.NamedNode):
            shape[s].add((p, "out"))
            shape[o].add((p, "in"))
        elif not _is_vocabulary(p) and isinstance(s, ox.NamedNode) and isinstance(o, ox.Literal):
            shape[s].add((p, o))  # a data value: part of what describes the individual
        else:  # the ontology itself, and assertions that bear on classes in other ways
            kept.append((s, row["p"], o))
            pinned.update(term for term in (s, o) if isinstance(term, ox.NamedNode))
    described = set(types) | set(shape)
    summary = Summary(graph, individuals=len(described))
    kinds: dict[tuple, list[ox.NamedNode]] = defaultdict(list)
    for individual in described - pinned:
        kind = (frozenset(types[individual]), frozenset(shape[individual]))
        kinds[kind].append(individual)
    given = sorted(pinned & described, key=str)  # the individuals the reasoner sees
    for members in kinds.values():
        members.sort(key=lambda n: n.value)
        given.append(members[0])
        if len(members) > 1:
            summary.members[URIRef(members[0].value)] = [URIRef(m.value) for m in members[1:]]
    for s, p, o in kept:
        graph.add((to_rdflib(s), to_rdflib(p), to_rdflib(o)))
    for individual in given:
        node = URIRef(individual.value)
        for cls in types[individual]:
            graph.add((node, RDF.type, URIRef(cls)))
        for prop, value in shape[individual]:
            if isinstance(value, ox.Literal):
                graph.add((node, URIRef(prop), to_rdflib(value)))
            elif value == "out":
                graph.add((node, URIRef(prop), stand_in(prop, "object")))
            else:
                graph.add((stand_in(prop, "subject"), URIRef(prop), node))
    for node in stand_ins.values():
        graph.add((node, RDF.type, OWL.NamedIndividual))
        summary.stand_ins.add(node)
    for cls, expression, items in closed_enumerations(graph):  # step 5: the members are typed C already
        Collection(graph, items).clear()
        graph.remove((expression, None, None))
        graph.remove((cls, OWL.equivalentClass, expression))
        summary.enumerations.append(cls)
    return summary


#: What an enumerated class may say of itself (step 5), and what may say something of it.
_CLASS_OWN = {RDF.type, RDFS.subClassOf, OWL.disjointWith, OWL.equivalentClass}
_PROPERTY_KINDS = {OWL.ObjectProperty, OWL.FunctionalProperty}


def closed_enumerations(graph: Graph) -> list[tuple[URIRef, BNode, BNode]]:
    """(class, enumeration, its list) for every ``C owl:equivalentClass [ owl:oneOf (...) ]`` in
    ``graph`` that step 5 of this module gives as assertions, in class order."""
    found = []
    for cls, expression in graph.subject_objects(OWL.equivalentClass):
        if not isinstance(cls, URIRef) or not isinstance(expression, BNode) or _is_vocabulary(cls):
            continue  # owl:Thing cannot shrink
        items = graph.value(expression, OWL.oneOf)
        if isinstance(items, BNode) and _closed(graph, cls, expression, items):  # a list of members starts blank
            found.append((cls, expression, items))
    return sorted(found)


def _closed(graph: Graph, cls: URIRef, expression: BNode, items: BNode) -> bool:
    """Do the conditions of step 5 hold for ``cls`` ≡ ``expression`` (oneOf ``items``)?"""
    try:
        members = list(Collection(graph, items))
        cells = _list_nodes(graph, items)
    except ValueError:
        return False
    if not members or len(set(members)) != len(members) or not all(isinstance(m, URIRef) for m in members):
        return False
    # The enumeration is only this equivalence: [ a owl:Class ; owl:oneOf (...) ].
    if set(graph.predicate_objects(expression)) - {(RDF.type, OWL.Class), (OWL.oneOf, items)}:
        return False
    if set(graph.subject_predicates(expression)) != {(cls, OWL.equivalentClass)}:
        return False
    for node in cells:  # the list's cells are only cells (one first, one rest), named only by the list
        if len(list(graph.subject_predicates(node))) != 1 or sorted(
            (p for p, _ in graph.predicate_objects(node)), key=str
        ) != [RDF.first, RDF.rest]:
            return False
    # Each member is typed C (so that the reasoner's answer is the same: it would infer it) and
    # nothing else, and is named only in the list.
    for member in members:
        if (member, RDF.type, cls) not in graph:
            return False
        if set(graph.predicate_objects(member)) - {(RDF.type, cls), (RDF.type, OWL.NamedIndividual)}:
            return False
        if set(graph.subjects(None, member)) - cells:
            return False
    # What C says of itself: it is a class, a subclass of and disjoint from named classes.
    for predicate, value in graph.predicate_objects(cls):
        if predicate not in _CLASS_OWN:
            return False
        if predicate == RDF.type and value != OWL.Class:
            return False
        if predicate == OWL.equivalentClass and value != expression:
            return False
        if predicate in (RDFS.subClassOf, OWL.disjointWith) and (not isinstance(value, URIRef) or value == cls):
            return False
    # What says something of C: its members' types, disjointness, and ranges of bare properties.
    for subject, predicate in graph.subject_predicates(cls):
        if predicate == RDF.type and subject in members:
            continue
        if predicate == OWL.disjointWith and isinstance(subject, URIRef) and subject != cls:
            continue
        if predicate == RDF.first and _in_disjoint_classes(graph, subject):
            continue
        if predicate == RDFS.range and _bare_property(graph, subject, cls):
            continue
        return False
    return True


def _list_nodes(graph: Graph, head: Node) -> set[BNode]:
    nodes: set[BNode] = set()
    node: Node | None = head
    while node != RDF.nil:
        if node in nodes or not isinstance(node, BNode):
            raise ValueError("not a well-formed list")
        nodes.add(node)
        node = graph.value(node, RDF.rest)
        if node is None:
            raise ValueError("not a well-formed list")
    return nodes


def _in_disjoint_classes(graph: Graph, cell: Node) -> bool:
    """Is the list cell ``cell`` part of the members of an owl:AllDisjointClasses?"""
    seen: set[Node] = set()
    while cell not in seen:
        seen.add(cell)
        users = list(graph.subject_predicates(cell))
        if len(users) != 1:
            return False
        subject, predicate = users[0]
        if predicate == OWL.members:
            return (subject, RDF.type, OWL.AllDisjointClasses) in graph
        if predicate != RDF.rest:
            return False
        cell = subject
    return False


def _bare_property(graph: Graph, prop: Node, cls: URIRef) -> bool:
    """Is ``prop`` a property with no assertions, named in no other axiom, whose only range
    is ``cls`` (and whose domains are named classes other than ``cls``)?"""
    if not isinstance(prop, URIRef) or _is_vocabulary(prop):  # owl:topObjectProperty holds of every pair
        return False
    if any(True for _ in graph.triples((None, prop, None))):
        return False
    if any(True for _ in graph.subjects(None, prop)):
        return False
    for predicate, value in graph.predicate_objects(prop):
        if predicate == RDF.type and value in _PROPERTY_KINDS:
            continue
        if predicate == RDFS.range and value == cls:
            continue
        if predicate == RDFS.domain and isinstance(value, URIRef) and value != cls:
            continue
        return False
    return True
