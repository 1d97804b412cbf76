"""Synthetic corpus of Plan records shaped like the real ones, for load benchmarks.

    from bench.synth import synth_plans
    for plan in synth_plans(10_000, seed=1): ...      # generator: one Plan at a time, ~30 tasks each

Shape taken from the seed plans (numbers printed by `python bench/synth.py --describe`): a 3-level
hierarchy (一、 → （一） → 1.), roles after most leaf tasks (a lead unit and 1–4 responsible or
supporting units drawn from the plan's own region plus shared county/city bodies), deadlines on about
half the tasks, quantified targets on some, citations to the plan of the level above (so IMPLEMENTS
chains national → province → city → county → township exist) and to a few documents never loaded
(stubs). Text is generated so every start/end offset points at what it claims to.
"""
from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path
from typing import Iterator

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from kg.model import Deadline, DocRef, Plan, Target, Task, Unit, UnitMention  # noqa: E402

SYLLABLES = "安平宁昌兴华永丰泰和新康嘉庆定远通济临清阳明江河山川湖海东西南北中长乐福寿德仁义礼智信荣光盛茂"
DEPARTMENTS = ["生态环境局", "发展和改革委员会", "住房和城乡建设局", "交通运输局", "公安局", "农业农村局",
               "自然资源和规划局", "工业和信息化局", "水利局", "城市管理局", "市场监督管理局", "应急管理局",
               "财政局", "教育局", "卫生健康委员会", "商务局", "林业局", "气象局"]
TOPICS = ["燃煤锅炉拆改", "扬尘污染治理", "秸秆禁烧", "机动车尾气治理", "挥发性有机物治理", "工业企业达标排放",
          "黑臭水体整治", "散煤清洁化替代", "餐饮油烟治理", "重污染天气应急", "建筑工地扬尘管控", "渣土车辆管理",
          "工业堆场治理", "露天焚烧管控", "饮用水水源地保护", "农业面源污染防治", "污水处理设施建设", "固体废物处置"]
SECTIONS = ["总体要求", "主要任务", "重点工程", "保障措施", "工作步骤", "考核问责"]
VERBS = ["全面完成", "持续推进", "严格落实", "加快推进", "深入开展", "集中整治"]
INDICATORS = [("PM2.5平均浓度", "<=", "微克/立方米", (30, 90)), ("PM10平均浓度", "<=", "微克/立方米", (50, 130)),
              ("优良天数", ">=", "天", (200, 300)), ("污水集中处理率", ">=", "%", (80, 98)),
              ("建成区绿化覆盖率", ">=", "%", (30, 45)), ("重污染天数", "<=", "天", (5, 30))]
LEVELS = ["national", "province", "city", "county", "township"]
LEVEL_SHARE = [0.002, 0.02, 0.12, 0.35, 0.508]
NUMERALS = "一二三四五六七八九十"


def place(rng: random.Random, n: int = 2) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(n))


