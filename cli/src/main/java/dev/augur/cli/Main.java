package dev.augur.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code augur} command. */
@Command(name = "augur", mixinStandardHelpOptions = true, version = "augur 0.1.0",
        description = "Prediction serving inside the database: PREDICT in SQL, models deployed by migrations.",
        subcommands = {ServeCommand.class, MigrateCommand.class, PredictCommand.class, DemoCommand.class, CrashTestCommand.class})
public final class Main implements Runnable {
    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("augur: " + Errors.describe(e));
            return 1;
        });
        System.exit(cli.execute(args));
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
