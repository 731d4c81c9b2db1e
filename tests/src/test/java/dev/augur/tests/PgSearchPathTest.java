package dev.augur.tests;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static dev.augur.tests.PgRoleChecks.as;
import static dev.augur.tests.PgRoleChecks.isSuperuser;
import static dev.augur.tests.PgRoleChecks.roleSuffix;
import static dev.augur.tests.PgRoleChecks.superuser;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Code a hostile role supplies must never run as anyone else through Augur: not through a name it gives a table or a
 * schema (quoted into the owner's generated functions), not through a function or operator it creates in a schema on
 * another role's search_path (an exact match of argument types beats pg_catalog's polymorphic or cast-needing one),
 * whether that role is the catalog owner migrating or a superuser calling the PREDICT family.
 */
class PgSearchPathTest {

    /** The next connection through jdbc:augur: migrates again (as an upgrade to a newer Augur does). */
    private static void forgetFingerprint(Connection su) throws SQLException {
        H2Db.exec(su, "COMMENT ON TABLE augur.\"AUGUR_SCHEMA_HISTORY\" IS 'an older Augur'");
    }

    private static final String DENSE = "{\"name\":\"m\",\"kind\":\"logistic\",\"features\":{\"type\":\"dense\",\"inputs\":[\"a\",\"b\"]},"
            + "\"weights\":[1,-1],\"bias\":0.1}";

    @Test
    void quotedNamesOfABaseTableAndItsSchemaStayNamesInAViewsGeneratedCode() throws Exception {
        String url = PgServer.newDatabase("sec_names");
        String eng = "eng" + roleSuffix();
        try (Connection su = superuser(url)) {
            H2Db.exec(su, "CREATE ROLE " + eng + " LOGIN", "GRANT augur_admin TO " + eng, "GRANT CREATE ON SCHEMA public TO " + eng,
                    "DO $$ BEGIN EXECUTE format('GRANT CREATE ON DATABASE %I TO %I', current_database(), '" + eng + "'); END $$");
        }
        // a backslash before the quote: %L doubles it, a regexp replacement string halves it again, and the quote then
        // closed the literal
        String evil = "\\',NULL)WHERE false;ALTER ROLE " + eng + " SUPERUSER;--";
        try {
            try (Connection e = DriverManager.getConnection(as(url, eng)); Statement st = e.createStatement()) {
                H2Db.scalar(e, "SELECT augur.import_model('m', ?)", DENSE);
                H2Db.scalar(e, "SELECT augur.deploy_model('m', 1)");
                // a schema so named, the table found through the search path
                st.execute("CREATE SCHEMA \"s" + evil + "\"");
                st.execute("SET search_path = \"s" + evil + "\"");
                st.execute("CREATE TABLE t (id int PRIMARY KEY, a float8, b float8)");
                st.execute("INSERT INTO t SELECT g, sin(g), cos(g) FROM generate_series(1, 5) g");
                assertThat(H2Db.intValue(e, "SELECT augur.create_prediction_view('w', 'SELECT id, PREDICT(''m'', a, b) FROM t')")).isEqualTo(5);
                st.execute("RESET search_path");
                // a table so named after its view was made (the next migrate generates the view's functions again)
                st.execute("CREATE TABLE t (id int PRIMARY KEY, a float8, b float8)");
                st.execute("INSERT INTO t SELECT g, sin(g), cos(g) FROM generate_series(1, 5) g");
                assertThat(H2Db.intValue(e, "SELECT augur.create_prediction_view('v', 'SELECT id, PREDICT(''m'', a, b) FROM t')")).isEqualTo(5);
                st.execute("ALTER TABLE t RENAME TO \"t" + evil + "\"");
            }
            try (Connection su = superuser(url)) {
                forgetFingerprint(su);
            }
            try (Connection su = superuser(url)) {
                assertThat(isSuperuser(su, eng)).as("the admin became a superuser").isFalse();
            }
            try (Connection e = DriverManager.getConnection(as(url, eng))) {
                for (String view : List.of("v", "w")) {
                    // refreshing and a deploy run the generated functions; the names are data in them
                    SQLException refresh = null;
                    try {
                        H2Db.scalar(e, "SELECT augur.refresh_prediction_view(?, true)", view);
                    } catch (SQLException x) {
                        refresh = x;
                    }
                    if (refresh != null) {
                        assertThat(refresh.getSQLState()).as(refresh.getMessage()).isEqualTo("55000");
                    }
                }
                H2Db.scalar(e, "SELECT augur.import_model('m', ?)", DENSE.replace("\"bias\":0.1", "\"bias\":0.2"));
                H2Db.scalar(e, "SELECT augur.deploy_model('m', 2)");
            }
            try (Connection su = superuser(url)) {
                assertThat(isSuperuser(su, eng)).as("the admin became a superuser").isFalse();
            }
        } finally {
            try (Connection su = superuser(url)) {
                H2Db.exec(su, "ALTER ROLE " + eng + " NOSUPERUSER");
            }
        }
    }

