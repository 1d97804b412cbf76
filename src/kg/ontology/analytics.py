"""networkx analytics over the graph: units ranked by load, the co-responsibility network (units
linked by the tasks they share), centrality in that network, and tasks without a lead unit."""
from __future__ import annotations

from collections import defaultdict
from itertools import combinations

import networkx as nx

from kg.roles import REL_ROLE as ROLE_OF  # noqa: E402


def role_rows(store) -> list[dict]:
    return store.run("MATCH (u:Unit)-[r:LEADS|RESPONSIBLE_FOR|SUPPORTS]->(t:Task) "
                     "RETURN u.name AS unit, type(r) AS rel, t.id AS task, t.doc_id AS doc_id")


def co_responsibility_graph(rows: list[dict]) -> nx.Graph:
    """Units as nodes (attribute `tasks`), an edge between two units for every task both are named on
    (attribute `weight` = number of shared tasks, `tasks` = their ids, up to 20)."""
    by_task: dict[str, set] = defaultdict(set)
    units: dict[str, set] = defaultdict(set)
    for r in rows:
        by_task[r["task"]].add(r["unit"])
        units[r["unit"]].add(r["task"])
    g = nx.Graph()
    for u, ts in units.items():
        g.add_node(u, tasks=len(ts))
    for task, us in by_task.items():
        for a, b in combinations(sorted(us), 2):
            if g.has_edge(a, b):
                g[a][b]["weight"] += 1
                if len(g[a][b]["tasks"]) < 20:
                    g[a][b]["tasks"].append(task)
            else:
                g.add_edge(a, b, weight=1, tasks=[task])
    return g


def unit_load(rows: list[dict]) -> list[dict]:
    """Units ranked by load: tasks led plus tasks responsible for, then all tasks named on."""
    acc: dict[str, dict] = {}
    for r in rows:
        a = acc.setdefault(r["unit"], {"unit": r["unit"], "lead": set(), "responsible": set(), "support": set(),
                                       "documents": set()})
        a[ROLE_OF[r["rel"]]].add(r["task"])
        a["documents"].add(r["doc_id"])
    out = []
    for a in acc.values():
        tasks = a["lead"] | a["responsible"] | a["support"]
        out.append({"unit": a["unit"], "lead": len(a["lead"]), "responsible": len(a["responsible"]),
                    "support": len(a["support"]), "tasks": len(tasks), "documents": len(a["documents"]),
                    "load": len(a["lead"] | a["responsible"])})
    out.sort(key=lambda x: (-x["load"], -x["tasks"], x["unit"]))
    return out


def centrality(g: nx.Graph, top: int = 15) -> list[dict]:
    if g.number_of_nodes() == 0:
        return []
    degree = dict(g.degree(weight="weight"))
    dc = nx.degree_centrality(g)
    k = None if g.number_of_nodes() <= 500 else 500  # sampled betweenness on big graphs
    bc = nx.betweenness_centrality(g, k=k, seed=7)
    ec = {}
    for comp in nx.connected_components(g):  # eigenvector centrality is defined per connected component
        if len(comp) < 3:
            continue
        sub = g.subgraph(comp)
        try:
            part = nx.eigenvector_centrality_numpy(sub, weight="weight")
        except Exception:  # degenerate component
            continue
        share = len(comp) / g.number_of_nodes()  # so units of small components do not outrank the main one
        ec.update({u: abs(v) * share for u, v in part.items()})
    rows = [{"unit": u, "partners": g.degree(u), "shared_tasks": degree[u], "degree": round(dc[u], 4),
             "betweenness": round(bc[u], 4), "eigenvector": round(float(ec.get(u, 0.0)), 4)} for u in g.nodes]
    rows.sort(key=lambda x: (-x["betweenness"], -x["degree"], x["unit"]))
    return rows[:top]


