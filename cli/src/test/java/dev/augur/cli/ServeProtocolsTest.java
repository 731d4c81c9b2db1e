package dev.augur.cli;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import dev.augur.testkit.Sockets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.util.PSQLException;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code augur serve}'s protocols: H2 TCP (plain and jdbc:augur:), pgjdbc and psql over the PostgreSQL protocol, each
 * requiring the generated password; clean errors, sub-millisecond round trips and loopback-only ports.
 */
class ServeProtocolsTest {
    @TempDir
    static Path dir;
    static AugurServer server;
    static int pgPort;

    @BeforeAll
    static void start() throws Exception {
        Path migrations = dir.resolve("migrations");
        Files.createDirectories(migrations);
        Files.writeString(migrations.resolve("V1__points.sql"), """
                CREATE TABLE pts (id INT PRIMARY KEY, a DOUBLE PRECISION, b DOUBLE PRECISION, y INT);
                INSERT INTO pts SELECT "X", MOD("X", 10), MOD("X", 7), CASE WHEN MOD("X", 10) > MOD("X", 7) THEN 1 ELSE 0 END
                  FROM SYSTEM_RANGE(1, 300);
                TRAIN MODEL pts KIND logistic FROM (SELECT a, b, y FROM pts) WITH (epochs = 20);
                DEPLOY MODEL pts VERSION 1;
                """);
        pgPort = Sockets.freePort();
        server = new AugurServer(dir.resolve("data"), migrations, "127.0.0.1", Sockets.freePort(), pgPort, "sa", null);
        password = server.password();
    }

    static String password;

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void plainH2TcpClientCallsTheStableNames() throws SQLException {
        try (Connection c = DriverManager.getConnection(server.tcpUrl(), "sa", password); Statement st = c.createStatement()) {
            assertThat(scalar(st, "SELECT AUGUR.TRAIN_MODEL('tcp_model', 'logistic', 'SELECT a, b, y FROM pts')")).isEqualTo("1");
            assertThat(scalar(st, "SELECT AUGUR.DEPLOY_MODEL('tcp_model', 1)")).isEqualTo("1");
            double p = Double.parseDouble(scalar(st, "SELECT PREDICT('tcp_model', a, b) FROM pts WHERE id = 9"));
            assertThat(p).isBetween(0.0, 1.0);
            assertThat(scalar(st, "SELECT PREDICT_LABEL('pts', 9.0, 0.0)")).isEqualTo("1");
        }
    }