    /** Functions and operators of pg_catalog that Augur's code calls with no exact match, shadowed in schema public. */
    private static List<String> traps() {
        List<String> t = new ArrayList<>();
        String log = "PERFORM public.trap_hit(%s);";
        t.add("CREATE FUNCTION public.trap_hit(what text) RETURNS void LANGUAGE plpgsql AS $$ BEGIN "
                + "IF current_user <> (SELECT owner FROM public.trap_owner) THEN INSERT INTO public.trap_log VALUES (current_user, what); END IF; "
                + "END $$");
        String[][] functions = {
                {"array_position(a text[], e text)", "integer", "pg_catalog.array_position(a, e)"},
                {"cardinality(a text[])", "integer", "pg_catalog.cardinality(a)"},
                {"cardinality(a float8[])", "integer", "pg_catalog.cardinality(a)"},
                {"array_length(a float8[], d integer)", "integer", "pg_catalog.array_length(a, d)"},
                {"array_length(a text[], d integer)", "integer", "pg_catalog.array_length(a, d)"},
                {"array_remove(a text[], e text)", "text[]", "pg_catalog.array_remove(a, e)"},
                {"array_to_string(a text[], s text)", "text", "pg_catalog.array_to_string(a, s)"},
                {"format(f text, a integer)", "text", "pg_catalog.format(f, a)"},
                {"format(f text, a text)", "text", "pg_catalog.format(f, a)"},
                {"format(f text, a float8)", "text", "pg_catalog.format(f, a)"},
                {"format(f text, a text, b text)", "text", "pg_catalog.format(f, a, b)"},
                {"to_jsonb(a float8[])", "jsonb", "pg_catalog.to_jsonb(a)"},
                {"to_jsonb(a text)", "jsonb", "pg_catalog.to_jsonb(a)"},
        };
        for (String[] f : functions) {
            t.add("CREATE FUNCTION public." + f[0] + " RETURNS " + f[1] + " LANGUAGE plpgsql AS $$ BEGIN "
                    + String.format(log, "'" + f[0].replace("'", "''") + "'") + " RETURN " + f[2] + "; END $$");
        }
        for (String[] f : new String[][]{{"unnest(a float8[])", "float8"}, {"unnest(a text[])", "text"}}) {
            t.add("CREATE FUNCTION public." + f[0] + " RETURNS SETOF " + f[1] + " LANGUAGE plpgsql AS $$ BEGIN "
                    + String.format(log, "'" + f[0] + "'") + " RETURN QUERY SELECT pg_catalog.unnest(a); END $$");
        }
        // operators whose operands PostgreSQL casts: integer or numeric constants beside float8 values
        String[][] types = {{"integer", "float8"}, {"float8", "integer"}, {"numeric", "float8"}, {"float8", "numeric"},
                {"bigint", "float8"}, {"float8", "bigint"}};
        String[][] ops = {{"+", "plus", "float8"}, {"-", "minus", "float8"}, {"*", "times", "float8"}, {"/", "over", "float8"},
                {"<", "lt", "boolean"}, {">", "gt", "boolean"}, {"<=", "le", "boolean"}, {">=", "ge", "boolean"}, {"=", "eq", "boolean"},
                {"<>", "ne", "boolean"}};
        int n = 0;
        for (String[] ty : types) {
            for (String[] op : ops) {
                String fn = "public.trap_" + op[1] + "_" + (n++);
                t.add("CREATE FUNCTION " + fn + "(a " + ty[0] + ", b " + ty[1] + ") RETURNS " + op[2] + " LANGUAGE plpgsql AS $$ BEGIN "
                        + String.format(log, "'" + op[0] + "(" + ty[0] + ", " + ty[1] + ")'") + " RETURN a::float8 " + op[0] + " b::float8; END $$");
                t.add("CREATE OPERATOR public." + op[0] + " (LEFTARG = " + ty[0] + ", RIGHTARG = " + ty[1] + ", FUNCTION = " + fn + ")");
            }
        }
        t.add("CREATE FUNCTION public.trap_count_step(s bigint, v float8) RETURNS bigint LANGUAGE plpgsql AS $$ BEGIN "
                + String.format(log, "'count(float8)'") + " RETURN s + CASE WHEN v IS NULL THEN 0 ELSE 1 END; END $$");
        t.add("CREATE AGGREGATE public.count(float8) (SFUNC = public.trap_count_step, STYPE = bigint, INITCOND = '0')");
        return t;
    }

