package dev.augur.engine.train;

import dev.augur.engine.features.FeatureVector;
import dev.augur.engine.model.Model;
import dev.augur.engine.model.ModelKind;

/**
 * A classification view's live model learning online, example by example: a single model takes one {@link LinearSgd}
 * step per example; an ensemble learns by {@link OnlineBagging}, each member its own {@code LinearSgd} (its own lazy
 * L2 scale) over its row of the ensemble's weights, taking {@link OnlineBagging#steps} steps on each example. With
 * {@link Forgetting} each step is preceded by the decay, or a restarted model learns beside the live one and replaces
 * it at the end of each window.
 */
public final class OnlineLearner {
    private final ModelKind memberKind;
    private final boolean bagging;
    private final int dim;
    private final double l2;
    private final long seed;
    private final Forgetting forgetting;
    private LinearSgd[] members;
    /** The model restarted at the last window's end (null without a window). */
    private LinearSgd[] restarted;

    private OnlineLearner(ModelKind memberKind, boolean bagging, int dim, double l2, long seed, Forgetting forgetting,
                          double[] weights, double[] biases, double[] restartedWeights, double[] restartedBiases) {
        this.memberKind = memberKind;
        this.bagging = bagging;
        this.dim = dim;
        this.l2 = l2;
        this.seed = seed;
        this.forgetting = forgetting;
        this.members = rows(weights, biases);
        this.restarted = forgetting.windowed() ? rows(restartedWeights, restartedBiases) : null;
    }

    /** Resumes from a model's weights (an ensemble's: one row per member) with the view's l2 and seed. */
    public static OnlineLearner resume(Model model, double l2, long seed) {
        return resume(model, l2, seed, Forgetting.NONE, null, null);
    }

    /**
     * Resumes with forgetting; with a window, {@code restartedWeights} and {@code restartedBiases} are the restarted
     * model's (members × dim and members, as {@link #restartedWeights()} gives them; null: zero, as at creation).
     */
    public static OnlineLearner resume(Model model, double l2, long seed, Forgetting forgetting, double[] restartedWeights,
                                       double[] restartedBiases) {
        int k = model.kind().isEnsemble() ? model.outputs() : 1;
        return new OnlineLearner(model.kind().isEnsemble() ? model.kind().member() : model.kind(), model.kind().isEnsemble(),
                model.dimension(), l2, seed, forgetting, model.weights(), model.bias(),
                restartedWeights == null ? new double[k * model.dimension()] : restartedWeights,
                restartedBiases == null ? new double[k] : restartedBiases);
    }

    private LinearSgd[] rows(double[] w, double[] b) {
        LinearSgd[] rows = new LinearSgd[b.length];
        for (int m = 0; m < rows.length; m++) {
            double[] row = new double[dim];
            System.arraycopy(w, m * dim, row, 0, dim);
            rows[m] = new LinearSgd(memberKind, dim, 1, l2, row, new double[]{b[m]});
        }
        return rows;
    }

    /** The example of ordinal {@code ordinal} (examples learned online before it), target a class index, at rate {@code eta}. */
    public void learn(FeatureVector x, int target, double eta, long ordinal) {
        for (int m = 0; m < members.length; m++) {
            for (int s = bagging ? OnlineBagging.steps(seed, m, ordinal) : 1; s > 0; s--) {
                members[m].forget(forgetting.decay());
                members[m].step(x, target, eta);
                if (restarted != null) {
                    restarted[m].step(x, target, eta);
                }
            }
        }
        if (forgetting.endsWindow(ordinal)) {
            // materialized, as PostgreSQL's learner hands the weights from one call of augur.cv_sgd to the next
            members = rows(restartedWeights(), restartedBiases());
            restarted = rows(new double[members.length * dim], new double[members.length]);
        }
    }

    /** The weights, member by member for an ensemble (members × dim). */
    public double[] weights() {
        return weightsOf(members);
    }

    /** The biases, one per member. */
    public double[] bias() {
        return biasesOf(members);
    }

    /** The restarted model's weights (members × dim), null without a window. */
    public double[] restartedWeights() {
        return restarted == null ? null : weightsOf(restarted);
    }

    /** The restarted model's biases, one per member, null without a window. */
    public double[] restartedBiases() {
        return restarted == null ? null : biasesOf(restarted);
    }

    private double[] weightsOf(LinearSgd[] rows) {
        if (rows.length == 1) {
            return rows[0].weights();
        }
        double[] w = new double[rows.length * dim];
        for (int m = 0; m < rows.length; m++) {
            System.arraycopy(rows[m].weights(), 0, w, m * dim, dim);
        }
        return w;
    }

    private static double[] biasesOf(LinearSgd[] rows) {
        double[] b = new double[rows.length];
        for (int m = 0; m < rows.length; m++) {
            b[m] = rows[m].bias()[0];
        }
        return b;
    }
}
