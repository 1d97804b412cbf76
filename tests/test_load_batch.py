"""`policykg load` on a batch mixing good files with every kind of bad input; progress bars."""
from __future__ import annotations

import io
import shutil
import zipfile

from conftest import SAMPLES
from test_formats import make_ofd, ole_blob, task_table_xlsx
from test_store_cli import store_args

from kg.cli import main


def test_batch_with_bad_files_still_loads_the_good_ones(graph_store, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)  # no antiword / LibreOffice
    folder = tmp_path / "收到的文件"
    folder.mkdir()
    shutil.copy(SAMPLES / "01_qingchuan_city_air_2024.txt", folder / "city.txt")
    task_table_xlsx(folder / "分工表.xlsx")
    good = (folder / "分工表.xlsx").read_bytes()
    (folder / "corrupt.xlsx").write_bytes(good[: len(good) // 3])
    (folder / "fake.ofd").write_text("不是OFD", encoding="utf-8")
    lines = [ln for ln in (SAMPLES / "03_liuxi_town_air_2024.txt").read_text(encoding="utf-8").splitlines() if ln.strip()]
    (folder / "town.ofd").write_bytes(make_ofd({"Page_0": lines}, order=["Page_0"]))
    (folder / "old.doc").write_bytes(ole_blob("WordDocument"))
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(folder / "locked.pdf"), encrypt="secret")
    c.drawString(72, 720, "secret plan")
    c.save()
    with zipfile.ZipFile(folder / "bomb.zip", "w", zipfile.ZIP_DEFLATED) as zf:
        with zf.open("plan.txt", "w", force_zip64=True) as f:
            for _ in range(120):
                f.write(b"\0" * (1 << 20))
    with zipfile.ZipFile(folder / "attachments.zip", "w") as zf:
        zf.writestr("附件1.html", (SAMPLES / "02_tanxi_county_air_2024.html").read_bytes())
        zf.writestr("附件2.txt", (SAMPLES / "04_qingchuan_inspection_rectification_2024.txt").read_bytes())
        zf.writestr("附件3.xlsx", b"PK\x03\x04broken")
    (folder / "notes.md").write_text("not a plan")  # not a plan type: not picked up from a folder

    code = main(["load", str(folder), "--no-embed", *store_args(graph_store, monkeypatch)])
    captured = capsys.readouterr()
    out = captured.out
    ok = [ln for ln in out.splitlines() if ln.startswith("ok")]
    err = [ln for ln in out.splitlines() if ln.startswith("error")]
    assert code == 0
    assert len(ok) == 5, out   # city.txt, 分工表.xlsx, town.ofd, attachments.zip/附件1.html, /附件2.txt
    assert any("attachments.zip/附件1.html" in ln for ln in ok)
    assert any("town.ofd" in ln for ln in ok) and any("分工表.xlsx" in ln for ln in ok)
    expected = {"corrupt.xlsx": "corrupt or truncated", "fake.ofd": "not a valid .ofd",
                "old.doc": "save it as .docx", "locked.pdf": "encrypted PDF (password required)",
                "bomb.zip": "zip bomb", "attachments.zip/附件3.xlsx": "corrupt or truncated"}
    assert len(err) == len(expected), out
    for name, reason in expected.items():
        assert any(f"{name}: " in ln and reason in ln for ln in err), (name, out)
    assert "5 loaded, 6 failed" in out
    assert graph_store.stats()["documents"]["loaded"] == 5
    assert "loading:" not in captured.err  # no progress bar when stderr is not a terminal


def test_load_progress_bar_on_a_terminal(graph_store, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("KG_PROGRESS", "1")  # as if stderr were a terminal
    shutil.copy(SAMPLES / "03_liuxi_town_air_2024.txt", tmp_path / "town.txt")
    assert main(["load", str(tmp_path), "--no-embed", *store_args(graph_store, monkeypatch)]) == 0
    captured = capsys.readouterr()
    assert "loading:" in captured.err and "file/s" in captured.err and "1/1" in captured.err
    assert "ok    " in captured.out


def test_embedding_progress_bar(monkeypatch, capsys):
    import numpy as np

    from kg.qa import embedding, indexing

    class FakeStore:
        def __init__(self):
            self.saved = []

        def run(self, query, params):
            return [{"id": f"d#{i}", "doc_id": "d", "heading": f"任务{i}", "text": "内容"} for i in range(300)]

        def set_task_embeddings(self, rows):
            self.saved += rows

        class schema:  # no vector index yet
            @staticmethod
            def vector_dimensions():
                return None

    monkeypatch.setattr(embedding, "embed_index", lambda texts: np.zeros((len(texts), 1), dtype="float32"))
    monkeypatch.setattr(embedding, "index_dim", lambda: 1)
    monkeypatch.setenv("KG_PROGRESS", "1")
    store = FakeStore()
    assert indexing.embed_missing(store, batch=16) == (300, {"d"})
    err = capsys.readouterr().err
    assert "embedding:" in err and "300/300" in err and "task/s" in err
    monkeypatch.setenv("KG_PROGRESS", "0")
    indexing.embed_missing(FakeStore(), batch=16)
    assert "embedding:" not in capsys.readouterr().err
