package dev.augur.tests;

import dev.augur.sql.AugurDataSource;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One client deploys version 1 and 2 of a model in turn while another scans a table with PREDICT: every query
 * sees exactly one version (PREDICT is STABLE: the inlined form is fixed when the query is planned, the general
 * path reads the catalog with the query's snapshot), and the queries see both versions over the run.
 */
class PgDeployWhileQueryingTest {
    // v1 says ~1 (label '1') for every row, v2 says ~0 (label '0')
    private static final String V1 = "{\"name\":\"m\",\"kind\":\"logistic\",\"features\":{\"type\":\"dense\",\"inputs\":[\"a\",\"b\"]},"
            + "\"classes\":[\"0\",\"1\"],\"weights\":[0.001,0.002],\"bias\":10}";
    private static final String V2 = V1.replace("\"bias\":10", "\"bias\":-10");

    @Test
    void eachQuerySeesOneVersionWhileAnotherClientDeploys() throws Exception {
        String url = PgServer.newDatabase("stable");
        try (Connection c = new AugurDataSource(url, null, null, null).getConnection()) {
            H2Db.exec(c, "CREATE TABLE t AS SELECT 'm'::text AS model, random() AS a, random() AS b FROM generate_series(1, 200000)",
                    "CREATE TABLE small AS SELECT * FROM t LIMIT 3000", "ANALYZE t", "ANALYZE small");
            assertThat(H2Db.intValue(c, "SELECT augur.import_model('m', ?)", V1)).isEqualTo(1);
            assertThat(H2Db.intValue(c, "SELECT augur.import_model('m', ?)", V2)).isEqualTo(2);
            assertThat(H2Db.intValue(c, "SELECT augur.deploy_model('m', 1)")).isEqualTo(1);
        }
        List<String> queries = List.of(
                // inlined: the deployed version's arithmetic is planned into the query
                "SELECT count(DISTINCT PREDICT('m', a, b) > 0.5), bool_and(PREDICT('m', a, b) > 0.5) FROM t",
                // the model name from a column: the CASE over generated arms runs per row
                "SELECT count(DISTINCT PREDICT(model, a, b) > 0.5), bool_and(PREDICT(model, a, b) > 0.5) FROM t",
                // the general PL/pgSQL path, which resolves 'm' in the catalog on every row
                "SELECT count(DISTINCT PREDICT_LABEL('m', a, b)), bool_and(PREDICT_LABEL('m', a, b) = '1') FROM small",
                "SELECT count(DISTINCT PREDICT_PROBA(model, '1', a, b) > 0.5), bool_and(PREDICT_PROBA(model, '1', a, b) > 0.5) FROM small");
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> deployerFailure = new AtomicReference<>();
        AtomicInteger deploys = new AtomicInteger();
        Thread deployer = new Thread(() -> {
            try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
                int v = 1;
                while (!stop.get()) {
                    v = 3 - v;
                    st.execute("SELECT augur.deploy_model('m', " + v + ")");
                    deploys.incrementAndGet();
                    Thread.sleep(5);
                }
            } catch (Throwable e) {
                deployerFailure.set(e);
            }
        }, "deployer");
        int[] v1Seen = new int[queries.size()];
        int[] v2Seen = new int[queries.size()];
        List<String> mixed = new ArrayList<>();
        deployer.start();
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            long end = System.nanoTime() + 12_000_000_000L;
            int round = 0;
            while (System.nanoTime() < end || round < 3) {
                for (int q = 0; q < queries.size(); q++) {
                    try (ResultSet rs = st.executeQuery(queries.get(q))) {
                        rs.next();
                        if (rs.getInt(1) != 1) {
                            mixed.add(queries.get(q));
                        } else if (rs.getBoolean(2)) {
                            v1Seen[q]++;
                        } else {
                            v2Seen[q]++;
                        }
                    }
                }
                round++;
            }
        } finally {
            stop.set(true);
            deployer.join(10_000);
        }
        assertThat(deployerFailure.get()).isNull();
        assertThat(mixed).as("queries that saw two versions").isEmpty();
        assertThat(deploys.get()).isGreaterThan(10);
        for (int q = 0; q < queries.size(); q++) {
            // deploys flip every few milliseconds, so over the run each query form meets both versions
            assertThat(v1Seen[q] + v2Seen[q]).isGreaterThan(0);
        }
        assertThat(java.util.Arrays.stream(v1Seen).sum()).as("queries on version 1").isGreaterThan(0);
        assertThat(java.util.Arrays.stream(v2Seen).sum()).as("queries on version 2").isGreaterThan(0);
    }
}
