package dev.augur.engine.train;

import dev.augur.engine.selection.Experiment;

/**
 * Online bagging (Oza and Russell, 2001), written once for every binding: an ensemble learns each new example by
 * giving member k that example's SGD step n_k times, n_k ~ Poisson(1), the online limit of a bootstrap sample. The
 * draw is a pure function of the seed, the member and the example's ordinal (the number of examples the view had
 * learned online before it), so the same examples give the same members on every database, and undoing a
 * statement needs nothing beyond the ordinal. The uniform is the experiments' hash ({@link Experiment#uniform}, FNV-1a
 * then MurmurHash3's finalizer) of {@code seed:bag<k>:<ordinal>}; the count inverts Poisson(1)'s distribution
 * function at it. PostgreSQL's augur.cv_bag_steps computes the same (pinned by golden vectors).
 */
public final class OnlineBagging {
    /** e^-1, as a literal: both databases start the inversion from the same double (Poisson(1) at 0). */
    static final double EXP_MINUS_ONE = 0.36787944117144233;
    /** More steps than the inversion ever reaches from a uniform in (0, 1) of 32 bits (it stops by 13). */
    static final int MAX_STEPS = 30;

    private OnlineBagging() {
    }

    /** How many SGD steps member {@code member} (0-based) takes on the example of ordinal {@code ordinal}. */
    public static int steps(long seed, int member, long ordinal) {
        return poissonOne(Experiment.uniform(seed, "bag" + member, Long.toString(ordinal)));
    }

    /** The smallest n with P(N <= n) >= u for N ~ Poisson(1): the distribution function summed term by term. */
    public static int poissonOne(double u) {
        double term = EXP_MINUS_ONE;
        double cumulative = term;
        int n = 0;
        while (u > cumulative && n < MAX_STEPS) {
            n++;
            term = term / n;
            cumulative = cumulative + term;
        }
        return n;
    }
}
