#!/usr/bin/env python3
"""Generate Tocsin's bundled demo alert storm (python3 stdlib only, deterministic).

Writes into jobs/src/main/resources/demo/ (or --out DIR):
  topology.json      the shop's service graph (topology file contract in DESIGN.md)
  storm.jsonl        ~40 minutes of Alertmanager alerts, one object per line, sorted by receivedAt
  storm-truth.json   ground truth: fault episodes, their (alertname, service) members, root cause
  bad-records.jsonl  invalid lines for the dead-letter path
  README.md          the story of the storm

  python3 benchmarks/scenarios/make_demo_storm.py           # (re)write the files
  python3 benchmarks/scenarios/make_demo_storm.py --check   # exit 1 if the files are stale

Same seed, same bytes: the files are committed and tests compare against them.
"""
import argparse
import json
import os
import random
import sys
from datetime import datetime, timedelta, timezone
from urllib.parse import quote

SEED = 20261102
T0 = datetime(2026, 11, 2, 2, 0, 0, tzinfo=timezone.utc)
FIRING_ENDS_AT = "0001-01-01T00:00:00Z"
RESEND_EVERY = 60.0      # Prometheus re-sends every firing alert to Alertmanager every minute
HA_COPY_SHARE = 0.3      # share of notifications also delivered by the second Alertmanager
RESOLVED_RESEND_SHARE = 0.3

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DEFAULT_OUT = os.path.join(ROOT, "jobs", "src", "main", "resources", "demo")

SHOP = "prod-shop-1"
SEARCH = "prod-search-1"

# name: (tier, team, cluster, namespace, job, dependsOn)
SERVICES = {
    "edge-lb":           ("edge",      "team-platform", SHOP,   "edge",          "haproxy",           ["web-frontend", "checkout-api"]),
    "web-frontend":      ("api",       "team-web",      SHOP,   "web",           "web-frontend",      ["users-svc", "cart-svc", "search-svc", "inventory-svc"]),
    "checkout-api":      ("api",       "team-checkout", SHOP,   "checkout",      "checkout-api",      ["cart-svc", "payments-svc", "users-svc", "orders-svc"]),
    "cart-svc":          ("service",   "team-checkout", SHOP,   "checkout",      "cart-svc",          ["inventory-svc"]),
    "payments-svc":      ("service",   "team-payments", SHOP,   "payments",      "payments-svc",      ["payments-gateway", "users-svc"]),
    "payments-gateway":  ("service",   "team-payments", SHOP,   "payments",      "payments-gateway",  ["psp-api"]),
    "users-svc":         ("service",   "team-identity", SHOP,   "identity",      "users-svc",         ["users-pg"]),
    "users-pg":          ("datastore", "team-identity", SHOP,   "identity",      "postgres-exporter", []),
    "orders-svc":        ("service",   "team-orders",   SHOP,   "orders",        "orders-svc",        ["orders-kafka", "inventory-svc"]),
    "orders-kafka":      ("datastore", "team-platform", SHOP,   "orders",        "kafka-exporter",    []),
    "inventory-svc":     ("service",   "team-inventory", SHOP,  "inventory",     "inventory-svc",     ["inventory-redis"]),
    "inventory-redis":   ("datastore", "team-inventory", SHOP,  "inventory",     "redis-exporter",    []),
    "search-svc":        ("service",   "team-search",   SEARCH, "search",        "search-svc",        ["search-es"]),
    "search-es":         ("datastore", "team-search",   SEARCH, "search",        "elasticsearch-exporter", []),
    "notifications-svc": ("service",   "team-platform", SHOP,   "notifications", "notifications-svc", ["orders-kafka", "users-svc"]),
}
EXTERNAL_NOTE = "psp-api (the external payment provider) is named in dependsOn but not listed: it is still a node"

