package dev.augur.engine.model;

import dev.augur.engine.AugurException;
import dev.augur.engine.codec.ModelJson;
import dev.augur.engine.features.DenseFeatures;
import dev.augur.engine.train.SgdTrainer;
import dev.augur.engine.train.TrainingOptions;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Bagged ensembles: the score is the members' mean, the spread their deviation, trained on seeded bootstrap samples. */
class BaggedEnsembleTest {
    private static final List<String> INPUTS = List.of("a", "b");

    /** An ensemble answers what its members, as models of their own, answer on average: bit for bit. */
    @Property(tries = 300)
    void scoreSpreadLabelAndProbabilityAreTheMembersMean(@ForAll("ensemblesAndRows") Object[] modelAndRow) {
        Model m = (Model) modelAndRow[0];
        double[] x = (double[]) modelAndRow[1];
        int k = m.outputs();
        double sum = 0;
        double[] scores = new double[k];
        for (int o = 0; o < k; o++) {
            Model member = Model.of("member", m.kind().member(), m.features(), m.classes(),
                    Arrays.copyOfRange(m.weights(), o * x.length, (o + 1) * x.length), new double[]{m.bias()[o]});
            scores[o] = member.score(x);
            sum += scores[o];
        }
        double mean = sum / k;
        double ss = 0;
        for (double s : scores) {
            ss += (s - mean) * (s - mean);
        }
        Evaluation e = m.evaluate(boxed(x));
        assertThat(m.score(x)).isEqualTo(mean);
        assertThat(e.score()).isEqualTo(mean);
        assertThat(e.spread()).isEqualTo(Math.sqrt(ss / k));
        if (m.kind().isClassifier()) {
            assertThat(e.label()).isEqualTo(m.classes().get(mean >= 0.5 ? 1 : 0));
            assertThat(e.probability(m.classes().get(1))).isEqualTo(mean);
            assertThat(e.probability(m.classes().get(0))).isEqualTo(1 - mean);
        } else {
            assertThatThrownBy(e::label).isInstanceOf(AugurException.class).hasMessageContaining("has no labels");
        }
    }

    @Test
    void membersAreTrainedOnTheirOwnBootstrapSampleAndTheSeedRepeatsThem() {
        List<Object[]> rows = new ArrayList<>();
        Random rnd = new Random(5);
        for (int i = 0; i < 300; i++) {
            double a = rnd.nextGaussian();
            double b = rnd.nextGaussian();
            rows.add(new Object[]{a, b, a - 0.5 * b + 0.3 * rnd.nextGaussian() > 0 ? "yes" : "no"});
        }
        TrainingOptions seven = TrainingOptions.fromJson("{\"members\": 7, \"seed\": 3}");
        Model m = SgdTrainer.train("bag", ModelKind.BAGGED_LOGISTIC, INPUTS, rows, seven, null);
        assertThat(m.kind()).isEqualTo(ModelKind.BAGGED_LOGISTIC);
        assertThat(m.outputs()).isEqualTo(7);
        assertThat(m.classes()).containsExactly("no", "yes");
        double[] w = m.weights();
        for (int o = 1; o < 7; o++) {
            assertThat(Arrays.copyOfRange(w, 2 * o, 2 * o + 2)).as("member %s differs from member 0", o)
                    .isNotEqualTo(Arrays.copyOfRange(w, 0, 2));
        }
        assertThat(SgdTrainer.train("bag", ModelKind.BAGGED_LOGISTIC, INPUTS, rows, seven, null)).isEqualTo(m);
        assertThat(SgdTrainer.train("bag", ModelKind.BAGGED_LOGISTIC, INPUTS, rows,
                TrainingOptions.fromJson("{\"members\": 7, \"seed\": 4}"), null)).isNotEqualTo(m);
        int right = 0;
        for (Object[] r : rows) {
            right += m.evaluate(r[0], r[1]).label().equals(r[2]) ? 1 : 0;
        }
        assertThat(right).isGreaterThan(250);
        // members disagree most where the classes meet
        assertThat(m.evaluate(0.0, 0.0).spread()).isGreaterThan(m.evaluate(3.0, -3.0).spread());
        assertThat(SgdTrainer.train("reg", ModelKind.BAGGED_LINEAR, INPUTS, regressionRows(), TrainingOptions.defaults(), null).outputs())
                .isEqualTo(TrainingOptions.DEFAULT_MEMBERS);
    }

