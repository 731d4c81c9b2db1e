package dev.augur.engine.train;

import dev.augur.engine.features.FeatureVector;
import dev.augur.engine.model.Model;

/**
 * A classification view's live model learning online, example by example: a single model takes one {@link LinearSgd}
 * step per example; an ensemble learns by {@link OnlineBagging}, each member its own {@code LinearSgd} (its own lazy
 * L2 scale) over its row of the ensemble's weights, taking {@link OnlineBagging#steps} steps on each example.
 */
public final class OnlineLearner {
    private final LinearSgd[] members;
    private final boolean bagging;
    private final int dim;
    private final long seed;

    private OnlineLearner(LinearSgd[] members, boolean bagging, int dim, long seed) {
        this.members = members;
        this.bagging = bagging;
        this.dim = dim;
        this.seed = seed;
    }

    /** Resumes from a model's weights (an ensemble's: one row per member) with the view's l2 and seed. */
    public static OnlineLearner resume(Model model, double l2, long seed) {
        if (!model.kind().isEnsemble()) {
            return new OnlineLearner(new LinearSgd[]{LinearSgd.resume(model, l2)}, false, model.dimension(), seed);
        }
        int k = model.outputs();
        int dim = model.dimension();
        double[] w = model.weights();
        double[] b = model.bias();
        LinearSgd[] members = new LinearSgd[k];
        for (int m = 0; m < k; m++) {
            double[] row = new double[dim];
            System.arraycopy(w, m * dim, row, 0, dim);
            members[m] = new LinearSgd(model.kind().member(), dim, 1, l2, row, new double[]{b[m]});
        }
        return new OnlineLearner(members, true, dim, seed);
    }

    /** The example of ordinal {@code ordinal} (examples learned online before it), target a class index, at rate {@code eta}. */
    public void learn(FeatureVector x, int target, double eta, long ordinal) {
        if (!bagging) {
            members[0].step(x, target, eta);
            return;
        }
        for (int m = 0; m < members.length; m++) {
            for (int s = OnlineBagging.steps(seed, m, ordinal); s > 0; s--) {
                members[m].step(x, target, eta);
            }
        }
    }

    /** The weights, member by member for an ensemble (members × dim). */
    public double[] weights() {
        if (!bagging) {
            return members[0].weights();
        }
        double[] w = new double[members.length * dim];
        for (int m = 0; m < members.length; m++) {
            System.arraycopy(members[m].weights(), 0, w, m * dim, dim);
        }
        return w;
    }

    public double[] bias() {
        if (!bagging) {
            return members[0].bias();
        }
        double[] b = new double[members.length];
        for (int m = 0; m < members.length; m++) {
            b[m] = members[m].bias()[0];
        }
        return b;
    }
}
