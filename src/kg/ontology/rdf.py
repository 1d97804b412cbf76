"""The graph as RDF (rdflib): classes and properties of ontology/policy.ttl, one IRI per node
(https://w3id.org/policy-kg/id/<kind>/<key>), relationship provenance as rdf:Statement reifications."""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from urllib.parse import unquote

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

PK = Namespace("https://w3id.org/policy-kg#")
ID = "https://w3id.org/policy-kg/id/"
KINDS = {"Document": "doc", "Task": "task", "Unit": "unit", "Target": "target", "Deadline": "deadline"}
KEYS = {"Document": "doc_id", "Task": "id", "Unit": "name", "Target": "id", "Deadline": "id"}
REL_PROPS = {"IMPLEMENTS": PK.implements, "CITES": PK.cites, "REFERENCES": PK.references,
             "HAS_TASK": PK.hasTask, "PART_OF": PK.partOf, "LEADS": PK.leads,
             "RESPONSIBLE_FOR": PK.responsibleFor, "SUPPORTS": PK.supports, "HAS_TARGET": PK.hasTarget,
             "DUE": PK.due, "ALIGNS_WITH": PK.alignsWith, "ISSUED_BY": PK.issuedBy}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


_IRI_UNSAFE = re.compile(r'[\x00-\x20<>"{}|\\^`#/?%\[\]\x7f]')


def node_iri(label: str, key: str) -> URIRef:
    """IRI of a node: Chinese stays readable (IRIs allow it); only characters an IRI path cannot hold
    are percent-encoded."""
    safe = _IRI_UNSAFE.sub(lambda m: "%{:02X}".format(ord(m.group())), str(key))
    return URIRef(f"{ID}{KINDS[label]}/{safe}")


def iri_key(iri) -> str:
    """The graph key back from a node IRI (for reports)."""
    s = str(iri)
    return unquote(s.rsplit("/", 1)[-1]) if s.startswith(ID) else s


def _date(value):
    if value is None:
        return None
    s = str(value)
    return Literal(s, datatype=XSD.date) if _ISO_DATE.match(s) else Literal(s)


def _int(value):
    return None if value is None else Literal(int(value), datatype=XSD.integer)


def _dec(value):
    if value is None:
        return None
    try:
        return Literal(Decimal(str(value)), datatype=XSD.decimal)
    except InvalidOperation:
        return Literal(str(value))


def _str(value):
    return None if value is None or value == "" else Literal(str(value))


def _add(g: Graph, s, p, o) -> None:
    if o is not None:
        g.add((s, p, o))


def _label(labels: list[str]) -> str | None:
    for lab in labels or []:
        if lab in KINDS:
            return lab
    return None


def new_graph() -> Graph:
    g = Graph()
    g.bind("pk", PK)
    g.bind("owl", OWL)
    g.bind("xsd", XSD)
    return g


