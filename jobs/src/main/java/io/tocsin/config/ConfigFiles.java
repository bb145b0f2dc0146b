package io.tocsin.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens config files and bundled resources for a parser, naming the file in every error. */
final class ConfigFiles {

    /** Parses a named stream. */
    interface Parser<T> {
        T parse(String name, InputStream in);
    }

    private ConfigFiles() {}

    static <T> T fromFile(Path file, Parser<T> parser) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(file.toString(), "", "file not found");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return parser.parse(file.toString(), in);
        } catch (IOException e) {
            throw new ConfigException(file.toString(), "", "cannot read: " + e.getMessage(), e);
        }
    }

    static <T> T fromResource(String resource, Parser<T> parser) {
        String name = "classpath:" + resource;
        try (InputStream in = ConfigFiles.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new ConfigException(name, "", "resource not found");
            }
            return parser.parse(name, in);
        } catch (IOException e) {
            throw new ConfigException(name, "", e.getMessage(), e);
        }
    }
}
