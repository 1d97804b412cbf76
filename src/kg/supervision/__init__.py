"""督办: running a plan on the graph — accounts, roles and the audit trail (`accounts.py`, a SQLite
file beside the graph), task status and progress reports (`progress.py`, in the graph as
`(Progress)-[:ON]->(Task)`), the 台账 as .xlsx (`sheets.py`) and the `policykg user | progress | diff |
export-xlsx | import-xlsx` commands (`commands.py`). Re-issued plans keep their progress through
kg.store.revisions. Sits above kg.store and below kg.api / kg.ui."""
