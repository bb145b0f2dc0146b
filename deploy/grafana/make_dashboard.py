#!/usr/bin/env python3
"""Builds tocsin-analytics.json, the Grafana dashboard over the saved queries in sql/queries.

Each saved query becomes one table panel whose SQL is the file's statement with its parameters
replaced by the ClickHouse data source's macros: {from:...} -> $__fromTime_ms, {to:...} ->
$__toTime_ms (the dashboard's time range), {by:String} -> '${by}' (a dashboard variable).
SavedQueryTest checks that the dashboard matches the files; run this after changing a query:

    python3 deploy/grafana/make_dashboard.py
"""
import json
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[2]
QUERIES = ROOT / "sql" / "queries"
OUT = pathlib.Path(__file__).resolve().parent / "tocsin-analytics.json"

ROWS = [
    ("Recurrence", ["01", "02", "03"]),
    ("Response times", ["04"]),
    ("Escalation", ["05", "06", "07", "08"]),
    ("Noise", ["09", "10", "11", "12", "13"]),
    ("Load", ["14", "15"]),
]


def grafana_sql(text):
    """The statement of a saved query (comments and the final ';' removed), macros in."""
    sql = "\n".join(l for l in text.split("\n") if not l.strip().startswith("--")).strip()
    if sql.endswith(";"):
        sql = sql[:-1].strip()
    sql = re.sub(r"\{from:[^}]+\}", "$__fromTime_ms", sql)
    sql = re.sub(r"\{to:[^}]+\}", "$__toTime_ms", sql)
    sql = re.sub(r"\{by:[^}]+\}", "'${by}'", sql)
    return sql


def main():
    files = {p.name[:2]: p for p in sorted(QUERIES.glob("*.sql"))}
    panels, y, pid = [], 0, 1
    for title, numbers in ROWS:
        panels.append({"type": "row", "title": title, "id": pid, "collapsed": False,
                       "gridPos": {"h": 1, "w": 24, "x": 0, "y": y}, "panels": []})
        pid += 1
        y += 1
        for i, n in enumerate(numbers):
            path = files.pop(n)
            text = path.read_text(encoding="utf-8")
            purpose = text.split("\n", 1)[0].lstrip("- ").strip()
            width = 24 if len(numbers) == 1 else 12
            panels.append({
                "type": "table",
                "id": pid,
                "title": path.stem.split("_", 1)[1].replace("_", " ").capitalize()
                + (" (by ${by})" if n == "04" else ""),
                "description": purpose + " Saved query: sql/queries/" + path.name,
                "datasource": {"type": "grafana-clickhouse-datasource", "uid": "${datasource}"},
                "gridPos": {"h": 9, "w": width, "x": (i % 2) * 12 if width == 12 else 0,
                            "y": y + (i // 2) * 9},
                "options": {"showHeader": True, "cellHeight": "sm"},
                "fieldConfig": {"defaults": {}, "overrides": []},
                "targets": [{
                    "refId": "A",
                    "datasource": {"type": "grafana-clickhouse-datasource", "uid": "${datasource}"},
                    "editorType": "sql",
                    "queryType": "table",
                    "format": 1,
                    "rawSql": grafana_sql(text),
                    "meta": {"savedQuery": path.stem},
                }],
            })
            pid += 1
        y += ((len(numbers) + 1) // 2) * 9
    if files:
        raise SystemExit("saved queries without a panel: " + ", ".join(sorted(files)))
    dashboard = {
        "uid": "tocsin-analytics",
        "title": "Tocsin analytics",
        "description": "Recurrence, response times, escalation, noise and load from the Tocsin "
        "ClickHouse tables (sql/queries). Time range = incidents opened / records received.",
        "tags": ["tocsin", "clickhouse"],
        "schemaVersion": 39,
        "version": 1,
        "editable": True,
        "time": {"from": "now-28d", "to": "now"},
        "timezone": "utc",
        "templating": {"list": [
            {"name": "datasource", "label": "ClickHouse", "type": "datasource",
             "query": "grafana-clickhouse-datasource", "current": {}, "hide": 0},
            {"name": "by", "label": "Response times by", "type": "custom",
             "query": "severity,team,service", "current": {"text": "severity", "value": "severity"},
             "options": [{"text": v, "value": v, "selected": v == "severity"}
                         for v in ("severity", "team", "service")], "hide": 0},
        ]},
        "panels": panels,
    }
    OUT.write_text(json.dumps(dashboard, indent=2) + "\n", encoding="utf-8")
    print("wrote", OUT.relative_to(ROOT), "with", sum(1 for p in panels if p["type"] == "table"),
          "panels")


if __name__ == "__main__":
    main()
