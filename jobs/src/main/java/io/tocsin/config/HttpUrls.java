package io.tocsin.config;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * Which links Tocsin puts on a page (catalog runbooks, alerts' runbook_url annotations): absolute
 * http or https URLs with a host, nothing else (no javascript:, file: or relative links).
 */
public final class HttpUrls {

    private HttpUrls() {}

    public static boolean isHttp(String text) {
        return problem(text) == null;
    }

    /** Why {@code text} is not an http(s) URL, or null when it is one. */
    public static String problem(String text) {
        if (text == null || text.isBlank()) {
            return "required";
        }
        URI u;
        try {
            u = new URI(text);
        } catch (URISyntaxException e) {
            return "not a URL: '" + text + "' (" + e.getReason() + ")";
        }
        String scheme = u.getScheme();
        if (scheme == null
                || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
            return "must be an http or https URL, got '" + text + "'";
        }
        if (u.getHost() == null || u.getHost().isBlank()) {
            return "URL has no host: '" + text + "'";
        }
        return null;
    }
}
