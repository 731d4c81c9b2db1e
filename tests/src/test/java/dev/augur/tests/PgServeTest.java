package dev.augur.tests;

import dev.augur.testkit.PgLocalServer;
import dev.augur.udf.postgresql.PgMaintainer;
import dev.augur.sql.AugurDataSource;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code augur serve --postgres}'s maintainer on its own throw-away server (it is stopped and started here, so not
 * the shared one): it connects, LISTENs, hears deployments, survives a server restart (pg_ctl stop/start) by
 * reconnecting, hears deployments again, and stops cleanly.
 */
class PgServeTest {
    @Test
    void maintainerListensReconnectsAfterARestartAndStops() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(PgLocalServer.binaries().resolve("pg_ctl")),
                () -> "this test stops and starts its own PostgreSQL and needs the binaries in " + PgLocalServer.binaries());
        try (PgLocalServer server = PgLocalServer.startNew()) {
            String url = server.url();
            try (Connection c = new AugurDataSource(url, null, null, null).getConnection()) {
                assertThat(H2Db.intValue(c, "SELECT augur.import_model('m', ?)", ConformanceTest.DENSE)).isEqualTo(1);
                assertThat(H2Db.intValue(c, "SELECT augur.deploy_model('m', 1)")).isEqualTo(1);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            PrintStream log = new PrintStream(out, true, StandardCharsets.UTF_8);
            PgMaintainer maintainer = new PgMaintainer(url, null, null, log).start();
            try {
                await(() -> maintainer.connects() == 1 && maintainer.connected(), "first connect", out);
                await(() -> out.toString(StandardCharsets.UTF_8).contains("serving m@1"), "the served models", out);
                try (Connection c = DriverManager.getConnection(url)) {
                    assertThat(H2Db.intValue(c, "SELECT augur.import_model('m', ?)", ConformanceTest.DENSE2)).isEqualTo(2);
                    assertThat(H2Db.intValue(c, "SELECT augur.deploy_model('m', 2)")).isEqualTo(2);
                }
                await(() -> out.toString(StandardCharsets.UTF_8).contains("\"event\" : \"deploy\", \"name\" : \"m\", \"version\" : 2"),
                        "the deploy event", out);
                assertThat(maintainer.events()).isGreaterThanOrEqualTo(2); // the registration and the deployment

                server.stop();
                await(() -> !maintainer.connected(), "noticing the server went away", out);
                assertThat(out.toString(StandardCharsets.UTF_8)).contains("lost the connection to PostgreSQL");
                server.start();
                await(() -> maintainer.connects() == 2 && maintainer.connected(), "reconnect", out);
                assertThat(out.toString(StandardCharsets.UTF_8)).contains("reconnected to ").contains("serving m@2");

                int before = maintainer.events();
                try (Connection c = DriverManager.getConnection(url)) {
                    assertThat(H2Db.intValue(c, "SELECT augur.rollback_model('m')")).isEqualTo(1);
                    // the generated PREDICT still answers with the deployed version after the restart and sync
                    assertThat(H2Db.doubleValue(c, "SELECT PREDICT('m', 1, 2)"))
                            .isCloseTo(H2Db.sigmoid(0.1 + 0.5 - 2.5), org.assertj.core.api.Assertions.within(1e-12));
                }
                await(() -> maintainer.events() > before, "the rollback event after the reconnect", out);
                assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"event\" : \"rollback\"");
            } finally {
                maintainer.close();
            }
            assertThat(maintainer.connected()).isFalse();
            assertThat(maintainer.pool().isClosed()).isTrue();
        }
    }

    private static void await(BooleanSupplier condition, String what, ByteArrayOutputStream out) throws InterruptedException {
        long end = System.nanoTime() + 30_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what + "; maintainer said:\n" + out.toString(StandardCharsets.UTF_8));
            }
            Thread.sleep(50);
        }
    }
}
