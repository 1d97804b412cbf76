"""A static (bag-of-token-vectors) embedding model distilled offline from the bundled e5, for bulk indexing.

Why: on 2 cores the e5 transformer embeds ~30 passages/s, so 300,000 tasks would take hours. A static
model looks one vector up per token and sums them: thousands of passages/s (bench/bench_qa.py).

How (model2vec's recipe, written out here because model2vec's `distill` extra pins an older
`transformers` than the rest of the project uses; no hub access, minutes once, at install):
1. Every vocabulary token that Chinese plans use (tokens with CJK characters or CJK/full-width
   punctuation, digit and symbol tokens, and the ASCII words among the 20,000 most frequent pieces) is
   run through e5 on its own as a passage, `<s> passage: token </s>`, and the output vectors are averaged.
   Tokens of other scripts are left out (zero vectors): they would triple the distillation time and
   never carry meaning in these plans.
2. Each token vector is scaled by the SIF weight a / (a + p(token)), p from the tokenizer's own unigram
   log-probabilities, so frequent pieces (的, 和, 工作) count less than rare ones (扬尘, 秸秆).
3. A linear map shipped with the package (static_map.npy, 384x384, fitted by scripts/fit_static_map.py:
   ridge regression of e5's passage vectors of the library's task texts on these static vectors) turns
   the token vectors toward e5's geometry. It is what makes the static model usable for cross-level
   alignment: on qa/alignment_gold.yaml 85% of child tasks right with it, 69% without (e5: 87.5%).
4. An uncentred SVD keeps DIMS dimensions (99.5% of the energy; centring, as PCA does, removes the
   component all e5 vectors share and cost 15 points of alignment accuracy).
A passage's vector = sum of its tokens' vectors, L2-normalised (no special tokens, no prompt).

Folder written: vectors.npy (float32 [n+1, DIMS], row 0 = zeros), rows.npy (int32 [vocab] -> row),
tokenizer.json (e5's), POLICYKG_STATIC (format version, e5 source stamp, map fingerprint).
"""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import numpy as np

FORMAT_VERSION = "policykg-static/2"  # bump when the recipe, the map or the folder changes
DIMS = 256
SIF = 1e-4
BATCH = 512
PROMPT = "passage: "
MAP_NAME = "static_map.npy"  # package data of kg.qa, read with importlib.resources
# up to this many tokens in one encode() call the sums are done in numpy (see StaticEncoder._encode_small)
SMALL_TOKENS = 2048
_CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
_SYMBOLS = re.compile(r"^▁?[0-9.\-%/:;,()]+$")
_ASCII = re.compile(r"^▁?[A-Za-z]+$")
ASCII_TOP = 20000


def _selected(pieces: list[tuple[str, float]]) -> list[int]:
    return [i for i, (p, _s) in enumerate(pieces)
            if _CJK.search(p) or _SYMBOLS.match(p) or (i < ASCII_TOP and _ASCII.match(p))]


def _forward(model_dir: Path, ids: list[int], bos: int, eos: int, prompt: list[int]) -> np.ndarray:
    import torch
    from transformers import AutoModel

    model = AutoModel.from_pretrained(str(model_dir), local_files_only=True).eval()
    out = np.empty((len(ids), model.config.hidden_size), dtype="float32")
    with torch.inference_mode():
        for i in range(0, len(ids), BATCH):
            part = ids[i:i + BATCH]
            x = torch.tensor([[bos, *prompt, t, eos] for t in part])
            h = model(input_ids=x, attention_mask=torch.ones_like(x)).last_hidden_state
            out[i:i + len(part)] = h.mean(dim=1).numpy()
    return out


def token_vectors(e5_dir: str | Path) -> tuple[list[int], np.ndarray, int]:
    """Steps 1-2: (token ids kept, their SIF-weighted e5 vectors, vocabulary size). Deterministic for a
    given e5 folder, so a map fitted on them (step 3) applies on any machine."""
    from tokenizers import Tokenizer

    e5_dir = Path(e5_dir)
    spec = json.loads((e5_dir / "tokenizer.json").read_text(encoding="utf-8"))
    pieces = [(p, float(s)) for p, s in spec["model"]["vocab"]]
    special = {t["content"]: t["id"] for t in spec.get("added_tokens", [])}
    prompt = Tokenizer.from_file(str(e5_dir / "tokenizer.json")).encode(PROMPT, add_special_tokens=False).ids
    ids = _selected(pieces)
    X = _forward(e5_dir, ids, special.get("<s>", 0), special.get("</s>", 2), prompt)
    logp = np.asarray([pieces[i][1] for i in ids], dtype="float64")
    X *= (SIF / (SIF + np.exp(logp)))[:, None].astype("float32")
    return ids, X, len(pieces)


def _map_bytes() -> bytes | None:
    from importlib import resources

    f = resources.files("kg.qa").joinpath(MAP_NAME)
    return f.read_bytes() if f.is_file() else None


