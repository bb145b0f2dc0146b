#!/usr/bin/env python3
"""Builds tocsin-analytics.json, the Grafana dashboard over the saved queries in sql/queries,
with a first row of live panels on Tocsin's own health from Prometheus (deploy/prometheus).

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
    ("Escalation", ["05", "06", "07", "08", "18", "19", "20"]),
    ("Noise", ["09", "10", "11", "12", "13"]),
    ("Load", ["14", "15"]),
    ("Changes", ["16", "17"]),
    ("Outcome", ["21", "22"]),
]


# Live panels: (title, description, unit, [(legend, PromQL)]). The names are those of
# io.tocsin.metrics.MetricNames through Flink's Prometheus reporter, of GatewayMetricNames, and the
# recording rules of deploy/prometheus/tocsin-rules.yml. GatewayPrometheusITCase runs every
# expression against a real Prometheus scraping a running job and gateway.
OP = "flink_taskmanager_job_task_operator_"
LIVE = [
    ("Records in / out per stage", "Per operator (stage), records per second.", "ops", [
        ("in {{operator_name}}", "tocsin:stage_records_in:rate1m"),
        ("out {{operator_name}}", "tocsin:stage_records_out:rate1m")]),
    ("Dead letters by reason", "Records the job dead-lettered, per reason code, per second.", "ops", [
        ("{{reason}}", "sum by (reason) (rate(" + OP + "reason_tocsin_ingest_dead_letters[5m]))"),
        ("gateway {{kind}} {{reason}}",
         "sum by (kind, reason) (rate(tocsin_gateway_rejected_total[5m]))")]),
    ("Dedupe ratio", "Share of notifications dropped as re-sends or HA copies.", "percentunit", [
        ("{{job_name}}", "tocsin:dedupe_ratio:rate5m")]),
    ("Open incidents", "Incidents held open by the correlator (sum over subtasks).", "short", [
        ("{{job_name}}", "tocsin:incidents_open")]),
    ("Escalations and pages by trigger", "Per second, by the rule or command that caused them.",
     "ops", [
        ("escalation {{trigger}}", "sum by (trigger) (rate(" + OP + "trigger_tocsin_escalations[5m]))"),
        ("page {{trigger}}", "sum by (trigger) (rate(" + OP + "trigger_tocsin_pages[5m]))")]),
    ("Watermark lag", "How far event time trails the clock: pages wait for it.", "s", [
        ("{{job_name}}", "tocsin:watermark_lag_seconds")]),
    ("End-to-end latency p99", "Event time of an incident event to its emission by escalate.",
     "ms", [("{{job_name}}", "tocsin:end_to_end_latency_ms:p99")]),
    ("Checkpoints", "Duration of the last checkpoint (Flink's own), and failures.", "ms", [
        ("last duration {{job_name}}", "max by (job_name) (flink_jobmanager_job_lastCheckpointDuration)"),
        ("failed (10m) {{job_name}}",
         "max by (job_name) (increase(flink_jobmanager_job_numberOfFailedCheckpoints[10m]))")]),
    ("Sink errors", "Kafka send errors and ClickHouse insert failures per 5 minutes.", "short", [
        ("kafka {{operator_name}}",
         "sum by (operator_name) (increase(" + OP + "numRecordsSendErrors[5m]))"),
        ("clickhouse", "sum(increase(" + OP + "tocsin_clickhouse_insert_failures[5m]))")]),
    ("Gateway requests", "Answers per second by handler and status; 5xx make senders retry.", "ops", [
        ("{{handler}} {{code}}",
         "sum by (handler, code) (rate(tocsin_gateway_http_requests_total[1m]))")]),
    ("Gateway p99 latency", "Request to answer, Kafka acknowledgement included.", "s", [
        ("{{handler}}", "tocsin:gateway_request_seconds:p99")]),
    ("Gateway accepted", "Alerts and samples written to Kafka per second.", "ops", [
        ("alerts {{api}}", "sum by (api) (rate(tocsin_gateway_alerts_accepted_total[1m]))"),
        ("samples", "sum(rate(tocsin_gateway_samples_accepted_total[1m]))")]),
]


def live_panels(pid, y):
    """The live row and its time-series panels (Prometheus data source), from LIVE."""
    panels = [{"type": "row", "title": "Live: Tocsin's own health (Prometheus)", "id": pid,
               "collapsed": False, "gridPos": {"h": 1, "w": 24, "x": 0, "y": y}, "panels": []}]
    pid += 1
    y += 1
    ds = {"type": "prometheus", "uid": "${prometheus}"}
    for i, (title, description, unit, queries) in enumerate(LIVE):
        panels.append({
            "type": "timeseries",
            "id": pid,
            "title": title,
            "description": description,
            "datasource": ds,
            "gridPos": {"h": 7, "w": 8, "x": (i % 3) * 8, "y": y + (i // 3) * 7},
            "fieldConfig": {"defaults": {"unit": unit}, "overrides": []},
            "options": {"legend": {"displayMode": "list", "placement": "bottom"}},
            "targets": [{"refId": chr(ord("A") + k), "datasource": ds, "expr": expr,
                         "legendFormat": legend} for k, (legend, expr) in enumerate(queries)],
        })
        pid += 1
    return panels, pid, y + ((len(LIVE) + 2) // 3) * 7


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
    panels, pid, y = live_panels(1, 0)
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
        "description": "Live health of the job and gateway from Prometheus (deploy/prometheus), "
        "then recurrence, response times, escalation, noise, load and changes from the Tocsin "
        "ClickHouse tables (sql/queries). Time range = incidents opened / records received.",
        "tags": ["tocsin", "clickhouse", "prometheus"],
        "schemaVersion": 39,
        "version": 1,
        "editable": True,
        "time": {"from": "now-28d", "to": "now"},
        "timezone": "utc",
        "templating": {"list": [
            {"name": "datasource", "label": "ClickHouse", "type": "datasource",
             "query": "grafana-clickhouse-datasource", "current": {}, "hide": 0},
            {"name": "prometheus", "label": "Prometheus", "type": "datasource",
             "query": "prometheus", "current": {}, "hide": 0},
            {"name": "by", "label": "Response times by", "type": "custom",
             "query": "severity,team,service", "current": {"text": "severity", "value": "severity"},
             "options": [{"text": v, "value": v, "selected": v == "severity"}
                         for v in ("severity", "team", "service")], "hide": 0},
        ]},
        "panels": panels,
    }
    OUT.write_text(json.dumps(dashboard, indent=2) + "\n", encoding="utf-8")
    print("wrote", OUT.relative_to(ROOT), "with", sum(1 for p in panels if p["type"] == "table"),
          "table panels and", len(LIVE), "live panels")


if __name__ == "__main__":
    main()
