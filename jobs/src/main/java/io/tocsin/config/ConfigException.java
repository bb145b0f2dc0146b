package io.tocsin.config;

/**
 * A configuration or policy file that cannot be used. The message names the file, the field and the
 * reason, so the job fails fast at start with something a person can act on.
 */
public final class ConfigException extends RuntimeException {

    public ConfigException(String file, String field, String reason) {
        super(file + ": " + (field == null || field.isEmpty() ? "" : field + ": ") + reason);
    }

    public ConfigException(String file, String field, String reason, Throwable cause) {
        super(file + ": " + (field == null || field.isEmpty() ? "" : field + ": ") + reason, cause);
    }
}
