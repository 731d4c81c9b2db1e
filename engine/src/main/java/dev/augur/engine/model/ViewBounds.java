package dev.augur.engine.model;

/**
 * How far a model change can move what a prediction view stores for a row with given Hölder norms: its view margin
 * (see {@link Model.ViewValues}), its score and, for an ensemble, its spread.
 *
 * <p>One model: the margin moves by at most the Hölder bound {@link HolderBound#forRow}, the score by the link's
 * Lipschitz constant L times that. An ensemble of K members: member k's margin moves by at most b_k (its own Hölder
 * bound), its score by L·b_k; the mean score (and so the view margin, the mean less the label's threshold) by at most
 * (1/K) Σ L·b_k; the spread, the population standard deviation σ(s) = ‖s − mean(s)‖₂/√K of the members' scores, by at
 * most ‖Δs‖₂/√K (σ is a seminorm scaled by 1/√K), so by sqrt((1/K) Σ (L·b_k)²): the members' bounds' root mean square.
 */
public final class ViewBounds {
    private final HolderBound[] members;
    private final double lipschitz;
    private final boolean ensemble;

    private ViewBounds(HolderBound[] members, double lipschitz, boolean ensemble) {
        this.members = members;
        this.lipschitz = lipschitz;
        this.ensemble = ensemble;
    }

    /** The bounds between two models a view may move between, or null when no bound covers the change (re-score all). */
    public static ViewBounds between(Model from, Model to) {
        if (to.viewBound() == Model.ViewBound.NONE) {
            return null;
        }
        HolderBound[] members = from.memberBoundsTo(to);
        return members == null ? null : new ViewBounds(members, to.linkLipschitz(), to.kind().isEnsemble());
    }

    /** Whether the change is covered by one Hölder bound on one margin (not an ensemble's per-member bounds). */
    public boolean singleMargin() {
        return !ensemble;
    }

    /** The one member's bound of a single-margin change. */
    public HolderBound holder() {
        return members[0];
    }

    /** The Lipschitz constant from view margin to score: the link's for one model, 1 for an ensemble (score = margin + threshold). */
    public double scoreLipschitz() {
        return ensemble ? 1.0 : lipschitz;
    }

    /**
     * How far a row's view margin can move (its score: by {@link #scoreLipschitz()} times this). Non-decreasing in each
     * norm, so the bound at the view's largest norms holds for every row.
     */
    public double margin(double norm1, double norm2, double normInf) {
        if (!ensemble) {
            return members[0].forRow(norm1, norm2, normInf);
        }
        double sum = 0;
        for (HolderBound b : members) {
            sum += b.forRow(norm1, norm2, normInf);
        }
        return lipschitz * sum / members.length;
    }

    /** How far a row's spread can move (0 for one model, which has none). */
    public double spread(double norm1, double norm2, double normInf) {
        if (!ensemble) {
            return 0;
        }
        double ss = 0;
        for (HolderBound b : members) {
            double s = lipschitz * b.forRow(norm1, norm2, normInf);
            ss += s * s;
        }
        return Math.sqrt(ss / members.length);
    }
}
