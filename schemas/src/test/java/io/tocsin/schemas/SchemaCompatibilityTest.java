package io.tocsin.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.junit.jupiter.api.Test;

/**
 * Keeps consumers from breaking: every schema must stay backward and forward compatible with each
 * released version frozen under schemas/history/NAME/vN.avsc, and with the version in the last
 * commit. A change to a schema needs a new snapshot (run with -Dtocsin.schemas.snapshot=true to
 * write it), so the history grows with every released shape.
 */
class SchemaCompatibilityTest {

    private static final Path SCHEMAS =
            Path.of(System.getProperty("tocsin.schemas.dir", "src/main/avro"));
    private static final Path HISTORY =
            Path.of(System.getProperty("tocsin.schemas.history", "history"));

    /** Parses all current schemas together (enums in common/ first), by full name. */
    static Map<String, Schema> current() throws IOException {
        Schema.Parser parser = new Schema.Parser();
        List<Path> files = new ArrayList<>();
        try (Stream<Path> common = Files.list(SCHEMAS.resolve("common"))) {
            common.filter(p -> p.toString().endsWith(".avsc")).sorted().forEach(files::add);
        }
        try (Stream<Path> top = Files.list(SCHEMAS)) {
            top.filter(p -> p.toString().endsWith(".avsc")).sorted().forEach(files::add);
        }
        Map<String, Schema> out = new TreeMap<>();
        for (Path f : files) {
            Schema s = parser.parse(f.toFile());
            if (s.getType() == Schema.Type.RECORD) {
                out.put(s.getName(), s);
            }
        }
        return out;
    }

    static void assertMutuallyCompatible(Schema now, Schema before, String what) {
        var backward = SchemaCompatibility.checkReaderWriterCompatibility(now, before);
        var forward = SchemaCompatibility.checkReaderWriterCompatibility(before, now);
        assertThat(backward.getType())
                .as(
                        "%s: the new schema must read data written with %s: %s",
                        now.getName(), what, backward.getDescription())
                .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
        assertThat(forward.getType())
                .as(
                        "%s: readers on %s must read data written with the new schema: %s",
                        now.getName(), what, forward.getDescription())
                .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    }

    @Test
    void everySchemaIsCompatibleBothWaysWithEveryReleasedVersion() throws IOException {
        Map<String, Schema> current = current();
        assertThat(current)
                .containsKeys(
                        "Alert",
                        "MetricPoint",
                        "Incident",
                        "IncidentEvent",
                        "Command",
                        "DeadLetter");
        if (Boolean.getBoolean("tocsin.schemas.snapshot")) {
            snapshot(current);
        }
        for (Map.Entry<String, Schema> e : current.entrySet()) {
            List<Path> versions = versions(e.getKey());
            assertThat(versions)
                    .as(
                            "%s has no snapshot under %s: run the build with -Dtocsin.schemas.snapshot=true",
                            e.getKey(), HISTORY)
                    .isNotEmpty();
            for (Path v : versions) {
                assertMutuallyCompatible(
                        e.getValue(), new Schema.Parser().parse(v.toFile()), v.toString());
            }
            Schema latest = new Schema.Parser().parse(versions.get(versions.size() - 1).toFile());
            assertThat(latest)
                    .as(
                            "%s changed since its last snapshot %s: add a new one with -Dtocsin.schemas.snapshot=true",
                            e.getKey(), versions.get(versions.size() - 1))
                    .isEqualTo(e.getValue());
        }
    }

    @Test
    void everySchemaIsCompatibleBothWaysWithTheLastCommit() throws Exception {
        Map<String, Schema> current = current();
        Map<String, String> committed = new TreeMap<>();
        for (String name : current.keySet()) {
            String text = gitShow("schemas/src/main/avro/" + name + ".avsc");
            if (text != null) {
                committed.put(name, text);
            }
        }
        if (committed.isEmpty()) {
            return; // not a git checkout (e.g. a source archive): the history test still guards
        }
        // Parse the committed record schemas with the current enums so references resolve.
        for (Map.Entry<String, String> e : committed.entrySet()) {
            Schema.Parser parser = new Schema.Parser();
            try (Stream<Path> common = Files.list(SCHEMAS.resolve("common"))) {
                for (Path p :
                        common.filter(p -> p.toString().endsWith(".avsc")).sorted().toList()) {
                    String c = gitShow("schemas/src/main/avro/common/" + p.getFileName());
                    parser.parse(c != null ? c : Files.readString(p));
                }
            }
            assertMutuallyCompatible(
                    current.get(e.getKey()), parser.parse(e.getValue()), "the last commit");
        }
    }

    private static String gitShow(String path) throws Exception {
        Path root = SCHEMAS.toAbsolutePath().getParent().getParent().getParent().getParent();
        Process p;
        try {
            p =
                    new ProcessBuilder("git", "show", "HEAD:" + path)
                            .directory(root.toFile())
                            .redirectErrorStream(false)
                            .start();
        } catch (IOException e) {
            return null; // no git on this machine
        }
        byte[] out = p.getInputStream().readAllBytes();
        p.getErrorStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            return null;
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    private static List<Path> versions(String name) throws IOException {
        Path dir = HISTORY.resolve(name);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().matches("v\\d+\\.avsc"))
                    .sorted((a, b) -> Integer.compare(version(a), version(b)))
                    .toList();
        }
    }

    private static int version(Path p) {
        String n = p.getFileName().toString();
        return Integer.parseInt(n.substring(1, n.length() - ".avsc".length()));
    }

    /** Writes a new self-contained vN.avsc for each schema that differs from its latest one. */
    private static void snapshot(Map<String, Schema> current) throws IOException {
        for (Map.Entry<String, Schema> e : current.entrySet()) {
            List<Path> versions = versions(e.getKey());
            if (!versions.isEmpty()
                    && new Schema.Parser()
                            .parse(versions.get(versions.size() - 1).toFile())
                            .equals(e.getValue())) {
                continue;
            }
            Path dir = HISTORY.resolve(e.getKey());
            Files.createDirectories(dir);
            Files.writeString(
                    dir.resolve("v" + (versions.size() + 1) + ".avsc"),
                    e.getValue().toString(true) + "\n");
        }
    }
}
