package io.tocsin.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Minimal "--name value" / "--flag" parser that names the bad option in its error. */
final class Args {

    private final String command;
    private final Map<String, String> values = new HashMap<>();

    private Args(String command) {
        this.command = command;
    }

    static Args parse(String command, List<String> argv, Set<String> options, Set<String> flags) {
        Args a = new Args(command);
        for (int i = 0; i < argv.size(); i++) {
            String arg = argv.get(i);
            if (arg.equals("--help") || arg.equals("-h")) {
                a.values.put("help", "true");
                continue;
            }
            if (!arg.startsWith("--")) {
                throw new UsageException(command + ": unexpected argument '" + arg + "'");
            }
            String name = arg.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (flags.contains(name)) {
                a.values.put(name, "true");
            } else if (options.contains(name)) {
                if (value == null) {
                    if (i + 1 >= argv.size()) {
                        throw new UsageException(command + ": --" + name + " needs a value");
                    }
                    value = argv.get(++i);
                }
                a.values.put(name, value);
            } else {
                throw new UsageException(command + ": unknown option --" + name);
            }
        }
        return a;
    }

    boolean help() {
        return values.containsKey("help");
    }

    boolean flag(String name) {
        return values.containsKey(name);
    }

    String get(String name, String def) {
        return values.getOrDefault(name, def);
    }

    String required(String name) {
        String v = values.get(name);
        if (v == null || v.isEmpty()) {
            throw new UsageException(command + ": --" + name + " is required");
        }
        return v;
    }

    int intValue(String name, int def) {
        String v = values.get(name);
        if (v == null) {
            return def;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new UsageException(
                    command + ": --" + name + " must be an integer, got '" + v + "'");
        }
    }

    Path existingFile(String name) {
        Path p = Path.of(required(name));
        if (!Files.isRegularFile(p)) {
            throw new UsageException(command + ": --" + name + " " + p + ": file not found");
        }
        return p;
    }

    Path optionalFile(String name) {
        return values.containsKey(name) ? existingFile(name) : null;
    }

    /** A wrong command line: printed with the command's usage, exit code 2. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