    @Test
    void functionsAndOperatorsPlantedInPublicRunForNobodyButTheirAuthor() throws Exception {
        String url = PgServer.newDatabase("sec_path");
        String nobody = "nob" + roleSuffix();
        String eng = "eng" + roleSuffix();
        try (Connection su = superuser(url); Statement st = su.createStatement()) {
            H2Db.exec(su, "CREATE ROLE " + nobody + " LOGIN", "GRANT CREATE ON SCHEMA public TO " + nobody,
                    "CREATE ROLE " + eng + " LOGIN", "GRANT augur_admin TO " + eng);
            st.execute("CREATE TABLE calib (id int PRIMARY KEY, a float8, b float8, y int, x float8, v float8)");
            st.execute("INSERT INTO calib SELECT g, sin(g), cos(g), CASE WHEN sin(g) > cos(g) THEN 1 ELSE 0 END, g / 10.0, 3 * g / 10.0 + 1.5 + sin(7 * g) "
                    + "FROM generate_series(1, 60) g");
            st.execute("GRANT SELECT ON calib TO PUBLIC");
        }
        try (Connection h = DriverManager.getConnection(as(url, nobody)); Statement st = h.createStatement()) {
            st.execute("CREATE TABLE public.trap_log (who text, what text)");
            st.execute("CREATE TABLE public.trap_owner (owner text)");
            st.execute("INSERT INTO public.trap_owner VALUES (current_user)");
            st.execute("GRANT INSERT ON public.trap_log TO PUBLIC");
            st.execute("GRANT SELECT ON public.trap_owner TO PUBLIC");
            for (String sql : traps()) {
                st.execute(sql);
            }
        }
        try {
            // the catalog owner migrating (an upgrade), then generating functions as models are deployed
            try (Connection su = superuser(url)) {
                forgetFingerprint(su);
            }
            List<String> calls = List.of(
                    "SELECT augur.import_model('m', '" + DENSE + "')", "SELECT augur.deploy_model('m', 1)",
                    "SELECT augur.import_model('s', '" + ConformanceTest.SOFTMAX + "')", "SELECT augur.deploy_model('s', 1)",
                    "SELECT augur.import_model('spam', '" + ConformanceTest.BOW + "')", "SELECT augur.deploy_model('spam', 1)",
                    "SELECT augur.import_model('h', '" + ConformanceTest.HASHED + "')", "SELECT augur.deploy_model('h', 1)",
                    "SELECT augur.import_model('e', '" + ConformanceTest.BAGGED + "')", "SELECT augur.deploy_model('e', 1)",
                    "SELECT augur.import_model('lin', '" + ConformanceTest.LINEAR1 + "')", "SELECT augur.deploy_model('lin', 1)",
                    "SELECT AUGUR.CALIBRATE_MODEL('m', 1, 'SELECT a, b, y FROM calib')",
                    "SELECT AUGUR.CALIBRATE_MODEL('lin', 1, 'SELECT x, v FROM calib')",
                    "SELECT PREDICT('m', 0.5, 1.0)", "SELECT PREDICT('m', 0.5::float8, 1::float8)",
                    "SELECT PREDICT_LABEL('m', 0.5::float8, 1::float8)", "SELECT PREDICT_PROBA('m', '1', 0.5::float8, 1::float8)",
                    "SELECT PREDICT_PROBA('m', '0', 0.5::float8, 1::float8)", "SELECT PREDICT_EXPLAIN('m', 2, 0.5::float8, 1::float8)",
                    "SELECT PREDICT('m@2', 0.5::float8, 1::float8)",
                    "SELECT PREDICT_SET('m@2', 0.2::float8, 0.5::float8, 1::float8)",
                    "SELECT PREDICT_LABEL_IF_CERTAIN('m@2', 0.2::float8, 0.5::float8, 1::float8)",
                    "SELECT PREDICT_SERVED('m', 'k1', 0.5::float8, 1::float8)",
                    "SELECT PREDICT('s', 0.5::float8, 1::float8)", "SELECT PREDICT_LABEL('s', 0.5::float8, 1::float8)",
                    "SELECT PREDICT_PROBA('s', 'green', 0.5::float8, 1::float8)",
                    "SELECT PREDICT_EXPLAIN('s', 2, 0.5::float8, 1::float8)",
                    "SELECT PREDICT('spam', 'buy now cheap meeting')", "SELECT PREDICT_LABEL('spam', 'buy now cheap meeting')",
                    "SELECT PREDICT_PROBA('spam', 'spam', 'buy now cheap meeting')", "SELECT PREDICT_EXPLAIN('spam', 2, 'buy now')",
                    "SELECT PREDICT('h', 'buy now cheap meeting')", "SELECT PREDICT_LABEL('h', 'hello there')",
                    "SELECT PREDICT('e', 0.5::float8, 1::float8)", "SELECT PREDICT_STDDEV('e', 0.5::float8, 1::float8)",
                    "SELECT PREDICT_LABEL('e', 0.5::float8, 1::float8)",
                    "SELECT PREDICT('lin', 2::float8)", "SELECT PREDICT_INTERVAL('lin@2', 0.9::float8, 2::float8)",
                    "SELECT PREDICT('m', a, b) FROM calib", "SELECT PREDICT_LABEL('s', a, b) FROM calib");
            List<String> failed = new ArrayList<>();
            List<String> hits = new ArrayList<>();
            try (Connection su = superuser(url); Statement st = su.createStatement()) {
                for (String sql : calls) {
                    try (PreparedStatement ps = su.prepareStatement(sql)) {
                        ps.execute();
                    } catch (SQLException x) {
                        failed.add(sql + ": " + x.getSQLState() + " " + x.getMessage());
                    }
                    // each call's hits beside it, to name what to fix
                    try (var rs = st.executeQuery("SELECT string_agg(DISTINCT who || ' ran ' || what, '; ') FROM public.trap_log")) {
                        rs.next();
                        if (rs.getString(1) != null) {
                            hits.add(sql + " -> " + rs.getString(1));
                        }
                    }
                    st.execute("DELETE FROM public.trap_log");
                }
            }
            assertThat(failed).as("every call works beside the traps").isEmpty();
            assertThat(hits).as("code of %s that ran as another role", nobody).isEmpty();
        } finally {
            try (Connection su = superuser(url)) {
                H2Db.exec(su, "ALTER ROLE " + nobody + " NOSUPERUSER");
            }
        }
    }
}
