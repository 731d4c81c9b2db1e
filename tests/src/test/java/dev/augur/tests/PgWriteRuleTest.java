package dev.augur.tests;

import dev.augur.engine.view.WriteRule;
import dev.augur.sql.AugurDataSource;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The catalog's rendering of when a re-scored view row is written ({@code augur.view_must_write_sql}, which the views'
 * generated scoring functions inline) answers as the engine's {@link WriteRule} does, for single models and ensembles,
 * tolerance 0 and not, values that move a little, a lot or not at all.
 */
class PgWriteRuleTest {
    @Test
    void theCatalogsWriteRuleIsTheEngines() throws Exception {
        String url = PgServer.newDatabase("writerule");
        try (Connection c = new AugurDataSource(url, null, null, null).getConnection(); Statement st = c.createStatement()) {
            String single;
            String ensemble;
            try (ResultSet rs = st.executeQuery("SELECT augur.view_must_write_sql('m', 'lb', 'sc', NULL, 'om', 'ol', 'os', NULL, 'tol'),"
                    + " augur.view_must_write_sql('m', 'lb', 'sc', 'sp', 'om', 'ol', 'os', 'osp', 'tol')")) {
                rs.next();
                single = rs.getString(1);
                ensemble = rs.getString(2);
            }
            String from = " FROM (SELECT CAST(? AS float8) AS m, CAST(? AS text) AS lb, CAST(? AS float8) AS sc, CAST(? AS float8) AS sp,"
                    + " CAST(? AS float8) AS om, CAST(? AS text) AS ol, CAST(? AS float8) AS os, CAST(? AS float8) AS osp,"
                    + " CAST(? AS float8) AS tol) r";
            Random rnd = new Random(7);
            double[] tolerances = {0, 1e-6, 0.01, 0.1};
            try (PreparedStatement ps = c.prepareStatement("SELECT " + single + ", " + ensemble + from)) {
                for (int i = 0; i < 2000; i++) {
                    double tol = tolerances[rnd.nextInt(tolerances.length)];
                    double om = rnd.nextGaussian();
                    double os = 1 / (1 + Math.exp(-om));
                    double osp = Math.abs(rnd.nextGaussian()) * 0.1;
                    double[] moves = {0, tol / 4, tol / 2, tol, 0.3};
                    double m = om + moves[rnd.nextInt(moves.length)] * (rnd.nextBoolean() ? 1 : -1);
                    double sc = rnd.nextInt(4) == 0 ? os : os + moves[rnd.nextInt(moves.length)] * (rnd.nextBoolean() ? 1 : -1);
                    double sp = rnd.nextInt(3) == 0 ? osp : osp + moves[rnd.nextInt(moves.length)];
                    String ol = om > 0 ? "1" : "0";
                    String lb = rnd.nextInt(5) == 0 ? (ol.equals("1") ? "0" : "1") : ol;
                    Object[] args = {m, lb, sc, sp, om, ol, os, osp, tol};
                    for (int a = 0; a < args.length; a++) {
                        ps.setObject(a + 1, args[a]);
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        String c1 = "m=" + m + " lb=" + lb + " sc=" + sc + " om=" + om + " ol=" + ol + " os=" + os + " tol=" + tol;
                        assertThat(rs.getBoolean(1)).as("single model, %s", c1)
                                .isEqualTo(WriteRule.mustWrite(m, lb, sc, Double.NaN, om, ol, os, Double.NaN, tol));
                        assertThat(rs.getBoolean(2)).as("ensemble, %s sp=%s osp=%s", c1, sp, osp)
                                .isEqualTo(WriteRule.mustWrite(m, lb, sc, sp, om, ol, os, osp, tol));
                    }
                }
            }
        }
    }
}