class Corpus:
    """Deterministic generator; keeps only what later plans need to cite earlier ones."""

    def __init__(self, seed: int = 1):
        self.rng = random.Random(seed)
        self.by_level: dict[str, list[tuple[str, str, str]]] = {lvl: [] for lvl in LEVELS}  # (doc_no, title, region)
        self.count = 0

    def plan(self) -> Plan:
        rng = self.rng
        self.count += 1
        i = self.count
        level = rng.choices(LEVELS, LEVEL_SHARE)[0]
        region = {"national": "全国", "province": place(rng) + "省", "city": place(rng) + "市",
                  "county": place(rng) + "县", "township": place(rng) + "镇"}[level]
        year = rng.randint(2016, 2023)
        topic = rng.choice(TOPICS)
        title = f"{region}{year}年{topic}攻坚行动实施方案（第{i}号）"
        prefix = {"national": "国办发", "province": "省政办", "city": "市政办", "county": "县政办",
                  "township": "镇政发"}[level]
        doc_no = f"{region[:2]}{prefix}〔{year}〕{i}号" if rng.random() < 0.85 else None
        issuer = f"{region}人民政府"
        units = [f"{region}{d}" for d in rng.sample(DEPARTMENTS, 8)] + [f"{region}各{('乡镇' if level != 'township' else '行政村')}"]

        text = f"{title}\n{doc_no or ''}\n"
        parents = []
        up = LEVELS.index(level) - 1
        if up >= 0 and self.by_level[LEVELS[up]] and rng.random() < 0.9:
            for p_no, p_title, _ in rng.sample(self.by_level[LEVELS[up]], min(len(self.by_level[LEVELS[up]]),
                                                                               rng.choice([1, 1, 2]))):
                cite = f"《{p_title}》（{p_no}）" if p_no else f"《{p_title}》"
                start = len(text) + 2
                text += f"根据{cite}精神，"
                parents.append(DocRef(title=p_title, doc_no=p_no, start=start, end=start + len(cite)))
        if rng.random() < 0.5:  # a directive never loaded: stays a stub
            stub_no = f"环发〔{year - 1}〕{rng.randint(1, 200)}号"
            start = len(text) + 2
            text += f"按照（{stub_no}）要求，"
            parents.append(DocRef(title=None, doc_no=stub_no, start=start + 1, end=start + 1 + len(stub_no)))
        text += "结合实际，制定本方案。\n"

        tasks: list[Task] = []
        doc_targets: list[Target] = []
        did = Plan(source="", title=title, doc_no=doc_no).doc_id
        n_sections = rng.randint(4, 6)
        for s in range(n_sections):
            sec_no = NUMERALS[s] + "、"
            sec_head = SECTIONS[s % len(SECTIONS)]
            start = len(text)
            line = f"{sec_no}{sec_head}"
            text += line + "\n"
            sec = Task(id=f"{did}#{sec_no}", parent_id=None, number=sec_no, path=NUMERALS[s], heading=sec_head,
                       text=line, start=start, end=start + len(line))
            tasks.append(sec)
            for k in range(rng.randint(3, 7)):
                sub_no = f"（{NUMERALS[k]}）"
                t_topic = rng.choice(TOPICS)
                verb = rng.choice(VERBS)
                start = len(text)
                body = f"{sub_no}{t_topic}。{verb}{t_topic}工作，建立工作台账，逐项销号。"
                t = Task(id=f"{sec.id}/{sub_no}", parent_id=sec.id, number=sub_no, path=f"{sec.path}/{sub_no}",
                         heading=t_topic, text="", start=start, end=0)
                if rng.random() < 0.5:
                    m = rng.randint(1, 12)
                    dl = f"{year}年{m}月底前"
                    p = start + len(body)
                    body += dl + "完成。"
                    t.deadlines.append(Deadline(text=dl, date=f"{year}-{m:02d}-28", start_date=None, kind="by",
                                                start=p, end=p + len(dl)))
                if rng.random() < 0.2:
                    ind, op, unit, (lo, hi) = rng.choice(INDICATORS)
                    val = rng.randint(lo, hi)
                    phrase = f"{ind}{'不高于' if op == '<=' else '达到'}{val}{unit}"
                    p = start + len(body)
                    body += phrase + "。"
                    t.targets.append(Target(indicator=ind, op=op, value=float(val), unit=unit, year=year,
                                            text=phrase, start=p, end=p + len(phrase)))
                if rng.random() < 0.9:
                    lead = rng.choice(units)
                    others = [u for u in rng.sample(units, rng.randint(1, 4)) if u != lead]
                    p = start + len(body)
                    body += "牵头单位：" + lead
                    t.units.append(UnitMention(name=lead, role="lead", raw=lead, start=p + 5, end=p + 5 + len(lead)))
                    body += "；责任单位："
                    for j, u in enumerate(others):
                        if j:
                            body += "、"
                        p = start + len(body)
                        body += u
                        t.units.append(UnitMention(name=u, role="responsible" if j % 3 else "support", raw=u,
                                                   start=p, end=p + len(u)))
                    body += "。"
                if parents and rng.random() < 0.05:
                    ref = parents[0]
                    cite = f"《{ref.title or ref.doc_no}》"
                    p = start + len(body)
                    body += f"按照{cite}要求执行。"
                    t.references.append(DocRef(title=ref.title, doc_no=ref.doc_no, start=p + 2, end=p + 2 + len(cite)))
                text += body + "\n"
                t.text, t.end = body, start + len(body)
                tasks.append(t)
        if rng.random() < 0.3:
            ind, op, unit, (lo, hi) = rng.choice(INDICATORS)
            phrase = f"到{year + 1}年{ind}{'不高于' if op == '<=' else '达到'}{hi}{unit}"
            p = len(text)
            text += phrase + "。\n"
            doc_targets.append(Target(indicator=ind, op=op, value=float(hi), unit=unit, year=year + 1, text=phrase,
                                      start=p, end=p + len(phrase)))
        self.by_level[level].append((doc_no, title, region))
        return Plan(source=f"synthetic/{i:06d}.txt", title=title, doc_no=doc_no, issuer=issuer,
                    date=f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", level=level, region=region,
                    parents=parents, targets=doc_targets, tasks=tasks,
                    units=[Unit(name=u, aliases=[u], kind="department") for u in units], text=text)


def synth_plans(n: int, seed: int = 1) -> Iterator[Plan]:
    corpus = Corpus(seed)
    for _ in range(n):
        yield corpus.plan()


def describe_seeds() -> None:
    """Print the shape of the real seed plans next to the synthetic ones."""
    from kg.extract import extract_file

    seeds = Path(__file__).resolve().parents[2] / "shared" / "seeds"
    rows = []
    for f in sorted(seeds.glob("0*_*.txt")):
        rows.append(("seed " + f.name[:3], extract_file(f)))
    rows += [(f"synth {i}", p) for i, p in enumerate(synth_plans(5))]
    for name, p in rows:
        roles = sum(len(t.units) for t in p.tasks)
        print(f"{name:<10} tasks {len(p.tasks):>3}  roles {roles:>3}  deadlines {sum(len(t.deadlines) for t in p.tasks):>3}"
              f"  targets {len(p.targets) + sum(len(t.targets) for t in p.tasks):>3}  units {len(p.units):>3}"
              f"  parents {len(p.parents)}  chars {len(p.text)}")


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=3, help="plans to print as JSON")
    ap.add_argument("--describe", action="store_true", help="compare with the seed plans")
    a = ap.parse_args()
    if a.describe:
        describe_seeds()
    else:
        import json

        print(json.dumps([p.to_dict(with_text=False) for p in synth_plans(a.n)], ensure_ascii=False, indent=1)[:4000])
