"""SHACL validation of the graph against ontology/shapes.ttl with pyshacl. Reports, never blocks:
the load has already happened; this says what the plans (or the extractor) left out."""
from __future__ import annotations

from collections import OrderedDict

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH

from .paths import ontology_file, shapes_file
from .rdf import export_graph, iri_key

SEVERITY = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}


def shapes_graph() -> Graph:
    g = Graph()
    g.parse(shapes_file(), format="turtle")
    return g


def _path(node) -> str | None:
    if node is None:
        return None
    if isinstance(node, URIRef):
        return str(node).split("#")[-1]
    return "(path)"


def validate_graph(data: Graph, examples: int = 10) -> dict:
    from pyshacl import validate

    ont = Graph()
    ont.parse(ontology_file(), format="turtle")
    conforms, results, _text = validate(data, shacl_graph=shapes_graph(), ont_graph=ont, inference="none",
                                        advanced=True, allow_warnings=True, allow_infos=True)
    groups: "OrderedDict[tuple, dict]" = OrderedDict()
    counts = {"violation": 0, "warning": 0, "info": 0}
    for res in results.subjects(RDF.type, SH.ValidationResult):
        sev = SEVERITY.get(results.value(res, SH.resultSeverity), "violation")
        counts[sev] += 1
        msg = str(results.value(res, SH.resultMessage) or "")
        path = results.value(res, SH.resultPath)
        shape = results.value(res, SH.sourceShape)
        key = (sev, msg, _path(path))
        g = groups.setdefault(key, {"severity": sev, "message": msg, "path": _path(path),
                                    "shape": _path(shape), "count": 0, "examples": []})
        g["count"] += 1
        if len(g["examples"]) < examples:
            g["examples"].append(iri_key(results.value(res, SH.focusNode)))
    order = {"violation": 0, "warning": 1, "info": 2}
    found = sorted(groups.values(), key=lambda g: (order[g["severity"]], -g["count"]))
    return {"conforms": bool(conforms) and counts["violation"] == 0, "violations": counts["violation"],
            "warnings": counts["warning"], "infos": counts["info"], "triples": len(data), "results": found}


def validate_store(store, examples: int = 10) -> dict:
    return validate_graph(export_graph(store, provenance=False), examples=examples)


def format_report(report: dict) -> str:
    lines = [f"SHACL: {'conforms' if report['conforms'] else 'does not conform'} — "
             f"{report['violations']} violations, {report['warnings']} warnings, {report['infos']} infos "
             f"({report['triples']} triples checked)"]
    for r in report["results"]:
        where = f" [{r['path']}]" if r.get("path") else ""
        lines.append(f"  {r['severity']:<9} {r['count']:>5}  {r['message'] or r['shape']}{where}")
        for ex in r["examples"][:5]:
            lines.append(f"                   {ex}")
    return "\n".join(lines)