    @Test
    void aRegressionEnsembleMeansTheValueAndSpreadsWhereDataIsSparse() {
        Model m = SgdTrainer.train("reg", ModelKind.BAGGED_LINEAR, INPUTS, regressionRows(),
                TrainingOptions.fromJson("{\"members\": 20, \"epochs\": 30}"), null);
        assertThat(m.evaluate(1.0, 2.0).score()).isCloseTo(2 * 1 - 2 + 1, within(0.2));
        assertThat(m.evaluate(40.0, 40.0).spread()).as("far outside the training inputs").isGreaterThan(m.evaluate(0.0, 0.0).spread());
    }

    @Test
    void badEnsemblesAreClearErrors() {
        assertInvalid(() -> TrainingOptions.fromJson("{\"members\": 1}"), "22023", "option members must be an integer between 2 and 1000");
        assertInvalid(() -> SgdTrainer.train("m", ModelKind.LOGISTIC, INPUTS, List.<Object[]>of(new Object[]{1.0, 2.0, 1}),
                TrainingOptions.fromJson("{\"members\": 5}"), null), "22023", "KIND bagged_logistic");
        assertInvalid(() -> Model.of("m", ModelKind.BAGGED_LINEAR, new DenseFeatures(INPUTS), List.of(), new double[2], new double[1]),
                "22023", "a bagged linear regression model needs at least 2 members, got 1");
        assertInvalid(() -> ModelJson.fromJson("{\"name\":\"m\",\"kind\":\"bagged_logistic\",\"features\":{\"type\":\"dense\",\"inputs\":[\"a\"]},"
                + "\"weights\":[1],\"bias\":0}"), "22032", "one per member");
        assertInvalid(() -> ModelJson.fromJson("{\"name\":\"m\",\"kind\":\"bagged_logistic\",\"features\":{\"type\":\"dense\",\"inputs\":[\"a\"]},"
                + "\"weights\":[[1]],\"bias\":[0]}"), "22032", "needs at least 2 members");
        Model one = Model.of("one", ModelKind.LOGISTIC, new DenseFeatures(INPUTS), List.of("0", "1"), new double[2], new double[1]);
        assertInvalid(() -> one.evaluate(1.0, 2.0).spread(), "22023", "not an ensemble");
    }

    @Test
    void anEnsembleExplainsItsMeanMarginByTheMeanWeights() throws Exception {
        Model m = Model.of("e", ModelKind.BAGGED_LOGISTIC, new DenseFeatures(INPUTS), List.of("0", "1"),
                new double[]{1, 4, 3, -2}, new double[]{0.5, 1.5});
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(Explanations.explain(m, 1, 2, 1.0, 1.0));
        assertThat(json.get("bias").asDouble()).isEqualTo(1.0);
        assertThat(json.get("contributions").get(0).get("feature").asText()).isEqualTo("a");
        assertThat(json.get("contributions").get(0).get("weight").asDouble()).isEqualTo(2.0);
        assertThat(json.get("contributions").get(1).get("weight").asDouble()).isEqualTo(1.0);
        assertThat(json.get("score").asDouble()).isEqualTo(m.evaluate(1.0, 1.0).score());
    }

    private static List<Object[]> regressionRows() {
        List<Object[]> rows = new ArrayList<>();
        Random rnd = new Random(8);
        for (int i = 0; i < 200; i++) {
            double a = rnd.nextGaussian();
            double b = rnd.nextGaussian();
            rows.add(new Object[]{a, b, 2 * a - b + 1 + 0.1 * rnd.nextGaussian()});
        }
        return rows;
    }

    private static void assertInvalid(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String state, String words) {
        assertThatThrownBy(call).isInstanceOfSatisfying(AugurException.class, e -> {
            assertThat(e.sqlState()).isEqualTo(state);
            assertThat(e.getMessage()).contains(words);
        });
    }

    private static Object[] boxed(double[] x) {
        Object[] b = new Object[x.length];
        for (int i = 0; i < x.length; i++) {
            b[i] = x[i];
        }
        return b;
    }

    @Provide
    Arbitrary<Object[]> ensemblesAndRows() {
        Arbitrary<Double> value = Arbitraries.doubles().between(-50, 50);
        return Combinators.combine(Arbitraries.of(ModelKind.BAGGED_LINEAR, ModelKind.BAGGED_LOGISTIC, ModelKind.BAGGED_SVM),
                        Arbitraries.integers().between(2, 9))
                .flatAs((kind, k) -> Combinators.combine(value.array(double[].class).ofSize(2 * k), value.array(double[].class).ofSize(k),
                                value.array(double[].class).ofSize(2))
                        .as((w, b, x) -> new Object[]{Model.of("e", kind, new DenseFeatures(INPUTS),
                                kind.isClassifier() ? List.of("n", "p") : List.of(), w, b), x}));
    }
}
