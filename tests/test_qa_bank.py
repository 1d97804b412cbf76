"""The blind question banks over the whole library (../shared seeds + corpus + corpus_local), asked on the
embedded engine as `bench/eval_qa.py --bank` does. Bars sit just under the measured accuracy, so a
change that breaks answering on real documents fails here; the numbers themselves are in README."""
from __future__ import annotations

import sys

import pytest

from conftest import ROOT, need_shared

sys.path.insert(0, str(ROOT / "bench"))


@pytest.fixture(scope="module")
def bank_result(tmp_path_factory):
    from eval_qa import SHARED, evaluate_bank, library_files, open_loaded_store

    need_shared(SHARED / "corpus_local")
    store = open_loaded_store(f"embedded:{tmp_path_factory.mktemp('library')}", load=True, files=library_files())
    try:
        yield evaluate_bank(store)
    finally:
        store.close()


def test_tuned_bank(bank_result):
    """The first bank's tuned part and blind2-6 (blind6 joined it in round 7): 377/407 at round 7's start,
    384/407 at its end."""
    assert bank_result["tuned"]["accuracy"] >= 0.935, bank_result["tuned"]["failed"]


def test_first_heldout_bank(bank_result):
    assert bank_result["heldout"]["accuracy"] >= 0.95, bank_result["heldout"]["failed"]


def test_newest_blind_bank(bank_result):
    """blind7.yaml: held out through round 7 (39/60 on its first run with the round's start code, 38/60 at the
    end of the round, untouched, on a store loaded by the final code; 42/60 after the fixes its failures
    prompted, read at the end of the round; 43/60 with the last of them)."""
    assert bank_result["heldout2"]["accuracy"] >= 0.68, bank_result["heldout2"]["failed"]
