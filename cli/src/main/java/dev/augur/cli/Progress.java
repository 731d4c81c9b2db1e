package dev.augur.cli;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A progress bar on standard error with a known total, shown only when standard error is a terminal or with
 * {@code --progress} ({@code --no-progress}: never); otherwise it does nothing, so piped output and tests see none.
 */
final class Progress implements AutoCloseable {
    private final ProgressBar bar;

    private Progress(ProgressBar bar) {
        this.bar = bar;
    }

    /** Whether bars are shown: {@code --progress}/{@code --no-progress} when given, else whether stderr is a terminal. */
    static boolean enabled(Boolean flag) {
        return flag != null ? flag : stderrIsTerminal();
    }

    /** A bar named {@code task} counting to {@code max}, or one that shows nothing. */
    static Progress of(boolean enabled, String task, long max) {
        if (!enabled) {
            return new Progress(null);
        }
        return new Progress(new ProgressBarBuilder().setTaskName(task).setStyle(ProgressBarStyle.ASCII).setInitialMax(max)
                .setConsumer(new ConsoleProgressBarConsumer(System.err)).continuousUpdate().build());
    }

    void step() {
        if (bar != null) {
            bar.step();
        }
    }

    void stepTo(long n) {
        if (bar != null) {
            bar.stepTo(n);
        }
    }

    void maxHint(long max) {
        if (bar != null) {
            bar.maxHint(max);
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }

    /** Whether file descriptor 2 is a terminal (Linux: /proc/self/fd/2 names a tty; elsewhere: a console is attached). */
    static boolean stderrIsTerminal() {
        try {
            Path fd = Path.of("/proc/self/fd/2");
            if (Files.exists(fd, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                String target = Files.readSymbolicLink(fd).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.startsWith("/dev/console");
            }
        } catch (java.io.IOException | UnsupportedOperationException | SecurityException e) {
            // fall through
        }
        return System.console() != null;
    }

    /** The {@code --progress} option's description, shared by the commands that show progress. */
    static final String DESCRIPTION = "progress bars on standard error (default: only when standard error is a terminal;"
            + " --no-progress: never)";
}
