package io.tocsin.changes;

import io.tocsin.avro.Change;
import io.tocsin.avro.ChangeKind;
import io.tocsin.config.Topology;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Fixtures for the changes stage's tests: a small topology and changes at exact times. */
final class Changes {

    /** 10:00 UTC on the fixtures' day. */
    static final Instant T0 = Instant.parse("2026-11-02T10:00:00Z");

    private Changes() {}

    static long at(int minute) {
        return T0.plus(Duration.ofMinutes(minute)).toEpochMilli();
    }

    /**
     * web -> api -> db, api -> cache, web -> search -> index; db is at two hops from web and three
     * hops from edge (edge -> web).
     */
    static Topology topology() {
        return new Topology(
                Map.of(
                        "edge", service("edge", "web"),
                        "web", service("web", "api", "search"),
                        "api", service("api", "db", "cache"),
                        "db", service("db"),
                        "cache", service("cache"),
                        "search", service("search", "index"),
                        "index", service("index")));
    }

    private static Topology.Service service(String name, String... dependsOn) {
        return new Topology.Service(name, "", "team-" + name, List.of(dependsOn));
    }

    static Change change(String id, String service, int minute) {
        return change(id, service, ChangeKind.DEPLOY, minute);
    }

    static Change change(String id, String service, ChangeKind kind, int minute) {
        return Change.newBuilder()
                .setChangeId(id)
                .setService(service)
                .setKind(kind)
                .setVersion("v-" + id)
                .setAuthor("author-" + id)
                .setAuthorTeam("team-" + service)
                .setTime(Instant.ofEpochMilli(at(minute)))
                .setLink("https://ci.example/" + id)
                .build();
    }
}