def shipped_map() -> np.ndarray | None:
    import io

    raw = _map_bytes()
    return np.load(io.BytesIO(raw)) if raw is not None else None


def map_tag() -> str:
    """Fingerprint of the shipped map: a folder distilled with another map (or none) is made again."""
    import hashlib

    raw = _map_bytes()
    return hashlib.sha1(raw).hexdigest()[:16] if raw is not None else "none"


def _reduce(X: np.ndarray, dims: int) -> np.ndarray:
    """Uncentred SVD: a rotation that keeps cosines, truncated to the `dims` strongest directions."""
    if X.shape[1] <= dims:
        return X
    _u, _s, vt = np.linalg.svd(X, full_matrices=False)
    return (X @ vt[:dims].T).astype("float32")


def write(out_dir: str | Path, e5_dir: str | Path, ids: list[int], X: np.ndarray, vocab: int,
          stamp: str = "") -> Path:
    out = Path(out_dir)
    vectors = np.vstack([np.zeros((1, X.shape[1]), "float32"), X.astype("float32")])
    rows = np.zeros(vocab, dtype="int32")
    rows[ids] = np.arange(1, len(ids) + 1, dtype="int32")
    tmp = out.with_name(out.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    np.save(tmp / "vectors.npy", vectors)
    np.save(tmp / "rows.npy", rows)
    shutil.copy(Path(e5_dir) / "tokenizer.json", tmp / "tokenizer.json")
    (tmp / "POLICYKG_STATIC").write_text(f"{FORMAT_VERSION}\n{stamp}\n{map_tag()}\n", encoding="utf-8")
    shutil.rmtree(out, ignore_errors=True)
    tmp.rename(out)
    return out


def distill(e5_dir: str | Path, out_dir: str | Path, stamp: str = "", mapping: np.ndarray | None = None) -> Path:
    """Write the static model for the e5 sentence-transformers folder `e5_dir` into `out_dir`.
    `mapping`: the step-3 map (default: static_map.npy when its size fits this model, else none)."""
    ids, X, vocab = token_vectors(e5_dir)
    if mapping is None:
        mapping = shipped_map()
    if mapping is not None and mapping.shape[0] == X.shape[1]:
        X = X @ mapping.astype("float32")
    return write(out_dir, e5_dir, ids, _reduce(X, DIMS), vocab, stamp)


def is_distilled(folder: Path, stamp: str = "") -> bool:
    marker = folder / "POLICYKG_STATIC"
    if not marker.exists() or not (folder / "vectors.npy").exists():
        return False
    lines = marker.read_text(encoding="utf-8").splitlines() + ["", "", ""]
    return lines[0] == FORMAT_VERSION and lines[1] == stamp and lines[2] == map_tag()


class StaticEncoder:
    """Passage / query vectors from a distilled folder: tokenise (Rust, batched), average rows, normalise."""

    def __init__(self, folder: str | Path):
        from tokenizers import Tokenizer

        folder = Path(folder)
        self.folder = folder
        self.vectors = np.load(folder / "vectors.npy")
        self.rows = np.load(folder / "rows.npy")
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.no_truncation()
        self.dim = int(self.vectors.shape[1])
        self._weights = None  # torch's view of the vectors, made at the first large batch

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype="float32")
        encs = self.tokenizer.encode_batch(list(texts), add_special_tokens=False)
        lengths = np.fromiter((len(e.ids) for e in encs), dtype="int64", count=len(encs))
        flat = np.fromiter((i for e in encs for i in e.ids), dtype="int64", count=int(lengths.sum()))
        offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]])
        if len(flat) <= SMALL_TOKENS:
            return self._encode_small(flat, lengths, offsets)
        import torch

        if self._weights is None:
            self._weights = torch.from_numpy(self.vectors)
        # embedding_bag sums each text's rows without materialising the [tokens, DIMS] gather (5x faster
        # than numpy's take + reduceat); an empty text sums to a zero vector
        out = torch.nn.functional.embedding_bag(torch.from_numpy(self.rows[flat].astype("int64")),
                                                self._weights, torch.from_numpy(offsets), mode="sum").numpy()
        out /= np.linalg.norm(out, axis=1, keepdims=True) + 1e-9
        return out

    def _encode_small(self, flat, lengths, offsets) -> np.ndarray:
        """numpy for a few texts (a question, a heading): a server answering questions then never imports
        torch (~1 GB resident, seconds of start-up) for the static model; same sums, float32."""
        out = np.zeros((len(lengths), self.dim), dtype="float32")
        rows = self.vectors[self.rows[flat]]
        for i, (o, n) in enumerate(zip(offsets.tolist(), lengths.tolist())):
            if n:
                out[i] = rows[o:o + n].sum(axis=0, dtype="float32")
        out /= np.linalg.norm(out, axis=1, keepdims=True) + 1e-9
        return out
