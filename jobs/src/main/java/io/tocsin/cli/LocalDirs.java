package io.tocsin.cli;

import java.nio.file.Path;

/** Where the launcher keeps runtime data: {@code $TOCSIN_HOME/.local} (the checkout). */
final class LocalDirs {

    private LocalDirs() {}

    /** The project root the launcher exported as TOCSIN_HOME, else the working directory. */
    static Path root() {
        String home = System.getenv("TOCSIN_HOME");
        return Path.of(home == null || home.isBlank() ? "." : home).toAbsolutePath().normalize();
    }

    static Path run() {
        return root().resolve(".local").resolve("run");
    }
}