# alertname: (PromQL expr, summary template, description template with {v} = current value, unit)
RULES = {
    "PostgresConnectionsNearLimit": (
        'sum by (instance) (pg_stat_activity_count) / on (instance) pg_settings_max_connections > 0.8',
        "Postgres {svc} is above 80% of max_connections",
        "{pod} uses {v}% of max_connections (200).", (82, 97)),
    "PostgresTooManyConnections": (
        'sum by (instance) (pg_stat_activity_count) >= on (instance) pg_settings_max_connections - 3',
        "Postgres {svc} ran out of connections",
        "{pod} has {v} of 200 connections in use; new connections are refused (FATAL: sorry, too many clients already).",
        (197, 200)),
    "HighRequestLatency": (
        'histogram_quantile(0.99, sum by (le, service) (rate(http_server_request_duration_seconds_bucket[5m]))) > 1',
        "{svc} p99 latency is high",
        "p99 request latency of {svc} is {v} s (threshold 1 s).", (1.3, 9.5)),
    "HighErrorRate": (
        'sum by (service) (rate(http_server_requests_total{code=~"5.."}[5m])) / sum by (service) (rate(http_server_requests_total[5m])) > 0.05',
        "{svc} is returning 5xx",
        "{v}% of {svc} requests fail with 5xx over the last 5 minutes.", (6, 48)),
    "ErrorBudgetBurn": (
        'sum by (service) (rate(slo:sli_error:ratio_rate1h[5m])) > 14.4 * 0.001 and sum by (service) (slo:sli_error:ratio_rate5m) > 14.4 * 0.001',
        "{svc} is burning its 30-day error budget fast",
        "{svc} burns its availability SLO error budget at {v}x the sustainable rate (1h and 5m windows).",
        (15, 120)),
    "KubePodCrashLooping": (
        'max_over_time(kube_pod_container_status_waiting_reason{reason="CrashLoopBackOff"}[5m]) >= 1',
        "Pod {pod} is crash looping",
        "Pod {ns}/{pod} (container {svc}) restarted {v} times in 10 minutes: liveness probe /healthz timed out.",
        (3, 9)),
    "CheckoutFailureRateHigh": (
        'sum(rate(checkout_orders_failed_total[5m])) / sum(rate(checkout_orders_attempted_total[5m])) > 0.1',
        "Checkout failure rate is high",
        "{v}% of checkout attempts fail (threshold 10%). Customers cannot place orders.", (12, 41)),
    "EdgeHigh5xxRate": (
        'sum by (service) (rate(haproxy_backend_http_responses_total{code="5xx"}[5m])) / sum by (service) (rate(haproxy_backend_http_responses_total[5m])) > 0.02',
        "Edge load balancer serves 5xx",
        "{v}% of responses at the edge are 5xx (threshold 2%).", (2.5, 11)),
    "ElasticsearchDiskWatermarkHigh": (
        'elasticsearch_filesystem_data_used_percent > 85',
        "Elasticsearch node {pod} passed the high disk watermark",
        "{pod} data disk is {v}% full; shards are relocated away from it.", (90, 94)),
    "ElasticsearchClusterYellow": (
        'elasticsearch_cluster_health_status{color="yellow"} == 1',
        "Elasticsearch cluster is yellow",
        "{v} replica shards are unassigned.", (4, 19)),
    "SearchSlowQueries": (
        'histogram_quantile(0.95, sum by (le) (rate(search_query_duration_seconds_bucket[5m]))) > 0.5',
        "Search queries are slow",
        "p95 search query time is {v} s (threshold 0.5 s).", (0.7, 3.4)),
    "RedisMemoryHigh": (
        'redis_memory_used_bytes / redis_memory_max_bytes > 0.9',
        "Redis {pod} memory above 90%",
        "{pod} uses {v}% of maxmemory; evictions may start.", (90, 96)),
    "ClientCertificateExpiringSoon": (
        '(certmanager_certificate_expiration_timestamp_seconds - time()) < 7 * 86400',
        "Client certificate of {svc} expires soon",
        "mTLS client certificate psp-client-cert expires in {v} days.", (5, 6)),
    "KubeJobFailed": (
        'kube_job_failed{job_name=~"orders-reconcile-.*"} > 0',
        "CronJob orders-reconcile failed",
        "Job {ns}/orders-reconcile-29371346 failed; the next run is in 15 minutes.", (1, 1)),
    "KafkaUnderReplicatedPartitions": (
        'sum(kafka_topic_partition_under_replicated_partition) > 0',
        "Kafka has under-replicated partitions",
        "{v} partitions are under-replicated (broker restart in progress).", (3, 24)),
    "KubeHpaMaxedOut": (
        'kube_horizontalpodautoscaler_status_current_replicas == kube_horizontalpodautoscaler_spec_max_replicas',
        "HPA of {svc} is at max replicas",
        "HPA {ns}/{svc} has run at its maximum of 6 replicas for 10 minutes.", (6, 6)),
    "KubeDeploymentReplicasMismatch": (
        'kube_deployment_spec_replicas != kube_deployment_status_replicas_available',
        "Deployment {svc} has unavailable replicas",
        "Deployment {ns}/{svc} has {v} unavailable replicas (rolling update).", (1, 2)),
}


