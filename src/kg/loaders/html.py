"""HTML page → text: drop scripts and page furniture elements, keep block structure as lines,
tables as ``cell | cell`` rows. The metadata table (索引号/文号/…) is kept: it is text."""
from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser as HTMLParser, LexborNode as Node

from .decode import decode_bytes

DROP_TAGS = ("script", "style", "noscript", "iframe", "form", "nav", "header", "footer",
             "button", "select", "input", "textarea", "svg", "canvas", "object", "embed")
FURNITURE = re.compile(
    r"(^|[-_ ])(nav|navbar|menu|breadcrumb|crumbs?|position|location|share|bdshare|print|close|"
    r"comment|comments|liuyan|captcha|yzm|footer|foot|bottom|copyright|sidebar|related|relate|"
    r"header|topbar|search|login)([-_ ]|\d|$)", re.I)
BLOCK = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "table",
         "section", "article", "blockquote", "pre", "dd", "dt", "dl", "hr", "center", "tbody"}
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.I)


def _is_furniture(node: Node) -> bool:
    attrs = node.attributes
    return any(FURNITURE.search(attrs.get(k) or "") for k in ("id", "class"))


def _walk(node: Node, out: list[str]) -> None:
    child = node.child
    while child is not None:
        tag = child.tag
        if tag == "-text":
            out.append(child.text_content or "")
        elif tag in ("tr",):
            cells = [" ".join(c.text(separator=" ").split()) for c in child.iter() if c.tag in ("td", "th")]
            cells = [c for i, c in enumerate(cells) if c and (i == 0 or c != cells[i - 1])]
            row = ""
            for c in cells:  # a label cell (索引号：) joins its value cell
                row += c if not row or row.endswith((":", "：")) else " | " + c
            out.append("\n" + row + "\n")
        elif tag not in DROP_TAGS and tag != "-comment" and not _is_furniture(child):
            block = tag in BLOCK
            if block:
                out.append("\n")
            _walk(child, out)
            if block:
                out.append("\n")
        child = child.next


def html_to_text(data: bytes, path: str) -> tuple[str, str]:
    """Return (text, encoding)."""
    m = META_CHARSET.search(data[:4096])
    html, enc = decode_bytes(data, path, hint=m.group(1).decode("ascii", "ignore") if m else None)
    tree = HTMLParser(html)
    root = tree.body or tree.root
    out: list[str] = []
    title = tree.css_first("title")
    if root is not None:
        _walk(root, out)
    text = "".join(out)
    text = re.sub(r"[ \t\r\f\v]*\n[ \t\r\f\v\n]*", "\n", text).strip()
    if not text and title is not None:
        text = title.text().strip()
    return text, enc
