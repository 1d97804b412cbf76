"""The warm-up `policykg serve` runs at start (kg.qa.warmup): every step runs on both engines, it writes
nothing and caches no answer."""
from __future__ import annotations


def test_warm_up_runs_every_template_and_writes_nothing(seeded_store):
    from kg.qa import answer_cache
    from kg.qa.warmup import WHOLE_GRAPH, template_names, warm_up

    answer_cache.clear(seeded_store)
    writes = seeded_store.writes
    done = warm_up(seeded_store)
    errors = {k: v for k, v in done.items() if isinstance(v, str)}
    assert not errors, errors
    assert {"lexicon", "templates", "static_model", "intent_examples", "total"} <= set(done)
    # the store's full-text search is warmed only when the questions would use it (no word index in the lexicon)
    from kg.qa.linking import lexicon_for

    assert ("fulltext_search" in done) == (lexicon_for(seeded_store).text_index is None)
    assert seeded_store.writes == writes
    assert answer_cache.get(seeded_store, "") is None
    assert WHOLE_GRAPH <= set(template_names()) and len(template_names()) > 30
