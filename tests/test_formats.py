"""Input formats added for files offices publish: scanned PDFs (OCR), spreadsheets, OFD, .doc/.wps,
.zip of plans; the format registry; bad input of each kind. Every test builds its own file."""
from __future__ import annotations

import difflib
import io
import os
import socket
import time
import unicodedata
import zipfile
from pathlib import Path

import pytest
from conftest import IN_CI, SAMPLES

from kg.loaders import LoadError, iter_load, load_bytes, load_file, registry

CJK_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")  # fonts-wqy-zenhei (scripts/install.sh --test)
PLAN = (SAMPLES / "01_qingchuan_city_air_2024.txt").read_text(encoding="utf-8")


def _error(path) -> str:
    with pytest.raises(LoadError) as info:
        load_file(path)
    msg = str(info.value)
    assert msg.startswith(f"{path}: ") and "\n" not in msg
    return info.value.reason


def _norm(s: str) -> str:
    return "".join(unicodedata.normalize("NFKC", s).split())


def recovered(reference: str, got: str) -> float:
    """Share of the reference's characters (width-normalised, whitespace ignored) found in order."""
    ref, hyp = _norm(reference), _norm(got)
    sm = difflib.SequenceMatcher(None, ref, hyp, autojunk=False)
    return sum(b.size for b in sm.get_matching_blocks()) / len(ref)


# ------------------------------------------------------------------------------------ scanned PDF
def wrapped_lines(text: str, width: int = 34) -> list[str]:
    out = []
    for line in text.splitlines():
        if not line.strip():
            continue
        while len(line) > width:
            out.append(line[:width])
            line = line[width:]
        out.append(line)
    return out


def scanned_pdf(lines: list[str], per_page: int = 36) -> bytes:
    """An image-only PDF (no text layer): each page is a 150-dpi picture of the lines."""
    from PIL import Image, ImageDraw, ImageFont
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    if not CJK_FONT.exists():
        if IN_CI:
            pytest.fail(f"{CJK_FONT} missing: scripts/install.sh --test installs fonts-wqy-zenhei")
        pytest.skip(f"{CJK_FONT} not installed (apt-get install fonts-wqy-zenhei)")
    font = ImageFont.truetype(str(CJK_FONT), 30)
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    for i in range(0, len(lines), per_page):
        img = Image.new("L", (1240, 1754), 255)
        draw = ImageDraw.Draw(img)
        for j, line in enumerate(lines[i:i + per_page]):
            draw.text((60, 80 + j * 44), line, font=font, fill=0)
        c.drawImage(ImageReader(img), 0, 0, width=A4[0], height=A4[1])
        c.showPage()
    c.save()
    return buf.getvalue()


@pytest.fixture(scope="module")
def scan(tmp_path_factory):
    lines = wrapped_lines(PLAN)
    path = tmp_path_factory.mktemp("scan") / "scanned_plan.pdf"
    path.write_bytes(scanned_pdf(lines))
    return path, lines


@pytest.fixture(scope="module")
def scan_loaded(scan):
    path, _ = scan
    mp = pytest.MonkeyPatch()

    def no_network(*a, **k):
        raise AssertionError("OCR tried to open a network connection")

    mp.setattr(socket.socket, "connect", no_network)   # models must come from the installed wheel
    mp.setattr(socket, "create_connection", no_network)
    try:
        t0 = time.perf_counter()
        loaded = load_file(path)
        seconds = time.perf_counter() - t0
    finally:
        mp.undo()
    return loaded, seconds


def test_scan_has_no_text_layer(scan):
    from pypdf import PdfReader

    reader = PdfReader(scan[0])
    assert len(reader.pages) == 2
    assert all(not (p.extract_text() or "").strip() for p in reader.pages)


