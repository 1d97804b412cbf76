"""The entity-linking lexicon kept on disk between processes, so the first question after a start does not
scan every Unit, Document and Task (about 60 s on a 10,000-plan graph).

    lex = lexicon_cache.load_or_build(store, signature, build)   # build: store -> Lexicon

The file is a pickle of the built Lexicon (Aho-Corasick automaton included) next to the signature it was
built at (linking.store_signature: label counts). It is used only when the signature read now is the same;
otherwise the lexicon is built from the store and written again (atomically: temp file + rename).
Where: inside the store folder for the embedded engine (`PATH/policykg-lexicon.pickle`, the folder is
locked to one process), `KG_MODEL_CACHE` (default ~/.cache/policykg/) + `lexicon-<hash of URI and
database>.pickle` for a Neo4j server. The store deletes the file after every load transaction it commits
(GraphStore.forget_lexicon), so a re-loaded plan with the same counts cannot leave a stale lexicon behind
on the embedded engine; on a Neo4j server written by other processes the counts are the check, as for
the in-process cache. KG_LEXICON_CACHE=0 turns the file off.
"""
from __future__ import annotations

import gc
import hashlib
import os
import pickle
import tempfile
import threading
from pathlib import Path

FORMAT = 4  # 2: with the inverted indexes of kg.qa.lexicon_index; 3: no place name as a unit alias; 4: with
# the task texts' word index (kg.qa.text_index)


def enabled() -> bool:
    return os.environ.get("KG_LEXICON_CACHE", "1") not in ("0", "false", "no")


def path_for(store) -> Path | None:
    p = getattr(store, "lexicon_cache_path", None)
    if callable(p):
        return p()
    return None


def _read(path: Path):
    """(format, signature, lexicon) from the file, or None."""
    # the collector would walk the millions of small objects being unpickled again and again: off while
    # reading (10,000 plans: 2.7 s → 1.1 s for the 162 MB file)
    collecting = gc.isenabled()
    gc.disable()
    try:
        with open(path, "rb") as fh:
            return pickle.load(fh)
    except Exception:  # truncated, another version of the classes: rebuild
        return None
    finally:
        if collecting:
            gc.enable()


# Read ahead (a server's or `policykg ask`'s start): the file is unpickled in a thread while the store opens.
# Opening the embedded store is mostly the JVM's work (JPype lets go of the interpreter lock meanwhile), so
# the 1-5 s of reading the file need not come after the 3-5 s of opening the store (issue 11: first answer).
# KG_LEXICON_READ_AHEAD=0 reads it after the store has opened instead. Measured on the 10,000-plan store
# (issue 11, round 9, 2 shared cores): at load 2-3, two pairs gave 7.0-7.5 s to the answer read ahead against
# 4.9-5.0 s after (the unpickling thread holds the lock between its reads, so each short lock release of the
# opening can wait for the switch interval); four more pairs at load 2.4-2.8 gave 5.0-7.0 s either way. Kept on.
# What was read is used only if the file is still the one read (same inode, size, mtime) and, as always,
# its signature matches the store's counts.
_ahead: dict[str, tuple] = {}
_ahead_lock = threading.Lock()


def read_ahead_enabled() -> bool:
    return os.environ.get("KG_LEXICON_READ_AHEAD", "1") not in ("0", "false", "no")


def _stat_key(path: Path):
    st = path.stat()
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def prefetch(path) -> bool:
    """Start reading the lexicon file at `path` in the background; False when it is not read ahead
    (KG_LEXICON_READ_AHEAD=0, or no file)."""
    if not enabled() or not read_ahead_enabled():
        return False
    path = Path(path).expanduser().resolve()
    try:
        key = _stat_key(path)
    except OSError:
        return False
    box: dict = {}
    th = threading.Thread(target=lambda: box.update(data=_read(path)), name="lexicon-read-ahead", daemon=True)
    with _ahead_lock:
        if str(path) in _ahead:
            return True
        _ahead[str(path)] = (key, th, box)
    th.start()
    return True


def prefetch_store(uri: str | None) -> bool:
    """prefetch() for an `embedded:PATH` store URI (None: KG_STORE / the default store); a server's lexicon
    is read after connecting, as before (there is no start-up to overlap)."""
    from kg.store.graph import DEFAULT_STORE, LEXICON_FILE

    uri = (uri or os.environ.get("KG_STORE") or DEFAULT_STORE).strip()
    if not (uri == "embedded" or uri.startswith("embedded:")):
        return False
    return prefetch(Path(uri.partition(":")[2] or "./.policykg") / LEXICON_FILE)


def _take_ahead(path: Path):
    """What a prefetch() of `path` read, when the file is still that one; None otherwise (or none started)."""
    with _ahead_lock:
        item = _ahead.pop(str(path.resolve()), None)
    if item is None:
        return None
    key, th, box = item
    th.join()
    try:
        same = _stat_key(path) == key
    except OSError:
        return None
    return box.get("data") if same else None


def load(store, signature) -> object | None:
    """The persisted lexicon when it was built at `signature`, else None."""
    if not enabled() or signature is None:
        return None
    path = path_for(store)
    if path is None or not path.exists():
        return None
    data = _take_ahead(path) or _read(path)
    if data is None:
        return None
    fmt, sig, lex = data
    if fmt != FORMAT or sig != signature:
        return None
    return lex


def save(store, signature, lex) -> None:
    if not enabled() or signature is None:
        return
    path = path_for(store)
    if path is None:
        return
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".lexicon-", dir=str(path.parent))
        with os.fdopen(fd, "wb") as fh:
            pickle.dump((FORMAT, signature, lex), fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except Exception:  # a read-only folder: the lexicon still works in memory
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def code_version(build) -> str:
    """A hash of the source file that defines `build` (linking.py) and of lexicon_index.py and text_index.py: a
    lexicon pickled by other code is not read back (new fields, other normalisation)."""
    import inspect

    try:
        path = Path(inspect.getsourcefile(build))
        src = path.read_bytes() + b"".join((path.parent / f).read_bytes()  # the indexes pickled with it
                                           for f in ("lexicon_index.py", "text_index.py"))
    except Exception:
        return "?"
    return hashlib.sha1(src).hexdigest()[:12]


def warm(lex) -> None:
    """Build what the lexicon otherwise builds at its first use, so that no question pays for it and the
    file carries it: the groups of documents whose titles differ only in dashes and brackets
    (Lexicon.title_variants: ~150 ms at 10,000 plans, paid by the first question naming a document)."""
    variants = getattr(lex, "title_variants", None)
    if callable(variants):
        variants("")


def load_or_build(store, signature, build):
    """The lexicon for `store` at `signature`: from the file when it matches (same graph counts, same
    linking code), else build(store), saved."""
    key = (signature, code_version(build)) if signature is not None else None
    lex = load(store, key)
    if lex is not None:
        warm(lex)  # a file written before warm() existed
        return lex
    lex = build(store)
    warm(lex)
    save(store, key, lex)
    return lex
