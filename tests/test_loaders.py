"""Loaders on real seed text: encodings, mojibake, spam, furniture, 繁→简, offsets, bad input."""
from __future__ import annotations

import io
import zipfile

import pytest
from conftest import seed

from kg.loaders import (MAX_FILE_BYTES, SUPPORTED_EXTENSIONS, LoadError, clean_text, load_bytes,
                        load_file)

SPAM = ("时时彩", "开奖", "七星彩", "走势图", "pk10", "特碼", "法甲", "投注")


@pytest.fixture(scope="module")
def s003():
    return load_file(seed("003"))


# --- seed 003: mojibake, spam, furniture -------------------------------------------------------

def test_mojibake_repaired_in_seed_003(s003):
    text = s003.text
    assert "生态环境质量持续改善" in text
    assert "提供更优质的生态环境" in text
    assert "坚持属地为主" in text
    assert "全面完成20蒸吨以下燃煤锅炉的淘汰和改造" in text
    assert "?#" not in text and "#20013;" not in text
    assert any("mojibake" in w and "uncertain" in w for w in s003.warnings)


def test_mojibake_never_drops_text(s003):
    # every run of the original is still represented: uncertain characters are marked, not lost
    import re
    runs = re.findall(r"\?(?:#\d+;|[^\x00-\x7f?\n])+?\?", s003.original)
    assert len(runs) == 82
    assert s003.text.count("□") <= 30
    n = int(re.search(r"repaired (\d+) mojibake", " ".join(s003.warnings)).group(1))
    assert n >= 2 * len(runs)


def test_spam_removed_real_text_kept(s003):
    for term in SPAM:
        assert term not in s003.text
    assert s003.text.rstrip().endswith("按规定予以奖励。")
    assert "对举报的环境违法行为开展现场检查" in s003.text
    assert any("spam" in w for w in s003.warnings)


def test_furniture_removed_title_kept(s003):
    assert "您的当前位置" not in s003.text and "网站首页" not in s003.text
    assert s003.text.startswith("金华经济技术开发区贯彻落实中央环境保护督察反馈意见整改方案")
    assert "br />" not in s003.text
    # the <br /> between two fields became a line break
    assert "环保分局\n整改时限:立行立改、长期坚持" in s003.text


def test_seed_001_meta_block_kept_and_parsed():
    lt = load_file(seed("001"))
    assert lt.meta["文号"] == "送管发〔2019〕18号"
    assert lt.meta["成文日期"] == "2019-05-22"
    assert lt.meta["发布机构"] == "登封市送表矿区管理委员会"
    assert lt.meta["索引号"] == "758395704/2019-00008"
    assert "文号:送管发〔2019〕18号" in lt.text
    for junk in ("标签:", "验证码", "留言与评论"):
        assert junk not in lt.text
    assert lt.text.rstrip().endswith("营造全民治污、科学治污、依法治污的浓厚氛围。")


def test_clean_seeds_untouched_where_nothing_to_clean():
    for prefix in ("000", "002", "004"):
        lt = load_file(seed(prefix))
        assert not any("spam" in w or "mojibake" in w or "traditional" in w for w in lt.warnings)
    raw = seed("000").read_text(encoding="utf-8")
    assert load_file(seed("000")).text == raw.strip()


# --- offsets -------------------------------------------------------------------------------------

def test_offsets_map_back_to_original(s003):
    text, orig = s003.text, s003.original
    for phrase in ("根据中央第二环境保护督察组的反馈意见", "整改时限:2018年2月底前", "依法严厉查处"):
        i = text.index(phrase)
        o, oe = s003.original_span(i, i + len(phrase))
        assert orig[o:oe] == phrase
    # a repaired span maps onto the mojibake it replaced
    i = text.index("持续改善")
    o, _ = s003.original_span(i, i + 2)
    assert orig[o:o + 8] == "?#20013;"
    assert s003.original_offset(len(text)) <= len(orig)


def test_offsets_through_width_and_spacing():
    raw = "一、目标\n  ＰＭ２．５浓度 ， 下降１０％。\n主 要 内 容\n工业和信息化部 国家发展和改革委员会"
    lt = clean_text(raw)
    assert "PM2．5浓度，下降10％。" in lt.text  # letters/digits half-width, CJK punctuation kept
    assert "主要内容" in lt.text
    assert "工业和信息化部 国家发展和改革委员会" in lt.text  # a separator between names stays
    i = lt.text.index("下降")
    assert raw[lt.original_offset(i):lt.original_offset(i) + 2] == "下降"
    assert any("half-width" in w for w in lt.warnings)


# --- encodings -----------------------------------------------------------------------------------

