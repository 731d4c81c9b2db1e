package dev.augur.engine.feedback;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How labels meet the predictions that were served, for one key of one feedback (the rule, written once; the bindings
 * call or mirror it and the property tests hold them to a batch recomputation):
 * <ul>
 *   <li>a label at time t joins the latest prediction served for its key at or before t (ties in time: the one
 *       recorded last, by id); a label with no such prediction is <em>unmatched</em> (counted, kept, never lost);</li>
 *   <li>each served prediction takes at most one label: the earliest by label time (ties: the one that arrived
 *       first); the others that reach it are <em>duplicates</em> (counted, kept, not in the metrics). First wins, so
 *       a label that arrives late but is timed earlier replaces the one that had joined;</li>
 *   <li>with an implicit negative after an interval, a served prediction that no label reached within the interval
 *       (by the time {@code servedAt + interval}, inclusive) counts as a label of the negative class at that time,
 *       once the feedback's clock (the latest label time it has seen) has passed it; a label that comes later is a
 *       duplicate.</li>
 * </ul>
 * The outcome depends only on the key's served predictions, its labels and the clock, never on the order of arrival
 * (beyond ties), so a binding may recompute one key from scratch whenever anything of that key changes.
 */
public final class FeedbackRule {
    private FeedbackRule() {
    }

    /**
     * A served prediction: its id in the served log, model version, score and time (epoch microseconds), and for a model
     * with more than two classes the probability of each class (in the model's order; null otherwise).
     */
    public record Served(long id, int version, double score, long servedAtMicros, double[] probabilities) {
        public Served(long id, int version, double score, long servedAtMicros) {
            this(id, version, score, servedAtMicros, null);
        }
    }

    /** A label as received: its arrival sequence number, its class or value as text, its time. */
    public record Label(long seq, String value, long atMicros) {
    }

    public enum Outcome {
        JOINED, DUPLICATE, UNMATCHED;

        /** The catalog's name ({@code AUGUR.FEEDBACK_LABELS.OUTCOME}). */
        public String sqlName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** What became of one received label: its outcome and the served prediction it reached (none when unmatched). */
    public record Resolved(Outcome outcome, Long servedId) {
    }

    /**
     * @param labels   each received label's outcome, by sequence number
     * @param implicit the served predictions (by id) that count an implicit negative, each at its time
     */
    public record Resolution(Map<Long, Resolved> labels, Map<Long, Long> implicit) {
    }

    /**
     * Resolves one key.
     *
     * @param implicitAfterMicros the implicit-negative interval, or null for none
     * @param clockMicros         the feedback's clock (latest label time seen), or null before any label
     */
    public static Resolution resolve(List<Served> served, List<Label> labels, Long implicitAfterMicros, Long clockMicros) {
        List<Served> byTime = new ArrayList<>(served);
        byTime.sort(Comparator.comparingLong(Served::servedAtMicros).thenComparingLong(Served::id));
        // each label's target: the latest served at or before its time
        Map<Long, Served> target = new HashMap<>();
        for (Label l : labels) {
            Served best = null;
            for (Served s : byTime) {
                if (s.servedAtMicros() > l.atMicros()) {
                    break;
                }
                best = s;
            }
            target.put(l.seq(), best);
        }
        // each served prediction's winner: the earliest label reaching it (ties: arrival)
        Map<Long, Label> winner = new HashMap<>();
        for (Label l : labels) {
            Served s = target.get(l.seq());
            if (s == null) {
                continue;
            }
            Label w = winner.get(s.id());
            if (w == null || l.atMicros() < w.atMicros() || (l.atMicros() == w.atMicros() && l.seq() < w.seq())) {
                winner.put(s.id(), l);
            }
        }
        Map<Long, Long> implicit = new HashMap<>();
        if (implicitAfterMicros != null && clockMicros != null) {
            for (Served s : byTime) {
                long due = s.servedAtMicros() + implicitAfterMicros;
                Label w = winner.get(s.id());
                // a label exactly at the deadline is within the interval
                if (due <= clockMicros && (w == null || w.atMicros() > due)) {
                    implicit.put(s.id(), due);
                    winner.remove(s.id());
                }
            }
        }
        Map<Long, Resolved> out = new HashMap<>();
        for (Label l : labels) {
            Served s = target.get(l.seq());
            if (s == null) {
                out.put(l.seq(), new Resolved(Outcome.UNMATCHED, null));
            } else {
                Label w = winner.get(s.id());
                out.put(l.seq(), new Resolved(w != null && w.seq() == l.seq() ? Outcome.JOINED : Outcome.DUPLICATE, s.id()));
            }
        }
        return new Resolution(out, implicit);
    }

    /** A feedback's window when CREATE FEEDBACK names none: one day. */
    public static final double DEFAULT_WINDOW_SECONDS = 86_400;

    /**
     * An interval in whole microseconds, from seconds: positive and at most 100 years; 22023 naming the clause otherwise
     * (a window of zero length would put every pair in a window of its own, or none).
     */
    public static long intervalMicros(String clause, double seconds) {
        if (!(seconds > 0) || seconds > 100 * 366 * 86_400.0 || Math.round(seconds * 1e6) <= 0) {
            throw new dev.augur.engine.AugurException(dev.augur.engine.Errors.INVALID_PARAMETER, clause + " must be a positive interval"
                    + " (at least 1 microsecond, at most 100 years), got " + seconds + " seconds; e.g. " + clause + " 1 HOUR");
        }
        return Math.round(seconds * 1e6);
    }

    /** The start of the window holding {@code micros}, for windows of {@code windowMicros} from the epoch. */
    public static long windowStart(long micros, long windowMicros) {
        return Math.floorDiv(micros, windowMicros) * windowMicros;
    }
}
