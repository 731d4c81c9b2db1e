package dev.augur.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.augur.testkit.Sockets.freePort;
import static org.assertj.core.api.Assertions.assertThat;

/** The {@code augur} command line: predict's formats and servers, the help, and what the view events record. */
class CliTest {
    /** 120 characters with a comma, a quote and a line break: before, predict cut it at 80 and CSV/JSON did not exist. */
    static final String LONG = "a, \"quoted\" value\n" + "x".repeat(100) + " end";

    record Run(int code, String out, String err) {
    }

    /** Runs {@code augur ARGS} in this JVM, capturing standard output and error. */
    static Run augur(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = Main.commandLine().execute(args);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static String[] predict(Path data, String format, String... sql) {
        List<String> args = new ArrayList<>(List.of("predict", "--data", data.toString(), "--format", format));
        args.addAll(List.of(sql));
        return args.toArray(String[]::new);
    }

    static final String[] SETUP = {
            "CREATE TABLE t (id INT PRIMARY KEY, s VARCHAR(1000), x DOUBLE PRECISION, e VARCHAR(10))",
            "INSERT INTO t VALUES (1, '" + LONG.replace("'", "''") + "', 1.5, ''), (2, NULL, NULL, 'plain')"};
    static final String SELECT = "SELECT id, s, x, e FROM t ORDER BY id";

    @Test
    void predictPrintsValuesWholeAsTableCsvAndJson(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        Run setup = augur(predict(data, "table", SETUP));
        assertThat(setup.code()).as(setup.err()).isZero();

        Run table = augur(predict(data, "table", SELECT));
        assertThat(table.code()).as(table.err()).isZero();
        assertThat(table.out()).contains(LONG).contains("(2 rows)");

        Run csv = augur(predict(data, "csv", SELECT, SELECT));
        assertThat(csv.code()).as(csv.err()).isZero();
        List<List<String>> records = parseCsv(csv.out());
        List<String> header = List.of("id", "s", "x", "e");
        assertThat(records).containsExactly(header, List.of("1", LONG, "1.5", ""), List.of("2", "", "", "plain"),
                List.of(), header, List.of("1", LONG, "1.5", ""), List.of("2", "", "", "plain"));
        assertThat(csv.out()).contains("\r\n2,,,plain\r\n").contains(",\"\"\r\n"); // NULL empty, '' quoted
        assertThat(csv.out()).doesNotContain("no user migrations"); // notes go to standard error

        Run json = augur(predict(data, "json", SELECT, "SELECT COUNT(*) AS n, TRUE AS n FROM t"));
        assertThat(json.code()).as(json.err()).isZero();
        List<JsonNode> arrays = jsonValues(json.out());
        assertThat(arrays).hasSize(2);
        JsonNode rows = arrays.get(0);
        assertThat(rows.isArray()).isTrue();
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).get("id").isInt()).isTrue();
        assertThat(rows.get(0).get("s").asText()).isEqualTo(LONG);
        assertThat(rows.get(0).get("x").isNumber()).isTrue();
        assertThat(rows.get(0).get("x").asDouble()).isEqualTo(1.5);
        assertThat(rows.get(1).get("s").isNull()).isTrue();
        assertThat(rows.get(1).get("x").isNull()).isTrue();
        assertThat(arrays.get(1).get(0).get("n").asLong()).isEqualTo(2);
        assertThat(arrays.get(1).get(0).get("n_2").isBoolean()).as("a repeated label keeps its column").isTrue();

