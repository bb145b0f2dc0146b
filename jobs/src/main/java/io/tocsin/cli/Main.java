package io.tocsin.cli;

import io.tocsin.config.ConfigException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/** Entry point of the job jar: dispatches the launcher's Java subcommands. */
@Command(
        name = "tocsin",
        customSynopsis =
                "java -jar tocsin-jobs.jar COMMAND [OPTIONS]   (normally through ./tocsin)",
        commandListHeading = "%nCommands:%n",
        footer = "Each command takes --help.",
        subcommands = CommandLine.HelpCommand.class)
public final class Main implements Callable<Integer> {

    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "this list")
    boolean help;

    @Spec CommandSpec spec;

    private final PrintStream out;

    private Main(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(Arrays.asList(args), System.out, System.err));
    }

    /** No command: the list of commands, exit code 2. */
    @Override
    public Integer call() {
        spec.commandLine().usage(out);
        return 2;
    }

    static int run(List<String> argv, PrintStream out, PrintStream err) throws Exception {
        CommandLine cl =
                new CommandLine(new Main(out))
                        .addSubcommand(new BacktestCommand(out))
                        .addSubcommand(new RunCommand(out))
                        .addSubcommand(new SavepointCommand(out))
                        .addSubcommand(new DemoCommand(out))
                        .addSubcommand(new MigrateCommand(out))
                        .addSubcommand(new DetectCommand(out))
                        .addSubcommand(new ReportCommand(out))
                        .setUsageHelpWidth(100)
                        .setOut(new PrintWriter(out, true))
                        .setErr(new PrintWriter(err, true))
                        .setParameterExceptionHandler((e, args) -> usageError(e, err));
        Exception[] failure = new Exception[1];
        cl.setExecutionExceptionHandler(
                (e, commandLine, parseResult) -> {
                    if (e instanceof ConfigException) {
                        err.println("tocsin: configuration error: " + e.getMessage());
                        return 3;
                    }
                    failure[0] = e;
                    return 1;
                });
        int rc = cl.execute(argv.toArray(String[]::new));
        if (failure[0] != null) {
            // A failure, not a wrong command line: it propagates as before (main's stack trace and
            // exit code 1, ClusterJob's failed submission).
            throw failure[0];
        }
        return rc;
    }

    /** A wrong command line: one line naming the problem, exit code 2. */
    private static int usageError(ParameterException e, PrintStream err) {
        CommandLine c = e.getCommandLine();
        if (c.getParent() == null && e instanceof UnmatchedArgumentException) {
            err.println(
                    "tocsin: unknown command '"
                            + ((UnmatchedArgumentException) e).getUnmatched().get(0)
                            + "'");
            c.usage(err);
            return 2;
        }
        // demo-run is the Java half of `tocsin demo`: name it as the user typed it.
        String command = c.getParent() == null ? "" : " " + c.getCommandName().replace("-run", "");
        err.println("tocsin" + command + ": " + e.getMessage() + " (see --help)");
        return 2;
    }
}
