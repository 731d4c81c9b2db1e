package dev.augur.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code augur} command. */
@Command(name = "augur", mixinStandardHelpOptions = true, version = "augur 0.1.0",
        description = "Prediction serving inside the database: PREDICT in SQL, models deployed by migrations.",
        subcommands = {ServeCommand.class, MigrateCommand.class, PredictCommand.class, DemoCommand.class, CrashTestCommand.class,
                BenchCommand.class})
public final class Main implements Runnable {
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line as {@code augur} runs it: a failure is one line, {@code augur: [SQLSTATE] message}, exit code 1. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.getSubcommands().get("bench").setUnmatchedOptionsArePositionalParams(true); // passed on as they are
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("augur: " + Errors.describe(e));
            cmd.getErr().flush();
            return 1;
        });
        return cli;
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
