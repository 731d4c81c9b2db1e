package dev.augur.engine.monitor;

import dev.augur.engine.AugurException;
import dev.augur.engine.Errors;

/**
 * The Page-Hinkley test for a change in the mean of a stream, both ways, written once (the bindings store its state in
 * a row and call {@link #update}). With x̄_t the running mean of the observations since the last reset,
 * m_t = Σ (x_i − x̄_i − δ) and M_t = min m_i detect a rise (m_t − M_t > λ), and m'_t = Σ (x_i − x̄_i + δ),
 * M'_t = max m'_i a fall (M'_t − m'_t > λ); no alarm before {@code minObservations}. After an alarm the test starts
 * again from the next observation. δ is the change tolerated as noise, λ the evidence needed: a larger λ means fewer
 * false alarms and later true ones.
 */
public final class PageHinkley {
    /** The detector's options, checked once. */
    public record Options(double delta, double lambda, int minObservations) {
        public static final Options DEFAULT = new Options(0.005, 50, 30);

        public Options {
            if (!(delta >= 0) || !Double.isFinite(delta)) {
                throw new AugurException(Errors.INVALID_PARAMETER, "Page-Hinkley delta must be a finite number ≥ 0 (the change"
                        + " tolerated as noise, e.g. 0.005), got " + delta);
            }
            if (!(lambda > 0) || !Double.isFinite(lambda)) {
                throw new AugurException(Errors.INVALID_PARAMETER, "Page-Hinkley lambda must be a finite number > 0 (the evidence"
                        + " an alarm needs, e.g. 50), got " + lambda);
            }
            if (minObservations < 1 || minObservations > 1_000_000) {
                throw new AugurException(Errors.INVALID_PARAMETER, "Page-Hinkley needs between 1 and 1000000 observations before"
                        + " an alarm, got " + minObservations);
            }
        }
    }

    /** The detector's state since its last reset (what a binding keeps in its row). */
    public record State(long n, double mean, double up, double upMin, double down, double downMax) {
        public static final State EMPTY = new State(0, 0, 0, 0, 0, 0);
    }

    /** Which way the mean moved. */
    public enum Direction {
        UP, DOWN;

        public String sqlName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * An alarm: the direction, the statistic that passed λ, the mean before the change (of the observations since the
     * reset, the change included) and the observations it took.
     */
    public record Alarm(Direction direction, double statistic, double threshold, double mean, long observations) {
    }

    /** The state after one observation, and the alarm it raised (null: none; the state is then reset). */
    public record Step(State state, Alarm alarm) {
    }

    private PageHinkley() {
    }

    public static Step update(State s, double x, Options o) {
        long n = s.n() + 1;
        double mean = s.mean() + (x - s.mean()) / n;
        double up = s.up() + x - mean - o.delta();
        double upMin = Math.min(s.upMin(), up);
        double down = s.down() + x - mean + o.delta();
        double downMax = Math.max(s.downMax(), down);
        if (n >= o.minObservations()) {
            double rise = up - upMin;
            double fall = downMax - down;
            if (rise > o.lambda() || fall > o.lambda()) {
                Direction d = rise >= fall ? Direction.UP : Direction.DOWN;
                return new Step(State.EMPTY, new Alarm(d, Math.max(rise, fall), o.lambda(), mean, n));
            }
        }
        return new Step(new State(n, mean, up, upMin, down, downMax), null);
    }
}
