package io.tocsin.config;

import io.tocsin.avro.Severity;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The policy's {@code statusUpdates} section: per audience the template, the triggers, the
 * severities it hears about, the rate limit and the channel rules; and the plain words for each
 * severity's impact.
 *
 * @param impact what each severity means for customers, in words a status page can show
 */
public record StatusUpdatePolicy(
        boolean enabled, Map<StatusAudience, Audience> audiences, Map<Severity, String> impact)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The channels a rule may name. */
    public static final Set<String> CHANNELS =
            Set.of("page", "chat", "email", "sms", "voice", "status-page");

    public StatusUpdatePolicy {
        audiences = Map.copyOf(audiences);
        impact = Map.copyOf(impact);
    }

    /**
     * One audience's settings.
     *
     * @param source where the template came from (file and field), named in render errors
     * @param subject the one-line subject template (email subject, status-page title)
     * @param template the body template
     * @param severities an incident is told to this audience once its severity is one of these
     * @param minInterval at most one update per this much event time, per incident (RESOLVED is
     *     always sent; what the limit holds back is folded into the next update)
     * @param channels the first rule matching the severity gives the channels
     */
    public record Audience(
            boolean enabled,
            String source,
            String subject,
            String template,
            Set<StatusTrigger> triggers,
            Set<Severity> severities,
            Duration minInterval,
            List<ChannelRule> channels)
            implements Serializable {

        private static final long serialVersionUID = 1L;

        public Audience {
            triggers = Set.copyOf(triggers);
            severities = Set.copyOf(severities);
            channels = List.copyOf(channels);
        }

        /** The channels for an update at {@code severity}; none when no rule matches. */
        public List<String> channelsFor(Severity severity) {
            for (ChannelRule r : channels) {
                if (r.matches(severity)) {
                    return r.channels();
                }
            }
            return List.of();
        }

        public boolean hears(Severity severity) {
            return severities.contains(severity);
        }

        public long minIntervalMillis() {
            return minInterval.toMillis();
        }
    }

    /**
     * Channels for updates at some severities.
     *
     * @param severities the severities it applies to; empty for all
     */
    public record ChannelRule(Set<Severity> severities, List<String> channels)
            implements Serializable {

        private static final long serialVersionUID = 1L;

        public ChannelRule {
            severities = Set.copyOf(severities);
            channels = List.copyOf(channels);
        }

        public boolean matches(Severity s) {
            return severities.isEmpty() || severities.contains(s);
        }
    }

    public Audience audience(StatusAudience a) {
        return audiences.get(a);
    }

    /** The impact words for {@code s}; the SEV4 words for a severity without its own. */
    public String impactOf(Severity s) {
        String w = impact.get(s);
        return w != null ? w : impact.getOrDefault(Severity.SEV4, "");
    }

    /** The built-in settings and templates (status/*.mustache on the class path). */
    public static StatusUpdatePolicy defaults() {
        Map<StatusAudience, Audience> a = new EnumMap<>(StatusAudience.class);
        for (StatusAudience audience : StatusAudience.values()) {
            a.put(audience, defaults(audience));
        }
        return new StatusUpdatePolicy(true, a, defaultImpact());
    }

    static Map<Severity, String> defaultImpact() {
        Map<Severity, String> m = new EnumMap<>(Severity.class);
        m.put(Severity.SEV1, "many customers cannot use the service");
        m.put(Severity.SEV2, "some customers see errors or slow responses");
        m.put(Severity.SEV3, "a small number of customers may see slow responses");
        m.put(Severity.SEV4, "customers should not notice any impact");
        return m;
    }

    /** The built-in settings of one audience. */
    static Audience defaults(StatusAudience audience) {
        Set<StatusTrigger> all = EnumSet.allOf(StatusTrigger.class);
        Set<Severity> anySeverity =
                EnumSet.of(Severity.SEV1, Severity.SEV2, Severity.SEV3, Severity.SEV4);
        Set<Severity> major = EnumSet.of(Severity.SEV1, Severity.SEV2);
        String source = "classpath:" + defaultTemplate(audience);
        String body = resource(defaultTemplate(audience));
        return switch (audience) {
            case TECHNICAL ->
                    new Audience(
                            true,
                            source,
                            "[{{severity}}] {{incidentId}} {{statusWord}}: {{title}}",
                            body,
                            all,
                            anySeverity,
                            Duration.ofMinutes(5),
                            List.of(
                                    new ChannelRule(major, List.of("page", "chat")),
                                    new ChannelRule(Set.of(), List.of("chat"))));
            case BUSINESS ->
                    new Audience(
                            true,
                            source,
                            "{{severity}} incident {{statusWord}}: {{impact}}",
                            body,
                            all,
                            EnumSet.of(Severity.SEV1, Severity.SEV2, Severity.SEV3),
                            Duration.ofMinutes(15),
                            List.of(new ChannelRule(Set.of(), List.of("email"))));
            case EXECUTIVE ->
                    new Audience(
                            true,
                            source,
                            "{{severity}} {{statusWord}}",
                            body,
                            EnumSet.of(StatusTrigger.OPENED, StatusTrigger.RESOLVED),
                            major,
                            Duration.ofMinutes(30),
                            List.of(
                                    new ChannelRule(Set.of(Severity.SEV1), List.of("email", "sms")),
                                    new ChannelRule(Set.of(), List.of("email"))));
            case CUSTOMER ->
                    new Audience(
                            true,
                            source,
                            "{{statusWord}}: {{headline}}",
                            body,
                            EnumSet.of(
                                    StatusTrigger.OPENED,
                                    StatusTrigger.SEVERITY_CHANGED,
                                    StatusTrigger.RESOLVED),
                            major,
                            Duration.ofMinutes(10),
                            List.of(new ChannelRule(Set.of(), List.of("status-page"))));
        };
    }

    static String defaultTemplate(StatusAudience a) {
        return "status/" + a.key() + ".mustache";
    }

    static String resource(String name) {
        try (InputStream in = StatusUpdatePolicy.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new ConfigException("classpath:" + name, "", "resource not found");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
