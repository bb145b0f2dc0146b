package io.tocsin.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP answer: status, content type and body. Errors are a JSON string, as Alertmanager's API
 * answers them, so Prometheus and amtool print the reason. {@code location} is a redirect's target
 * (the board's), or null.
 */
public record Reply(int status, String contentType, byte[] body, String location) {

    public Reply(int status, String contentType, byte[] body) {
        this(status, contentType, body, null);
    }

    static final ObjectMapper JSON = new ObjectMapper();
    static final String APPLICATION_JSON = "application/json";

    public static Reply json(int status, Object value) {
        try {
            return new Reply(status, APPLICATION_JSON, JSON.writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    public static Reply error(int status, String message) {
        return json(status, message);
    }

    public static Reply empty(int status) {
        return new Reply(status, null, new byte[0]);
    }

    public static Reply text(int status, String text) {
        return new Reply(
                status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }
}
