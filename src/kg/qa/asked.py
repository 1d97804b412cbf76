"""The things a question names as what it asks about (`…比例、…增加值占GDP的比例各定了多少` → two things), each as
its character bigrams: a targets question keeps the targets about them, a period question the goal sentences."""
from __future__ import annotations

import re

from .context import Ctx, docs_of

# words of a question that ask, not name the thing asked about
ASKING = re.compile(r"[那这]个|[那这][份套]|里面?|哪些|硬|多少|几个|几家|几项|几|各定了|定了|提了|提出了?|什么数|什么|啥|"
                    r"是多少|要到|要达到|达到|到|各|分别|要|对|的|呢|吗")


def grams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)}


def asked_items(c: Ctx, also_asking: re.Pattern | None = None) -> list[set[str]]:
    """The things the question names, cut at 、，和及; a year, a title's period and `also_asking` (an intent's own
    asking words) are no thing; neither is what is left of a title the question shortened."""
    asked = c.ln.without_titles()  # (the residual drops the title's words wherever they are)
    asked = re.sub(r"\d{4}(?:[—\-–~～至]\d{4})?年?|[（）()《》“”]", lambda m: " " * len(m.group(0)), asked)
    titles = "\n".join(str((c.lex.docs.get(d) or {}).get("title") or "") for d in docs_of(c, use_context=False))
    out, at = [], 0
    for sep in [*re.finditer(r"[、，,？?；;。]|以及|和|及", asked), None]:
        end = sep.start() if sep else len(asked)
        piece = also_asking.sub(" ", asked[at:end]) if also_asking else asked[at:end]
        words = re.sub(r"\s+", "", ASKING.sub(" ", piece))
        if any(a <= end and b >= at for a, b in c.ln.doc_spans):  # the piece that names the document
            words = without_title_words(words, titles)
        if len(words) >= 2:
            out.append(grams(words))
        at = sep.end() if sep else end
    return out


def without_title_words(piece: str, titles: str) -> str:
    """The piece without the runs of 2+ characters it shares with the asked documents' titles (山东…试点示范项目,
    5G扬帆…渗透率: what is left of a title the question shortened names no thing measured)."""
    out, i = [], 0
    while i < len(piece):
        n = 1
        while i + n < len(piece) and piece[i:i + n + 1] in titles:
            n += 1
        if n >= 2:
            i += n
            continue
        out.append(piece[i])
        i += 1
    return "".join(out)
