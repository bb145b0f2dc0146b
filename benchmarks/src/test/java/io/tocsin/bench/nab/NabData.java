package io.tocsin.bench.nab;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the NAB corpus is: {@code ../shared/nab} next to the repository, or -Dtocsin.nab=DIR. */
final class NabData {

    private NabData() {}

    static Path root() {
        Path p = Path.of(System.getProperty("tocsin.nab", "../../shared/nab"));
        assertThat(p.resolve("labels/combined_windows.json"))
                .as("the NAB corpus (set -Dtocsin.nab=DIR if it is elsewhere)")
                .exists();
        return p;
    }

    static boolean present() {
        return Files.isDirectory(Path.of(System.getProperty("tocsin.nab", "../../shared/nab")));
    }
}
