package dev.augur.tests;

import dev.augur.engine.AugurException;
import dev.augur.engine.codec.ModelJson;
import dev.augur.sql.ExtensionStatements;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Mutated extension statements (characters inserted, deleted, replaced; deep parentheses; huge and malformed
 * numbers; odd Unicode with lone surrogates; stray quotes), and mutated PREDICT calls, either run or fail with an error
 * that carries a SQLSTATE, in the parser and through an H2 connection of the {@code jdbc:augur:} driver: never a
 * NumberFormatException, StackOverflowError, InvalidPathException or any other raw Java exception, nor H2's wrapping
 * of one (90105, "Exception calling user-defined function").
 */
class ExtensionStatementFuzzTest {
    private static final List<String> VALID = List.of(
            "TRAIN MODEL m KIND logistic FROM (SELECT A, B, C FROM T) WITH (epochs = 5, l2 = 1e-5, seed = 3)",
            "TRAIN MODEL txt KIND svm FROM (SELECT BODY, SPAM FROM T WHERE BODY <> ')') WITH (features = tfidf, ngrams = 2,"
                    + " hash_bits = 9, normalize = FALSE, learning_rate = 0.5)",
            "TRAIN MODEL lin KIND linear FROM (SELECT A, B, Y FROM T) WITH (epochs = 3)",
            "IMPORT MODEL imp FROM 'models/m.json'",
            "DEPLOY MODEL m VERSION 1",
            "DEPLOY MODEL m VERSION LATEST",
            "DEPLOY MODEL txt",
            // the PREDICT family, which mutations turn into calls of other counts and argument types
            "SELECT PREDICT('m', A, B), PREDICT_LABEL('m', A, B) FROM T WHERE ID < 5",
            "SELECT PREDICT_PROBA('txt', '1', BODY), PREDICT_EXPLAIN('txt', 2, BODY) FROM T WHERE ID < 5",
            "ROLLBACK MODEL m",
            "DROP MODEL lin",
            "CREATE PREDICTION VIEW pv AS SELECT ID, PREDICT('m', A, B) FROM T WITH (mode = eager, tolerance = 0.01, alpha = 0.5)",
            "CREATE PREDICTION VIEW lv AS SELECT ID, PREDICT('txt', BODY) FROM T WITH (mode = lazy)",
            "CREATE CLASSIFICATION VIEW cv KEY ID ENTITIES FROM T EXAMPLES FROM EX KEY ID LABEL Y"
                    + " FEATURE FUNCTION bag_of_words(BODY) USING svm WITH (learning_rate = 0.5, hash_bits = 7, epochs = 2)",
            "CREATE CLASSIFICATION VIEW dv KEY ID ENTITIES FROM T EXAMPLES FROM EX KEY ID LABEL Y FEATURE FUNCTION (A, B)",
            "REFRESH PREDICTION VIEW pv FULL",
            "DROP PREDICTION VIEW pv");

    /** Characters that parsers trip over: quotes, brackets, markers, controls, lone surrogates, non-ASCII digits. */
    private static final String ODD = "'\"()(),;=?-+.eE0123456789_ \t\n/*\\`$\u0000\u0085\u00a0\u200b\u202e\ufeff\ud800\udc00"
            + "\u0663\uff11\u00e9\u4e2d";
    private static final List<String> NUMBERS = List.of("4294967297", "99999999999", "-4294967295", "99999999999999999999999",
            "9".repeat(3000), "1e-51e-5", "1.2.3", "1e999", "1e99999999999", "-0", ".5", "5.", "1e", "0x10", "NaN", "1_000",
            "\u0663", "-9223372036854775809", "2147483648", "1e-400");

    private static Connection h2;
    private static Path base;