def export_graph(store, provenance: bool = True) -> Graph:
    """Read the whole graph from `store` and return it as an rdflib Graph."""
    g = new_graph()
    for r in store.run("MATCH (d:Document) RETURN d.doc_id AS doc_id, d.doc_no AS doc_no, d.title AS title, "
                       "d.issuer AS issuer, d.date AS date, d.level AS level, d.region AS region, "
                       "d.source AS source, d.stub AS stub"):
        s = node_iri("Document", r["doc_id"])
        stub = bool(r["stub"])
        g.add((s, RDF.type, PK.Document))
        g.add((s, RDF.type, PK.StubDocument if stub else PK.Plan))
        g.add((s, PK.docId, Literal(r["doc_id"])))
        g.add((s, PK.stub, Literal(stub)))
        _add(g, s, PK.docNo, _str(r["doc_no"]))
        _add(g, s, PK.title, _str(r["title"]))
        _add(g, s, RDFS.label, _str(r["title"] or r["doc_no"]))
        _add(g, s, PK.issuer, _str(r["issuer"]))
        _add(g, s, PK.date, _date(r["date"]))
        _add(g, s, PK.level, _str(r["level"]))
        _add(g, s, PK.region, _str(r["region"]))
        _add(g, s, PK.source, _str(r["source"]))
    for r in store.run("MATCH (t:Task) RETURN t.id AS id, t.doc_id AS doc_id, t.number AS number, t.path AS path, "
                       "t.heading AS heading, t.text AS text, t.start AS start, t.end AS end"):
        s = node_iri("Task", r["id"])
        g.add((s, RDF.type, PK.Task))
        g.add((s, PK.taskId, Literal(r["id"])))
        _add(g, s, PK.docId, _str(r["doc_id"]))
        _add(g, s, PK.number, _str(r["number"]))
        _add(g, s, PK.path, _str(r["path"]))
        _add(g, s, PK.heading, _str(r["heading"]))
        _add(g, s, RDFS.label, _str(r["heading"]))
        _add(g, s, PK.text, _str(r["text"]))
        _add(g, s, PK.start, _int(r["start"]))
        _add(g, s, PK.end, _int(r["end"]))
    for r in store.run("MATCH (u:Unit) RETURN u.name AS name, u.kind AS kind, u.aliases AS aliases"):
        s = node_iri("Unit", r["name"])
        g.add((s, RDF.type, PK.Unit))
        g.add((s, PK.name, Literal(r["name"])))
        g.add((s, RDFS.label, Literal(r["name"])))
        _add(g, s, PK.kind, _str(r["kind"]))
        for a in r["aliases"] or []:
            _add(g, s, PK.alias, _str(a))
    for r in store.run("MATCH (x:Target) RETURN x.id AS id, x.doc_id AS doc_id, x.indicator AS indicator, x.op AS op, "
                       "x.value AS value, x.unit AS unit, x.year AS year, x.text AS text, x.start AS start, "
                       "x.end AS end, x.evidence AS evidence"):
        s = node_iri("Target", r["id"])
        g.add((s, RDF.type, PK.Target))
        _add(g, s, PK.docId, _str(r["doc_id"]))
        _add(g, s, PK.indicator, _str(r["indicator"]))
        _add(g, s, PK.op, _str(r["op"]))
        _add(g, s, PK.value, _dec(r["value"]))
        _add(g, s, PK.measureUnit, _str(r["unit"]))
        _add(g, s, PK.year, _int(r["year"]))
        _add(g, s, PK.text, _str(r["text"]))
        _add(g, s, PK.start, _int(r["start"]))
        _add(g, s, PK.end, _int(r["end"]))
        _add(g, s, PK.evidence, _str(r["evidence"]))
    for r in store.run("MATCH (x:Deadline) RETURN x.id AS id, x.doc_id AS doc_id, x.text AS text, x.date AS date, "
                       "x.start_date AS start_date, x.kind AS kind, x.start AS start, x.end AS end, "
                       "x.evidence AS evidence"):
        s = node_iri("Deadline", r["id"])
        g.add((s, RDF.type, PK.Deadline))
        _add(g, s, PK.docId, _str(r["doc_id"]))
        _add(g, s, PK.text, _str(r["text"]))
        _add(g, s, PK.deadlineDate, _date(r["date"]))
        _add(g, s, PK.startDate, _date(r["start_date"]))
        _add(g, s, PK.kind, _str(r["kind"]))
        _add(g, s, PK.start, _int(r["start"]))
        _add(g, s, PK.end, _int(r["end"]))
        _add(g, s, PK.evidence, _str(r["evidence"]))

    for rel, prop in REL_PROPS.items():
        rows = store.run(
            f"MATCH (a)-[r:{rel}]->(b) RETURN labels(a) AS la, labels(b) AS lb, a.doc_id AS a_doc, a.id AS a_id, "
            "a.name AS a_name, b.doc_id AS b_doc, b.id AS b_id, b.name AS b_name, r.doc_id AS doc_id, "
            "r.start AS start, r.end AS end, r.evidence AS evidence, r.score AS score")
        for r in rows:
            la, lb = _label(r["la"]), _label(r["lb"])
            if not la or not lb:
                continue
            a = node_iri(la, r[{"doc_id": "a_doc", "id": "a_id", "name": "a_name"}[KEYS[la]]])
            b = node_iri(lb, r[{"doc_id": "b_doc", "id": "b_id", "name": "b_name"}[KEYS[lb]]])
            g.add((a, prop, b))
            if provenance and (r["evidence"] is not None or r["score"] is not None):
                st = BNode()
                g.add((st, RDF.type, RDF.Statement))
                g.add((st, RDF.subject, a))
                g.add((st, RDF.predicate, prop))
                g.add((st, RDF.object, b))
                _add(g, st, PK.docId, _str(r["doc_id"]))
                _add(g, st, PK.start, _int(r["start"]))
                _add(g, st, PK.end, _int(r["end"]))
                _add(g, st, PK.evidence, _str(r["evidence"]))
                _add(g, st, PK.score, _dec(r["score"]))
    return g
