"""Line-level page furniture (navigation, print/close links, comment boxes, footers) and the
metadata block (索引号/文号/发布机构/成文日期…) of government web pages."""
from __future__ import annotations

import re

from .offsets import Doc

LINE_START = re.compile(
    r"^[ \t\u3000•·>»]*(?:您的当前位置|您现在的位置|当前位置|所在位置|网站首页\s*(?:->|>|»|/)|首页\s*(?:->|>|»)|"
    r"打印本页|【?打印(?:本页|此页)?】?\s*【?关闭(?:窗口)?】?\s*$|关闭窗口|【\s*(?:打印|关闭|字体|大|小)|"
    r"字体[:：]?\s*[【\[]?\s*大|分享到|标签[:：]|留言与评论|发表评论|我要留言|网友评论|验证码|扫一扫|"
    r"上一篇|下一篇|相关链接|相关文章|相关阅读|浏览次数|访问次数|阅读次数|点击数[:：]|责任编辑[:：]|"
    r"\[?(?:打印|关闭|收藏|返回顶部)\]?\s*$)", re.M)
FOOTER = re.compile(r"版权所有|主办单位|承办单位|网站标识码|ICP备|公网安备|技术支持|联系我们|网站地图|Copyright|©")
BREADCRUMB_NEXT = re.compile(r"^[ \t\u3000]*•.*$", re.M)

META_KEYS = ("索引号", "主题分类", "发布机构", "发布机关", "关键词", "主题词", "文号", "成文日期", "发布日期",
             "生成日期", "生效日期", "废止日期", "体裁", "分类", "名称", "发文机关", "发文字号", "来源")
_SPACED = "|".join(r"[ \u3000]*".join(k) for k in sorted(META_KEYS, key=len, reverse=True))
META_KEY = re.compile(f"(?P<key>{_SPACED})[ \u3000]*(?P<colon>[:：]?)")
# 生成日期 is when a ministry's site generated the page (often the day after the signature): a posting date
META_ALIASES = {"发布机关": "发布机构", "发文机关": "发布机构", "生成日期": "发布日期", "分类": "主题分类",
                "发文字号": "文号", "主题词": "关键词"}


def furniture(doc: Doc) -> None:
    text, drop = doc.text, []
    for m in LINE_START.finditer(text):
        s, e = m.start(), text.find("\n", m.start())
        e = len(text) if e < 0 else e
        line = text[s:e]
        if len(line.strip()) > 80:
            continue
        drop.append((s, e))
        if "位置" in line:  # breadcrumb bullets directly below
            for b in BREADCRUMB_NEXT.finditer(text, e + 1):
                if b.start() != drop[-1][1] + 1:
                    break
                drop.append((b.start(), b.end()))
    for m in FOOTER.finditer(text):
        s = text.rfind("\n", 0, m.start()) + 1
        e = text.find("\n", m.start())
        e = len(text) if e < 0 else e
        line = text[s:e]
        markers = set(FOOTER.findall(line))
        if len(markers) >= 3 or (len(markers) == 2 and "。" not in line) or \
                (len(line.strip()) <= 40 and "。" not in line):
            drop.append((s, e))
    drop = sorted(set(drop))
    edits, last = [], -1
    for s, e in drop:
        if s >= last:
            edits.append((s, min(e + 1, len(text)), ""))
            last = e + 1
    removed = sum(e - s for s, e, _ in edits)
    if doc.edit(edits):
        doc.warnings.append(f"removed {len(edits)} lines of page furniture ({removed} chars)")


def parse_meta(text: str, head_lines: int = 40) -> dict[str, str]:
    """Metadata block near the top: keys possibly letter-spaced, several per line, values end at
    the next key (with or without colon) or at the end of the line."""
    meta: dict[str, str] = {}
    for line in text.split("\n")[:head_lines]:
        keys = [m for m in META_KEY.finditer(line)
                if m.group("colon") or len(m.group("key").replace(" ", "")) >= 4]
        if not keys or not keys[0].group("colon"):
            continue
        if keys[0].start() > 0 and line[:keys[0].start()].strip():
            continue
        for m, nxt in zip(keys, keys[1:] + [None]):
            key = re.sub(r"[ \u3000]", "", m.group("key"))
            value = line[m.end():nxt.start() if nxt else len(line)].split(" | ")[0].strip(" \u3000:：|")
            if value and key not in meta:
                meta[key] = value
    for alias, key in META_ALIASES.items():
        if alias in meta and key not in meta:
            meta[key] = meta[alias]
    if sum(1 for k in meta if k in ("索引号", "文号", "成文日期", "发布日期", "发布机构")) < 2:
        return {}
    return meta