def at(mmss):
    """'12:34' or '12:34.5' minutes:seconds after T0 -> datetime."""
    m, s = mmss.split(":")
    return T0 + timedelta(minutes=int(m), seconds=float(s))


def iso(t, millis=True):
    if millis:
        return t.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (t.microsecond // 1000)
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


class Alert:
    """One Prometheus alert instance (one label set, one startsAt)."""

    def __init__(self, episode, alertname, service, severity, starts, ends, pod=None, instance=None,
                 first_delay=None, whole_seconds=False):
        self.episode = episode
        self.alertname = alertname
        self.service = service
        self.severity = severity
        self.starts = at(starts)
        self.ends = at(ends)
        self.pod = pod
        self.instance = instance
        self.first_delay = first_delay        # seconds from startsAt to first delivery (None: small random)
        self.whole_seconds = whole_seconds    # startsAt/endsAt without fractional seconds
        assert self.ends > self.starts, (alertname, service)

    def labels(self):
        tier, team, cluster, ns, job, _ = SERVICES[self.service]
        labels = {"alertname": self.alertname, "severity": self.severity, "service": self.service,
                  "team": team, "cluster": cluster, "namespace": ns, "job": job}
        if self.pod:
            labels["pod"] = self.pod
        labels["instance"] = self.instance or "%s.%s.svc:%d" % (self.service, ns, 8080)
        return labels

    def annotations(self, rng):
        _, summary, desc, (lo, hi) = RULES[self.alertname]
        ns = SERVICES[self.service][3]
        v = rng.uniform(lo, hi)
        v = int(round(v)) if isinstance(lo, int) else round(v, 1)
        fmt = dict(svc=self.service, pod=self.pod or self.service, ns=ns, v=v)
        return {"summary": summary.format(**fmt), "description": desc.format(**fmt),
                "runbook_url": "https://runbooks.example.internal/alerts/%s" % self.alertname}

    def generator_url(self):
        cluster = SERVICES[self.service][2]
        return "https://prometheus.%s.example.internal/graph?g0.expr=%s&g0.tab=1" % (
            cluster, quote(RULES[self.alertname][0], safe=""))


def notifications(alert, rng):
    """Yield (receivedAt, record) for every delivery of one alert: first firing, minute re-sends,
    resolved (sometimes re-sent once), each possibly duplicated by the second Alertmanager."""
    out = []
    ts = lambda t: iso(t, millis=not alert.whole_seconds)
    base = {"labels": alert.labels()}

    def deliver(received, status, annotations):
        rec = dict(base)
        rec["annotations"] = annotations
        rec["startsAt"] = ts(alert.starts)
        rec["endsAt"] = FIRING_ENDS_AT if status == "firing" else ts(alert.ends)
        rec["status"] = status
        rec["generatorURL"] = alert.generator_url()
        rec["receivedAt"] = iso(received)
        out.append((received, rec))
        if rng.random() < HA_COPY_SHARE:        # the HA peer delivers the same notification again
            copy = dict(rec)
            later = received + timedelta(milliseconds=rng.randint(150, 650))
            copy["receivedAt"] = iso(later)
            out.append((later, copy))

    delay = alert.first_delay + rng.uniform(0.0, 0.4) if alert.first_delay is not None else rng.uniform(0.3, 3.0)
    t = alert.starts + timedelta(seconds=delay)
    while t < alert.ends:
        deliver(t, "firing", alert.annotations(rng))
        t += timedelta(seconds=RESEND_EVERY + rng.uniform(-1.5, 1.5))
    resolved_ann = alert.annotations(rng)
    t = alert.ends + timedelta(seconds=rng.uniform(0.2, 3.0))
    deliver(t, "resolved", resolved_ann)
    if rng.random() < RESOLVED_RESEND_SHARE:
        deliver(t + timedelta(seconds=RESEND_EVERY + rng.uniform(-1.5, 1.5)), "resolved", resolved_ann)
    return out


# ------------------------------------------------------------------ the story

EPISODES = [
    {"id": "users-pg-connections-1", "kind": "cascade", "rootCauseService": "users-pg", "cluster": SHOP,
     "story": "users-pg runs out of connections (a leaking batch client); users-svc times out and "
              "returns 5xx, two users-svc pods crash-loop on failed liveness probes; checkout-api, "
              "web-frontend (login/account pages only) and edge-lb serve errors; payments-svc is slow "
              "for a few minutes. The DBA kills the idle sessions at 02:18; everything recovers by "
              "02:21, the connections warning clears last at 02:22."},
    {"id": "search-es-disk", "kind": "cascade", "rootCauseService": "search-es", "cluster": SEARCH,
     "story": "In the separate search cluster two Elasticsearch data nodes pass the high disk "
              "watermark, replicas go unassigned (cluster yellow) and search-svc queries slow down. "
              "Old indices are deleted at 02:24 and it recovers by 02:26. Unrelated to the users-pg "
              "cascade although it overlaps it in time."},
    {"id": "inventory-redis-flapping", "kind": "flapping", "rootCauseService": "inventory-redis", "cluster": SHOP,
     "story": "inventory-redis memory hovers around the 90% threshold: RedisMemoryHigh fires and "
              "resolves 7 times between 02:14 and 02:23 with no impact on callers."},
    {"id": "users-pg-connections-2", "kind": "cascade", "rootCauseService": "users-pg", "cluster": SHOP,
     "recurrenceOf": "users-pg-connections-1",
     "story": "The leaking client is restarted by its CronJob and users-pg runs out of connections "
              "again at 02:30, about 12 minutes after the first episode's root alert resolved; "
              "users-svc and checkout-api degrade again; fixed for good at 02:37-02:39."},
    {"id": "noise-orders-kafka-urp", "kind": "noise", "rootCauseService": "orders-kafka", "cluster": SHOP,
     "story": "A broker restart leaves orders-kafka partitions under-replicated for 90 s."},
    {"id": "noise-payments-gateway-cert", "kind": "noise", "rootCauseService": "payments-gateway", "cluster": SHOP,
     "story": "The PSP client certificate is 5 days from expiry; cert-manager renews it 3.5 minutes later."},
    {"id": "noise-orders-reconcile-job", "kind": "noise", "rootCauseService": "orders-svc", "cluster": SHOP,
     "story": "The orders-reconcile CronJob fails once; the failed Job is cleaned up 2.5 minutes later."},
    {"id": "noise-search-svc-rollout", "kind": "noise", "rootCauseService": "search-svc", "cluster": SEARCH,
     "story": "A routine search-svc rollout leaves a replica unavailable for a minute."},
    {"id": "noise-inventory-svc-hpa", "kind": "noise", "rootCauseService": "inventory-svc", "cluster": SHOP,
     "story": "inventory-svc autoscaler sits at max replicas for under two minutes (info)."},
]

USERS_POD_A = "users-svc-6c9d7f5b8-k2x7p"
USERS_POD_B = "users-svc-6c9d7f5b8-q9m4z"


def build_alerts():
    A = Alert
    alerts = [
        # 0 isolated noise before anything else
        A("noise-orders-kafka-urp", "KafkaUnderReplicatedPartitions", "orders-kafka", "warning",
          "00:20", "01:50", pod="orders-kafka-1", instance="orders-kafka-1:9308"),
        A("noise-payments-gateway-cert", "ClientCertificateExpiringSoon", "payments-gateway", "warning",
          "01:00", "04:30", whole_seconds=True),

        # 1 the cascade: users-pg -> users-svc -> checkout-api / web-frontend / payments-svc -> edge-lb
        A("users-pg-connections-1", "PostgresConnectionsNearLimit", "users-pg", "warning",
          "02:25", "22:10", pod="users-pg-0", instance="users-pg-0:9187"),
        A("users-pg-connections-1", "PostgresTooManyConnections", "users-pg", "critical",
          "03:10", "18:05", pod="users-pg-0", instance="users-pg-0:9187", first_delay=28.0),
        # delivered 26 s late (group_wait): arrives after HighErrorRate although it started first
        A("users-pg-connections-1", "HighRequestLatency", "users-svc", "warning",
          "03:58", "20:05", first_delay=26.0),
        A("users-pg-connections-1", "HighErrorRate", "users-svc", "warning",
          "04:12", "19:35", first_delay=1.2),
        A("users-pg-connections-1", "HighErrorRate", "users-svc", "critical",
          "05:02", "18:48"),
        # delivered 22 s late: arrives after web-frontend's, which started 11 s later
        A("users-pg-connections-1", "HighErrorRate", "checkout-api", "warning",
          "05:20", "19:50", first_delay=22.0),
        A("users-pg-connections-1", "HighErrorRate", "web-frontend", "warning",
          "05:31", "19:20", first_delay=0.8),
        A("users-pg-connections-1", "HighRequestLatency", "payments-svc", "warning",
          "05:50", "09:40"),
        A("users-pg-connections-1", "HighRequestLatency", "checkout-api", "warning",
          "05:45", "19:40"),
        A("users-pg-connections-1", "ErrorBudgetBurn", "users-svc", "critical",
          "06:00", "21:30"),
        A("users-pg-connections-1", "CheckoutFailureRateHigh", "checkout-api", "critical",
          "06:35", "19:10"),
        A("users-pg-connections-1", "ErrorBudgetBurn", "checkout-api", "critical",
          "07:30", "22:00"),
        A("users-pg-connections-1", "KubePodCrashLooping", "users-svc", "warning",
          "06:40", "18:30", pod=USERS_POD_A, instance="10.42.3.17:8080"),
        A("users-pg-connections-1", "EdgeHigh5xxRate", "edge-lb", "warning",
          "07:05", "20:40", pod="edge-lb-0", instance="edge-lb-0:8404"),
        A("users-pg-connections-1", "KubePodCrashLooping", "users-svc", "warning",
          "07:55", "17:50", pod=USERS_POD_B, instance="10.42.1.9:8080"),

        # 2 unrelated concurrent fault in the search cluster
        A("search-es-disk", "ElasticsearchDiskWatermarkHigh", "search-es", "warning",
          "09:00", "24:30", pod="search-es-data-2", instance="search-es-data-2:9114"),
        A("search-es-disk", "ElasticsearchDiskWatermarkHigh", "search-es", "warning",
          "10:45", "24:10", pod="search-es-data-1", instance="search-es-data-1:9114"),
        # delivered 30 s late: arrives after ClusterYellow, which started 15 s later
        A("search-es-disk", "SearchSlowQueries", "search-svc", "warning",
          "12:35", "25:40", first_delay=30.0),
        A("search-es-disk", "ElasticsearchClusterYellow", "search-es", "warning",
          "12:50", "26:05", instance="search-es:9200", first_delay=2.0),
        A("search-es-disk", "HighRequestLatency", "search-svc", "warning",
          "13:40", "25:10"),

        # 5 more isolated noise
        A("noise-orders-reconcile-job", "KubeJobFailed", "orders-svc", "warning",
          "26:10", "28:40", pod="orders-reconcile-29371346-7xk2p", whole_seconds=True),
        A("noise-search-svc-rollout", "KubeDeploymentReplicasMismatch", "search-svc", "warning",
          "33:00", "34:10"),
        A("noise-inventory-svc-hpa", "KubeHpaMaxedOut", "inventory-svc", "info",
          "35:00", "36:40"),

        # 6 recurrence of the users-pg fault
        A("users-pg-connections-2", "PostgresConnectionsNearLimit", "users-pg", "warning",
          "29:40", "38:50", pod="users-pg-0", instance="users-pg-0:9187"),
        A("users-pg-connections-2", "PostgresTooManyConnections", "users-pg", "critical",
          "30:15", "37:30", pod="users-pg-0", instance="users-pg-0:9187", first_delay=4.0),
        A("users-pg-connections-2", "HighErrorRate", "users-svc", "warning",
          "31:05", "38:05"),
        A("users-pg-connections-2", "HighRequestLatency", "users-svc", "warning",
          "31:20", "38:20"),
        A("users-pg-connections-2", "HighErrorRate", "checkout-api", "warning",
          "32:30", "38:35"),
    ]
    # 4 the flapping alert: 7 fire/resolve cycles of inventory-redis memory in under 10 minutes
    flap_start = at("14:00")
    for offset, duration in [(0, 50), (95, 40), (170, 55), (260, 45), (345, 35), (430, 50), (515, 42)]:
        s = flap_start + timedelta(seconds=offset)
        e = s + timedelta(seconds=duration)
        alerts.append(A("inventory-redis-flapping", "RedisMemoryHigh", "inventory-redis", "warning",
                        "%d:%06.3f" % divmod((s - T0).total_seconds(), 60),
                        "%d:%06.3f" % divmod((e - T0).total_seconds(), 60),
                        pod="inventory-redis-0", instance="inventory-redis-0:9121"))
    return alerts


# ------------------------------------------------------------------ outputs

def topology():
    return {"services": [{"name": n, "tier": t, "team": team, "cluster": c, "namespace": ns, "dependsOn": deps}
                         for n, (t, team, c, ns, _job, deps) in SERVICES.items()]}


def storm(alerts):
    rng = random.Random(SEED)
    events = []
    for seq, a in enumerate(alerts):
        for received, rec in notifications(a, rng):
            events.append((received, seq, rec))
    events.sort(key=lambda e: (e[0], e[1]))
    return events


def truth(alerts, events):
    eps = []
    for ep in EPISODES:
        mine = [a for a in alerts if a.episode == ep["id"]]
        members, seen = [], set()
        for a in sorted(mine, key=lambda a: a.starts):
            key = (a.alertname, a.service)
            if key not in seen:
                seen.add(key)
                members.append({"alertname": a.alertname, "service": a.service})
        instances = [{"labels": a.labels(), "startsAt": iso(a.starts, not a.whole_seconds),
                      "endsAt": iso(a.ends, not a.whole_seconds)} for a in sorted(mine, key=lambda a: a.starts)]
        d = {"id": ep["id"], "kind": ep["kind"], "rootCauseService": ep["rootCauseService"],
             "cluster": ep["cluster"]}
        if "recurrenceOf" in ep:
            d["recurrenceOf"] = ep["recurrenceOf"]
        d["firstStartsAt"] = iso(min(a.starts for a in mine))
        d["lastEndsAt"] = iso(max(a.ends for a in mine))
        d["services"] = sorted({a.service for a in mine})
        d["members"] = members
        d["alerts"] = instances
        d["notifications"] = sum(1 for _, seq, _ in events if alerts[seq].episode == ep["id"])
        if ep["kind"] == "flapping":
            d["flapCycles"] = len(mine)
        d["story"] = ep["story"]
        eps.append(d)
    firing = sum(1 for _, _, r in events if r["status"] == "firing")
    return {
        "description": "Ground truth for storm.jsonl: each fault episode, the (alertname, service) pairs "
                       "that belong to it and its true root-cause service. An alert belongs to an episode "
                       "by its full label set and time window (alerts[].startsAt/endsAt): the two users-pg "
                       "episodes share (alertname, service) pairs.",
        "generator": "benchmarks/scenarios/make_demo_storm.py (seed %d)" % SEED,
        "start": iso(T0),
        "end": iso(events[-1][0]),
        "lines": len(events),
        "firingNotifications": firing,
        "resolvedNotifications": len(events) - firing,
        "distinctAlerts": len(alerts),
        "episodes": eps,
    }


BAD_RECORDS = [
    ("not JSON at all (key=value text): the decoder rejects it", 'alertname=HighErrorRate service=users-svc severity=critical status=firing'),
    ("no `labels`: an alert without identity, cannot be fingerprinted", json.dumps({"annotations": {"summary": "no labels here"},
                                   "startsAt": "2026-11-02T02:05:00.000Z", "endsAt": FIRING_ENDS_AT,
                                   "status": "firing", "generatorURL": "https://prometheus.prod-shop-1.example.internal/graph",
                                   "receivedAt": "2026-11-02T02:05:00.500Z"})),
    ("`startsAt` is \"yesterday at 2am\": not an RFC 3339 time", json.dumps({"labels": {"alertname": "HighErrorRate", "service": "cart-svc", "severity": "warning",
                                                   "cluster": SHOP, "namespace": "checkout"},
                                        "annotations": {"summary": "cart-svc is returning 5xx"},
                                        "startsAt": "yesterday at 2am", "endsAt": FIRING_ENDS_AT, "status": "firing",
                                        "generatorURL": "https://prometheus.prod-shop-1.example.internal/graph",
                                        "receivedAt": "2026-11-02T02:06:00.000Z"})),
    ("resolved with `endsAt` two minutes before `startsAt`: impossible interval", json.dumps({"labels": {"alertname": "HighRequestLatency", "service": "orders-svc",
                                                      "severity": "warning", "cluster": SHOP, "namespace": "orders"},
                                           "annotations": {"summary": "orders-svc p99 latency is high"},
                                           "startsAt": "2026-11-02T02:10:00.000Z", "endsAt": "2026-11-02T02:08:00.000Z",
                                           "status": "resolved",
                                           "generatorURL": "https://prometheus.prod-shop-1.example.internal/graph",
                                           "receivedAt": "2026-11-02T02:10:01.000Z"})),
    ("`status` is \"pending\": only firing/resolved are valid", json.dumps({"labels": {"alertname": "HighErrorRate", "service": "notifications-svc",
                                              "severity": "warning", "cluster": SHOP, "namespace": "notifications"},
                                   "annotations": {"summary": "notifications-svc is returning 5xx"},
                                   "startsAt": "2026-11-02T02:12:00.000Z", "endsAt": FIRING_ENDS_AT,
                                   "status": "pending",
                                   "generatorURL": "https://prometheus.prod-shop-1.example.internal/graph",
                                   "receivedAt": "2026-11-02T02:12:00.400Z"})),
    ("`{}`: valid JSON, but no alert fields at all", "{}"),
    ("truncated JSON, cut off mid-object (a partial write)", '{"labels": {"alertname": "RedisMemoryHigh", "service": "inventory-redis", "sev'),
    ("`labels` is a list of strings instead of a map", json.dumps({"labels": ["alertname=HighErrorRate", "service=users-svc"],
                                     "annotations": {}, "startsAt": "2026-11-02T02:07:00.000Z",
                                     "endsAt": FIRING_ENDS_AT, "status": "firing",
                                     "generatorURL": "https://prometheus.prod-shop-1.example.internal/graph",
                                     "receivedAt": "2026-11-02T02:07:00.000Z"})),
]


def readme(alerts, events, tr):
    def hhmm(t):
        return t.strftime("%H:%M:%S")

    lines = [
        "# Demo alert storm",
        "",
        "Generated by `benchmarks/scenarios/make_demo_storm.py` (python3, seed %d); do not edit by hand:" % SEED,
        "change the script and run it (`--check` tells whether these files are current).",
        "",
        "| file | what |",
        "|---|---|",
        "| `topology.json` | 15 services of a small shop (topology file contract); %s |" % EXTERNAL_NOTE,
        "| `storm.jsonl` | %d Alertmanager alert notifications, %s to %s UTC, sorted by `receivedAt` (the event time) |"
        % (len(events), hhmm(events[0][0]), hhmm(events[-1][0])),
        "| `storm-truth.json` | the fault episodes: member (alertname, service) pairs, each alert's labels and window, root-cause service |",
        "| `bad-records.jsonl` | %d invalid lines for the dead-letter path (below) |" % len(BAD_RECORDS),
        "| `telemetry.jsonl` | a day and an hour of metric points (1/min, 4 series), written by `benchmarks/scenarios/make_demo_telemetry.py`: users-pg connections climb from 01:59 (the anomaly opens the users-pg incident before its first threshold alert), payments-gateway PSP latency jumps 02:33-02:41 (a telemetry-only incident) |",
        "| `policy.yaml` | the default policy plus escalation: Berlin on-call rotations (the search rotation covers business hours only, so its night pages fall back to platform), one chain per team, a faster idle timeout for the 120x replay |",
        "",
        "The storm has %d distinct alerts (label sets x startsAt): %d firing and %d resolved notifications."
        % (len(alerts), tr["firingNotifications"], tr["resolvedNotifications"]),
        "Most lines are repeats a correlator should never see: Prometheus re-sends every firing alert",
        "every ~60 s (same labels and startsAt; `$value` in the description changes), about 30%",
        "of all notifications arrive twice from the Alertmanager HA pair (identical, a few hundred ms",
        "apart), and some resolved notifications are re-sent once. Clusters: `prod-shop-1` (the shop)",
        "and `prod-search-1` (search). No line carries a `fingerprint`.",
        "",
        "## What happens (2026-11-02, UTC)",
        "",
        "| time | what |",
        "|---|---|",
        "| 02:00:20 | noise: orders-kafka KafkaUnderReplicatedPartitions (broker restart), resolves 02:01:50 |",
        "| 02:01:00 | noise: payments-gateway ClientCertificateExpiringSoon (PSP client cert), resolves 02:04:30 |",
        "| 02:02:25 | **users-pg** PostgresConnectionsNearLimit (warning): the root cause starts |",
        "| 02:03:10 | **users-pg PostgresTooManyConnections (critical)**; delivered 28 s late (group_wait) |",
        "| 02:03:58 | users-svc HighRequestLatency (warning), delivered 26 s late, after HighErrorRate (02:04:12) |",
        "| 02:05:02 | users-svc HighErrorRate critical (the warning keeps firing beside it) |",
        "| 02:05:20-02:07:30 | checkout-api HighErrorRate and HighRequestLatency, web-frontend HighErrorRate, payments-svc HighRequestLatency (until 02:09:40 only), users-svc ErrorBudgetBurn (critical), checkout-api CheckoutFailureRateHigh (critical), edge-lb EdgeHigh5xxRate, checkout-api ErrorBudgetBurn (critical) |",
        "| 02:06:40, 02:07:55 | users-svc pods %s and %s KubePodCrashLooping (the third pod stays up) |" % (USERS_POD_A, USERS_POD_B),
        "| 02:09:00 | **search-es** ElasticsearchDiskWatermarkHigh on search-es-data-2 (prod-search-1), data-1 at 02:10:45 |",
        "| 02:12:35-02:13:40 | search-svc SearchSlowQueries (delivered 30 s late), search-es ElasticsearchClusterYellow, search-svc HighRequestLatency |",
        "| 02:14:00-02:23:17 | **inventory-redis** RedisMemoryHigh flaps: 7 fire/resolve cycles of 35-55 s |",
        "| 02:17:50-02:20:40 | users cascade resolves: crash loops, users-pg critical (02:18:05), users-svc, checkout-api, web-frontend, edge-lb |",
        "| 02:21:30-02:22:10 | the slow SLO burn alerts clear, users-pg PostgresConnectionsNearLimit resolves last: episode 1 over |",
        "| 02:24:10-02:26:05 | search resolves: watermarks, search-svc, cluster yellow last |",
        "| 02:26:10 | noise: orders-svc KubeJobFailed (CronJob orders-reconcile), resolves 02:28:40 |",
        "| 02:29:40 | **recurrence**: users-pg PostgresConnectionsNearLimit, PostgresTooManyConnections at 02:30:15 |",
        "| 02:31:05-02:32:30 | users-svc HighErrorRate and HighRequestLatency, checkout-api HighErrorRate |",
        "| 02:33:00 | noise: search-svc KubeDeploymentReplicasMismatch (rollout), resolves 02:34:10 |",
        "| 02:35:00 | noise: inventory-svc KubeHpaMaxedOut (info), resolves 02:36:40 |",
        "| 02:37:30-02:38:50 | recurrence resolves, users-pg critical first, its warning last |",
        "| %s | last line (a re-sent resolved notification) |" % hhmm(events[-1][0]),
        "",
        "What a good run shows: 4 real incidents (users-pg twice, the second a recurrence of the first;",
        "search-es in the other cluster; inventory-redis marked FLAPPING rather than paged 7 times) with",
        "root causes users-pg, users-pg, search-es and inventory-redis, and 5 single-alert noise items",
        "that stay small. `storm-truth.json` lists every episode with its members.",
        "",
        "Late and out-of-order deliveries: the file is sorted by `receivedAt`, but four alerts are",
        "first delivered 22-30 s after their `startsAt` (Alertmanager group_wait): users-pg",
        "PostgresTooManyConnections (28 s), users-svc HighRequestLatency (26 s), checkout-api",
        "HighErrorRate (22 s) and search-svc SearchSlowQueries (30 s). The last three arrive after an",
        "alert that started later (users-svc HighErrorRate, web-frontend HighErrorRate, search-es",
        "ElasticsearchClusterYellow), so `startsAt` is not monotonic in the file. Two noise alerts use",
        "whole-second times (no fraction); all other times carry milliseconds.",
        "",
        "## bad-records.jsonl",
        "",
        "One invalid record per line, in this order (every other field of each is valid, so the named",
        "fault is the only reason). Each should end in the dead letters with its reason; none may stop",
        "the job:",
        "",
    ]
    for i, (why, _) in enumerate(BAD_RECORDS, 1):
        lines.append("%d. %s" % (i, why))
    lines.append("")
    return "\n".join(lines)


def render():
    alerts = build_alerts()
    events = storm(alerts)
    tr = truth(alerts, events)
    files = {
        "topology.json": json.dumps(topology(), indent=2) + "\n",
        "storm.jsonl": "".join(json.dumps(rec, separators=(",", ":")) + "\n" for _, _, rec in events),
        "storm-truth.json": json.dumps(tr, indent=2) + "\n",
        "bad-records.jsonl": "".join(line + "\n" for _, line in BAD_RECORDS),
        "README.md": readme(alerts, events, tr),
    }
    return files


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=DEFAULT_OUT, help="output directory (default: %(default)s)")
    ap.add_argument("--check", action="store_true", help="exit 1 if the files in --out differ from the generated ones")
    args = ap.parse_args()
    files = render()
    if args.check:
        stale = []
        for name, content in files.items():
            path = os.path.join(args.out, name)
            try:
                with open(path, encoding="utf-8") as f:
                    if f.read() != content:
                        stale.append(name)
            except FileNotFoundError:
                stale.append(name)
        if stale:
            print("stale demo files in %s: %s (run %s)" % (args.out, ", ".join(stale), sys.argv[0]), file=sys.stderr)
            return 1
        print("demo files are up to date")
        return 0
    os.makedirs(args.out, exist_ok=True)
    for name, content in files.items():
        with open(os.path.join(args.out, name), "w", encoding="utf-8", newline="\n") as f:
            f.write(content)
    n = files["storm.jsonl"].count("\n")
    print("wrote %s: storm.jsonl (%d lines), storm-truth.json, topology.json, bad-records.jsonl, README.md"
          % (args.out, n))
    return 0


if __name__ == "__main__":
    sys.exit(main())