    @BeforeContainer
    static void database() throws Exception {
        base = Files.createTempDirectory("augur-fuzz");
        Files.createDirectories(base.resolve("models"));
        Files.writeString(base.resolve("models/m.json"), ModelJson.toJson(SqlSurfaceH2Test.logistic("m", 1, 2, 3)));
        Properties props = new Properties();
        props.setProperty("augur.importBase", base.toString());
        h2 = DriverManager.getConnection(H2Db.augurUrl(H2Db.uniqueName("fuzz")), props);
        SqlSurfaceH2Test.createTrainingTable(h2);
        H2Db.exec(h2, "CREATE TABLE EX(ID INT PRIMARY KEY, Y INT)", "INSERT INTO EX SELECT X, MOD(X, 2) FROM SYSTEM_RANGE(1, 20)",
                "SET QUERY_TIMEOUT 5000");
        for (String sql : VALID) {
            // every seed is valid: it runs (or fails only because of what ran before, e.g. a view that exists)
            try (Statement st = h2.createStatement()) {
                st.execute(sql);
            } catch (SQLException e) {
                assertThat(e.getSQLState()).as("%s: %s", sql, e.getMessage()).isIn("42710", "2BP01", "42704", "55000");
            }
        }
    }

    @AfterContainer
    static void close() throws Exception {
        h2.close();
    }

    @Property(tries = 5000)
    void theParserTranslatesOrRaisesASqlState(@ForAll("mutated") String sql) {
        try {
            ExtensionStatements.translate(sql, base);
        } catch (AugurException e) {
            assertThat(e.sqlState()).as("SQLSTATE for %s", sql).hasSize(5);
            assertThat(e.getMessage()).as("message for %s", sql).isNotBlank();
        }
    }

    /** A mutation CI found: H2 converts the literal itself (22018), which is a clean answer. */
    @net.jqwik.api.Example
    void h2sOwnConversionOfALiteralIsACleanError() {
        assertRefusedCleanly("SELECT PREDICT('m'= A, B), PREDICT_LABEL('m', A, B) FROM T WHERE ID < 5", "22018");
    }

    private static void assertRefusedCleanly(String sql, String sqlState) {
        SQLException e = org.assertj.core.api.Assertions.catchThrowableOfType(SQLException.class, () -> {
            try (Statement st = h2.createStatement()) {
                st.execute(sql);
            }
        });
        assertThat((Object) e).as(sql).isNotNull();
        assertThat(e.getSQLState()).isEqualTo(sqlState);
        assertClean(sql, e);
    }

    /**
     * A mutation found on 2026-12-04 (seed not kept): a quote mutated next to a T makes H2 read a TIME literal, which it
     * refuses itself (22007 over its own IllegalArgumentException): a clean answer to the user's SQL, as 22018 above.
     */
    @net.jqwik.api.Example
    void h2sOwnParseOfADatetimeLiteralIsACleanError() {
        assertRefusedCleanly("SELECT PREDICT('m', A, T'models/m.json'_LABEL('m', A, B) FROM T WHERE ID < 5", "22007");
    }

    @Property(tries = 1500)
    void anH2ConnectionRunsOrRaisesAnSqlExceptionWithASqlState(@ForAll("mutated") String sql) {
        try (Statement st = h2.createStatement()) {
            st.execute(sql);
            net.jqwik.api.statistics.Statistics.collect("ok");
        } catch (SQLException e) {
            net.jqwik.api.statistics.Statistics.collect(e.getSQLState());
            assertClean(sql, e);
        }
    }

    static void assertClean(String sql, SQLException e) {
        String what = abbreviate(sql) + " -> " + e;
        assertThat(e.getSQLState()).as("SQLSTATE of %s", what).isNotNull().hasSize(5)
                // H2's wrappers of a Java exception thrown inside a function, and its general error
                .isNotIn("90105", "HY000", "50000");
        // H2's own conversion of a literal the statement compares or casts ('m' = A with A a DOUBLE) is 22018 over
        // Java's NumberFormatException: the database's answer to the user's SQL, not a Java exception leaking out
        boolean h2Conversion = "22018".equals(e.getSQLState()) && e.getMessage().startsWith("Data conversion error converting");
        // likewise H2's parse of a datetime literal (T'...' is a TIME literal) is 22007 over its DateTimeUtils' IllegalArgumentException
        boolean h2DateTime = "22007".equals(e.getSQLState()) && e.getMessage().startsWith("Cannot parse \"");
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (h2Conversion && t instanceof NumberFormatException) {
                continue;
            }
            if (h2DateTime && t instanceof IllegalArgumentException && t.getStackTrace().length > 0
                    && t.getStackTrace()[0].getClassName().equals("org.h2.util.DateTimeUtils")) {
                continue;
            }
            assertThat(t).as("cause of %s", what).isNotInstanceOfAny(IllegalArgumentException.class, IllegalStateException.class,
                    StackOverflowError.class, NullPointerException.class, IndexOutOfBoundsException.class, ArithmeticException.class,
                    ClassCastException.class, UnsupportedOperationException.class, java.io.UncheckedIOException.class);
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "... (" + s.length() + " chars)";
    }

