package io.tocsin.config;

import static io.tocsin.config.ConfigBinder.or;
import static io.tocsin.config.ConfigBinder.positive;
import static io.tocsin.config.ConfigBinder.required;

import io.tocsin.avro.Severity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads the policy's {@code statusUpdates} section. Left-out fields take the built-in values of
 * {@link StatusUpdatePolicy#defaults()}; every template is compiled here, so one that does not
 * compile fails at start with the file, the field and the compiler's reason.
 */
final class StatusUpdatesReader {

    private StatusUpdatesReader() {}

    /** The section as written; null where left out. */
    record RawSection(Boolean enabled, Map<String, String> impact, RawAudiences audiences) {}

    record RawAudiences(
            RawAudience technical,
            RawAudience business,
            RawAudience executive,
            RawAudience customer) {}

    record RawAudience(
            Boolean enabled,
            String subject,
            String template,
            String templateFile,
            List<String> triggers,
            List<String> severities,
            Duration minInterval,
            List<RawChannelRule> channels) {}

    record RawChannelRule(List<String> severities, List<String> channels) {}

    /**
     * @param n the section
     * @param templateDir where a {@code templateFile} is looked up: the policy file's directory, or
     *     null for a policy on the class path (its templates are class-path resources next to it)
     */
    static StatusUpdatePolicy read(ConfigNode n, Path templateDir, String resourceDir) {
        RawSection raw = ConfigBinder.bind(n, RawSection.class);
        StatusUpdatePolicy d = StatusUpdatePolicy.defaults();
        Map<Severity, String> impact = new EnumMap<>(Severity.class);
        impact.putAll(d.impact());
        if (raw.impact() != null) {
            for (Map.Entry<String, String> e : raw.impact().entrySet()) {
                ConfigNode at = n.get("impact").get(e.getKey());
                impact.put(PolicyLoader.level(at, e.getKey()), required(at, e.getValue()));
            }
        }
        RawAudiences ra = or(raw.audiences(), new RawAudiences(null, null, null, null));
        Map<StatusAudience, StatusUpdatePolicy.Audience> audiences =
                new EnumMap<>(StatusAudience.class);
        ConfigNode an = n.get("audiences");
        audiences.put(
                StatusAudience.TECHNICAL,
                audience(
                        an.get("technical"),
                        ra.technical(),
                        StatusAudience.TECHNICAL,
                        templateDir,
                        resourceDir));
        audiences.put(
                StatusAudience.BUSINESS,
                audience(
                        an.get("business"),
                        ra.business(),
                        StatusAudience.BUSINESS,
                        templateDir,
                        resourceDir));
        audiences.put(
                StatusAudience.EXECUTIVE,
                audience(
                        an.get("executive"),
                        ra.executive(),
                        StatusAudience.EXECUTIVE,
                        templateDir,
                        resourceDir));
        audiences.put(
                StatusAudience.CUSTOMER,
                audience(
                        an.get("customer"),
                        ra.customer(),
                        StatusAudience.CUSTOMER,
                        templateDir,
                        resourceDir));
        return new StatusUpdatePolicy(or(raw.enabled(), d.enabled()), audiences, impact);
    }

    private static StatusUpdatePolicy.Audience audience(
            ConfigNode n,
            RawAudience raw,
            StatusAudience which,
            Path templateDir,
            String resourceDir) {
        StatusUpdatePolicy.Audience d = StatusUpdatePolicy.defaults(which);
        if (raw == null) {
            return d;
        }
        if (raw.template() != null && raw.templateFile() != null) {
            throw n.get("templateFile").error("give either template or templateFile, not both");
        }
        String source = d.source();
        String body = d.template();
        if (raw.template() != null) {
            body = required(n.get("template"), raw.template());
            source = n.file() + ": " + n.get("template").path();
            check(n.get("template"), "", body);
        } else if (raw.templateFile() != null) {
            ConfigNode at = n.get("templateFile");
            String file = required(at, raw.templateFile());
            body = templateFile(at, file, templateDir, resourceDir);
            source = file;
            check(at, file + ": ", body);
        }
        String subject = or(raw.subject(), d.subject());
        check(n.get("subject"), "", subject);
        return new StatusUpdatePolicy.Audience(
                or(raw.enabled(), d.enabled()),
                source,
                subject,
                body,
                raw.triggers() == null ? d.triggers() : triggers(n.get("triggers"), raw.triggers()),
                raw.severities() == null
                        ? d.severities()
                        : severities(n.get("severities"), raw.severities(), false),
                positive(n.get("minInterval"), raw.minInterval(), d.minInterval()),
                raw.channels() == null
                        ? d.channels()
                        : channels(n.get("channels"), raw.channels()));
    }

    /** Fails at {@code n} when {@code text} does not compile. */
    private static void check(ConfigNode n, String prefix, String text) {
        String problem = StatusTemplates.problem(n.file() + ":" + n.path(), text);
        if (problem != null) {
            throw n.error(prefix + "template does not compile: " + problem);
        }
    }

    private static String templateFile(
            ConfigNode at, String file, Path templateDir, String resourceDir) {
        if (templateDir == null) {
            String resource = resourceDir.isEmpty() ? file : resourceDir + "/" + file;
            try {
                return StatusUpdatePolicy.resource(resource);
            } catch (ConfigException e) {
                throw at.error("template file " + file + " not found on the class path");
            }
        }
        Path p = templateDir.resolve(file);
        if (!Files.isRegularFile(p)) {
            throw at.error("template file " + p + " not found");
        }
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw at.error("cannot read template file " + p + ": " + e.getMessage());
        }
    }

    private static Set<StatusTrigger> triggers(ConfigNode n, List<String> raw) {
        List<ConfigNode> at = n.list();
        Set<StatusTrigger> out = EnumSet.noneOf(StatusTrigger.class);
        for (int i = 0; i < raw.size(); i++) {
            String t = required(at.get(i), raw.get(i)).trim().toUpperCase(Locale.ROOT);
            try {
                out.add(StatusTrigger.valueOf(t));
            } catch (IllegalArgumentException e) {
                throw at.get(i)
                        .error(
                                "unknown trigger '"
                                        + raw.get(i)
                                        + "' (OPENED, SEVERITY_CHANGED, ROOT_CAUSE_CHANGED or"
                                        + " RESOLVED)");
            }
        }
        return out;
    }

    private static Set<Severity> severities(ConfigNode n, List<String> raw, boolean mayBeEmpty) {
        List<ConfigNode> at = n.list();
        Set<Severity> out = EnumSet.noneOf(Severity.class);
        for (int i = 0; i < raw.size(); i++) {
            out.add(PolicyLoader.level(at.get(i), raw.get(i)));
        }
        if (out.isEmpty() && !mayBeEmpty) {
            throw n.error("name at least one severity");
        }
        return out;
    }

    private static List<StatusUpdatePolicy.ChannelRule> channels(
            ConfigNode n, List<RawChannelRule> raw) {
        List<ConfigNode> at = n.list();
        List<StatusUpdatePolicy.ChannelRule> out = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            ConfigNode r = at.get(i);
            RawChannelRule rule = or(raw.get(i), new RawChannelRule(null, null));
            Set<Severity> sev =
                    rule.severities() == null
                            ? Set.of()
                            : severities(r.get("severities"), rule.severities(), true);
            List<String> channels = ConfigBinder.texts(r.get("channels"), rule.channels());
            if (channels.isEmpty()) {
                throw r.get("channels").error("name at least one channel");
            }
            List<ConfigNode> cn = r.get("channels").list();
            for (int c = 0; c < channels.size(); c++) {
                if (!StatusUpdatePolicy.CHANNELS.contains(channels.get(c))) {
                    throw cn.get(c)
                            .error(
                                    "unknown channel '"
                                            + channels.get(c)
                                            + "' (one of "
                                            + String.join(
                                                    ", ",
                                                    new java.util.TreeSet<>(
                                                            StatusUpdatePolicy.CHANNELS))
                                            + ")");
                }
            }
            out.add(new StatusUpdatePolicy.ChannelRule(sev, channels));
        }
        return out;
    }
}