@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8-sig", "utf-16", "utf-16-be"])
def test_encodings_decode_to_same_text(encoding):
    raw = seed("000").read_text(encoding="utf-8")
    data = raw.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    lt = load_bytes(data, "plan.txt")
    assert lt.text == load_file(seed("000")).text


def test_big5_traditional_becomes_simplified():
    import opencc
    raw = seed("002").read_text(encoding="utf-8")
    trad = opencc.OpenCC("s2t").convert(raw)
    trad = "".join(c for c in trad if c.encode("big5", "ignore") or c == "\n")
    lt = load_bytes(trad.encode("big5"), "plan.txt")
    assert any("big5" in w for w in lt.warnings)
    assert any("traditional" in w for w in lt.warnings)
    assert "昌吉州2017年工业污染源全面" in lt.text
    assert "工业污染源全面达标排放" in lt.text


def test_simplified_text_not_converted():
    lt = clean_text("关于进一步加强乾坤湾周边著名景区管理的通知，系统发展后台数据。")
    assert lt.text == "关于进一步加强乾坤湾周边著名景区管理的通知，系统发展后台数据。"
    assert not lt.warnings


def test_traditional_text_converted():
    lt = clean_text("為深入貫徹落實黨中央、國務院關於打贏藍天保衛戰的決策部署，現製定本實施方案。")
    assert lt.text.startswith("为深入贯彻落实党中央、国务院关于打赢蓝天保卫战的决策部署")


def test_html_entities_decoded():
    assert clean_text("推动&#20013;心建设 A&amp;B").text == "推动中心建设 A&B"


# --- formats -------------------------------------------------------------------------------------

def test_html_page_keeps_article_and_meta(tmp_path):
    page = """<html><head><meta charset="gbk"><title>t</title></head><body>
    <div class="nav">首页 | 政务公开</div><div class="position">您的当前位置：首页 > 文件</div>
    <table class="meta"><tr><td>索引号：</td><td>11/2024-01</td><td>文号：</td><td>青政办〔2024〕5号</td></tr>
    <tr><td>发布机构：</td><td>青川市人民政府办公室</td><td>成文日期：</td><td>2024-03-01</td></tr></table>
    <div id="zoom"><p>一、工作目标</p><p>PM2.5平均浓度不高于45微克/立方米。</p></div>
    <div class="share">分享到：微信 微博</div><p>【打印本页】【关闭窗口】</p>
    <div class="footer">版权所有：青川市人民政府 主办单位：青川市政府办</div>
    <script>var x = "时时彩";</script></body></html>"""
    path = tmp_path / "page.html"
    path.write_bytes(page.encode("gbk"))
    lt = load_file(path)
    assert "一、工作目标\nPM2.5平均浓度不高于45微克/立方米。" in lt.text
    assert lt.meta["文号"] == "青政办〔2024〕5号" and lt.meta["成文日期"] == "2024-03-01"
    for junk in ("分享到", "打印本页", "版权所有", "您的当前位置", "时时彩", "首页"):
        assert junk not in lt.text


def test_real_docx_with_table(tmp_path):
    from docx import Document
    doc = Document()
    doc.add_paragraph("青川市2024年大气污染防治攻坚战实施方案")
    doc.add_paragraph("一、主要任务")
    table = doc.add_table(rows=2, cols=3)
    for i, cells in enumerate((("序号", "任务", "责任单位"), ("1", "燃煤锅炉拆改", "市生态环境局"))):
        for j, v in enumerate(cells):
            table.cell(i, j).text = v
    doc.add_paragraph("二、保障措施")
    path = tmp_path / "plan.docx"
    doc.save(path)
    lt = load_file(path)
    assert lt.text.split("\n") == ["青川市2024年大气污染防治攻坚战实施方案", "一、主要任务",
                                   "序号 | 任务 | 责任单位", "1 | 燃煤锅炉拆改 | 市生态环境局", "二、保障措施"]


def test_real_pdf_text_layer(tmp_path):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path / "plan.pdf"
    c = canvas.Canvas(str(path))
    c.setFont("STSong-Light", 14)
    c.drawString(72, 760, "青川市2024年大气污染防治攻坚战实施方案")
    c.drawString(72, 730, "牵头单位：市生态环境局")
    c.save()
    lt = load_file(path)
    assert "青川市2024年大气污染防治攻坚战实施方案" in lt.text
    assert "牵头单位：市生态环境局" in lt.text


# --- bad input: one clear LoadError each ---------------------------------------------------------

def _error(path) -> str:
    with pytest.raises(LoadError) as info:
        load_file(path)
    msg = str(info.value)
    assert msg.startswith(f"{path}: ") and "\n" not in msg
    assert info.value.path == str(path)
    return info.value.reason


