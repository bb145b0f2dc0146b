package io.tocsin.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Jackson's binding errors read as the hand-written walker's did. */
class ConfigBinderTest {

    private static Policy parse(String yaml) {
        return PolicyLoader.parse(
                "policy.yaml", new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "dedupe:\\n  flapThreshold: 1.5|policy.yaml: dedupe.flapThreshold: expected an integer, found '1.5'",
                "dedupe:\\n  flapThreshold: true|policy.yaml: dedupe.flapThreshold: expected an integer, found 'true'",
                "dedupe:\\n  flapThreshold: 0|policy.yaml: dedupe.flapThreshold: must be between 1 and 1000, got 0",
                "dedupe:\\n  stateTtl: [1]|policy.yaml: dedupe.stateTtl: expected a single value, found array",
                "dedupe: 5|policy.yaml: dedupe: expected a mapping, found number",
                "dedupe:\\n  flapThreshold: ''|policy.yaml: dedupe.flapThreshold: expected an integer, found ''",
                "dedupe:\\n  flapThreshold: 3000000000|policy.yaml: dedupe.flapThreshold: expected an integer, found '3000000000'",
                "anomaly:\\n  fireLevel: ''|policy.yaml: anomaly.fireLevel: expected a number, found ''",
                "correlation:\\n  crossDomainLinks: 'true'|policy.yaml: correlation.crossDomainLinks: expected true or false, found 'true'",
                "correlation:\\n  learning:\\n    enabled: 1|policy.yaml: correlation.learning.enabled: expected true or false, found '1'",
                "correlation:\\n  learning:\\n    minConfidence: 2|policy.yaml: correlation.learning.minConfidence: must be between 0.0 and 1.0, got 2",
                "correlation:\\n  learning:\\n    nope: 2|policy.yaml: correlation.learning.nope: unknown field (allowed here: burstGap, enabled, maxPairs, minConfidence, minSupport, retention, window)",
                "correlation:\\n  labelRules: [{name: a}]|policy.yaml: correlation.labelRules[0].equal: name at least one label",
                "correlation:\\n  labelRules: [{equal: [x, '']}]|policy.yaml: correlation.labelRules[0].equal[1]: required",
                "correlation:\\n  labelRules: [{equal: [x]}]|policy.yaml: correlation.labelRules[0].name: required",
                "correlation:\\n  meshCalls: [{caller: a, callee: a}]|policy.yaml: correlation.meshCalls[0].callee: must differ from caller ('a')",
                "correlation:\\n  meshCalls: [null]|policy.yaml: correlation.meshCalls[0].caller: required",
                "severity:\\n  labels: []|policy.yaml: severity.labels: must name at least one label",
                "severity:\\n  labels: [a, ~]|policy.yaml: severity.labels[1]: required",
                "severity:\\n  map: {x: [1]}|policy.yaml: severity.map.x: expected a single value, found array",
                "severity:\\n  map: {x: ~}|policy.yaml: severity.map.x: required",
                "severity:\\n  default: 3|policy.yaml: severity.default: unknown severity level '3' (one of SEV1, SEV2, SEV3, SEV4)",
                "severity:\\n  fallback: SEV1|policy.yaml: severity.fallback: unknown field (allowed here: default, labels, map)",
                "[1]|policy.yaml: expected a mapping, found array",
                "suppression:\\n  silences: [{}]|policy.yaml: suppression.silences[0].startsAt: required",
                "suppression:\\n  silences: [null]|policy.yaml: suppression.silences[0].startsAt: required",
                "suppression:\\n  silences: [{id: 5, startsAt: x}]|policy.yaml: suppression.silences[0].startsAt: cannot parse 'x' as an RFC 3339 time",
                "suppression:\\n  silences: [{id: a, matchers: ['x=\"1\"'], startsAt: 2026-01-01T00:00:00Z, endsAt: 2026-01-01T00:00:00Z, createdBy: me}]|policy.yaml: suppression.silences[0].endsAt: must be after startsAt",
                "suppression:\\n  silences: [{id: a, matchers: ['x=\"1\"', ''], startsAt: 2026-01-01T00:00:00Z, endsAt: 2026-01-02T00:00:00Z, createdBy: me}]|policy.yaml: suppression.silences[0].matchers[1]: required",
                "suppression:\\n  silences: 5|policy.yaml: suppression.silences: expected a list, found number",
                "suppression:\\n  silences: [{nope: 1}]|policy.yaml: suppression.silences[0].nope: unknown field (allowed here: comment, createdBy, endsAt, id, matchers, startsAt)",
                "suppression:\\n  inhibitRules: [{id: 1}]|policy.yaml: suppression.inhibitRules[0].sourceMatchers: at least one matcher is required",
                "suppression:\\n  maintenanceWindows: [{id: m, weekly: {days: [FRI]}}]|policy.yaml: suppression.maintenanceWindows[0].matchers: at least one matcher is required",
                "suppression:\\n  maintenanceWindows: [{id: m, matchers: ['x=\"1\"'], timeZone: Mars/Base, weekly: {}}]|policy.yaml: suppression.maintenanceWindows[0].timeZone: unknown time zone 'Mars/Base'",
                "suppression:\\n  maintenanceWindows: [{id: m, matchers: ['x=\"1\"']}]|policy.yaml: suppression.maintenanceWindows[0]: give either start and end (one-off) or weekly (recurring)",
                "suppression:\\n  maintenanceWindows: [{id: m, matchers: ['x=\"1\"'], weekly: {days: [FR]}}]|policy.yaml: suppression.maintenanceWindows[0].weekly.days[0]: unknown day 'FR' (MON..SUN)",
                "suppression:\\n  maintenanceWindows: [{id: m, matchers: ['x=\"1\"'], weekly: {days: [FRI], start: 2am}}]|policy.yaml: suppression.maintenanceWindows[0].weekly.start: expected a local time like 02:00",
                "suppression:\\n  maintenanceWindows: [{id: m, matchers: ['x=\"1\"'], weekly: {days: [FRI], start: '02:00', duration: 8d}}]|policy.yaml: suppression.maintenanceWindows[0].weekly.duration: must be at most 7d",
                "suppression:\\n  maintenanceWindows: [{id: m, matchers: ['x=\"1\"'], weekly: {days: [FRI], start: '02:00', duration: 0s}}]|policy.yaml: suppression.maintenanceWindows[0].weekly.duration: must be greater than zero, got 0s",
                // the hand-written walker threw a NullPointerException here
                "suppression:\\n  maintenanceWindows: [{id: m, matchers: ['x=\"1\"'], weekly: {days: [FRI], start: '02:00'}}]|policy.yaml: suppression.maintenanceWindows[0].weekly.duration: required",
                "ingest:\\n  idleTimeout: 0m|policy.yaml: ingest.idleTimeout: must be greater than zero, got 0m",
                "escalation:\\n  nope: 1|policy.yaml: escalation.nope: unknown field (allowed here: blastRadius, chains, commands, handover, levels, maintenance, pageAtOrAbove, pageRateLimit, patterns, schedules, slaWarning, stateTtl, targets, thresholds)",
                "escalation:\\n  slaWarning: 2|policy.yaml: escalation.slaWarning: must be between 0.05 and 1.0, got 2",
                "escalation:\\n  slaWarning: high|policy.yaml: escalation.slaWarning: expected a number, found 'high'",
                "escalation:\\n  stateTtl: [1d]|policy.yaml: escalation.stateTtl: expected a single value, found array",
                "escalation:\\n  pageAtOrAbove: ''|policy.yaml: escalation.pageAtOrAbove: required",
                "escalation:\\n  levels: {SEV9: {}}|policy.yaml: escalation.levels.SEV9: unknown severity level 'SEV9' (one of SEV1, SEV2, SEV3, SEV4)",
                "escalation:\\n  levels: {SEV1: {acknowledgeWithin: 0s}}|policy.yaml: escalation.levels.SEV1.acknowledgeWithin: must be greater than zero, got 0s",
                "escalation:\\n  levels: {SEV1: {meaning: [x]}}|policy.yaml: escalation.levels.SEV1.meaning: expected a single value, found array",
                "escalation:\\n  levels: {SEV1: {ack: 1m}}|policy.yaml: escalation.levels.SEV1.ack: unknown field (allowed here: acknowledgeWithin, meaning, resolveWithin)",
                "escalation:\\n  targets: {t: {person: p}}|policy.yaml: escalation.targets.t.routingKey: required",
                "escalation:\\n  targets: {t: {person: p, schedule: s, routingKey: R}}|policy.yaml: escalation.targets.t: needs exactly one of schedule or person",
                "escalation:\\n  targets: {t: 5}|policy.yaml: escalation.targets.t: expected a mapping, found number",
                "escalation:\\n  chains: [{tiers: []}]|policy.yaml: escalation.chains[0].id: required",
                "escalation:\\n  chains: [{id: a, tiers: []}]|policy.yaml: escalation.chains[0].tiers: needs at least one tier",
                "escalation:\\n  targets: {t: {person: p, routingKey: R}}\\n  chains: [{id: a, tiers: [{target: t}]}, {id: a}]|policy.yaml: escalation.chains[1].id: duplicate chain id 'a'",
                "escalation:\\n  targets: {t: {person: p, routingKey: R}}\\n  chains: [{id: a, tiers: [{target: t, timeout: 0s}]}]|policy.yaml: escalation.chains[0].tiers[0].timeout: must be greater than zero, got 0s",
                "escalation:\\n  targets: {t: {person: p, routingKey: R}}\\n  chains: [{id: a, tiers: [{}]}]|policy.yaml: escalation.chains[0].tiers[0].target: required",
                "escalation:\\n  targets: {t: {person: p, routingKey: R}}\\n  chains: [{id: a, tiers: [{target: t}], fallback: x}]|policy.yaml: escalation.chains[0].fallback: no target 'x' (defined: t)",
                "escalation:\\n  targets: {t: {person: p, routingKey: R}}\\n  chains: [{id: a, tiers: [{target: t}], loops: 11}]|policy.yaml: escalation.chains[0].loops: must be between 0 and 10, got 11",
                "escalation:\\n  targets: {t: {person: p, routingKey: R}}\\n  chains: [{id: a, tiers: [{target: t}], services: [x, '']}]|policy.yaml: escalation.chains[0].services[1]: required",
                "escalation:\\n  targets: {t: {person: p, routingKey: R}}\\n  chains: [{id: a, tiers: [{target: t}]}, {id: b, tiers: [{target: t}]}]|policy.yaml: escalation.chains[1]: only one chain may match everything (no services and no teams)",
                "escalation:\\n  chains: {id: a}|policy.yaml: escalation.chains: expected a list, found object",
                "escalation:\\n  blastRadius: {maxServices: 0}|policy.yaml: escalation.blastRadius.maxServices: must be between 1 and 10000, got 0",
                "escalation:\\n  blastRadius: {tierSeverity: SEV5}|policy.yaml: escalation.blastRadius.tierSeverity: unknown severity level 'SEV5' (one of SEV1, SEV2, SEV3, SEV4)",
                "escalation:\\n  blastRadius: {criticalTiers: [~]}|policy.yaml: escalation.blastRadius.criticalTiers[0]: required",
                "escalation:\\n  thresholds: [{id: x}]|policy.yaml: escalation.thresholds[0].above: required",
                "escalation:\\n  thresholds: [{above: 1}]|policy.yaml: escalation.thresholds[0].id: required",
                "escalation:\\n  thresholds: [{id: x, key: k, above: 1}]|policy.yaml: escalation.thresholds[0].severity: required",
                "escalation:\\n  thresholds: [{id: x, key: k, above: lots, severity: SEV1}]|policy.yaml: escalation.thresholds[0].above: expected a number, found 'lots'",
                "escalation:\\n  commands: {allowed: {ACKNOWLEDGE: oncall}}|policy.yaml: escalation.commands.allowed.ACKNOWLEDGE: expected a list, found string",
                "escalation:\\n  commands: {allowed: {ACKNOWLEDGE: [a, '']}}|policy.yaml: escalation.commands.allowed.ACKNOWLEDGE[1]: required",
                "escalation:\\n  commands: {reasonRequired: [resolve, snooze]}|policy.yaml: escalation.commands.reasonRequired[1]: unknown command type 'snooze' (one of ACKNOWLEDGE, RESOLVE, UPGRADE, DOWNGRADE, REASSIGN, ADD_NOTE, APPROVE)",
                "escalation:\\n  commands: {approvalFor: [SEV1, x]}|policy.yaml: escalation.commands.approvalFor[1]: unknown severity level 'x' (one of SEV1, SEV2, SEV3, SEV4)",
                "escalation:\\n  commands: {approverRoles: [~]}|policy.yaml: escalation.commands.approverRoles[0]: required",
                "escalation:\\n  commands: {approvalTimeout: 0m}|policy.yaml: escalation.commands.approvalTimeout: must be greater than zero, got 0m",
                "escalation:\\n  commands: {reasons: []}|policy.yaml: escalation.commands.reasons: unknown field (allowed here: allowed, approvalFor, approvalTimeout, approverRoles, overrideRoles, reasonRequired)",
                "escalation:\\n  maintenance: {holdUpgrades: sure}|policy.yaml: escalation.maintenance.holdUpgrades: expected true or false, found 'sure'",
                "escalation:\\n  maintenance: {except: [a, {}]}|policy.yaml: escalation.maintenance.except[1]: expected a single value, found object",
                "escalation:\\n  maintenance: {hold: true}|policy.yaml: escalation.maintenance.hold: unknown field (allowed here: except, holdUpgrades)",
                "escalation:\\n  pageRateLimit: {per: 0s}|policy.yaml: escalation.pageRateLimit.per: must be greater than zero, got 0s",
                "escalation:\\n  pageRateLimit: 5|policy.yaml: escalation.pageRateLimit: expected a mapping, found number",
                "escalation:\\n  patterns: 5|policy.yaml: escalation.patterns: expected a mapping, found number",
                "escalation:\\n  patterns: {warningBurst: 5}|policy.yaml: escalation.patterns.warningBurst: expected a mapping, found number",
                "escalation:\\n  patterns: {warningBurst: {enabled: 'true'}}|policy.yaml: escalation.patterns.warningBurst.enabled: expected true or false, found 'true'",
                "escalation:\\n  patterns: {warningBurst: {count: ''}}|policy.yaml: escalation.patterns.warningBurst.count: expected an integer, found ''",
                "escalation:\\n  patterns: {systemicFailure: {count: 101}}|policy.yaml: escalation.patterns.systemicFailure.count: must be between 2 and 100, got 101",
                "escalation:\\n  patterns: {warningBurst: {severity: ''}}|policy.yaml: escalation.patterns.warningBurst.severity: required",
                "escalation:\\n  patterns: {warningBurst: {atOrBelow: [SEV1]}}|policy.yaml: escalation.patterns.warningBurst.atOrBelow: expected a single value, found array",
                "escalation:\\n  patterns: {repeatedFlapping: {within: {}}}|policy.yaml: escalation.patterns.repeatedFlapping.within: expected a single value, found object",
                "escalation:\\n  patterns: {warningThenCritical: {critical: SEV4}}|policy.yaml: escalation.patterns.warningThenCritical.critical: critical (SEV4) must be more severe than warning (SEV3)",
                "escalation:\\n  patterns: {warningThenCritical: {enabled: 1}}|policy.yaml: escalation.patterns.warningThenCritical.enabled: expected true or false, found '1'",
                "escalation:\\n  patterns: {reEscalation: {enabled: false, within: 0m}}|policy.yaml: escalation.patterns.reEscalation.within: must be greater than zero, got 0m",
                "escalation:\\n  patterns: {reEscalation: {when: 1h}}|policy.yaml: escalation.patterns.reEscalation.when: unknown field (allowed here: enabled, within)",
                "escalation:\\n  schedules: {p: {timeZone: [UTC]}}|policy.yaml: escalation.schedules.p.timeZone: expected a single value, found array",
                "escalation:\\n  schedules: {p: {timeZone: UTC, layers: x}}|policy.yaml: escalation.schedules.p.layers: expected a list, found string",
                "escalation:\\n  schedules: {p: {timeZone: UTC, layers: [{members: alice}]}}|policy.yaml: escalation.schedules.p.layers[0].members: expected a list, found string",
                "escalation:\\n  schedules: {p: {timeZone: UTC, layers: [{members: [alice, {x: 1}]}]}}|policy.yaml: escalation.schedules.p.layers[0].members[1]: expected a single value, found object",
                "escalation:\\n  schedules: {p: {timeZone: UTC, layers: [{members: [' ']}]}}|policy.yaml: escalation.schedules.p.layers[0].members[0]: required",
                "escalation:\\n  schedules: {p: {timeZone: UTC, layers: [null]}}|policy.yaml: escalation.schedules.p.layers[0].members: name at least one member",
                "escalation:\\n  schedules: {p: {timeZone: UTC, layers: [{members: [alice], start: ''}]}}|policy.yaml: escalation.schedules.p.layers[0].start: required",
                "escalation:\\n  schedules: {p: {timeZone: UTC, layers: [{members: [alice], start: '2026-11-02T09:00', shift: [1]}]}}|policy.yaml: escalation.schedules.p.layers[0].shift: expected a single value, found array",
                "escalation:\\n  schedules: {p: {timeZone: UTC, layers: [{members: [alice], start: '2026-11-02T09:00', shift: 1w, restrict: daily}]}}|policy.yaml: escalation.schedules.p.layers[0].restrict: expected a mapping, found string",
                "escalation:\\n  schedules: {p: {timeZone: UTC, layers: [{members: [alice], start: '2026-11-02T09:00', shift: 1w, restrict: {days: [MON, ~]}}]}}|policy.yaml: escalation.schedules.p.layers[0].restrict.days[1]: required",
                "escalation:\\n  schedules: {p: {timeZone: UTC, layers: [{members: [alice], start: '2026-11-02T09:00', shift: 1w, restrict: {days: MON}}]}}|policy.yaml: escalation.schedules.p.layers[0].restrict.days: expected a list, found string",
                "escalation:\\n  schedules: {p: {timeZone: UTC, layers: [{members: [alice], start: '2026-11-02T09:00', shift: 1w, restrict: {from: '', to: '06:00'}}]}}|policy.yaml: escalation.schedules.p.layers[0].restrict.from: required",
                "escalation:\\n  schedules: {p: {timeZone: UTC, layers: [{members: [alice], start: '2026-11-02T09:00', shift: 1w}], overrides: [{start: 2026-11-21T09:00:00Z, end: 2026-11-22T09:00:00Z}]}}|policy.yaml: escalation.schedules.p.overrides[0].member: required",
                "escalation:\\n  schedules: {p: {timeZone: UTC, layers: [{members: [alice], start: '2026-11-02T09:00', shift: 1w}], overrides: [{member: dave, end: 2026-11-22T09:00:00Z}]}}|policy.yaml: escalation.schedules.p.overrides[0].start: required",
                "escalation:\\n  schedules: {p: {timeZone: UTC, layers: [{members: [alice], start: '2026-11-02T09:00', shift: 1w}], overrides: [5]}}|policy.yaml: escalation.schedules.p.overrides[0]: expected a mapping, found number",
                "escalation:\\n  schedules: 5|policy.yaml: escalation.schedules: expected a mapping, found number",
            })
    void bindingErrorsNameTheFileTheFieldAndTheReason(String yaml, String message) {
        assertThatThrownBy(() -> parse(yaml.replace("\\n", "\n")))
                .isInstanceOf(ConfigException.class)
                .hasMessage(message);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {"dedupe:\\n  flapThreshold: '12'", "dedupe:\\n  flapThreshold: 12"})
    void anIntegerMayBeWrittenAsText(String yaml) {
        assertThat(parse(yaml.replace("\\n", "\n")).dedupe().flapThreshold()).isEqualTo(12);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "[1]|topology.json: expected a mapping, found array",
                "{'services':5}|topology.json: services: expected a list, found number",
                "{'services':[5]}|topology.json: services[0]: expected a mapping, found number",
                "{'services':[null]}|topology.json: services[0].name: required",
                "{'services':[{'name':['a']}]}|topology.json: services[0].name: expected a single value, found array",
                "{'services':[{'name':'a','team':{}}]}|topology.json: services[0].team: expected a single value, found object",
                "{'services':[{'name':'a','dependsOn':['']}]}|topology.json: services[0].dependsOn[0]: required",
                "{'services':[{'name':'a','dependsOn':[{}]}]}|topology.json: services[0].dependsOn[0]: expected a single value, found object",
                "{'services':[{'name':'a'},{'name':'a'}]}|topology.json: services[1].name: service 'a' is listed twice",
            })
    void topologyErrorsNameTheFileTheFieldAndTheReason(String json, String message) {
        assertThatThrownBy(
                        () ->
                                TopologyLoader.parse(
                                        "topology.json",
                                        new ByteArrayInputStream(
                                                json.replace('\'', '"')
                                                        .getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(ConfigException.class)
                .hasMessage(message);
    }
}