        // a whole PREDICT_EXPLAIN and EXPORT_MODEL, longer than 80 characters
        Run model = augur(predict(data, "json",
                "CREATE TABLE pts (a DOUBLE PRECISION, b DOUBLE PRECISION, y INT)",
                "INSERT INTO pts VALUES (0, 1, 0), (1, 0, 0), (5, 6, 1), (6, 5, 1)",
                "SELECT AUGUR.TRAIN_MODEL('m', 'logistic', 'SELECT a, b, y FROM pts') AS v",
                "SELECT AUGUR.DEPLOY_MODEL('m', 1) AS v",
                "SELECT PREDICT_EXPLAIN('m', 2, a, b) AS why FROM pts ORDER BY a"));
        assertThat(model.code()).as(model.err()).isZero();
        List<JsonNode> results = jsonValues(model.out());
        String why = results.get(results.size() - 1).get(0).get("why").asText();
        assertThat(why.length()).isGreaterThan(80);
        assertThat(TestDb.JSON.readTree(why).get("contributions")).isNotEmpty(); // whole, so it parses
    }

    @Test
    void predictReachesARunningServerByUrlAndByTheServerFile(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        Path serverFile = data.resolve("augur.server");
        try (AugurServer server = new AugurServer(data, null, "127.0.0.1", freePort(), freePort(), "sa", null)) {
            assertThat(serverFile).exists();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(serverFile))).isEqualTo("rw-------");
            assertThat(Files.readString(serverFile)).contains(server.tcpUrl().replace(":", "\\:").replace("=", "\\="))
                    .doesNotContain(server.password());

            // --url, each kind, with the kept password
            for (String url : new String[]{server.tcpUrl(), "jdbc:augur:" + server.tcpUrl().substring("jdbc:".length()), server.pgUrl()}) {
                Run r = augur("predict", "--data", data.toString(), "--url", url, "--format", "csv", "SELECT 40 + 2 AS answer");
                assertThat(r.code()).as(url + ": " + r.err()).isZero();
                assertThat(parseCsv(r.out())).as(url).containsExactly(List.of("answer"), List.of("42"));
            }
            Run wrong = augur("predict", "--data", data.toString(), "--url", server.tcpUrl(), "--password", "nope", "SELECT 1");
            assertThat(wrong.code()).isEqualTo(1);
            assertThat(wrong.err()).contains("augur: [28P01] password authentication failed");

            // without --url, from another process: the file is locked, the server file leads to the server
            Child child = child("predict", "--data", data.toString(), "--format", "json", "SELECT 6 * 7 AS answer");
            assertThat(child.code()).as(child.text()).isZero();
            assertThat(child.out()).contains("\"answer\" : 42");
            assertThat(child.text()).contains("running through it at");
            try (Connection c = java.sql.DriverManager.getConnection(server.tcpUrl(), "sa", server.password());
                 Statement st = c.createStatement()) {
                st.execute("CREATE TABLE made_here (id INT)");
            }
            Child migrate = child("migrate", "--data", data.toString());
            assertThat(migrate.code()).as(migrate.text()).isZero();
            assertThat(migrate.text()).contains("migrating through it at");
        }
        assertThat(serverFile).as("removed when the server stops").doesNotExist();

        // a stale server file (nothing listens) is ignored: the database opens embedded
        Files.writeString(serverFile, "tcp=jdbc\\:h2\\:tcp\\://127.0.0.1\\:" + freePort() + "/augur\npid=1\n");
        Run embedded = augur("predict", "--data", data.toString(), "--format", "csv", "SELECT COUNT(*) AS n FROM made_here");
        assertThat(embedded.code()).as(embedded.err()).isZero();
        assertThat(parseCsv(embedded.out())).containsExactly(List.of("n"), List.of("0"));
    }

    @Test
    void aLockedDatabaseWithoutARunningServerIsAClearError(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        assertThat(augur(predict(data, "table", "SELECT 1")).code()).isZero();
        // another process holds the file (an H2 TCP server with a session open on it), and the server file left behind
        // names a port where nothing listens
        Files.writeString(data.resolve("augur.server"), "tcp=jdbc\\:h2\\:tcp\\://127.0.0.1\\:" + freePort() + "/augur\n");
        int port = freePort();
        Process holder = new ProcessBuilder(java(), "-cp", System.getProperty("java.class.path"), "org.h2.tools.Server", "-tcp",
                "-tcpPort", String.valueOf(port), "-baseDir", data.toAbsolutePath().toString(), "-ifExists")
                .redirectErrorStream(true).start();
        try (Connection held = connectWithin(60, "jdbc:h2:tcp://127.0.0.1:" + port + "/augur"
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH")) {
            Run r = augur(predict(data, "table", "SELECT 1"));
            assertThat(r.code()).as(r.out() + r.err()).isEqualTo(1);
            assertThat(r.err()).contains("augur: [55006] the database ").contains("is in use by another process (H2 error 90020)")
                    .contains("where nothing listens").contains("--url");
        } finally {
            holder.destroyForcibly();
            holder.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static Connection connectWithin(int seconds, String url) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            try {
                return java.sql.DriverManager.getConnection(url, "sa", "");
            } catch (java.sql.SQLException e) {
                if (System.nanoTime() > end) {
                    throw e;
                }
                Thread.sleep(300);
            }
        }
    }

    @Test
    void helpListsEveryCommandAndEveryOptionHasADescription() {
        Run help = augur("--help");
        assertThat(help.code()).isZero();
        CommandLine cli = Main.commandLine();
        assertThat(cli.getSubcommands().keySet()).contains("serve", "migrate", "predict", "demo", "crash-test", "bench");
        for (String name : cli.getSubcommands().keySet()) {
            assertThat(help.out()).as("augur --help lists " + name).containsPattern("(?m)^\\s+" + name + "\\s+\\S");
        }
        List<String> undescribed = new ArrayList<>();
        List<CommandSpec> specs = new ArrayList<>(List.of(cli.getCommandSpec()));
        for (int i = 0; i < specs.size(); i++) {
            CommandSpec spec = specs.get(i);
            spec.subcommands().values().forEach(sub -> specs.add(sub.getCommandSpec()));
            if (String.join("", spec.usageMessage().description()).isBlank()) {
                undescribed.add(spec.qualifiedName());
            }
            for (OptionSpec o : spec.options()) {
                if (String.join("", o.description()).isBlank()) {
                    undescribed.add(spec.qualifiedName() + " " + o.longestName());
                }
            }
            for (PositionalParamSpec p : spec.positionalParameters()) {
                if (String.join("", p.description()).isBlank()) {
                    undescribed.add(spec.qualifiedName() + " " + p.paramLabel());
                }
            }
        }
        assertThat(undescribed).isEmpty();
        Run bench = augur("bench", "views", "--rows", "10");
        assertThat(bench.err()).contains("./augur bench views --rows 10");
    }

    @Test
    void migrateShowsProgressWithItsCountOnlyWhenAsked(@TempDir Path dir) throws Exception {
        Path migrations = Files.createDirectories(dir.resolve("migrations"));
        Files.writeString(migrations.resolve("V1__a.sql"), "CREATE TABLE a (id INT);");
        Files.writeString(migrations.resolve("V2__b.sql"), "CREATE TABLE b (id INT);");
        Run quiet = augur("migrate", "--data", dir.resolve("quiet").toString(), "--migrations", migrations.toString());
        assertThat(quiet.code()).as(quiet.err()).isZero();
        assertThat(quiet.out()).contains("applied 2 migration(s)");
        assertThat(quiet.err()).as("standard error is not a terminal here").doesNotContain("2/2");

        Run shown = augur("migrate", "--data", dir.resolve("shown").toString(), "--migrations", migrations.toString(), "--progress");
        assertThat(shown.code()).as(shown.err()).isZero();
        assertThat(shown.out()).contains("applied 2 migration(s)").doesNotContain("2/2");
        assertThat(shown.err()).contains("migrate").contains("2/2");
    }

    @Test
    void theCreateEventRecordsHowLongTheCreationTook() throws Exception {
        try (Connection c = TestDb.open("cli_millis"); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE pts (id INT PRIMARY KEY, a DOUBLE PRECISION, y INT)");
            st.execute("INSERT INTO pts SELECT X, MOD(X, 7), MOD(X, 2) FROM SYSTEM_RANGE(1, 2000)");
            st.execute("SELECT AUGUR.TRAIN_MODEL('m', 'logistic', 'SELECT a, y FROM pts')");
            st.execute("SELECT AUGUR.DEPLOY_MODEL('m', 1)");
            st.execute("CREATE PREDICTION VIEW v AS SELECT id, PREDICT('m', a) FROM pts");
            try (ResultSet rs = st.executeQuery("SELECT MILLIS, ROWS_WRITTEN FROM AUGUR.VIEW_EVENTS WHERE EVENT = 'create'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(2)).isEqualTo(2000);
                assertThat(rs.getDouble(1)).isGreaterThan(0);
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    record Child(int code, String out, String text) {
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** {@code augur ARGS} in a JVM of its own (so H2's file lock applies), on this test's class path. */
    static Child child(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(java(), "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.PIPE).start();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread t = new Thread(() -> {
            try {
                p.getErrorStream().transferTo(err);
            } catch (java.io.IOException ignored) {
                // ends with the process
            }
        });
        t.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        t.join(10_000);
        return new Child(p.exitValue(), out, out + err.toString(StandardCharsets.UTF_8));
    }

    /** The JSON values in a text, one after another. */
    static List<JsonNode> jsonValues(String text) throws Exception {
        List<JsonNode> values = new ArrayList<>();
        try (com.fasterxml.jackson.core.JsonParser p = TestDb.JSON.getFactory().createParser(text)) {
            while (p.nextToken() != null) {
                values.add(TestDb.JSON.readTree(p));
            }
        }
        return values;
    }

    /** RFC 4180 records (CRLF line ends, quoted fields with doubled quotes); an empty line is an empty record. */
    static List<List<String>> parseCsv(String text) {
        List<List<String>> records = new ArrayList<>();
        List<String> record = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    field.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
                any = true;
            } else if (ch == ',') {
                record.add(field.toString());
                field.setLength(0);
                any = true;
            } else if (ch == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                if (any || field.length() > 0) {
                    record.add(field.toString());
                }
                records.add(record);
                record = new ArrayList<>();
                field.setLength(0);
                any = false;
                i++;
            } else {
                field.append(ch);
                any = true;
            }
        }
        assertThat(field.length() == 0 && record.isEmpty()).as("CSV ends with CRLF: " + text).isTrue();
        return records;
    }
}
