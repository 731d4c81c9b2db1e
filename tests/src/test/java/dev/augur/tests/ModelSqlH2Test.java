package dev.augur.tests;

import dev.augur.engine.features.DenseFeatures;
import dev.augur.engine.model.Model;
import dev.augur.engine.model.ModelKind;
import dev.augur.engine.model.SqlDialect;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** A model's scoring rendered as H2 SQL (the kind's SQL capability) computes the engine's score bit for bit. */
class ModelSqlH2Test {
    @Test
    void renderedScoreIsTheEnginesScore() throws Exception {
        Random random = new Random(7);
        try (Connection c = DriverManager.getConnection("jdbc:h2:mem:model_sql_" + System.nanoTime())) {
            for (ModelKind kind : List.of(ModelKind.LINEAR, ModelKind.LOGISTIC, ModelKind.SVM)) {
                for (int trial = 0; trial < 20; trial++) {
                    double[] w = new double[3];
                    double[] x = new double[3];
                    for (int i = 0; i < 3; i++) {
                        w[i] = random.nextGaussian() * Math.pow(10, random.nextInt(7) - 3);
                        x[i] = random.nextGaussian() * 100;
                    }
                    Model m = Model.of("m", kind, new DenseFeatures(List.of("a", "b", "c")),
                            kind.isClassifier() ? List.of("0", "1") : List.of(), w, new double[]{random.nextGaussian()});
                    String score = m.sqlScore(List.of("a", "b", "c"), SqlDialect.H2).orElseThrow();
                    try (PreparedStatement ps = c.prepareStatement("SELECT " + score + " FROM (VALUES (CAST(? AS DOUBLE PRECISION),"
                            + " CAST(? AS DOUBLE PRECISION), CAST(? AS DOUBLE PRECISION))) AS t(a, b, c)")) {
                        for (int i = 0; i < 3; i++) {
                            ps.setDouble(i + 1, x[i]);
                        }
                        try (ResultSet rs = ps.executeQuery()) {
                            assertThat(rs.next()).isTrue();
                            assertThat(Double.doubleToLongBits(rs.getDouble(1))).as("%s: %s", kind, score)
                                    .isEqualTo(Double.doubleToLongBits(m.score(x)));
                        }
                    }
                }
            }
        }
    }

    /**
     * Softmax of K margins as the engine renders it (ModelKind.Link.SOFTMAX: the label, each class's probability, the
     * score as the largest margin's) computes the engine's answers bit for bit on H2, ties (the first of equals) included.
     */
    @Test
    void renderedSoftmaxOfMarginsIsTheEngines() throws Exception {
        Random random = new Random(11);
        ModelKind.Link softmax = ModelKind.Link.SOFTMAX;
        try (Connection c = DriverManager.getConnection("jdbc:h2:mem:softmax_sql_" + System.nanoTime())) {
            for (int trial = 0; trial < 60; trial++) {
                int k = 2 + random.nextInt(6);
                double[] margins = new double[k];
                List<String> names = new java.util.ArrayList<>();
                List<String> classes = new java.util.ArrayList<>();
                for (int i = 0; i < k; i++) {
                    // every third trial draws from three values only, so that classes tie
                    margins[i] = trial % 3 == 0 ? random.nextInt(3) - 1 : random.nextGaussian() * Math.pow(10, random.nextInt(4) - 1);
                    names.add("CAST(" + margins[i] + " AS DOUBLE PRECISION)");
                    classes.add("'c" + i + "'");
                }
                // the margins as a model's biases over one input scored at 0: the engine's own label and probabilities
                dev.augur.engine.model.Evaluation e = Model.of("s", ModelKind.SOFTMAX, new DenseFeatures(List.of("a")),
                        classes.stream().map(x -> x.substring(1, x.length() - 1)).toList(), new double[k], margins).evaluate(0.0);
                String max = ModelKind.Link.sqlMaxOf(names);
                StringBuilder q = new StringBuilder("SELECT " + softmax.sqlLabelOf(names, "ARRAY[" + String.join(", ", classes) + "]")
                        + ", " + softmax.sqlProbabilityOf(names, max, max, SqlDialect.H2));
                for (String m : names) {
                    q.append(", ").append(softmax.sqlProbabilityOf(names, m, max, SqlDialect.H2));
                }
                try (PreparedStatement ps = c.prepareStatement(q.toString()); ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).as("%s", q).isEqualTo(e.label());
                    assertThat(Double.doubleToLongBits(rs.getDouble(2))).as("%s", q).isEqualTo(Double.doubleToLongBits(e.score()));
                    for (int i = 0; i < k; i++) {
                        assertThat(Double.doubleToLongBits(rs.getDouble(3 + i))).as("%s", q)
                                .isEqualTo(Double.doubleToLongBits(e.probability("c" + i)));
                    }
                }
            }
        }
    }

    @Test
    void softmaxHasNoRendering() {
        Model m = Model.of("s", ModelKind.SOFTMAX, new DenseFeatures(List.of("a")), List.of("x", "y", "z"),
                new double[]{1, 2, 3}, new double[]{0, 0, 0});
        assertThat(m.sqlScore(List.of("a"), SqlDialect.H2)).isEmpty();
    }
}