    // ------------------------------------------------------------------ mutations

    @Provide
    Arbitrary<String> mutated() {
        return Combinators.combine(Arbitraries.of(VALID), mutation().list().ofMinSize(1).ofMaxSize(3))
                .as((sql, ms) -> {
                    String s = sql;
                    for (Mutation m : ms) {
                        s = m.apply(s);
                    }
                    return s;
                });
    }

    /** One edit at a relative position (0..1) of the statement. */
    private interface Mutation {
        String apply(String s);
    }

    private static Arbitrary<Mutation> mutation() {
        Arbitrary<Double> at = Arbitraries.doubles().between(0, 1);
        Arbitrary<Character> odd = Arbitraries.of(ODD.chars().mapToObj(c -> (char) c).toList());
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Combinators.combine(at, odd).as((p, c) -> s -> insert(s, p, String.valueOf(c)))),
                net.jqwik.api.Tuple.of(2, Combinators.combine(at, Arbitraries.strings().ofMinLength(1).ofMaxLength(4))
                        .as((p, t) -> s -> insert(s, p, t))),
                net.jqwik.api.Tuple.of(3, Combinators.combine(at, Arbitraries.integers().between(1, 12))
                        .as((p, n) -> s -> delete(s, p, n))),
                net.jqwik.api.Tuple.of(3, Combinators.combine(at, odd).as((p, c) -> s -> replace(s, p, String.valueOf(c)))),
                net.jqwik.api.Tuple.of(2, Combinators.combine(at, Arbitraries.integers().between(1, 20000))
                        .as((p, depth) -> s -> insert(s, p, "(".repeat(depth) + " SELECT 1 " + ")".repeat(depth)))),
                net.jqwik.api.Tuple.of(1, Combinators.combine(at, Arbitraries.integers().between(1, 20000))
                        .as((p, depth) -> s -> insert(s, p, "(".repeat(depth)))),
                net.jqwik.api.Tuple.of(3, Arbitraries.of(NUMBERS).map(n -> s -> replaceNumber(s, n))),
                net.jqwik.api.Tuple.of(1, Combinators.combine(at, Arbitraries.of("'", "''", "\"", "'\uD800.json'",
                        "'../../../../etc/passwd'", "'/etc/passwd'", "'models/m.json'", "--", "/*"))
                        .as((p, q) -> s -> insert(s, p, q))),
                net.jqwik.api.Tuple.of(1, Combinators.combine(at, at).as((p, q) -> s -> duplicate(s, p, q))));
    }

    private static int pos(String s, double p) {
        return Math.min(s.length(), (int) (p * (s.length() + 1)));
    }

    private static String insert(String s, double p, String t) {
        int i = pos(s, p);
        return s.substring(0, i) + t + s.substring(i);
    }

    private static String delete(String s, double p, int n) {
        int i = pos(s, p);
        return s.substring(0, i) + s.substring(Math.min(s.length(), i + n));
    }

    private static String replace(String s, double p, String t) {
        int i = Math.min(pos(s, p), Math.max(0, s.length() - 1));
        return s.isEmpty() ? t : s.substring(0, i) + t + s.substring(i + 1);
    }

    private static String duplicate(String s, double p, double q) {
        int a = pos(s, Math.min(p, q));
        int b = pos(s, Math.max(p, q));
        return s.substring(0, b) + s.substring(a, b) + s.substring(b);
    }

    /** The first number of the statement (an option or a version) replaced by {@code n}. */
    private static String replaceNumber(String s, String n) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?<=[=N] )[-0-9][0-9e.-]*").matcher(s);
        return m.find() ? s.substring(0, m.start()) + n + s.substring(m.end()) : s + " WITH (epochs = " + n + ")";
    }
}
