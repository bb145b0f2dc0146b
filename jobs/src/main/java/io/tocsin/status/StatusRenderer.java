package io.tocsin.status;

import com.github.mustachejava.Mustache;
import io.tocsin.config.StatusAudience;
import io.tocsin.config.StatusTemplates;
import io.tocsin.config.StatusUpdatePolicy;
import java.io.StringWriter;
import java.util.EnumMap;
import java.util.Map;

/**
 * The compiled templates of every enabled audience, and rendering them over each audience's own
 * model ({@link StatusModels}). Compiled once when built (a task builds it in open()); the policy
 * reader has already compiled the same texts, so this does not fail on a loaded policy.
 */
final class StatusRenderer {

    /** A rendered subject and body. */
    record Rendered(String subject, String text) {}

    private final Map<StatusAudience, Mustache> subjects = new EnumMap<>(StatusAudience.class);
    private final Map<StatusAudience, Mustache> bodies = new EnumMap<>(StatusAudience.class);

    StatusRenderer(StatusUpdatePolicy policy) {
        for (StatusAudience a : StatusAudience.values()) {
            StatusUpdatePolicy.Audience settings = policy.audience(a);
            if (settings != null && settings.enabled()) {
                subjects.put(
                        a,
                        StatusTemplates.compile(
                                settings.source() + " (subject)", settings.subject()));
                bodies.put(a, StatusTemplates.compile(settings.source(), settings.template()));
            }
        }
    }

    Rendered render(StatusAudience audience, UpdateFacts facts) {
        Map<String, Object> model = StatusModels.of(audience, facts);
        return new Rendered(
                run(subjects.get(audience), model).strip(),
                run(bodies.get(audience), model).strip());
    }

    private static String run(Mustache m, Map<String, Object> model) {
        StringWriter w = new StringWriter(256);
        m.execute(w, model);
        return w.toString();
    }
}
