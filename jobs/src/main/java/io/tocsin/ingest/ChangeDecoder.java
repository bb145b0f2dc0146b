package io.tocsin.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.tocsin.avro.Change;
import io.tocsin.avro.ChangeKind;
import io.tocsin.avro.DeadLetter;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import org.apache.avro.Schema;

/**
 * Decodes the changes topic: an Avro single-object Change, or a JSON object with the same fields
 * ({@code {"changeId": "d-812", "service": "users-pg", "kind": "deploy", "version": "15.4-2",
 * "author": "carol", "authorTeam": "data", "time": "2026-11-02T02:01:00Z", "link":
 * "https://ci.example/d-812", "environment": "prod", "cluster": "eu-1"}}; kind case-insensitive,
 * {@code feature-flag} and {@code infra} accepted, {@code from}/{@code to} short for {@code
 * fromVersion}/{@code toVersion}). A record that is not a well-formed change becomes a dead letter
 * (stage {@code changes}) whose reason names the field. A service the topology does not know is
 * kept: it may be new.
 */
public final class ChangeDecoder extends SingleObjectDecoder<Change, IngestedChange> {

    private static final long serialVersionUID = 1L;

    /** Lets the Avro body be walked before it is read, so a false length cannot allocate. */
    @Override
    Schema avroSchema() {
        return Change.getClassSchema();
    }

    public ChangeDecoder(int maxRecordBytes) {
        super(maxRecordBytes, "changes");
    }

    @Override
    public IngestedChange heartbeat(long at) {
        return IngestedChange.heartbeat(at);
    }

    @Override
    IngestedChange accepted(Change change) {
        return IngestedChange.of(change);
    }

    @Override
    IngestedChange rejected(DeadLetter deadLetter) {
        return IngestedChange.rejected(deadLetter);
    }

    @Override
    Change fromAvro(byte[] bytes) throws IOException {
        Change c = Change.getDecoder().decode(bytes);
        try {
            return validated(c);
        } catch (InvalidAlertException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    InvalidAlertException notAnObject() {
        return new InvalidAlertException(
                RejectReason.NOT_A_CHANGE, "expected a JSON object (a change)");
    }

    @Override
    Change fromJson(JsonNode n) throws InvalidAlertException {
        String from = optional(n, "fromVersion");
        String to = optional(n, "toVersion");
        return validated(
                Change.newBuilder()
                        .setChangeId(required(n, "changeId"))
                        .setService(required(n, "service"))
                        .setKind(kind(required(n, "kind")))
                        .setVersion(optional(n, "version"))
                        .setFromVersion(from != null ? from : optional(n, "from"))
                        .setToVersion(to != null ? to : optional(n, "to"))
                        .setAuthor(optional(n, "author"))
                        .setAuthorTeam(optional(n, "authorTeam"))
                        .setTime(time(n.get("time")))
                        .setLink(optional(n, "link"))
                        .setEnvironment(optional(n, "environment"))
                        .setCluster(optional(n, "cluster"))
                        .build());
    }

    /** The checks shared by both encodings. */
    private static Change validated(Change c) throws InvalidAlertException {
        if (c.getChangeId().isBlank()) {
            throw new InvalidAlertException(RejectReason.NOT_A_CHANGE, "changeId: required");
        }
        if (c.getService().isBlank()) {
            throw new InvalidAlertException(RejectReason.NOT_A_CHANGE, "service: required");
        }
        if (c.getKind() == ChangeKind.UNKNOWN) {
            throw new InvalidAlertException(
                    RejectReason.NOT_A_CHANGE,
                    "kind: unknown change kind (one of deploy, config, feature_flag,"
                            + " infrastructure)");
        }
        if (c.getFromVersion() != null && c.getToVersion() == null) {
            throw new InvalidAlertException(
                    RejectReason.NOT_A_CHANGE, "toVersion: required when fromVersion is given");
        }
        if (c.getLink() != null && !isHttpUrl(c.getLink())) {
            throw new InvalidAlertException(
                    RejectReason.NOT_A_CHANGE,
                    "link: \"" + c.getLink() + "\" is not an http(s) URL");
        }
        return c;
    }

    private static boolean isHttpUrl(String link) {
        try {
            URI u = new URI(link);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https")) && u.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static String required(JsonNode n, String field) throws InvalidAlertException {
        String v = optional(n, field);
        if (v == null || v.isBlank()) {
            throw new InvalidAlertException(RejectReason.NOT_A_CHANGE, field + ": required");
        }
        return v;
    }

    private static String optional(JsonNode n, String field) throws InvalidAlertException {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isValueNode()) {
            throw new InvalidAlertException(
                    RejectReason.NOT_A_CHANGE, field + ": expected a string");
        }
        return v.asText();
    }

    private static ChangeKind kind(String k) throws InvalidAlertException {
        String name = k.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        if (name.equals("INFRA")) {
            name = "INFRASTRUCTURE";
        }
        try {
            ChangeKind c = ChangeKind.valueOf(name);
            if (c != ChangeKind.UNKNOWN) {
                return c;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new InvalidAlertException(
                RejectReason.NOT_A_CHANGE,
                "kind: unknown change kind \""
                        + k
                        + "\" (one of deploy, config, feature_flag, infrastructure)");
    }

    private static Instant time(JsonNode v) throws InvalidAlertException {
        if (v == null || v.isNull()) {
            throw new InvalidAlertException(RejectReason.BAD_TIME, "time: required");
        }
        if (v.isIntegralNumber()) {
            return Instant.ofEpochMilli(v.asLong());
        }
        try {
            return Instant.parse(v.asText());
        } catch (DateTimeParseException e) {
            throw new InvalidAlertException(
                    RejectReason.BAD_TIME,
                    "time: cannot parse \"" + v.asText() + "\" as an RFC 3339 time");
        }
    }
}