def tasks_without_lead(store, limit: int | None = None) -> list[dict]:
    """Tasks that name responsible or supporting units but no lead unit."""
    rows = store.run(
        "MATCH (u:Unit)-[:RESPONSIBLE_FOR|SUPPORTS]->(t:Task) "
        "WHERE NOT EXISTS { MATCH (:Unit)-[:LEADS]->(t) } "
        "RETURN t.id AS task_id, t.doc_id AS doc_id, t.number AS number, t.heading AS heading, "
        "t.start AS start, t.end AS end, collect(DISTINCT u.name) AS units")
    rows.sort(key=lambda r: (r["doc_id"] or "", r["start"] or 0))
    for r in rows:
        r["units"] = sorted(r["units"])
    return rows[:limit] if limit else rows


def tasks_without_unit(store) -> int:
    """Leaf tasks (no sub-items) that name no unit at all."""
    rows = store.run("MATCH (t:Task) WHERE NOT EXISTS { MATCH (:Task)-[:PART_OF]->(t) } "
                     "AND NOT EXISTS { MATCH (:Unit)-[:LEADS|RESPONSIBLE_FOR|SUPPORTS]->(t) } RETURN count(t) AS n")
    return int(rows[0]["n"]) if rows else 0


def analyse(store, top: int = 15) -> dict:
    rows = role_rows(store)
    g = co_responsibility_graph(rows)
    load = unit_load(rows)
    no_lead = tasks_without_lead(store)
    communities = []
    if g.number_of_edges():
        comms = nx.algorithms.community.greedy_modularity_communities(g, weight="weight")
        communities = [sorted(c) for c in comms if len(c) > 1][:top]
    edges = sorted(g.edges(data=True), key=lambda e: (-e[2]["weight"], e[0], e[1]))
    return {
        "units": g.number_of_nodes(),
        "unit_load": load[:top],
        "network": {"nodes": g.number_of_nodes(), "edges": g.number_of_edges(),
                    "components": nx.number_connected_components(g) if g.number_of_nodes() else 0,
                    "density": round(nx.density(g), 4) if g.number_of_nodes() > 1 else 0.0,
                    "strongest_links": [{"a": a, "b": b, "shared_tasks": d["weight"]} for a, b, d in edges[:top]],
                    "communities": communities},
        "centrality": centrality(g, top),
        "tasks_without_lead": {"count": len(no_lead), "tasks": no_lead[:top]},
        "leaf_tasks_without_unit": tasks_without_unit(store),
    }


def format_analysis(result: dict) -> str:
    out = [f"单位负荷 / unit load (top {len(result['unit_load'])} of {result['units']} units):",
           f"  {'unit':<24}{'lead':>6}{'resp':>6}{'supp':>6}{'tasks':>7}{'docs':>6}"]
    for r in result["unit_load"]:
        out.append(f"  {r['unit']:<24}{r['lead']:>6}{r['responsible']:>6}{r['support']:>6}{r['tasks']:>7}"
                   f"{r['documents']:>6}")
    n = result["network"]
    out.append(f"\n协同网络 / co-responsibility network: {n['nodes']} units, {n['edges']} links, "
               f"{n['components']} components, density {n['density']}")
    for e in n["strongest_links"]:
        out.append(f"  {e['a']} — {e['b']}: {e['shared_tasks']} shared tasks")
    out.append("\n中心性 / centrality (by betweenness):")
    for r in result["centrality"]:
        out.append(f"  {r['unit']:<24} partners {r['partners']:>3}  betweenness {r['betweenness']:.3f}  "
                   f"degree {r['degree']:.3f}  eigenvector {r['eigenvector']:.3f}")
    t = result["tasks_without_lead"]
    out.append(f"\n无牵头单位的任务 / tasks without a lead unit: {t['count']}")
    for r in t["tasks"]:
        out.append(f"  {r['task_id']}  {(r['heading'] or '')[:30]}  ({'、'.join(r['units'])})")
    out.append(f"\n未明确任何单位的末级任务 / leaf tasks naming no unit: {result['leaf_tasks_without_unit']}")
    return "\n".join(out)