def test_ocr_recovers_the_text(scan, scan_loaded):
    loaded, seconds = scan_loaded
    _, lines = scan
    share = recovered("\n".join(lines), loaded.text)
    print(f"OCR: {share:.1%} of characters recovered, {seconds:.1f}s for 2 pages")
    assert share >= 0.95
    assert any("OCR on 2 of 2 page(s)" in w for w in loaded.warnings)
    assert "青政办〔2024〕5号" in loaded.text  # OCR's 〔2024】 repaired in document numbers


def test_ocr_offsets_map_to_page_and_box(scan_loaded):
    loaded, _ = scan_loaded
    assert len(loaded.pages) == 2
    first = loaded.text.index("青川市人民政府办公室关于印发")
    where = loaded.location(first)
    assert where["page"] == 1
    x0, y0, x1, y1 = where["box"]  # points from the top-left of an A4 page (595 x 842)
    assert 0 <= x0 < 60 and 0 <= y0 < 80 and x1 <= 595 and y1 <= 842
    later = loaded.text.rindex("（三）") if "（三）" in loaded.text else len(loaded.text) - 5
    assert loaded.location(later)["page"] == 2
    # the quote at an offset is the text of the line the box belongs to
    s, e = loaded.original_span(first, first + 7)
    assert loaded.original[s:e] == "青川市人民政府"


def test_ocr_plan_extracts_like_the_text(scan, scan_loaded):
    from kg.extract import extract_text

    loaded, _ = scan_loaded
    _, lines = scan
    from kg.loaders import clean_text

    ref = extract_text(clean_text("\n".join(lines)).text)
    got = extract_text(loaded.text, meta=loaded.meta)
    assert got.doc_no == ref.doc_no == "青政办〔2024〕5号"
    assert got.title == ref.title
    assert [t.path for t in got.tasks] == [t.path for t in ref.tasks]
    roles = lambda plan: {(t.path, u.name, u.role) for t in plan.tasks for u in t.units}
    r, g = roles(ref), roles(got)
    assert len(r) >= 15
    assert len(r & g) / len(r) >= 0.9, sorted(r - g)
    deadlines = lambda plan: {(t.path, d.date) for t in plan.tasks for d in t.deadlines}
    assert len(deadlines(ref) & deadlines(got)) / len(deadlines(ref)) >= 0.9


def test_scanned_task_table_becomes_table_rows():
    """A scanned 任务分工表 (ruled grid): cells the detector boxes apart become `` | `` cells, and the
    table model reads units and deadlines from them."""
    from PIL import Image, ImageDraw, ImageFont
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    from kg.extract import extract_text

    scanned_pdf([])  # skips / fails without the CJK font
    rows = [("序号", "重点任务", "牵头单位", "完成时限"), ("1", "淘汰燃煤锅炉", "市生态环境局", "2024年10月底前"),
            ("2", "道路扬尘治理", "市城市管理局", "2024年6月底前"), ("3", "渣土车密闭运输", "市交通运输局", "2024年5月底前")]
    font = ImageFont.truetype(str(CJK_FONT), 30)
    img = Image.new("L", (1240, 1754), 255)
    d = ImageDraw.Draw(img)
    d.text((60, 80), "青川市大气污染防治重点任务分工表", font=font, fill=0)
    for j, row in enumerate(rows):
        for x, cell in zip((60, 180, 520, 860), row):
            d.text((x, 180 + j * 60), cell, font=font, fill=0)
    for x in (40, 160, 500, 840, 1180):
        d.line([(x, 165), (x, 165 + 60 * len(rows))], fill=0, width=2)
    for j in range(len(rows) + 1):
        d.line([(40, 165 + 60 * j), (1180, 165 + 60 * j)], fill=0, width=2)
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.drawImage(ImageReader(img), 0, 0, width=A4[0], height=A4[1])
    c.showPage()
    c.save()
    lt = load_bytes(buf.getvalue(), "分工表扫描件.pdf")
    assert lt.text.splitlines()[1:] == [" | ".join(r) for r in rows]
    plan = extract_text(lt.text)
    got = [([(u.name, u.role) for u in t.units], [dl.date for dl in t.deadlines]) for t in plan.tasks]
    assert got == [([("市生态环境局", "lead")], ["2024-10-31"]), ([("市城市管理局", "lead")], ["2024-06-30"]),
                   ([("市交通运输局", "lead")], ["2024-05-31"])]


