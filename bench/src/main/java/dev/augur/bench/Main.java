package dev.augur.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./augur bench ...}: end-to-end benchmarks that print ratios measured side by side in one run. */
@Command(name = "augur bench", mixinStandardHelpOptions = true,
        description = "End-to-end benchmarks; each prints ratios measured side by side in one run.",
        subcommands = {PredictBench.class, ViewsBench.class, PostgresBench.class, CommitsBench.class, ServeBench.class,
                RobustBench.class, FeedbackBench.class})
public final class Main implements Runnable {
    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args.length == 0 ? new String[]{"predict"} : args));
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
