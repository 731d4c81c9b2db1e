package dev.augur.engine.monitor;

import dev.augur.engine.AugurException;
import dev.augur.engine.Errors;
import dev.augur.engine.calibration.Calibration;
import dev.augur.engine.feedback.LiveMetrics;

import java.util.List;

/**
 * Adaptive conformal inference (Gibbs and Candès, 2021), written once: a calibrated binary classifier's conformal set is
 * taken at a miscoverage α_t that moves with the feedback, α_{t+1} = α_t + γ (α − err_t), err_t = 1 when the label
 * fell outside the set at α_t. Over any stretch of T labels the miss rate is within (max(α_1, 1 − α_1) + γ) / (γ T) of α,
 * whatever the drift, where the static set (α fixed) keeps its guarantee only while the data look like the
 * calibration set. With delayed labels the set judged is the one served (at the α_t of its serving), and the update
 * moves the α_t reached when the label comes. The set at α_t is the split (or Mondrian) set of the version's calibration: the class c is in it
 * when 1 − p(c) ≤ q̂(α_t); α_t ≤ 0 (or a calibration too small for α_t) gives every class, α_t ≥ 1 none.
 */
public final class AdaptiveConformal {
    private AdaptiveConformal() {
    }

    /** The target miscoverage α and the step γ. */
    public record Options(double alpha, double gamma) {
        public Options {
            if (!(alpha > 0 && alpha < 1)) {
                throw new AugurException(Errors.INVALID_PARAMETER, "adaptive conformal alpha must lie strictly between 0 and 1"
                        + " (the share of labels the set may miss, e.g. 0.1), got " + alpha);
            }
            if (!(gamma > 0 && gamma <= 1)) {
                throw new AugurException(Errors.INVALID_PARAMETER, "adaptive conformal gamma must lie in (0, 1] (the step of"
                        + " alpha_t per label, e.g. 0.005), got " + gamma);
            }
        }
    }

    /** α_{t+1} from α_t and whether the label fell outside the set at α_t. */
    public static double next(double alphaT, boolean covered, Options o) {
        return alphaT + o.gamma() * (o.alpha() - (covered ? 0 : 1));
    }

    /**
     * Whether the label is in the conformal set at {@code alphaT} of a binary classifier's served score (the probability
     * of {@code classes.get(1)}).
     */
    public static boolean covered(Calibration calibration, List<String> classes, double score, String label, double alphaT) {
        if (alphaT <= 0) {
            return true;
        }
        if (alphaT >= 1) {
            return false;
        }
        int y = LiveMetrics.classIndex(classes, label);
        double nonconformity = 1 - (y == 1 ? score : 1 - score);
        int s = calibration.stratumOf(label);
        if (s < 0) {
            return true; // a Mondrian calibration without this class: no threshold, every class
        }
        double[] sorted = calibration.scores(s);
        long k = Calibration.rank(sorted.length, alphaT);
        return k > sorted.length || nonconformity <= sorted[(int) k - 1];
    }
}