def test_ocr_models_ship_in_the_wheel():
    import rapidocr_onnxruntime

    models = Path(rapidocr_onnxruntime.__file__).parent / "models"
    names = {p.name for p in models.glob("*.onnx")}
    assert any("det" in n for n in names) and any("rec" in n for n in names)


def test_password_protected_pdf(tmp_path):
    from reportlab.pdfgen import canvas

    path = tmp_path / "locked.pdf"
    c = canvas.Canvas(str(path), encrypt="secret")
    c.drawString(72, 720, "1. Task one")
    c.save()
    assert _error(path) == "encrypted PDF (password required)"


def test_blank_scan_says_no_text(tmp_path):
    from reportlab.pdfgen import canvas

    path = tmp_path / "blank.pdf"
    c = canvas.Canvas(str(path))
    c.rect(50, 50, 300, 400, fill=1)
    c.save()
    assert _error(path).startswith("PDF has no text layer (scanned image?) and OCR found no text")


# ------------------------------------------------------------------------------------ spreadsheets
def task_table_xlsx(path: Path) -> None:
    import datetime as dt

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "任务分工"
    ws.append(["青川市2024年大气污染防治重点任务分工表"])
    ws.merge_cells("A1:E1")
    ws.append(["序号", "重点任务", "牵头单位", "责任单位", "完成时限"])
    ws.append([1, "淘汰城市建成区燃煤锅炉", "市生态环境局", "市市场监督管理局", dt.date(2024, 10, 31)])
    ws.append([2, "开展锅炉排放专项执法检查", None, "各县(区)人民政府", "2024年12月底前"])
    ws.merge_cells("C3:C4")  # one lead unit for both rows
    ws.append([3, "建设空气质量监测站点|并联网", "市气象局", None, "2024年6月底前"])
    ws2 = wb.create_sheet("台账")
    ws2.append(["序号", "问题", "责任单位", "整改时限"])
    ws2.append([1, "扬尘污染管控不到位", "市住房和城乡建设局", "立行立改、长期坚持"])
    wb.save(path)


def test_xlsx_sheets_become_table_rows(tmp_path):
    path = tmp_path / "分工表.xlsx"
    task_table_xlsx(path)
    lt = load_file(path)
    lines = lt.text.splitlines()
    assert "序号 | 重点任务 | 牵头单位 | 责任单位 | 完成时限" in lines
    assert "1 | 淘汰城市建成区燃煤锅炉 | 市生态环境局 | 市市场监督管理局 | 2024年10月31日" in lines
    # the vertically merged lead cell is repeated on the row it spans
    assert "2 | 开展锅炉排放专项执法检查 | 市生态环境局 | 各县(区)人民政府 | 2024年12月底前" in lines
    # an empty cell keeps its column; a '|' inside a cell cannot split it
    assert "3 | 建设空气质量监测站点/并联网 | 市气象局 |  | 2024年6月底前" in lines
    # the title merged across the row is written once
    assert lines[0] == "青川市2024年大气污染防治重点任务分工表"
    assert lt.page_labels == ["任务分工", "台账"]
    assert "\n\n（工作表：台账）\n序号 | 问题 | 责任单位 | 整改时限\n" in lt.text
    assert lt.location(lt.text.index("扬尘污染"))["label"] == "台账"


def _xlsx_plan(tmp_path):
    from kg.extract import extract_text

    path = tmp_path / "分工表.xlsx"
    task_table_xlsx(path)
    lt = load_file(path)
    return lt, extract_text(lt.text, source=str(path), meta=lt.meta)


