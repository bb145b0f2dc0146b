package io.tocsin.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class VersionsInForceTest {

    /** Versions starting at 100 ("a") and 200 ("b"), listed out of order as broadcast state may. */
    private static final Map<Long, String> VERSIONS = new TreeMap<>(Map.of(200L, "b", 100L, "a"));

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("long before the first version", Long.MIN_VALUE, "initial"),
                Arguments.of("just before the first version", 99L, "initial"),
                Arguments.of("exactly when the first starts", 100L, "built:a"),
                Arguments.of("between the two", 150L, "built:a"),
                Arguments.of("exactly when the second starts", 200L, "built:b"),
                Arguments.of("after the last", Long.MAX_VALUE, "built:b"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theVersionInForceIsTheLatestStartedAtOrBeforeT(String why, long t, String expected) {
        VersionsInForce<String> v = new VersionsInForce<>("initial", json -> "built:" + json);
        assertThat(v.at(VERSIONS.entrySet(), t)).isEqualTo(expected);
    }

    @Test
    void noVersionsMeansTheInitialOne() {
        VersionsInForce<String> v = new VersionsInForce<>("initial", json -> "built:" + json);
        assertThat(v.at(List.of(), 1_000L)).isEqualTo("initial");
    }

    @Test
    void eachVersionIsBuiltOnceAndTheSameObjectIsReturned() {
        List<String> builds = new ArrayList<>();
        VersionsInForce<StringBuilder> v =
                new VersionsInForce<>(
                        new StringBuilder("initial"),
                        json -> {
                            builds.add(json);
                            return new StringBuilder(json);
                        });
        StringBuilder first = v.at(VERSIONS.entrySet(), 150L);
        assertThat(v.at(VERSIONS.entrySet(), 180L)).isSameAs(first);
        v.at(VERSIONS.entrySet(), 250L);
        v.at(VERSIONS.entrySet(), 300L);
        assertThat(builds).containsExactly("a", "b");
    }
}
