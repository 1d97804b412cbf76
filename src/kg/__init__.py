"""policy-kg: knowledge graph and question answering over Chinese policy implementation plans."""
__version__ = "0.1.0"
