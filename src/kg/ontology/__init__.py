"""Ontology side of the graph: RDF export (rdf.py), SHACL validation (shacl.py) against
ontology/policy.ttl and ontology/shapes.ttl, networkx analytics (analytics.py)."""
