package dev.augur.engine.train;

import dev.augur.engine.features.FeatureVector;
import dev.augur.engine.model.Model;
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

    /**
     * The members of an ensemble learning online, each its own {@link LinearSgd} (its own lazy L2 scale) over its row
     * of the ensemble's weights; {@link #learn} is one example, ordinal by ordinal.
     */
    public static final class Learner {
        private final LinearSgd[] members;
        private final int dim;
        private final long seed;

        private Learner(LinearSgd[] members, int dim, long seed) {
            this.members = members;
            this.dim = dim;
            this.seed = seed;
        }

        /** Resumes from an ensemble's weights (one row per member) with the view's l2 and seed. */
        public static Learner resume(Model ensemble, double l2, long seed) {
            if (!ensemble.kind().isEnsemble()) {
                throw new IllegalArgumentException("online bagging learns an ensemble, not a " + ensemble.kind().sqlName() + " model");
            }
            int k = ensemble.outputs();
            int dim = ensemble.dimension();
            double[] w = ensemble.weights();
            double[] b = ensemble.bias();
            LinearSgd[] members = new LinearSgd[k];
            for (int m = 0; m < k; m++) {
                double[] row = new double[dim];
                System.arraycopy(w, m * dim, row, 0, dim);
                members[m] = new LinearSgd(ensemble.kind().member(), dim, 1, l2, row, new double[]{b[m]});
            }
            return new Learner(members, dim, seed);
        }

        /** Example {@code ordinal}: member k takes {@link #steps}(seed, k, ordinal) steps on it at rate {@code eta}. */
        public void learn(FeatureVector x, int target, double eta, long ordinal) {
            for (int m = 0; m < members.length; m++) {
                for (int s = steps(seed, m, ordinal); s > 0; s--) {
                    members[m].step(x, target, eta);
                }
            }
        }

        /** The members' weights, member by member (members × dim). */
        public double[] weights() {
            double[] w = new double[members.length * dim];
            for (int m = 0; m < members.length; m++) {
                System.arraycopy(members[m].weights(), 0, w, m * dim, dim);
            }
            return w;
        }

        public double[] bias() {
            double[] b = new double[members.length];
            for (int m = 0; m < members.length; m++) {
                b[m] = members[m].bias()[0];
            }
            return b;
        }
    }
}
