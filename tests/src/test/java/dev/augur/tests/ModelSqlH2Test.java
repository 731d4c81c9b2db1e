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

    @Test
    void softmaxHasNoRendering() {
        Model m = Model.of("s", ModelKind.SOFTMAX, new DenseFeatures(List.of("a")), List.of("x", "y", "z"),
                new double[]{1, 2, 3}, new double[]{0, 0, 0});
        assertThat(m.sqlScore(List.of("a"), SqlDialect.H2)).isEmpty();
    }
}
