package io.tocsin.ingest;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * Computes an alert's fingerprint from its label set when the input carries none: FNV-1a 64 over
 * the labels sorted by name (UTF-8 bytes of name, 0xff, value, 0xff for each), as 16 lower-case hex
 * digits. Stable across restarts and versions: changing it would split every open alert, so the
 * algorithm is part of the schema contract (Alert.fingerprint).
 */
public final class Fingerprint {

    private static final long OFFSET_BASIS = 0xcbf29ce484222325L;
    private static final long PRIME = 0x100000001b3L;
    private static final int SEPARATOR = 0xff;

    private Fingerprint() {}

    public static String of(Map<String, String> labels) {
        long h = OFFSET_BASIS;
        for (Map.Entry<String, String> e : new TreeMap<>(labels).entrySet()) {
            h = mix(h, e.getKey().getBytes(StandardCharsets.UTF_8));
            h = (h ^ SEPARATOR) * PRIME;
            h = mix(h, e.getValue().getBytes(StandardCharsets.UTF_8));
            h = (h ^ SEPARATOR) * PRIME;
        }
        return String.format("%016x", h);
    }

    private static long mix(long h, byte[] bytes) {
        for (byte b : bytes) {
            h ^= (b & 0xff);
            h *= PRIME;
        }
        return h;
    }
}
