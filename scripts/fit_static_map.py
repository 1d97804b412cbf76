"""Fit src/kg/qa/static_map.npy: the linear map that turns the static model's token vectors toward e5's
geometry (step 3 in src/kg/qa/static_model.py). Run by a developer when the recipe changes, not at install.

    PYTHONPATH=src python scripts/fit_static_map.py [--cached-only]

Data: the task passages and headings of the library (../shared/seeds, corpus, corpus_local; not the
loaders/samples chain that qa/alignment_gold.yaml scores). Target: e5's "passage: " vectors of the same
texts (through the on-disk cache; --cached-only keeps just the texts already there, to save hours of CPU).
Ridge regression; the penalty is chosen on a held-out fifth of the texts (mean cosine to e5), never on
the alignment gold or the retrieval bench.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))


def library_texts() -> list[str]:
    from eval_qa import library_files

    from kg.extract import extract_file
    from kg.qa.indexing import passage_text

    out = []
    for f in library_files():
        plan = extract_file(str(f))
        for t in plan.tasks:
            out += [passage_text(t.heading, t.text), (t.heading or "").strip() or "（无标题）"]
    return list(dict.fromkeys(out))


def e5_targets(texts: list[str], cached_only: bool) -> tuple[list[str], np.ndarray]:
    from kg.qa import embedding

    if not cached_only:
        return texts, np.asarray(embedding.embed_passages(texts), dtype="float32")
    path = str(embedding.model_path())
    embedding._info["path"] = path  # the cache key is (model folder, prompt + text); no need to load e5
    key = {t: f"{path}\x00passage: {t}" for t in texts}
    got = embedding._disk_get(list(key.values()))
    kept = [t for t in texts if key[t] in got]
    return kept, np.stack([got[key[t]] for t in kept])


def ridge(S: np.ndarray, E: np.ndarray, lam: float) -> np.ndarray:
    return np.linalg.solve(S.T @ S + lam * np.eye(S.shape[1]), S.T @ E)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cached-only", action="store_true")
    ap.add_argument("--out", default=str(ROOT / "src" / "kg" / "qa" / "static_map.npy"))
    args = ap.parse_args(argv)
    from kg.qa import embedding, static_model

    texts, E = e5_targets(library_texts(), args.cached_only)
    print(f"{len(texts)} library texts with e5 vectors", flush=True)
    e5_dir = embedding.model_path()
    ids, X, vocab = static_model.token_vectors(e5_dir)
    with tempfile.TemporaryDirectory() as tmp:
        S = static_model.StaticEncoder(static_model.write(Path(tmp) / "raw", e5_dir, ids, X, vocab)).encode(texts)
    order = np.random.default_rng(0).permutation(len(texts))
    fit, held = order[: int(0.8 * len(order))], order[int(0.8 * len(order)):]
    scores = {}
    for lam in (0.01, 0.1, 1.0, 10.0):
        P = S[held] @ ridge(S[fit], E[fit], lam)
        P /= np.linalg.norm(P, axis=1, keepdims=True) + 1e-9
        scores[lam] = float((P * E[held]).sum(axis=1).mean())
    lam = max(scores, key=scores.get)
    print(f"held-out mean cosine of mapped static vectors to e5: {', '.join(f'λ={k}: {v:.3f}' for k, v in scores.items())}")
    np.save(args.out, ridge(S, E, lam).astype("float32"))
    print(f"wrote {args.out} (λ={lam})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
