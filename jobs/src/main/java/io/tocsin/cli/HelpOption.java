package io.tocsin.cli;

import picocli.CommandLine.Option;

/** {@code -h/--help} for every command (picocli's standard mixin would add a version to print). */
final class HelpOption {

    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "Show this help and exit.")
    boolean help;
}