def test_xlsx_tasks_and_units_extracted(tmp_path):
    lt, plan = _xlsx_plan(tmp_path)
    units = {t.text.split(" | ")[1]: {(u.name, u.role) for u in t.units} for t in plan.tasks}
    assert units["淘汰城市建成区燃煤锅炉"] == {("市生态环境局", "lead"), ("市市场监督管理局", "responsible")}
    # the lead unit of the merged cell applies to the second row too
    assert units["开展锅炉排放专项执法检查"] == {("市生态环境局", "lead"), ("各县(区)人民政府", "responsible")}
    assert units["建设空气质量监测站点/并联网"] == {("市气象局", "lead")}
    # the second sheet is a table of its own (its header is not read as a row of the first)
    assert units["扬尘污染管控不到位"] == {("市住房和城乡建设局", "responsible")}
    assert len(plan.tasks) == 4 and len({t.id for t in plan.tasks}) == 4
    due = {t.text.split(" | ")[1]: [d.date for d in t.deadlines] for t in plan.tasks}
    assert due["开展锅炉排放专项执法检查"] == ["2024-12-31"]
    # a date-typed cell is written as a Chinese date, the way the plan text would say it
    assert "| 2024年10月31日" in lt.text


def test_xlsx_row_with_an_empty_cell_keeps_its_deadline(tmp_path):
    _, plan = _xlsx_plan(tmp_path)
    row = next(t for t in plan.tasks if "监测站点" in t.text)
    assert [d.date for d in row.deadlines] == ["2024-06-30"]


