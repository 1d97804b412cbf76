"""Duties a letter or notice gives without naming a unit in the item: `你公司应…` (the addressee), `我部将…`
(the issuer), `请于…前报送` (every addressee of the notice), and `X应遵守下列条件：` before a numbered list
(X, for each item of the list)."""
from __future__ import annotations

import re

from kg.extract.units import (COLLECTIVE, VERBISH, RawMention, _clean_name, is_listed_unit, is_unit, sentence_end,
                              split_units)

YOU_RX = re.compile(r"你(?:们)?(?:公司|单位|集团|院|局|厅|委|办|中心|所|站|校|部)?(?=应当|应|要|须|必须|需|负责|积极配合|配合|协助)")
WE_RX = re.compile(r"我(?:部|局|厅|委|办|院|署|会|中心)(?=将|要|应|负责|会同|牵头)")
ADDRESSEE_SUFFIX = re.compile(r"(?:公司|集团|单位|局|厅|院|委员会|委|办公室|办|中心|所|站|校|部|署|政府|协会)$")


def pronoun_mentions(text: str, start: int, end: int, rx: re.Pattern, name: str | None,
                     span: tuple[int, int] | None) -> list[RawMention]:
    """`你公司应…` / `我部将…` inside [start, end) bind the named body; the mention's span is where the
    text names it (the salutation, the header), its evidence the sentence."""
    if not name or not span or not ADDRESSEE_SUFFIX.search(name) or re.search(r"各|、", name):
        return []
    out = []
    for m in rx.finditer(text, start, end):
        role = "support" if re.match(r"积极配合|配合|协助", text[m.end():m.end() + 4]) else "responsible"
        out.append(RawMention(name, role, span[0], span[1], m.start(), sentence_end(text, m.end(), end)))
    return out


# a request with no subject, made of the notice's addressees: `请于10月19日前将…报送`, `请研究并提出书面意见`
REQUEST_RX = re.compile(r"(?:^|(?<=[。；;！\n：:])|(?<=给你们[，,])|(?<=给你单位[，,]))[ \t\u3000]*请"  # 现印送给你们，请…
                        r"(?=[于在将按认真研究结合及时尽快做好抓紧把从根据组织])", re.M)
# 各省、自治区、直辖市 is one collective phrase, not three names
ALL_PROVINCES = re.compile(r"各省[、，,]?自治区[、，,]?直辖市|各省（区、市）|各省\(区、市\)")


# the addressee line of a notice to many bodies: `各省、自治区、直辖市生态环境厅（局），核与辐射安全中心：`
ADDRESSEE_LINE = re.compile(r"^[ \t\u3000]*(?P<org>[^\s：:。；;]{3,80}?)[：:][ \t\u3000]*$", re.M)


def addressees(head: str) -> list[tuple[str, int, int]]:
    """The bodies of the first addressee line in a document's head (`各有关单位：`, `各省、自治区、直辖市生态环境
    厅（局），核与辐射安全中心：`); a header line such as `主题词：` names none and is passed over."""
    for m in ADDRESSEE_LINE.finditer(head, 0, min(len(head), 2000)):
        line, offset = m.group("org"), m.start("org")
        masked = ALL_PROVINCES.sub(lambda x: "省" * len(x.group()), line)  # kept whole by the split
        out = []
        for _, s, e in split_units(masked, offset):
            name = _clean_name(line[s - offset:e - offset])
            if is_listed_unit(name) and (is_unit(name) or COLLECTIVE.match(name)):
                out.append((name, s, e))
        if out:
            return out
    return []


def request_mentions(text: str, start: int, end: int, to: list[tuple[str, int, int]]) -> list[RawMention]:
    """`请于…前将…` inside [start, end): every addressee of the notice is responsible for the request."""
    out = []
    for m in REQUEST_RX.finditer(text, start, end) if to else ():
        ev_end = sentence_end(text, m.end(), end)
        out += [RawMention(name, "responsible", s, e, m.start(), ev_end) for name, s, e in to]
    return out


# `中国核动力研究设计院在…运行过程中应遵守下列条件：` — the numbered items after it are that body's duties
DUTY_LIST_INTRO = re.compile(r"(?:^|(?<=[。；;\n]))[ \t\u3000]*(?P<units>[\u4e00-\u9fff（）()、]{2,40}?)(?:在[^，,。；;：:\n]{2,40}?)?"
                             r"(?:应当|应|须|必须|要)(?:严格)?(?:遵守|执行|落实|做好|完成|履行|符合)(?:下列|以下|如下)"
                             r"[\u4e00-\u9fff]{0,6}[：:]", re.M)


LIST_AHEAD = re.compile(r"(?:下列|以下|如下)[\u4e00-\u9fff]{0,6}[：:]")


def duty_list_intros(text: str) -> list[tuple[int, list[RawMention]]]:
    """Where each `X应遵守下列条件：` ends, with X as responsible mentions (X named, not a pronoun)."""
    out = []
    if not LIST_AHEAD.search(text):
        return out  # (most plans have none: no pass over every sentence)
    for m in DUTY_LIST_INTRO.finditer(text):
        found = [RawMention(_clean_name(n), "responsible", s, e, m.start("units"), m.end())
                 for n, s, e in split_units(m.group("units"), m.start("units"))]
        if found and all(is_unit(f.raw) and not VERBISH.search(f.raw) for f in found):
            out.append((m.end(), found))
    return out