    @Test
    void augurDriverOverTcpAcceptsExtensionStatements() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:augur:" + server.tcpUrl().substring(5), "sa", password);
             Statement st = c.createStatement()) {
            st.execute("TRAIN MODEL ext_tcp KIND svm FROM (SELECT a, b, y FROM pts)");
            st.execute("DEPLOY MODEL ext_tcp");
            assertThat(scalar(st, "SELECT PREDICT_LABEL('ext_tcp', 9.0, 0.0)")).isEqualTo("1");
            assertThat(scalar(st, "SELECT PREDICT_LABEL('ext_tcp', 0.0, 6.0)")).isEqualTo("0");
        }
    }

    @Test
    void pgjdbcRunsTheWholeSequenceAndKeepsSqlStates() throws SQLException {
        try (Connection c = DriverManager.getConnection(server.pgUrl(), "sa", password);
             Statement st = c.createStatement()) {
            assertThat(scalar(st, "SELECT AUGUR.TRAIN_MODEL('pg_model', 'logistic', 'SELECT a, b, y FROM pts', '{\"epochs\": 10}')"))
                    .isEqualTo("1");
            assertThat(scalar(st, "SELECT AUGUR.DEPLOY_MODEL('pg_model', 1)")).isEqualTo("1");
            assertThat(Double.parseDouble(scalar(st, "SELECT PREDICT('pg_model', a, b) FROM pts WHERE id = 9"))).isBetween(0.5, 1.0);
            assertThat(scalar(st, "SELECT PREDICT_LABEL('pg_model', a, b) FROM pts WHERE id = 9")).isEqualTo("1");
            assertThat(scalar(st, "SELECT PREDICT('pg_model', NULL, b) FROM pts WHERE id = 9")).isNull();
            assertThatThrownBy(() -> scalar(st, "SELECT PREDICT('no_such_model', a, b) FROM pts"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("42704");
                        assertThat(e.getMessage()).contains("unknown model 'no_such_model'").contains("pg_model");
                    });
            assertThatThrownBy(() -> scalar(st, "SELECT PREDICT('pg_model', a, b, a) FROM pts"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("22023");
                        assertThat(e.getMessage()).contains("expects 2 inputs (a, b), got 3");
                    });
        }
    }

    @Test
    void psqlRunsTrainDeployPredictWithThePassword() throws Exception {
        Path psql = psql();
        String script = """
                SELECT AUGUR.TRAIN_MODEL('psql_model', 'logistic', 'SELECT a, b, y FROM pts') AS version;
                SELECT AUGUR.DEPLOY_MODEL('psql_model', 1) AS deployed;
                SELECT PREDICT_LABEL('psql_model', a, b) AS label FROM pts WHERE id = 9;
                """;
        Map<String, String> pw = Map.of("PGPASSWORD", password);
        Result ok = psql(psql, script, pw);
        assertThat(ok.exitCode).as(ok.output).isZero();
        assertThat(ok.output).contains("version").contains("deployed").contains("label").contains(" 1");
        Result failed = psql(psql, "SELECT PREDICT('missing', 1.0, 2.0);", pw);
        assertThat(failed.exitCode).isNotZero();
        // the message once: no "; SQL statement: ... [90105-252]", no DETAIL repeating it under a Java class name
        assertThat(failed.output.strip()).startsWith("ERROR:  42704: unknown model 'missing'").doesNotContain("SQL statement")
                .doesNotContain("DETAIL").doesNotContain("org.h2").doesNotContain("-252]");
        Result noEarlier = psql(psql, "SELECT AUGUR.ROLLBACK_MODEL('psql_model');", pw);
        assertThat(noEarlier.exitCode).isNotZero();
        assertThat(noEarlier.output).contains("55000").contains("no earlier deployment").doesNotContain("DETAIL");
    }

    @Test
    void thePasswordIsGeneratedAndKeptForTheOwnerOnly() throws IOException {
        assertThat(server.passwordSource()).isEqualTo(AugurServer.PasswordSource.GENERATED);
        assertThat(password).matches("[A-Za-z0-9]{24}");
        assertThat(server.passwordFile()).isEqualTo(dir.resolve("data").resolve("augur.password").toAbsolutePath());
        assertThat(Files.readString(server.passwordFile()).strip()).isEqualTo(password);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(server.passwordFile()))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("data")))).isEqualTo("rwx------");
        assertThat(server.psqlCommand()).isEqualTo("PGPASSWORD=" + password + " psql -h 127.0.0.1 -p " + pgPort + " -U sa -d augur");
    }

    /**
     * Before: pgjdbc got "08001 The connection attempt failed" (H2 dropped the connection), serve's log a stack trace.
     * (Each refusal costs H2's growing wrong-password delay, 0.25 s doubling to 4 s: a few cases only.)
     */
    @Test
    void aWrongPasswordOrUserIsAnAuthenticationErrorOnEveryProtocol() {
        for (String[] login : new String[][]{{"sa", "wrong"}, {"bob", password}}) {
            assertThatThrownBy(() -> DriverManager.getConnection(server.pgUrl(), login[0], login[1]).close())
                    .as("pgjdbc %s/%s", login[0], login[1])
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("28P01");
                        assertThat(e.getMessage()).contains("password authentication failed for user \"" + login[0] + "\"");
                    });
        }
        assertThatThrownBy(() -> DriverManager.getConnection(server.tcpUrl(), "sa", "").close())
                .isInstanceOfSatisfying(SQLException.class, e -> {
                    assertThat(e.getSQLState()).isEqualTo("28000");
                    assertThat(e.getMessage()).startsWith("Wrong user name or password");
                });
        // through Augur's driver, H2 TCP answers as PostgreSQL does
        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:augur:" + server.tcpUrl().substring("jdbc:".length()), "sa", "wrong").close())
                .isInstanceOfSatisfying(SQLException.class, e -> {
                    assertThat(e.getSQLState()).isEqualTo("28P01");
                    assertThat(e.getMessage()).startsWith("password authentication failed for user \"sa\"").contains("augur.password");
                });
        // the database served is augur's only: another name is 3D000 on the PostgreSQL port, refused over TCP
        assertThatThrownBy(() -> DriverManager.getConnection(server.pgUrl().replace("/augur", "/other"), "sa", password).close())
                .isInstanceOfSatisfying(SQLException.class, e -> {
                    assertThat(e.getSQLState()).isEqualTo("3D000");
                    assertThat(e.getMessage()).contains("database \"other\" does not exist");
                });
        assertThatThrownBy(() -> DriverManager.getConnection(server.tcpUrl().replace("/augur;", "/other;"), "sa", password).close())
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("28000"));
    }

    /** Before: psql said "server closed the connection unexpectedly". */
    @Test
    void psqlSaysThePasswordIsWrong() throws Exception {
        Path psql = psql();
        Result wrong = psql(psql, "SELECT 1;", Map.of("PGPASSWORD", "wrong"));
        assertThat(wrong.exitCode).isEqualTo(2);
        assertThat(wrong.output).contains("FATAL:  password authentication failed for user \"sa\"")
                .doesNotContain("closed the connection");
        Result none = psql(psql, "SELECT 1;", Map.of());
        assertThat(none.exitCode).isEqualTo(2);
        assertThat(none.output).contains("no password supplied");
    }

    /** Before: {@code Column "nope" not found; SQL statement:\nSELECT nope [42122-252]} and the same as DETAIL. */
    @Test
    void anErrorOverThePostgresProtocolIsItsMessageOnce() throws SQLException {
        try (Connection c = DriverManager.getConnection(server.pgUrl(), "sa", password); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.executeQuery("SELECT nope FROM pts"))
                    .isInstanceOfSatisfying(PSQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("42S22");
                        assertThat(e.getServerErrorMessage().getMessage()).isEqualTo("Column \"nope\" not found");
                        assertThat(e.getServerErrorMessage().getDetail()).isNull();
                    });
            assertThatThrownBy(() -> st.executeQuery("SELECT PREDICT('pts', a, b, a) FROM pts"))
                    .isInstanceOfSatisfying(PSQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("22023");
                        assertThat(e.getServerErrorMessage().getMessage()).isEqualTo("model 'pts' expects 2 inputs (a, b), got 3");
                        assertThat(e.getServerErrorMessage().getDetail()).isNull();
                    });
            // the connection is fine after an error
            assertThat(scalar(st, "SELECT 1")).isEqualTo("1");
        }
    }

    /** Before: 44 ms per round trip (Nagle's algorithm on H2's socket and a delayed ACK in the proxy). */
    @Test
    void aRoundTripOverThePostgresProtocolTakesWellUnderAMillisecond() throws SQLException {
        try (Connection c = DriverManager.getConnection(server.pgUrl(), "sa", password); Statement st = c.createStatement()) {
            long[] nanos = new long[200];
            for (int i = -20; i < nanos.length; i++) {
                long t0 = System.nanoTime();
                assertThat(scalar(st, "SELECT 1")).isEqualTo("1");
                if (i >= 0) {
                    nanos[i] = System.nanoTime() - t0;
                }
            }
            Arrays.sort(nanos);
            double median = nanos[nanos.length / 2] / 1e6;
            System.out.printf(Locale.ROOT, "PostgreSQL protocol, SELECT 1 over pgjdbc: median %.3f ms, p90 %.3f ms (200 round trips)%n",
                    median, nanos[nanos.length * 9 / 10] / 1e6);
            assertThat(median).as("median ms").isLessThan(5.0);
        }
    }

    /** Before: the TCP port and H2's PostgreSQL backend listened on all interfaces (*:port). */
    @Test
    void everyPortListensOnTheBindAddressAndTheBackendOnLoopback() throws IOException {
        Map<String, InetSocketAddress> listening = server.listening();
        assertThat(listening.keySet()).containsExactly("tcp", "pg", "pg-backend");
        listening.forEach((name, address) -> assertThat(address.getAddress().isLoopbackAddress()).as(name + " " + address).isTrue());
        assertThat(listening.get("pg").getPort()).isEqualTo(pgPort);
        // what the kernel says, where it says it
        assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "no /proc/net/tcp here (not Linux) to check the bound addresses");
        for (Map.Entry<String, InetSocketAddress> e : listening.entrySet()) {
            List<String> bound = Sockets.listeningOn(e.getValue().getPort());
            assertThat(bound).as(e.getKey()).isNotEmpty().allMatch(Sockets::loopback);
        }
    }

    static Path psql() {
        Path psql = Path.of("/usr/bin/psql");
        assumeTrue(Files.isExecutable(psql), "psql (Debian's postgresql-client) is not installed at /usr/bin/psql");
        return psql;
    }

    private record Result(int exitCode, String output) {
    }

    private static Result psql(Path psql, String script, Map<String, String> env) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(psql.toString(), "-h", "127.0.0.1", "-p", String.valueOf(pgPort), "-U", "sa",
                "-d", "augur", "-w", "-X", "-v", "VERBOSITY=verbose", "-v", "ON_ERROR_STOP=1"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("PGPASSWORD");
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().write(script.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out);
    }

    private static String scalar(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }

}
