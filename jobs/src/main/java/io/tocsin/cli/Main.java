package io.tocsin.cli;

import io.tocsin.config.ConfigException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/** Entry point of the job jar: dispatches the launcher's Java subcommands. */
public final class Main {

    static final String USAGE =
            """
            Usage: java -jar tocsin-jobs.jar COMMAND [OPTIONS]   (normally through ./tocsin)

            Commands:
              backtest   run the pipeline over an alerts file and write incident events
              run        run the live job against Kafka and ClickHouse
              savepoint  take a savepoint of the running live job (upgrades, rescaling)
              demo-run   the Java half of `tocsin demo` (job, replay, live incident view, summary)
              migrate    apply the ClickHouse migrations under sql/migrations
              detect     score timestamp,value CSV files with the telemetry anomaly detector
              report     print the analyst report (sql/queries) for a time range
            Each command takes --help.
            """;

    private Main() {}

    public static void main(String[] args) throws Exception {
        System.exit(run(Arrays.asList(args), System.out, System.err));
    }

    static int run(List<String> argv, PrintStream out, PrintStream err) throws Exception {
        if (argv.isEmpty() || argv.get(0).equals("--help") || argv.get(0).equals("help")) {
            out.print(USAGE);
            return argv.isEmpty() ? 2 : 0;
        }
        List<String> rest = argv.subList(1, argv.size());
        try {
            return switch (argv.get(0)) {
                case "backtest" -> BacktestCommand.run(rest, out);
                case "run" -> RunCommand.run(rest, out);
                case "savepoint" -> SavepointCommand.run(rest, out);
                case "demo-run" -> DemoCommand.run(rest, out);
                case "migrate" -> MigrateCommand.run(rest, out);
                case "detect" -> DetectCommand.run(rest, out);
                case "report" -> ReportCommand.run(rest, out);
                default -> {
                    err.println("tocsin: unknown command '" + argv.get(0) + "'");
                    err.print(USAGE);
                    yield 2;
                }
            };
        } catch (Args.UsageException e) {
            err.println("tocsin " + e.getMessage() + " (see --help)");
            return 2;
        } catch (ConfigException e) {
            err.println("tocsin: configuration error: " + e.getMessage());
            return 3;
        }
    }
}
