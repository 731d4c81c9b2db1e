package dev.augur.engine.model;

import dev.augur.engine.AugurException;
import dev.augur.engine.calibration.Calibration;
import dev.augur.engine.calibration.Conformal;
import dev.augur.engine.calibration.Method;
import dev.augur.engine.codec.ModelCodec;
import dev.augur.engine.codec.ModelJson;
import dev.augur.engine.features.DenseFeatures;
import dev.augur.engine.train.SgdTrainer;
import dev.augur.engine.train.TrainingOptions;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Quantile regression by the pinball loss: on data whose quantiles are linear in the input (noise growing with it), the
 * trained interval holds about its level of fresh rows, the median about half below; CQR makes any level hold.
 */
class QuantileKindTest {
    private static final List<String> INPUTS = List.of("x");

    @Test
    void trainedQuantilesCoverNearTheirLevel() {
        Model m = SgdTrainer.train("q", ModelKind.QUANTILE_LINEAR, INPUTS, rows(new Random(1), 4000),
                TrainingOptions.fromJson("{\"epochs\": 20}"), null);
        assertThat(m.outputs()).isEqualTo(ModelKind.QUANTILE_ROWS);
        assertThat(((QuantileRegression) m).trainedLevel()).isEqualTo(0.9);
        List<Object[]> test = rows(new Random(2), 4000);
        int inside = 0;
        int below = 0;
        for (Object[] r : test) {
            Evaluation e = m.evaluate(r[0]);
            double y = (double) r[1];
            double[] interval = e.modelInterval(0.9);
            inside += interval[0] <= y && y <= interval[1] ? 1 : 0;
            below += y < e.score() ? 1 : 0;
        }
        assertThat(inside / 4000.0).isCloseTo(0.9, within(0.03));
        assertThat(below / 4000.0).isCloseTo(0.5, within(0.04));
        // wider where the noise is
        double[] narrow = m.evaluate(0.0).modelInterval(0.9);
        double[] wide = m.evaluate(2.0).modelInterval(0.9);
        assertThat(wide[1] - wide[0]).isGreaterThan(2 * (narrow[1] - narrow[0]));
        assertThat(ModelCodec.decode(ModelCodec.encode(m))).isEqualTo(m);
        assertThat(ModelJson.fromJson(ModelJson.toJson(m))).isEqualTo(m);
    }

    @Test
    void aLevelOptionTrainsThatInterval() {
        Model m = SgdTrainer.train("q", ModelKind.QUANTILE_LINEAR, INPUTS, rows(new Random(3), 3000),
                TrainingOptions.fromJson("{\"epochs\": 20, \"level\": 0.5}"), null);
        int inside = 0;
        for (Object[] r : rows(new Random(4), 3000)) {
            double[] interval = m.evaluate(r[0]).modelInterval(0.5);
            inside += interval[0] <= (double) r[1] && (double) r[1] <= interval[1] ? 1 : 0;
        }
        assertThat(inside / 3000.0).isCloseTo(0.5, within(0.04));
    }

    @Test
    void cqrCalibrationHoldsAnyLevel() {
        Model m = SgdTrainer.train("q", ModelKind.QUANTILE_LINEAR, INPUTS, rows(new Random(5), 2000), TrainingOptions.defaults(), null);
        Calibration c = Conformal.calibrate(m, Method.SPLIT, rows(new Random(6), 2000));
        assertThat(c.method()).as("split conformal of a quantile model is CQR").isEqualTo(Method.CQR);
        assertThat(Conformal.calibrate(m, Method.CQR, rows(new Random(6), 2000)).scores(0)).containsExactly(c.scores(0));
        List<Object[]> test = rows(new Random(7), 4000);
        for (double level : new double[]{0.6, 0.9, 0.97}) {
            double q = Conformal.halfWidth(m, c, level, "'q' version 2");
            int inside = 0;
            for (Object[] r : test) {
                Evaluation e = m.evaluate(r[0]);
                double[] interval = Conformal.interval(c, q, e);
                double[] trained = e.modelInterval(0.9);
                assertThat(interval[0]).isCloseTo(trained[0] - q, within(1e-12));
                inside += interval[0] <= (double) r[1] && (double) r[1] <= interval[1] ? 1 : 0;
            }
            assertThat(inside / 4000.0).as("level %s", level).isCloseTo(level, within(0.03));
        }
    }

    @Test
    void anUncalibratedQuantileModelAnswersItsTrainedLevelOnly() {
        Model m = Model.of("q", ModelKind.QUANTILE_LINEAR, new DenseFeatures(INPUTS), List.of(),
                new double[]{1, 0.5, 2, 0}, new double[]{0, -1, 1, 0.8});
        Conformal.checkModelInterval(m, 1, 0.8);
        assertThat(m.evaluate(2.0).modelInterval(0.8)).containsExactly(0.0, 5.0);
        assertThat(m.evaluate(2.0).score()).isEqualTo(2.0);
        assertThatThrownBy(() -> Conformal.checkModelInterval(m, 1, 0.9)).isInstanceOfSatisfying(AugurException.class, e -> {
            assertThat(e.sqlState()).isEqualTo("22023");
            assertThat(e.getMessage()).contains("trained for level 0.8").contains("calibrate");
        });
        assertThatThrownBy(() -> Conformal.calibrate(Model.of("l", ModelKind.LINEAR, new DenseFeatures(INPUTS), List.of(),
                new double[1], new double[1]), Method.CQR, rows(new Random(1), 10)))
                .isInstanceOfSatisfying(AugurException.class, e -> assertThat(e.getMessage()).contains("method cqr"));
        assertThatThrownBy(() -> Model.of("q", ModelKind.QUANTILE_LINEAR, new DenseFeatures(INPUTS), List.of(),
                new double[]{1, 0.5, 2, 0}, new double[]{0, -1, 1, 1.0}))
                .isInstanceOfSatisfying(AugurException.class, e -> assertThat(e.getMessage()).contains("trained level 1.0"));
        assertThatThrownBy(() -> SgdTrainer.train("q", ModelKind.LINEAR, INPUTS, rows(new Random(1), 10),
                TrainingOptions.fromJson("{\"level\": 0.8}"), null))
                .isInstanceOfSatisfying(AugurException.class, e -> assertThat(e.getMessage()).contains("option level"));
    }

    /** y = 2x + (0.5 + 2x)·ε, x uniform in [0, 2]: every quantile of y is linear in x. */
    static List<Object[]> rows(Random rnd, int n) {
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double x = 2 * rnd.nextDouble();
            rows.add(new Object[]{x, 2 * x + (0.5 + 2 * x) * rnd.nextGaussian()});
        }
        return rows;
    }
}
