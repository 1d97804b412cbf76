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
    """The first bank's tuned part, blind2-7 (blind7 joined it in round 8) and tune8 (a development bank written
    in round 8 without the QA code, 57/80 on its first run): 427/467 at round 8's start without tune8, 514/547
    with it at the end."""
    assert bank_result["tuned"]["accuracy"] >= 0.93, bank_result["tuned"]["failed"]


def test_first_heldout_bank(bank_result):
    assert bank_result["heldout"]["accuracy"] >= 0.95, bank_result["heldout"]["failed"]


def test_newest_blind_bank(bank_result):
    """blind8.yaml: held out through round 8 (42/60 on its first run with the round's start code, 42/60 at the
    end of the round, untouched; 47/60 after the fixes its failures prompted, read at the end of the round,
    the same in three runs)."""
    assert bank_result["heldout2"]["accuracy"] >= 0.70, bank_result["heldout2"]["failed"]
