package dev.augur.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code augur bench}: listed in {@code augur --help}; the {@code augur} script runs the benchmarks from the bench
 * module's jar, so this command only says how.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"End-to-end benchmarks (the bench module): ./augur bench predict|views|postgres [OPTIONS];"
                + " ./augur bench --help lists them and their options."})
final class BenchCommand implements Callable<Integer> {
    @Parameters(paramLabel = "ARGS", arity = "0..*", description = "the benchmark and its options, e.g. views --help")
    List<String> args;

    @Override
    public Integer call() {
        System.err.println("augur: the benchmarks are in the bench module, which the augur script runs: ./augur bench "
                + (args == null || args.isEmpty() ? "predict|views|postgres" : String.join(" ", args))
                + " (./augur bench --help lists them; or java -jar bench/target/augur-bench-0.1.0-SNAPSHOT-all.jar ...)");
        return 2;
    }
}