def test_empty_file(tmp_path):
    (tmp_path / "e.txt").write_bytes(b"")
    assert _error(tmp_path / "e.txt") == "empty file"
    (tmp_path / "w.txt").write_bytes(b" \n\t\n")
    assert _error(tmp_path / "w.txt") == "empty file"


def test_binary_file(tmp_path):
    (tmp_path / "b.txt").write_bytes(bytes(range(256)) * 40)
    assert "binary" in _error(tmp_path / "b.txt")
    (tmp_path / "z.txt").write_bytes(bytes([0x81, 0xFF, 0xFE, 0x20, 0xFD, 0x30]) * 500)
    assert "decode" in _error(tmp_path / "z.txt")


def test_truncated_docx(tmp_path):
    from docx import Document
    buf = io.BytesIO()
    doc = Document()
    doc.add_paragraph("一、目标" * 200)
    doc.save(buf)
    (tmp_path / "t.docx").write_bytes(buf.getvalue()[: len(buf.getvalue()) // 2])
    assert "corrupt or truncated" in _error(tmp_path / "t.docx")
    (tmp_path / "n.docx").write_bytes("不是一个文档".encode())
    assert "corrupt or truncated" in _error(tmp_path / "n.docx")


def test_zip_bomb_docx(tmp_path):
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("word/document.xml", "w", force_zip64=True) as f:
            block = b"\0" * (1 << 20)
            for _ in range(150):
                f.write(block)
    assert path.stat().st_size < 1 << 20
    assert "zip bomb" in _error(path)


def test_pdf_without_text_layer(tmp_path):
    from reportlab.pdfgen import canvas
    path = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(path))
    c.rect(50, 50, 300, 400, fill=1)
    c.circle(200, 600, 50)
    c.save()
    assert _error(path).startswith("PDF has no text layer (scanned image?)")


def test_corrupt_pdf(tmp_path):
    (tmp_path / "c.pdf").write_bytes(b"%PDF-1.4\n garbage " * 10)
    assert "PDF" in _error(tmp_path / "c.pdf")


def test_too_large_file(tmp_path):
    path = tmp_path / "big.txt"
    with open(path, "wb") as f:
        f.truncate(50 * 1024 * 1024)
    assert _error(path) == "file too large (50.0 MB > 20 MB limit)"
    with pytest.raises(LoadError, match=r"file too large"):
        load_bytes(b"a" * (MAX_FILE_BYTES + 1), "upload.txt")


def test_unknown_extension(tmp_path):
    (tmp_path / "setup.exe").write_bytes(b"MZ\x90\x00")
    reason = _error(tmp_path / "setup.exe")
    assert reason.startswith("unsupported file type '.exe'")
    assert all(ext in reason for ext in SUPPORTED_EXTENSIONS)


def test_missing_file(tmp_path):
    assert _error(tmp_path / "nope.txt") == "file not found"


def test_spam_inside_real_line_and_plan_mentions_kept():
    raw = ("（三）严厉打击非法彩票和赌博活动，维护社会秩序。\n"
           "（四）加强执法。 时时彩投注开户 百家乐娱乐城注册送彩金\n"
           "北京赛车pk10开奖直播 稳赚技巧\n")
    lt = clean_text(raw)
    assert "严厉打击非法彩票和赌博活动" in lt.text
    assert lt.text.splitlines()[-1] == "（四）加强执法。"
    assert "pk10" not in lt.text and "百家乐" not in lt.text


def test_sample_plans_load_and_chain():
    from conftest import SAMPLES
    city = load_file(SAMPLES / "01_qingchuan_city_air_2024.txt")
    county = load_file(SAMPLES / "02_tanxi_county_air_2024.html")
    town = load_file(SAMPLES / "03_liuxi_town_air_2024.txt")
    rect = load_file(SAMPLES / "04_qingchuan_inspection_rectification_2024.txt")
    assert city.meta["文号"] == "青政办〔2024〕5号" and "国发〔2018〕22号" in city.text
    assert county.meta["文号"] == "潭政办〔2024〕8号" and "（青政办〔2024〕5号）要求" in county.text
    assert "(潭政办〔2024〕8号)精神" in town.text
    assert "整改时限:立行立改、长期坚持" in rect.text
    for lt in (county,):
        for junk in ("分享到", "打印本页", "验证码", "版权所有", "网站首页", "_hmt"):
            assert junk not in lt.text
    assert "1 | 餐饮油烟净化设施安装 | 县城市管理局 | 2024年6月底前" in county.text