def test_corrupt_xlsx(tmp_path):
    path = tmp_path / "分工表.xlsx"
    task_table_xlsx(path)
    data = path.read_bytes()
    bad = tmp_path / "truncated.xlsx"
    bad.write_bytes(data[: len(data) // 2])
    assert "corrupt or truncated" in _error(bad)
    (tmp_path / "text.xlsx").write_text("序号,任务\n1,一些任务", encoding="utf-8")
    assert "corrupt or truncated" in _error(tmp_path / "text.xlsx")
    # a zip with a broken workbook inside
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(broken, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook><sheets><sheet name='a' r:id='x'")
    assert _error(broken).startswith("not a readable spreadsheet")


def test_old_xls_with_merged_cells(tmp_path):
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("台账")
    for c, h in enumerate(["序号", "整改任务", "责任单位", "整改时限"]):
        ws.write(0, c, h)
    ws.write(1, 0, 1); ws.write(1, 1, "渣土车辆密闭运输")
    ws.write(2, 0, 2); ws.write(2, 1, "施工工地围挡")
    ws.write_merge(1, 2, 2, 2, "市城市管理局")  # one unit for both rows
    ws.write(1, 3, "2024年5月底前"); ws.write(2, 3, "2024年6月底前")
    path = tmp_path / "台账.xls"
    wb.save(str(path))
    assert path.read_bytes()[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    lt = load_file(path)
    assert lt.text.splitlines() == ["序号 | 整改任务 | 责任单位 | 整改时限",
                                    "1 | 渣土车辆密闭运输 | 市城市管理局 | 2024年5月底前",
                                    "2 | 施工工地围挡 | 市城市管理局 | 2024年6月底前"]
    # renamed to .doc it is still read as the spreadsheet it is
    doc = tmp_path / "台账.doc"
    doc.write_bytes(path.read_bytes())
    assert load_file(doc).text == lt.text


def test_xls_that_is_an_html_page_is_read_as_html(tmp_path):
    path = tmp_path / "下载.xls"
    path.write_text("<html><body><table><tr><td>序号</td><td>任务</td><td>牵头单位</td></tr>"
                    "<tr><td>1</td><td>道路扬尘治理</td><td>市城管局</td></tr></table></body></html>",
                    encoding="utf-8")
    lt = load_file(path)
    assert "1 | 道路扬尘治理 | 市城管局" in lt.text
    assert any("content is HTML although the name ends in .xls" in w for w in lt.warnings)


# ------------------------------------------------------------------------------------ OFD
def make_ofd(pages: dict[str, list[str]], order: list[str]) -> bytes:
    """A minimal OFD: OFD.xml → Doc_0/Document.xml → pages (listed in `order`); each page's lines are
    written bottom-up in the XML, so reading order must come from the positions."""
    ns = 'xmlns:ofd="http://www.ofdspec.org/2016"'
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("OFD.xml", f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD {ns} Version="1.0" DocType="OFD">'
                               f"<ofd:DocBody><ofd:DocInfo><ofd:DocID>x</ofd:DocID></ofd:DocInfo>"
                               f"<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>")
        listed = "".join(f'<ofd:Page ID="{i + 1}" BaseLoc="Pages/{name}/Content.xml"/>' for i, name in enumerate(order))
        zf.writestr("Doc_0/Document.xml", f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document {ns}>'
                                          f"<ofd:CommonData><ofd:MaxUnitID>99</ofd:MaxUnitID></ofd:CommonData>"
                                          f"<ofd:Pages>{listed}</ofd:Pages></ofd:Document>")
        for name, lines in pages.items():
            objs = []
            for j, line in reversed(list(enumerate(lines))):
                y = 30 + 8 * j
                half = len(line) // 2  # each line in two TextObjects, right half first
                objs.append(f'<ofd:TextObject ID="{j}b" Boundary="{25 + 5 * half} {y} 150 8" Font="1" Size="5">'
                            f'<ofd:TextCode X="0" Y="5">{line[half:]}</ofd:TextCode></ofd:TextObject>')
                objs.append(f'<ofd:TextObject ID="{j}a" Boundary="25 {y} 150 8" Font="1" Size="5">'
                            f'<ofd:TextCode X="0" Y="5">{line[:half]}</ofd:TextCode></ofd:TextObject>')
            zf.writestr(f"Doc_0/Pages/{name}/Content.xml",
                        f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page {ns}><ofd:Content><ofd:Layer ID="0">'
                        + "".join(objs) + "</ofd:Layer></ofd:Content></ofd:Page>")
    return buf.getvalue()


def test_ofd_text_in_page_and_reading_order(tmp_path):
    lines = [ln for ln in PLAN.splitlines() if ln.strip()]
    p1, p2 = lines[:20], lines[20:]
    path = tmp_path / "方案.ofd"
    path.write_bytes(make_ofd({"Page_10": p2, "Page_9": p1}, order=["Page_9", "Page_10"]))
    lt = load_file(path)
    assert lt.original == "\n".join(p1) + "\n" + "\n".join(p2)
    assert len(lt.pages) == 2
    assert lt.location(lt.text.index(p2[0][:8]))["page"] == 2
    from kg.extract import extract_text

    plan = extract_text(lt.text, meta=lt.meta)
    assert plan.doc_no == "青政办〔2024〕5号" and len(plan.tasks) >= 8


def test_ofd_that_is_not_one(tmp_path):
    (tmp_path / "fake.ofd").write_text("这不是OFD文件", encoding="utf-8")
    assert _error(tmp_path / "fake.ofd") == "not a valid .ofd (corrupt or truncated zip archive)"
    with zipfile.ZipFile(tmp_path / "other.ofd", "w") as zf:
        zf.writestr("readme.txt", "hello")
    assert _error(tmp_path / "other.ofd") == "not an OFD document (no OFD.xml in the archive)"
    data = make_ofd({"Page_0": ["一、总体要求"]}, order=["Page_0", "Page_1"])
    (tmp_path / "missing_page.ofd").write_bytes(data)
    assert "page 2 (Pages/Page_1/Content.xml) is missing" in _error(tmp_path / "missing_page.ofd")


# ------------------------------------------------------------------------------------ .doc / .wps
def ole_blob(stream: str) -> bytes:
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + stream.encode("utf-16-le") + b"\0" * 2000


def test_doc_without_converter_names_file_and_asks_for_docx(tmp_path, monkeypatch):
    import shutil

    monkeypatch.setattr(shutil, "which", lambda name: None)
    for name in ("旧方案.doc", "旧方案.wps"):
        (tmp_path / name).write_bytes(ole_blob("WordDocument"))
        reason = _error(tmp_path / name)
        assert "antiword or LibreOffice" in reason and "save it as .docx" in reason


def test_doc_that_is_really_docx_is_read(tmp_path):
    from docx import Document

    buf = io.BytesIO()
    d = Document()
    d.add_paragraph("一、加强组织领导")
    d.add_paragraph("牵头单位：市生态环境局")
    d.save(buf)
    (tmp_path / "改名.doc").write_bytes(buf.getvalue())
    lt = load_file(tmp_path / "改名.doc")
    assert "牵头单位：市生态环境局" in lt.original
    assert any("content is Word .docx although the name ends in .doc" in w for w in lt.warnings)


def test_password_protected_docx(tmp_path):
    (tmp_path / "locked.docx").write_bytes(ole_blob("EncryptedPackage"))
    assert "password-protected .docx" in _error(tmp_path / "locked.docx")


# ------------------------------------------------------------------------------------ .zip of plans
def gbk_zip(path: Path, members: dict[str, bytes]) -> None:
    """A zip as written by Chinese Windows: GBK member names, no UTF-8 flag."""
    class GbkName(zipfile.ZipInfo):
        def _encodeFilenameFlags(self):
            return self.filename.encode("gbk"), self.flag_bits & ~0x800

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            info = GbkName(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)


def test_zip_members_are_plans_of_their_own(tmp_path):
    city = (SAMPLES / "01_qingchuan_city_air_2024.txt").read_bytes()
    town = (SAMPLES / "03_liuxi_town_air_2024.txt").read_bytes()
    path = tmp_path / "附件.zip"
    gbk_zip(path, {"附件1 市级方案.txt": city, "材料/附件2 镇级方案.txt": town, "附件3.txt": b"",
                   "说明.exe": b"MZ", "__MACOSX/._附件1.txt": b"junk", "inner.zip": b"PK\x03\x04"})
    results = dict(iter_load(path))
    assert set(results) == {f"{path}/附件1 市级方案.txt", f"{path}/材料/附件2 镇级方案.txt", f"{path}/附件3.txt",
                            f"{path}/说明.exe", f"{path}/inner.zip"}
    assert "青政办〔2024〕5号" in results[f"{path}/附件1 市级方案.txt"].text
    for name, reason in (("附件3.txt", "empty file"), ("说明.exe", "unsupported file type '.exe'"),
                         ("inner.zip", "archive inside an archive")):
        err = results[f"{path}/{name}"]
        assert isinstance(err, LoadError) and str(err).startswith(f"{path}/{name}: ") and reason in str(err)


def test_zip_with_a_locked_and_a_corrupt_member_loads_the_rest(tmp_path):
    city = (SAMPLES / "01_qingchuan_city_air_2024.txt").read_bytes()
    path = tmp_path / "mixed.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("locked.txt", city)
        zf.writestr("crc.txt", city)
        zf.writestr("good.txt", city)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        locked, crc = zf.getinfo("locked.txt"), zf.getinfo("crc.txt")
    # mark locked.txt encrypted (general-purpose flag bit 0, local and central headers)
    data[locked.header_offset + 6] |= 0x1
    central = data.index(b"PK\x01\x02")
    assert data[central + 46: central + 46 + 10] == b"locked.txt"
    data[central + 8] |= 0x1
    # flip one compressed byte of crc.txt: its CRC check fails
    data[crc.header_offset + 30 + len("crc.txt") + 40] ^= 0xFF
    path.write_bytes(bytes(data))
    results = dict(iter_load(path))
    assert "青政办〔2024〕5号" in results[f"{path}/good.txt"].text
    assert str(results[f"{path}/locked.txt"]) == f"{path}/locked.txt: password-protected zip member"
    err = results[f"{path}/crc.txt"]
    assert isinstance(err, LoadError) and str(err).startswith(f"{path}/crc.txt: ") and "crc.txt" in err.reason


def test_zip_bomb(tmp_path):
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("方案.txt", "一、目标".encode())
        with zf.open("plan.txt", "w", force_zip64=True) as f:
            block = b"\0" * (1 << 20)
            for _ in range(150):
                f.write(block)
    assert path.stat().st_size < 1 << 20
    [(source, err)] = list(iter_load(path))
    assert source == str(path) and isinstance(err, LoadError) and "zip bomb" in str(err)
    # a member that is small in total but compressed far beyond the ratio limit is named
    ratio = tmp_path / "ratio.zip"
    with zipfile.ZipFile(ratio, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("附件1.txt", b"\0" * (5 << 20))
    [(source, err)] = list(iter_load(ratio))
    assert "附件1.txt compressed" in str(err) and "zip bomb" in str(err)


def test_single_plan_zip_upload_and_many_member_refusal():
    city = (SAMPLES / "01_qingchuan_city_air_2024.txt").read_bytes()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("plan.txt", city)
    assert "青政办〔2024〕5号" in load_bytes(buf.getvalue(), "up.zip").text
    with zipfile.ZipFile(buf, "a") as zf:
        zf.writestr("plan2.txt", city)
    with pytest.raises(LoadError, match="archive holds 2 files"):
        load_bytes(buf.getvalue(), "up.zip")


# ------------------------------------------------------------------------------------ registry
def test_a_new_format_is_one_module():
    import pkgutil

    import kg.loaders as pkg

    modules = {m.name for m in pkgutil.iter_modules(pkg.__path__) if m.name.startswith("fmt_")}
    assert {"fmt_text", "fmt_html", "fmt_docx", "fmt_pdf", "fmt_xlsx", "fmt_ofd", "fmt_doc", "fmt_zip"} <= modules
    names = {f.name for f in registry.formats()}
    assert len(names) == len(modules)
    for ext in (".xlsx", ".xls", ".ofd", ".doc", ".wps", ".zip", ".pdf", ".docx"):
        assert registry.by_extension(ext) is not None


def test_store_imports_nothing_from_upper_layers():
    import ast

    store = Path(__file__).resolve().parents[1] / "src" / "kg" / "store"
    bad = []
    for f in store.glob("*.py"):
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            mods = [node.module or ""] if isinstance(node, ast.ImportFrom) else \
                [a.name for a in node.names] if isinstance(node, ast.Import) else []
            bad += [f"{f.name}: {m}" for m in mods if m.split(".")[:2] in (["kg", "extract"], ["kg", "ontology"], ["kg", "qa"])]
    assert not bad, bad


def test_resources_are_found_one_way_only():
    """No module but kg.resources looks for the data folders by walking up from __file__ or by env."""
    src = Path(__file__).resolve().parents[1] / "src" / "kg"
    offenders = []
    for f in src.rglob("*.py"):
        if f.name in ("resources.py", "build_bigrams.py"):
            continue
        text = f.read_text(encoding="utf-8")
        if "KG_QA_DIR" in text or "KG_ONTOLOGY_DIR" in text or ".parents[" in text and "__file__" in text:
            offenders.append(str(f.relative_to(src)))
    assert not offenders, offenders
    from kg import resources

    assert "$units" in resources.read_text("qa", "templates", "unit_tasks.cypher")
    assert resources.path("loaders", "samples").is_dir()
    assert (resources.path("static") / "network.html").is_file()
    with pytest.raises(resources.ResourceMissing):
        resources.read_text("qa", "no_such_file.yaml")
