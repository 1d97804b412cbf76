"""Ontology, RDF export, SHACL validation and networkx analytics."""
from __future__ import annotations

from rdflib import Graph, Literal
from rdflib.namespace import OWL, RDF

from kg.ontology.analytics import analyse, co_responsibility_graph, role_rows, unit_load
from kg.ontology.paths import ontology_file, shapes_file
from kg.ontology.rdf import PK, export_graph, iri_key, node_iri
from kg.ontology.shacl import validate_graph, validate_store


def test_ontology_files_parse_and_cover_the_model():
    onto = Graph().parse(ontology_file(), format="turtle")
    for cls in ("Document", "Plan", "StubDocument", "Task", "Unit", "Target", "Deadline"):
        assert (PK[cls], RDF.type, OWL.Class) in onto, cls
    for prop in ("implements", "cites", "references", "hasTask", "partOf", "leads", "responsibleFor",
                 "supports", "hasTarget", "due", "alignsWith", "issuedBy"):
        assert (PK[prop], RDF.type, OWL.ObjectProperty) in onto, prop
    shapes = Graph().parse(shapes_file(), format="turtle")
    assert len(shapes) > 50


def test_iri_keeps_chinese_and_round_trips():
    iri = node_iri("Task", "no:送管发〔2019〕18号#三、/（一）/4.")
    assert "送管发" in str(iri) and "#" not in str(iri).split("/id/")[1]
    assert iri_key(iri) == "no:送管发〔2019〕18号#三、/（一）/4."


def test_export_matches_store(seeded_store):
    from rdflib.namespace import XSD

    g = export_graph(seeded_store)
    st = seeded_store.stats()
    assert len(set(g.subjects(RDF.type, PK.Task))) == st["nodes"]["Task"]
    assert len(set(g.subjects(RDF.type, PK.Document))) == sum(st["documents"].values())
    assert len(list(g.triples((None, PK.leads, None)))) == st["relationships"]["LEADS"]
    doc = node_iri("Document", "no:送管发〔2019〕18号")
    assert (doc, PK.date, Literal("2019-05-22", datatype=XSD.date)) in g
    parents = {iri_key(o) for o in g.objects(doc, PK.implements)}
    assert "no:郑办〔2019〕9号" in parents
    # provenance of a relationship: the reified statement quotes the evidence
    stmts = list(g.subjects(RDF.predicate, PK.implements))
    assert stmts and all(g.value(s, PK.evidence) for s in stmts)


def test_shacl_reports_without_failing(seeded_store):
    report = validate_store(seeded_store)
    msgs = {r["message"] for r in report["results"]}
    assert any("task names no unit" in m for m in msgs)
    assert report["warnings"] > 0


def test_shacl_catches_a_broken_graph():
    g = Graph()
    t = node_iri("Task", "x#1")
    g.add((t, RDF.type, PK.Task))  # no id, no span, no plan, no unit
    d = node_iri("Deadline", "x#1#due0")
    g.add((d, RDF.type, PK.Deadline))
    g.add((d, PK.kind, Literal("someday")))
    report = validate_graph(g)
    assert not report["conforms"] and report["violations"] >= 4
    assert any("x#1" in ex for r in report["results"] for ex in r["examples"])


def test_analytics_on_seeds(seeded_store):
    rows = role_rows(seeded_store)
    load = unit_load(rows)
    assert load[0]["load"] >= load[-1]["load"]
    g = co_responsibility_graph(rows)
    assert g.number_of_edges() > 0
    res = analyse(seeded_store, top=5)
    assert len(res["unit_load"]) == 5 and res["centrality"]
    no_lead = res["tasks_without_lead"]
    assert no_lead["count"] == len(seeded_store.run(
        "MATCH (u:Unit)-[:RESPONSIBLE_FOR|SUPPORTS]->(t:Task) WHERE NOT EXISTS { MATCH (:Unit)-[:LEADS]->(t) } "
        "RETURN DISTINCT t.id AS id"))
