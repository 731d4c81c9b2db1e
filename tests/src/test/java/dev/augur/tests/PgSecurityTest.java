package dev.augur.tests;

import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.augur.tests.PgRoleChecks.as;
import static dev.augur.tests.PgRoleChecks.isSuperuser;
import static dev.augur.tests.PgRoleChecks.roleSuffix;
import static dev.augur.tests.PgRoleChecks.superuser;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Privileges on PostgreSQL, probed as a hostile user: no path from augur_admin or augur_user (or a role with no Augur
 * role at all) to the catalog owner's privileges or to a view it may not write, no model weights for roles without an
 * Augur role, corrupt payloads refused on every path that serves a model, and view options checked.
 */
class PgSecurityTest {
    private static final String VR_SIGNATURE = "(p_mode text, p_kind text, p_w float8[], p_b float8, p_classes text[], p_ver integer, "
            + "p_tol float8, p_lo float8, p_hi float8, p_dl1 float8, p_dl2 float8, p_dlinf float8, p_db float8, p_lip float8)";
    /** Weights nobody without an Augur role may read: distinctive digits, looked for in everything a stranger can see. */
    private static final String SECRET_DENSE = "{\"name\":\"sec\",\"kind\":\"logistic\",\"features\":{\"type\":\"dense\",\"inputs\":[\"a\",\"b\"]},"
            + "\"weights\":[0.8765432109876,-3.141592653589],\"bias\":0.2718281828}";
    private static final String SECRET_BOW = "{\"name\":\"secb\",\"kind\":\"logistic\",\"classes\":[\"0\",\"1\"],\"features\":{\"type\":\"bag_of_words\","
            + "\"input\":\"body\",\"weighting\":\"binary\",\"ngrams\":1,\"hash_bits\":0,\"normalize\":false,\"vocabulary\":[\"cheap\",\"meeting\"]},"
            + "\"weights\":[4.6692016091,-2.502907875],\"bias\":1.6180339887}";
    private static final List<String> SECRETS = List.of("8765432109876", "141592653589", "2718281828", "6692016091", "502907875",
            "6180339887");

    // ------------------------------------------------------------------------------------------------- helpers

    private static String model(String name, double wa, double wb, double bias) {
        return "{\"name\":\"" + name + "\",\"kind\":\"logistic\",\"features\":{\"type\":\"dense\",\"inputs\":[\"a\",\"b\"]},\"weights\":["
                + wa + "," + wb + "],\"bias\":" + bias + "}";
    }

    /** Runs sql, which must fail; returns the exception. */
    private static SQLException failure(Connection c, String sql, Object... params) {
        try {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < params.length; i++) {
                    ps.setObject(i + 1, params[i]);
                }
                ps.execute();
            }
        } catch (SQLException e) {
            return e;
        }
        return null;
    }

    private static SQLException denied(Connection c, String sql, Object... params) {
        SQLException e = failure(c, sql, params);
        assertThat((Throwable) e).as("%s must be refused", sql).isNotNull();
        assertThat(e.getSQLState()).as("SQLSTATE of %s (%s)", sql, e.getMessage()).isEqualTo("42501");
        return e;
    }

    /** Everything a client sees of an error: message, detail, hint, context, internal query. */
    private static String everything(SQLException e) {
        StringBuilder s = new StringBuilder(String.valueOf(e.getMessage()));
        if (e instanceof PSQLException p && p.getServerErrorMessage() != null) {
            ServerErrorMessage m = p.getServerErrorMessage();
            s.append(' ').append(m.getDetail()).append(' ').append(m.getHint()).append(' ').append(m.getWhere()).append(' ')
                    .append(m.getInternalQuery());
        }
        return s.toString();
    }

    /** The generated functions of view {@code view} (any schema): regprocedure text -> schema. */
    private static List<String> generated(Connection c, String prefix, String view) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT p.oid::regprocedure::text FROM pg_proc p WHERE p.proname = ? || md5(?)")) {
            ps.setString(1, prefix);
            ps.setString(2, view);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    private static String schemaOf(Connection c, String regprocedure) throws SQLException {
        return H2Db.text(c, "SELECT n.nspname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE p.oid = ?::regprocedure",
                regprocedure);
    }

    /** The body of a scoring function that, run by a superuser, makes {@code role} one. */
    private static String evilScoring(String qualifiedName, String role) {
        return "CREATE OR REPLACE FUNCTION " + qualifiedName + VR_SIGNATURE + " RETURNS augur.view_work LANGUAGE plpgsql SECURITY INVOKER AS $$"
                + " BEGIN IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN EXECUTE 'ALTER ROLE " + role + " SUPERUSER';"
                + " END IF; RETURN ROW(0, 0, 0, 0, 0, 0, 0)::augur.view_work; END $$";
    }

    private static void tryAll(Connection c, List<String> sqls, List<String> failures) {
        for (String sql : sqls) {
            SQLException e = failure(c, sql);
            failures.add(e == null ? "ok" : e.getSQLState());
        }
    }

    // ------------------------------------------------------------------------------------------------- 1

    @Test
    void anAdminCannotReplaceItsViewsCodeToRunAsTheCatalogOwner() throws Exception {
        String url = PgServer.newDatabase("sec_replace");
        String eng = "eng" + roleSuffix();
        try (Connection su = superuser(url)) {
            H2Db.exec(su, "CREATE ROLE " + eng + " LOGIN", "GRANT augur_admin TO " + eng, "GRANT CREATE ON SCHEMA public TO " + eng);
            try {
                List<String> attempts = new ArrayList<>();
                try (Connection e = DriverManager.getConnection(as(url, eng)); Statement st = e.createStatement()) {
                    st.execute("CREATE TABLE t (id INT PRIMARY KEY, a DOUBLE PRECISION, b DOUBLE PRECISION)");
                    st.execute("INSERT INTO t SELECT g, sin(g), cos(g) FROM generate_series(1, 40) g");
                    H2Db.scalar(e, "SELECT augur.import_model('m', ?)", model("m", 1, -1, 0.1));
                    H2Db.scalar(e, "SELECT augur.import_model('m', ?)", model("m", 1.2, -0.8, 0.0));
                    H2Db.scalar(e, "SELECT augur.deploy_model('m', 1)");
                    H2Db.scalar(e, "SELECT augur.create_prediction_view('v', 'SELECT id, PREDICT(''m'', a, b) FROM t')");
                    // the view's scoring function, wherever it lives: replaced, made SECURITY INVOKER, shadowed in public
                    List<String> vr = generated(e, "augur_vr_", "v");
                    assertThat(vr).hasSize(1);
                    String schema = schemaOf(e, vr.get(0));
                    String name = "augur_vr_" + H2Db.text(e, "SELECT md5('v')");
                    tryAll(e, List.of(evilScoring(schema + "." + name, eng), "ALTER FUNCTION " + vr.get(0) + " SECURITY INVOKER",
                            "ALTER FUNCTION " + vr.get(0) + " OWNER TO " + eng), attempts);
                    if (!schema.equals("public")) {
                        tryAll(e, List.of(evilScoring("public." + name, eng)), new ArrayList<>());
                    }
                    // a trigger of its own on the view's table, fired when the catalog owner writes the table
                    tryAll(e, List.of("CREATE FUNCTION public.eng_escalate() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                                    + " IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN EXECUTE 'ALTER ROLE " + eng
                                    + " SUPERUSER'; END IF; RETURN NULL; END $$",
                            "CREATE TRIGGER eng_escalate AFTER UPDATE ON v FOR EACH ROW EXECUTE FUNCTION public.eng_escalate()"), attempts);
                    // now a deploy runs the view's maintenance as the catalog owner
                    failure(e, "SELECT augur.deploy_model('m', 2)");
                    failure(e, "SELECT augur.refresh_prediction_view('v', true)");
                }
                assertThat(isSuperuser(su, eng)).as("the admin became a superuser").isFalse();
                // replacing the function, changing its security or owner, and adding a trigger to the view's table: refused
                assertThat(attempts).containsExactly("42501", "42501", "42501", "ok", "42501");
                try (Statement st = su.createStatement()) {
                    assertThat(H2Db.intValue(su, "SELECT model_version FROM augur.views WHERE name = 'v'")).isEqualTo(2);
                    ViewsDatabase.POSTGRESQL.assertViewEqualsFullRescoring(st, "v", "m");
                }
            } finally {
                H2Db.exec(su, "ALTER ROLE " + eng + " NOSUPERUSER");
            }
        }
    }

    // ------------------------------------------------------------------------------------------------- 2

    @Test
    void anAdminCannotWriteTheViewCatalogToRunItsOwnFunction() throws Exception {
        String url = PgServer.newDatabase("sec_catalog");
        String sfx = roleSuffix();
        String eng = "eng" + sfx;
        String pwned = "pwned" + sfx;
        try (Connection su = superuser(url)) {
            H2Db.exec(su, "CREATE ROLE " + eng + " LOGIN", "GRANT augur_admin TO " + eng, "GRANT CREATE ON SCHEMA public TO " + eng,
                    "CREATE TABLE t (id INT PRIMARY KEY, a DOUBLE PRECISION, b DOUBLE PRECISION)",
                    "INSERT INTO t SELECT g, sin(g), cos(g) FROM generate_series(1, 30) g");
            H2Db.scalar(su, "SELECT augur.import_model('m', ?)", model("m", 1, -1, 0.1));
            H2Db.scalar(su, "SELECT augur.import_model('m', ?)", model("m", 1.2, -0.8, 0.0));
            H2Db.scalar(su, "SELECT augur.deploy_model('m', 1)");
            H2Db.scalar(su, "SELECT augur.create_prediction_view('v', 'SELECT id, PREDICT(''m'', a, b) FROM t')");
            List<List<Object>> before = H2Db.rows(su, "SELECT * FROM augur.views ORDER BY name");
            int events = H2Db.count(su, "augur.view_events");
            try {
                try (Connection e = DriverManager.getConnection(as(url, eng))) {
                    H2Db.exec(e, "CREATE FUNCTION public.augur_vr_evil" + VR_SIGNATURE + " RETURNS augur.view_work LANGUAGE plpgsql AS $$"
                            + " BEGIN IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN"
                            + " EXECUTE 'CREATE ROLE " + pwned + " SUPERUSER LOGIN'; END IF;"
                            + " RETURN ROW(0, 0, 0, 0, 0, 0, 0)::augur.view_work; END $$");
                    SQLException update = denied(e, "UPDATE augur.views SET view_schema = 'public', routine = 'evil' WHERE name = 'v'");
                    assertThat(update.getMessage()).contains("views");
                    failure(e, "SELECT augur.deploy_model('m', 2)");
                    // every other write to the view catalog, and tuning a view it does not own
                    denied(e, "INSERT INTO augur.views (name, kind, mode, tolerance, alpha, base_table, key_column, input_columns, model, "
                            + "definition, view_schema, routine) VALUES ('w', 'prediction', 'eager', 0, 1, 't', 'id', 'a,b', 'm', 'x', 'public', 'evil')");
                    denied(e, "DELETE FROM augur.views");
                    denied(e, "DELETE FROM augur.view_events");
                    denied(e, "UPDATE augur.view_models SET version = 1");
                    denied(e, "INSERT INTO augur.view_events (view_name, event, rows_checked, rows_rescored, rows_written, millis) "
                            + "VALUES ('v', 'x', 0, 0, 0, 0)");
                    denied(e, "DELETE FROM augur.view_learners");
                    denied(e, "UPDATE augur.views SET alpha = 0 WHERE name = 'v'");
                }
                assertThat(H2Db.intValue(su, "SELECT count(*) FROM pg_roles WHERE rolname = ?", pwned)).as("a role made by the hook").isZero();
                // the deploy itself went through, and only it changed the catalog
                assertThat(H2Db.intValue(su, "SELECT model_version FROM augur.views WHERE name = 'v'")).isEqualTo(2);
                assertThat(H2Db.text(su, "SELECT routine FROM augur.views WHERE name = 'v'")).isEqualTo(before.get(0).get(
                        columnIndex(su, "routine")));
                assertThat(H2Db.count(su, "augur.view_events")).isEqualTo(events + 1);
                try (Statement st = su.createStatement()) {
                    ViewsDatabase.POSTGRESQL.assertViewEqualsFullRescoring(st, "v", "m");
                }
            } finally {
                H2Db.exec(su, "DROP ROLE IF EXISTS " + pwned);
            }
        }
    }

    private static int columnIndex(Connection c, String column) throws SQLException {
        return H2Db.intValue(c, "SELECT ordinal_position FROM information_schema.columns WHERE table_schema = 'augur' "
                + "AND table_name = 'views' AND column_name = ?", column) - 1;
    }

    @Test
    void theCreatorTunesItsViewThroughTheCatalogWithCheckedValues() throws Exception {
        String url = PgServer.newDatabase("sec_tune");
        String sfx = roleSuffix();
        String eng = "eng" + sfx;
        String other = "other" + sfx;
        try (Connection su = superuser(url)) {
            H2Db.exec(su, "CREATE ROLE " + eng + " LOGIN", "GRANT augur_admin TO " + eng, "GRANT CREATE ON SCHEMA public TO " + eng,
                    "CREATE ROLE " + other + " LOGIN", "GRANT augur_admin TO " + other);
        }
        try (Connection e = DriverManager.getConnection(as(url, eng)); Statement st = e.createStatement()) {
            st.execute("CREATE TABLE t (id INT PRIMARY KEY, a DOUBLE PRECISION, b DOUBLE PRECISION)");
            st.execute("INSERT INTO t SELECT g, sin(g), cos(g) FROM generate_series(1, 30) g");
            H2Db.scalar(e, "SELECT augur.import_model('m', ?)", model("m", 1, -1, 0.1));
            H2Db.scalar(e, "SELECT augur.deploy_model('m', 1)");
            H2Db.scalar(e, "SELECT augur.create_prediction_view('v', 'SELECT id, PREDICT(''m'', a, b) FROM t')");
            assertThat(st.executeUpdate("UPDATE augur.views SET alpha = 0, tolerance = 0.5 WHERE name = 'v'")).isEqualTo(1);
            assertThat(H2Db.doubleValue(e, "SELECT alpha FROM augur.views WHERE name = 'v'")).isZero();
            SQLException bad = failure(e, "UPDATE augur.views SET tolerance = -1 WHERE name = 'v'");
            assertThat((Throwable) bad).isNotNull();
            assertThat(bad.getSQLState()).isEqualTo("22023");
            assertThat(bad.getMessage()).contains("tolerance", ">= 0");
            SQLException nan = failure(e, "UPDATE augur.views SET alpha = 'NaN' WHERE name = 'v'");
            assertThat((Throwable) nan).isNotNull();
            assertThat(nan.getSQLState()).isEqualTo("22023");
        }
        try (Connection o = DriverManager.getConnection(as(url, other))) {
            SQLException e = denied(o, "UPDATE augur.views SET alpha = 2 WHERE name = 'v'");
            assertThat(e.getMessage()).contains("'v'", eng);
            denied(o, "SELECT augur.refresh_prediction_view('v')");
            denied(o, "SELECT augur.drop_prediction_view('v')");
            // nor may it create a view as someone else by calling the function behind CREATE PREDICTION VIEW
            SQLException as = denied(o, "SELECT augur.view_create('w', 'SELECT id, PREDICT(''m'', a, b) FROM t', NULL, 'public', "
                    + "'public.t'::regclass, ?)", eng);
            assertThat(as.getMessage()).contains("as role " + eng, "SET ROLE");
        }
        // a role that may SET ROLE to the creator manages the view with it
        try (Connection su = superuser(url)) {
            H2Db.exec(su, "GRANT " + eng + " TO " + other);
        }
        try (Connection o = DriverManager.getConnection(as(url, other))) {
            assertThat(H2Db.intValue(o, "SELECT augur.refresh_prediction_view('v', true)")).isGreaterThanOrEqualTo(0);
            H2Db.exec(o, "UPDATE augur.views SET alpha = 3 WHERE name = 'v'");
            assertThat(H2Db.intValue(o, "SELECT augur.drop_prediction_view('v')")).isEqualTo(1);
        }
    }

    /**
     * Creating a view (whose objects the catalog owner makes and maintains) takes what doing it oneself would: CREATE in
     * the schema, SELECT (and TRIGGER, for views kept by triggers) on the tables; and the owner reads only columns of
     * built-in types, so a type of the creator's cannot bring a cast that would run as the owner.
     */
    @Test
    void creatingAViewTakesThePrivilegesItUsesAndReadsBuiltInTypesOnly() throws Exception {
        String url = PgServer.newDatabase("sec_create");
        String sfx = roleSuffix();
        String alice = "alice" + sfx;
        String eng = "eng" + sfx;
        try (Connection su = superuser(url)) {
            H2Db.exec(su, "CREATE ROLE " + alice + " LOGIN", "GRANT augur_admin TO " + alice, "GRANT CREATE ON SCHEMA public TO " + alice,
                    "CREATE ROLE " + eng + " LOGIN", "GRANT augur_admin TO " + eng, "CREATE SCHEMA eng_s AUTHORIZATION " + eng);
            H2Db.scalar(su, "SELECT augur.import_model('m', ?)", model("m", 1, -1, 0.1));
            H2Db.scalar(su, "SELECT augur.deploy_model('m', 1)");
        }
        try (Connection a = DriverManager.getConnection(as(url, alice)); Statement st = a.createStatement()) {
            st.execute("CREATE TABLE t (id INT PRIMARY KEY, a DOUBLE PRECISION, b DOUBLE PRECISION)");
            st.execute("INSERT INTO t VALUES (1, 1, 2), (2, 0, 1)");
            st.execute("GRANT SELECT ON t TO " + eng);
        }
        try (Connection e = DriverManager.getConnection(as(url, eng)); Statement st = e.createStatement()) {
            // in public, where it may not create
            SQLException schema = denied(e, "SELECT augur.create_prediction_view('v', 'SELECT id, PREDICT(''m'', a, b) FROM public.t')");
            assertThat(schema.getMessage()).contains("schema public", "CREATE", "GRANT CREATE ON SCHEMA public TO " + eng);
            st.execute("SET search_path = eng_s, public");
            // over alice's table, which it may read but not put triggers on: an eager view no, a lazy view yes
            SQLException trigger = denied(e, "SELECT augur.create_prediction_view('v', 'SELECT id, PREDICT(''m'', a, b) FROM public.t')");
            assertThat(trigger.getMessage()).contains("TRIGGER", "GRANT TRIGGER ON public.t TO " + eng);
            assertThat(H2Db.intValue(e, "SELECT augur.create_prediction_view('lz', 'SELECT id, PREDICT(''m'', a, b) FROM t', "
                    + "'{\"mode\": \"lazy\"}')")).isZero();
            assertThat(H2Db.count(e, "eng_s.lz")).isEqualTo(2);
            // a table of its own whose label is of a type of its own, with a cast to text that would make it a superuser
            st.execute("CREATE TYPE eng_s.lab AS ENUM ('no', 'yes')");
            st.execute("CREATE FUNCTION eng_s.lab_text(x eng_s.lab) RETURNS text LANGUAGE plpgsql AS $$ BEGIN "
                    + "IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN EXECUTE 'ALTER ROLE " + eng + " SUPERUSER'; END IF; "
                    + "RETURN x::name::text; END $$");
            st.execute("CREATE CAST (eng_s.lab AS text) WITH FUNCTION eng_s.lab_text(eng_s.lab)");
            st.execute("CREATE TABLE eng_s.docs (id INT PRIMARY KEY, body TEXT)");
            st.execute("INSERT INTO eng_s.docs VALUES (1, 'cheap'), (2, 'meeting')");
            st.execute("CREATE TABLE eng_s.labels (id INT PRIMARY KEY, spam eng_s.lab)");
            st.execute("INSERT INTO eng_s.labels VALUES (1, 'yes'), (2, 'no')");
            SQLException type = failure(e, "SELECT augur.create_classification_view('cv', 'docs', 'id', 'labels', 'id', 'spam', 'bag_of_words(body)')");
            assertThat((Throwable) type).isNotNull();
            assertThat(type.getSQLState()).as(type.getMessage()).isEqualTo("42804");
            assertThat(type.getMessage()).contains("labels.spam", "built-in");
            // a domain over a built-in type is fine
            st.execute("CREATE DOMAIN eng_s.doc_id AS integer CHECK (VALUE > 0)");
            st.execute("CREATE TABLE eng_s.docs2 (id eng_s.doc_id PRIMARY KEY, body TEXT)");
            st.execute("INSERT INTO eng_s.docs2 VALUES (1, 'cheap'), (2, 'meeting')");
            st.execute("CREATE TABLE eng_s.labels2 (id INT PRIMARY KEY, spam INT)");
            st.execute("INSERT INTO eng_s.labels2 VALUES (1, 1), (2, 0)");
            assertThat(H2Db.intValue(e, "SELECT augur.create_classification_view('cv2', 'docs2', 'id', 'labels2', 'id', 'spam', "
                    + "'bag_of_words(body)')")).isEqualTo(2);
            st.execute("INSERT INTO eng_s.docs2 VALUES (3, 'cheap cheap')");
            st.execute("INSERT INTO eng_s.labels2 VALUES (3, 1)");
            assertThat(H2Db.intValue(e, "SELECT model_version FROM augur.views WHERE name = 'cv2'")).isEqualTo(2);
        }
        try (Connection su = superuser(url)) {
            assertThat(isSuperuser(su, eng)).isFalse();
            assertThat(H2Db.count(su, "augur.views")).isEqualTo(2);
            assertThat(H2Db.text(su, "SELECT created_by FROM augur.views WHERE name = 'cv2'")).isEqualTo(eng);
        }
    }

    /**
     * A creator's tables t (id, a, b: {@code rows} rows), docs ({@code docs} rows) and labels, and its models: m in two
     * versions (the second {@code secondM}), 1 deployed, and secb deployed.
     */
    private static void tablesAndModels(Connection e, int rows, String docs, String secondM) throws SQLException {
        H2Db.exec(e, "CREATE TABLE t (id INT PRIMARY KEY, a DOUBLE PRECISION, b DOUBLE PRECISION)",
                "INSERT INTO t SELECT g, sin(g), cos(g) FROM generate_series(1, " + rows + ") g",
                "CREATE TABLE docs (id INT PRIMARY KEY, body TEXT)", "INSERT INTO docs VALUES " + docs,
                "CREATE TABLE labels (id INT PRIMARY KEY, spam INT)", "INSERT INTO labels VALUES (1, 1), (2, 0)");
        H2Db.scalar(e, "SELECT augur.import_model('m', ?)", model("m", 1, -1, 0.1));
        H2Db.scalar(e, "SELECT augur.import_model('m', ?)", secondM);
        H2Db.scalar(e, "SELECT augur.deploy_model('m', 1)");
        H2Db.scalar(e, "SELECT augur.import_model('secb', ?)", SECRET_BOW);
        H2Db.scalar(e, "SELECT augur.deploy_model('secb', 1)");
    }

    /**
     * The catalog owner's functions read the creator's tables: a creator that changes a column under its view to a type
     * of its own (whose cast would run as the owner), or puts another table in place of the one the view was made over,
     * gets an error naming the view, and runs nothing as the owner.
     */
    @Test
    void aCreatorChangingItsTablesUnderItsViewsRunsNothingAsTheOwner() throws Exception {
        String url = PgServer.newDatabase("sec_alter");
        String eng = "eng" + roleSuffix();
        try (Connection su = superuser(url)) {
            H2Db.exec(su, "CREATE ROLE " + eng + " LOGIN", "GRANT augur_admin TO " + eng, "GRANT CREATE ON SCHEMA public TO " + eng);
        }
        try {
            try (Connection e = DriverManager.getConnection(as(url, eng)); Statement st = e.createStatement()) {
                tablesAndModels(e, 20, "(1, 'cheap pills'), (2, 'meeting')", model("m", 1.2, -0.8, 0.0));
                H2Db.scalar(e, "SELECT augur.create_prediction_view('v', 'SELECT id, PREDICT(''m'', a, b) FROM t')");
                H2Db.scalar(e, "SELECT augur.create_prediction_view('bv', 'SELECT id, PREDICT(''secb'', body) FROM docs')");
                H2Db.scalar(e, "SELECT augur.create_classification_view('cv', 'docs', 'id', 'labels', 'id', 'spam', 'bag_of_words(body)')");
                // types of its own, with casts to float8 and text that make the creator a superuser when a superuser runs them
                String escalate = " BEGIN IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN EXECUTE 'ALTER ROLE " + eng
                        + " SUPERUSER'; END IF; RETURN x.v; END ";
                st.execute("CREATE TYPE num AS (v DOUBLE PRECISION)");
                st.execute("CREATE FUNCTION num_f8(x num) RETURNS DOUBLE PRECISION LANGUAGE plpgsql AS $$" + escalate + "$$");
                st.execute("CREATE CAST (num AS DOUBLE PRECISION) WITH FUNCTION num_f8(num)");
                st.execute("CREATE TYPE txt AS (v TEXT)");
                st.execute("CREATE FUNCTION txt_text(x txt) RETURNS TEXT LANGUAGE plpgsql AS $$" + escalate + "$$");
                st.execute("CREATE CAST (txt AS TEXT) WITH FUNCTION txt_text(txt)");
                st.execute("ALTER TABLE t ALTER COLUMN a TYPE num USING ROW(a)::num");
                st.execute("ALTER TABLE docs ALTER COLUMN body TYPE txt USING ROW(body)::txt");
                List<String> states = new ArrayList<>();
                for (String sql : List.of("INSERT INTO t VALUES (100, ROW(0.5), 1)", "UPDATE t SET b = b + 1 WHERE id = 1",
                        "SELECT augur.deploy_model('m', 2)", "SELECT augur.refresh_prediction_view('v', true)",
                        "INSERT INTO docs VALUES (3, ROW('cheap'))", "UPDATE docs SET body = ROW('x') WHERE id = 1",
                        "INSERT INTO labels VALUES (2, 1) ON CONFLICT (id) DO NOTHING", "SELECT augur.refresh_prediction_view('bv', true)")) {
                    SQLException x = failure(e, sql);
                    states.add(x == null ? "ok" : x.getSQLState());
                    if (x != null && x.getSQLState().equals("42804")) {
                        assertThat(x.getMessage()).as(sql).contains("is now of type", "built-in");
                    }
                }
                assertThat(states).containsExactly("42804", "42804", "42804", "42804", "42804", "42804", "ok", "42804");
                // back to built-in types: maintained again
                st.execute("ALTER TABLE t ALTER COLUMN a TYPE DOUBLE PRECISION USING (a).v");
                st.execute("SELECT augur.deploy_model('m', 2)");
                // another table in place of the view's: refused by name
                st.execute("ALTER TABLE t RENAME TO t_old");
                st.execute("CREATE TABLE t (id INT PRIMARY KEY, a num, b DOUBLE PRECISION)");
                st.execute("INSERT INTO t VALUES (1, ROW(1), 2)");
                SQLException replaced = failure(e, "SELECT augur.refresh_prediction_view('v', true)");
                assertThat((Throwable) replaced).isNotNull();
                assertThat(replaced.getSQLState()).isEqualTo("55000");
                assertThat(replaced.getMessage()).contains("no longer the table", "'v'");
            }
            try (Connection su = superuser(url)) {
                assertThat(isSuperuser(su, eng)).as("the creator became a superuser").isFalse();
            }
        } finally {
            try (Connection su = superuser(url)) {
                H2Db.exec(su, "ALTER ROLE " + eng + " NOSUPERUSER");
            }
        }
    }

    // ------------------------------------------------------------------------------------------------- 3

    @Test
    void anAdminCannotRunTheGeneratedFunctionsOfAViewItMayNotWrite() throws Exception {
        String url = PgServer.newDatabase("sec_generated");
        String sfx = roleSuffix();
        String alice = "alice" + sfx;
        String eng = "eng" + sfx;
        try (Connection su = superuser(url)) {
            H2Db.exec(su, "CREATE ROLE " + alice + " LOGIN", "GRANT augur_admin TO " + alice, "GRANT CREATE ON SCHEMA public TO " + alice,
                    "CREATE ROLE " + eng + " LOGIN", "GRANT augur_admin TO " + eng, "GRANT CREATE ON SCHEMA public TO " + eng);
        }
        try (Connection a = DriverManager.getConnection(as(url, alice)); Statement st = a.createStatement()) {
            st.execute("CREATE TABLE t (id INT PRIMARY KEY, a DOUBLE PRECISION, b DOUBLE PRECISION)");
            st.execute("INSERT INTO t SELECT g, sin(g), cos(g) FROM generate_series(1, 30) g");
            st.execute("CREATE TABLE docs (id INT PRIMARY KEY, body TEXT)");
            st.execute("INSERT INTO docs VALUES (1, 'cheap pills'), (2, 'meeting at noon')");
            st.execute("CREATE TABLE labels (id INT PRIMARY KEY, spam INT)");
            st.execute("INSERT INTO labels VALUES (1, 1), (2, 0)");
            H2Db.scalar(a, "SELECT augur.import_model('m', ?)", model("m", 1, -1, 0.1));
            H2Db.scalar(a, "SELECT augur.deploy_model('m', 1)");
            H2Db.scalar(a, "SELECT augur.create_prediction_view('v', 'SELECT id, PREDICT(''m'', a, b) FROM t')");
            H2Db.scalar(a, "SELECT augur.create_classification_view('cv', 'docs', 'id', 'labels', 'id', 'spam', 'bag_of_words(body)')");
        }
        List<List<Object>> viewBefore;
        int eventsBefore;
        try (Connection su = superuser(url)) {
            viewBefore = H2Db.rows(su, "SELECT id, score, label, margin FROM v ORDER BY id");
            eventsBefore = H2Db.count(su, "augur.view_events");
        }
        try (Connection e = DriverManager.getConnection(as(url, eng)); Statement st = e.createStatement()) {
            // the scoring function, called directly with weights of its own choosing
            List<String> vr = generated(e, "augur_vr_", "v");
            assertThat(vr).hasSize(1);
            String qualified = schemaOf(e, vr.get(0)) + ".augur_vr_" + H2Db.text(e, "SELECT md5('v')");
            denied(e, "SELECT * FROM " + qualified + "('full', 'logistic', ARRAY[100, 100]::float8[], 5, ARRAY['0', '1'], 1, 0, 0, 0, 0, 0, 0, 0, 0)");
            // the maintenance entry points of a view it did not create
            denied(e, "SELECT augur.refresh_prediction_view('v', true)");
            denied(e, "SELECT augur.drop_prediction_view('v')");
            denied(e, "SELECT augur.drop_prediction_view('cv')");
            // the trigger functions, attached to a table of its own
            st.execute("CREATE TABLE mine (id INT PRIMARY KEY, a DOUBLE PRECISION, b DOUBLE PRECISION, body TEXT, spam INT)");
            List<String> triggers = new ArrayList<>();
            for (String prefix : List.of("augur_vt_", "augur_vi_")) {
                triggers.addAll(generated(e, prefix, "v"));
            }
            for (String prefix : List.of("augur_ct_", "augur_cl_")) {
                triggers.addAll(generated(e, prefix, "cv"));
            }
            assertThat(triggers).hasSize(4);
            for (String f : triggers) {
                denied(e, "CREATE TRIGGER x AFTER INSERT ON mine FOR EACH STATEMENT EXECUTE FUNCTION " + f);
            }
        }
        try (Connection su = superuser(url)) {
            assertThat(H2Db.rows(su, "SELECT id, score, label, margin FROM v ORDER BY id")).isEqualTo(viewBefore);
            assertThat(H2Db.count(su, "augur.view_events")).isEqualTo(eventsBefore);
            assertThat(H2Db.count(su, "augur.views")).isEqualTo(2);
        }
    }

    // ------------------------------------------------------------------------------------------------- 4

    @Test
    void aRoleWithoutAugurRolesCanNeitherPredictNorReadWeights() throws Exception {
        String url = PgServer.newDatabase("sec_weights");
        String sfx = roleSuffix();
        String nobody = "nobody" + sfx;
        String analyst = "analyst" + sfx;
        try (Connection su = superuser(url)) {
            H2Db.exec(su, "CREATE ROLE " + nobody + " LOGIN", "CREATE ROLE " + analyst + " LOGIN", "GRANT augur_user TO " + analyst,
                    "CREATE TABLE pts (id INT PRIMARY KEY, a DOUBLE PRECISION, b DOUBLE PRECISION)",
                    "INSERT INTO pts VALUES (1, 1, 2), (2, 3, -1)", "GRANT SELECT ON pts TO " + nobody + ", " + analyst,
                    "CREATE TABLE docs (id INT PRIMARY KEY, body TEXT)", "INSERT INTO docs VALUES (1, 'cheap pills'), (2, 'meeting')",
                    "GRANT SELECT ON docs TO " + nobody + ", " + analyst);
            H2Db.scalar(su, "SELECT augur.import_model('sec', ?)", SECRET_DENSE);
            H2Db.scalar(su, "SELECT augur.deploy_model('sec', 1)");
            H2Db.scalar(su, "SELECT augur.import_model('secb', ?)", SECRET_BOW);
            H2Db.scalar(su, "SELECT augur.deploy_model('secb', 1)");
            H2Db.scalar(su, "SELECT augur.create_prediction_view('sv', 'SELECT id, PREDICT(''sec'', a, b) FROM pts')");
            H2Db.scalar(su, "SELECT augur.create_prediction_view('sh', 'SELECT id, PREDICT(''sec'', a, b) FROM pts', '{\"mode\": \"hybrid\"}')");
            H2Db.scalar(su, "SELECT augur.create_prediction_view('sb', 'SELECT id, PREDICT(''secb'', body) FROM docs')");
        }
        double expected = H2Db.sigmoid(0.2718281828 + 0.8765432109876 - 2 * 3.141592653589);
        try (Connection n = DriverManager.getConnection(as(url, nobody))) {
            for (String sql : List.of("SELECT PREDICT('sec', 1, 2)", "SELECT PREDICT('sec@1', 1, 2)", "SELECT PREDICT('sec', a, b) FROM pts",
                    "SELECT PREDICT('secb', 'cheap')", "SELECT PREDICT_LABEL('sec', 1, 2)", "SELECT PREDICT_LABEL('secb', 'cheap')",
                    "SELECT PREDICT_PROBA('sec', '1', 1, 2)", "SELECT PREDICT_PROBA('secb', '1', 'cheap')",
                    "SELECT PREDICT_EXPLAIN('sec', 2, 1, 2)", "SELECT PREDICT_EXPLAIN('secb', 2, 'cheap')",
                    "SELECT augur.export_model('sec')", "SELECT * FROM augur.model_defs", "SELECT * FROM augur.model_weights",
                    "SELECT * FROM sv", "SELECT * FROM sh", "SELECT * FROM augur.view_models")) {
                SQLException e = denied(n, sql);
                assertThat(everything(e)).as("what %s tells a stranger", sql).doesNotContain(SECRETS);
            }
            // what the system catalogs show anyone
            String sources = H2Db.text(n, "SELECT string_agg(coalesce(p.prosrc, '') || ' ' || coalesce(array_to_string(p.proconfig, ' '), ''), ' ') "
                    + "FROM pg_proc p");
            assertThat(sources).doesNotContain(SECRETS);
            String definitions = H2Db.text(n, "SELECT string_agg(pg_get_functiondef(p.oid), ' ') FROM pg_proc p JOIN pg_namespace s "
                    + "ON s.oid = p.pronamespace WHERE s.nspname IN ('public', 'augur') AND p.prokind = 'f'");
            assertThat(definitions).doesNotContain(SECRETS);
            String views = H2Db.text(n, "SELECT coalesce(string_agg(definition, ' '), '') FROM pg_views WHERE schemaname NOT IN ('pg_catalog', 'information_schema')");
            assertThat(views).doesNotContain(SECRETS);
            String stats = H2Db.text(n, "SELECT coalesce(string_agg(coalesce(most_common_vals::text, '') || histogram_bounds::text, ' '), '') FROM pg_stats "
                    + "WHERE schemaname = 'augur'");
            assertThat(stats).doesNotContain(SECRETS);
        }
        try (Connection an = DriverManager.getConnection(as(url, analyst))) {
            // an augur_user predicts, inlined: the plan is the model's arithmetic, constants folded in
            assertThat(H2Db.doubleValue(an, "SELECT PREDICT('sec', 1, 2)")).isCloseTo(expected, org.assertj.core.api.Assertions.within(1e-12));
            assertThat(H2Db.doubleValue(an, "SELECT PREDICT('sec@1', a, b) FROM pts WHERE id = 1")).isCloseTo(expected,
                    org.assertj.core.api.Assertions.within(1e-12));
            assertThat(H2Db.scalar(an, "SELECT PREDICT_LABEL('secb', 'cheap')")).isEqualTo("1");
            String plan = String.join("\n", H2Db.rows(an, "EXPLAIN (VERBOSE) SELECT PREDICT('sec', a, b) FROM pts").stream()
                    .map(r -> String.valueOf(r.get(0))).toList());
            assertThat(plan).contains("0.8765432109876").doesNotContainIgnoringCase("predict(").doesNotContain("coef");
            assertThat(H2Db.count(an, "sv")).isEqualTo(2);
        }
    }

    /**
     * The weights folded into a plan are a version's: a cached plan (a server-side prepared statement) serves a model
     * registered anew under the same name and version after a DROP, dense or bag of words.
     */
    @Test
    void foldedWeightsFollowANameAndVersionRegisteredAnew() throws Exception {
        String url = PgServer.newDatabase("sec_fold");
        try (Connection su = superuser(url); Connection other = superuser(url)) {
            H2Db.scalar(su, "SELECT augur.import_model('m', ?)", model("m", 1, -1, 0.1));
            H2Db.scalar(su, "SELECT augur.deploy_model('m', 1)");
            H2Db.scalar(su, "SELECT augur.import_model('secb', ?)", SECRET_BOW);
            H2Db.scalar(su, "SELECT augur.deploy_model('secb', 1)");
            H2Db.exec(su, "SET plan_cache_mode = force_generic_plan");  // one plan, kept until something invalidates it
            try (PreparedStatement dense = su.prepareStatement("SELECT PREDICT('m@1', ?::float8, ?::float8)");
                 PreparedStatement bow = su.prepareStatement("SELECT PREDICT('secb@1', ?::text)")) {
                for (int i = 0; i < 12; i++) {
                    assertThat(value(dense, 1.0, 2.0)).isCloseTo(H2Db.sigmoid(0.1 + 1 - 2), org.assertj.core.api.Assertions.within(1e-12));
                    assertThat(value(bow, "cheap")).isCloseTo(H2Db.sigmoid(1.6180339887 + 4.6692016091),
                            org.assertj.core.api.Assertions.within(1e-12));
                }
                H2Db.scalar(other, "SELECT augur.drop_model('m')");
                H2Db.scalar(other, "SELECT augur.import_model('m', ?)", model("m", 2, 1, -0.5));
                H2Db.scalar(other, "SELECT augur.drop_model('secb')");
                H2Db.scalar(other, "SELECT augur.import_model('secb', ?)", SECRET_BOW.replace("1.6180339887", "-3.5"));
                assertThat(value(dense, 1.0, 2.0)).isCloseTo(H2Db.sigmoid(-0.5 + 2 + 2), org.assertj.core.api.Assertions.within(1e-12));
                assertThat(value(bow, "cheap")).isCloseTo(H2Db.sigmoid(-3.5 + 4.6692016091), org.assertj.core.api.Assertions.within(1e-12));
            }
        }
    }

    private static double value(PreparedStatement ps, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            ps.setObject(i + 1, params[i]);
        }
        try (ResultSet rs = ps.executeQuery()) {
            assertThat(rs.next()).isTrue();
            return rs.getDouble(1);
        }
    }

    // ------------------------------------------------------------------------------------------------- patterns

    @Test
    void everySecurityDefinerFunctionPinsItsSearchPathAndBelongsToTheCatalogOwner() throws Exception {
        String url = PgServer.newDatabase("sec_patterns");
        String eng = "eng" + roleSuffix();
        try (Connection su = superuser(url)) {
            H2Db.exec(su, "CREATE ROLE " + eng + " LOGIN", "GRANT augur_admin TO " + eng, "GRANT CREATE ON SCHEMA public TO " + eng);
        }
        try (Connection e = DriverManager.getConnection(as(url, eng)); Statement st = e.createStatement()) {
            // views of every kind, created by an admin
            st.execute("CREATE TABLE t (id INT PRIMARY KEY, a DOUBLE PRECISION, b DOUBLE PRECISION)");
            st.execute("INSERT INTO t SELECT g, sin(g), cos(g) FROM generate_series(1, 20) g");
            st.execute("CREATE TABLE docs (id INT PRIMARY KEY, body TEXT)");
            st.execute("INSERT INTO docs VALUES (1, 'cheap pills'), (2, 'meeting at noon'), (3, 'cheap meeting')");
            st.execute("CREATE TABLE labels (id INT PRIMARY KEY, spam INT)");
            st.execute("INSERT INTO labels VALUES (1, 1), (2, 0)");
            st.execute("CREATE TABLE dlabels (id INT PRIMARY KEY, y INT)");
            st.execute("INSERT INTO dlabels VALUES (1, 1), (2, 0), (3, 1)");
            H2Db.scalar(e, "SELECT augur.import_model('m', ?)", model("m", 1, -1, 0.1));
            H2Db.scalar(e, "SELECT augur.deploy_model('m', 1)");
            H2Db.scalar(e, "SELECT augur.import_model('secb', ?)", SECRET_BOW);
            H2Db.scalar(e, "SELECT augur.deploy_model('secb', 1)");
            H2Db.scalar(e, "SELECT augur.create_prediction_view('v', 'SELECT id, PREDICT(''m'', a, b) FROM t')");
            H2Db.scalar(e, "SELECT augur.create_prediction_view('lz', 'SELECT id, PREDICT(''m'', a, b) FROM t', '{\"mode\": \"lazy\"}')");
            H2Db.scalar(e, "SELECT augur.create_prediction_view('hy', 'SELECT id, PREDICT(''m'', a, b) FROM t', '{\"mode\": \"hybrid\"}')");
            H2Db.scalar(e, "SELECT augur.create_prediction_view('bv', 'SELECT id, PREDICT(''secb'', body) FROM docs')");
            H2Db.scalar(e, "SELECT augur.create_classification_view('cv', 'docs', 'id', 'labels', 'id', 'spam', 'bag_of_words(body)')");
            H2Db.scalar(e, "SELECT augur.create_classification_view('dv', 't', 'id', 'dlabels', 'id', 'y', '(a, b)')");
        }
        try (Connection su = superuser(url)) {
            String owner = H2Db.text(su, "SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = 'augur'");
            List<List<Object>> definers = H2Db.rows(su, "SELECT p.oid::regprocedure::text, n.nspname, p.proowner::regrole::text, "
                    + "coalesce(array_to_string(p.proconfig, '|'), '') FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                    + "WHERE p.prosecdef AND (n.nspname IN ('augur', 'public') OR p.proname LIKE 'augur\\_%') ORDER BY 1");
            assertThat(definers).hasSizeGreaterThan(10);
            for (List<Object> f : definers) {
                String config = (String) f.get(3);
                String path = null;
                for (String setting : config.split("\\|")) {
                    if (setting.startsWith("search_path=")) {
                        path = setting.substring("search_path=".length());
                    }
                }
                assertThat(path).as("search_path of SECURITY DEFINER %s", f.get(0)).isNotNull();
                List<String> schemas = List.of(path.replace("\"", "").split(",\\s*"));
                assertThat(schemas.get(0)).as("first schema of %s", f.get(0)).isEqualTo("pg_catalog");
                assertThat(schemas.get(schemas.size() - 1)).as("last schema of %s", f.get(0)).isEqualTo("pg_temp");
                assertThat(schemas).as("schemas of %s", f.get(0)).isSubsetOf("pg_catalog", "augur", "pg_temp");
                assertThat(f.get(2)).as("owner of %s", f.get(0)).isEqualTo(owner);
                assertThat(f.get(1)).as("schema of %s", f.get(0)).isEqualTo("augur");
            }
            // every generated per-view function: in schema augur, the catalog owner's, executable by no Augur role
            List<List<Object>> gen = H2Db.rows(su, "SELECT p.oid::regprocedure::text, n.nspname, p.proowner::regrole::text, "
                    + "has_function_privilege('augur_admin', p.oid, 'EXECUTE'), has_function_privilege('augur_user', p.oid, 'EXECUTE'), "
                    + "has_function_privilege('" + eng + "', p.oid, 'EXECUTE') "
                    + "FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE p.proname ~ '^augur_(v[rtix]|c[tl])_' ORDER BY 1");
            assertThat(gen).hasSize(3 + 3 + 2 + 2 + 2);  // v: vr vt vi; hy: vr vt vi; bv: vr vt; cv, dv: ct cl
            for (List<Object> f : gen) {
                assertThat(f.subList(1, 6)).as("%s", f.get(0)).containsExactly("augur", owner, false, false, false);
            }
            // the objects of every view belong to the catalog owner, so no admin can attach code to them
            List<List<Object>> tables = H2Db.rows(su, "SELECT c.relname, c.relowner::regrole::text FROM pg_class c "
                    + "WHERE c.relname IN ('v', 'lz', 'hy', 'hy_labels', 'bv', 'cv', 'dv') ORDER BY 1");
            assertThat(tables).hasSize(7);
            for (List<Object> t : tables) {
                assertThat(t.get(1)).as("owner of %s", t.get(0)).isEqualTo(owner);
            }
            // and only the owner may create in schema augur; PREDICT is the Augur roles'
            assertThat(H2Db.scalar(su, "SELECT has_schema_privilege('augur_admin', 'augur', 'CREATE')")).isEqualTo(false);
            assertThat(H2Db.scalar(su, "SELECT has_schema_privilege('" + eng + "', 'augur', 'CREATE')")).isEqualTo(false);
            assertThat(H2Db.intValue(su, "SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                    + "WHERE n.nspname = 'augur' AND p.proowner::regrole::text <> ?", owner)).isZero();
            assertThat(H2Db.intValue(su, "SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public' "
                    + "AND p.proname IN ('predict', 'predict_label', 'predict_proba', 'predict_explain') "
                    + "AND (has_function_privilege('public', p.oid, 'EXECUTE') OR NOT has_function_privilege('augur_user', p.oid, 'EXECUTE'))"))
                    .isZero();
        }
    }

    // ------------------------------------------------------------------------------------------------- corruption

    @Test
    void aCorruptModelIsXX001OnEveryPathThatServesIt() throws Exception {
        String url = PgServer.newDatabase("sec_corrupt");
        try (Connection su = superuser(url)) {
            H2Db.exec(su, "CREATE TABLE pts (id INT PRIMARY KEY, a DOUBLE PRECISION, b DOUBLE PRECISION, r TEXT)",
                    "INSERT INTO pts VALUES (1, 1, 2, 'victim@2'), (2, 3, -1, 'victim@2')");
            H2Db.scalar(su, "SELECT augur.import_model('victim', ?)", model("victim", 0.3, 0.6, 0.9));
            H2Db.scalar(su, "SELECT augur.import_model('victim', ?)", model("victim", 0.4, 0.6, 0.9));
            H2Db.scalar(su, "SELECT augur.import_model('secb', ?)", SECRET_BOW);
            H2Db.scalar(su, "SELECT augur.deploy_model('victim', 1)");
            H2Db.scalar(su, "SELECT augur.deploy_model('secb', 1)");
            // a byte of version 2's payload flipped
            H2Db.exec(su, "UPDATE augur.model_payloads SET payload = set_byte(payload, length(payload) - 12, get_byte(payload, length(payload) - 12) # 85) "
                    + "WHERE name = 'victim' AND version = 2");
            assertCorrupt(su, "victim@2", "1, 2", "1");
            assertCorrupt(su, "victim@2", "a, b FROM pts", "1");
            assertThat(failure(su, "SELECT PREDICT_LABEL(r, a, b) FROM pts").getSQLState()).isEqualTo("XX001");
            assertThat(failure(su, "SELECT PREDICT(r, a, b) FROM pts").getSQLState()).isEqualTo("XX001");
            assertThat(failure(su, "SELECT augur.deploy_model('victim', 2)").getSQLState()).isEqualTo("XX001");
            assertThat(failure(su, "SELECT augur.export_model('victim', 2)").getSQLState()).isEqualTo("XX001");
            // the intact version still serves, inlined or not
            assertThat(H2Db.doubleValue(su, "SELECT PREDICT('victim', 1, 2)")).isCloseTo(H2Db.sigmoid(0.9 + 0.3 + 1.2),
                    org.assertj.core.api.Assertions.within(1e-15));
            assertThat(H2Db.scalar(su, "SELECT PREDICT_LABEL('victim@1', 1, 2)")).isEqualTo("1");
            // truncated, with a hash that matches the truncated bytes: what PREDICT serves is no longer what was registered
            H2Db.exec(su, "UPDATE augur.model_payloads SET payload = substr(payload, 1, length(payload) - 5) WHERE name = 'victim' AND version = 1",
                    "UPDATE augur.models m SET sha256 = encode(sha256(p.payload), 'hex') FROM augur.model_payloads p "
                            + "WHERE p.name = m.name AND p.version = m.version AND m.name = 'victim' AND m.version = 1");
            assertCorrupt(su, "victim", "1, 2", "1");
            assertCorrupt(su, "victim@1", "a, b FROM pts", "1");
            // the served weights themselves changed: the payload no longer describes them
            H2Db.exec(su, "UPDATE augur.model_defs SET bias = '{5}' WHERE name = 'secb'");
            assertCorrupt(su, "secb", "'cheap'", "1");
        }
    }

    private static void assertCorrupt(Connection c, String ref, String args, String clazz) {
        String from = args.contains(" FROM ") ? args.substring(args.indexOf(" FROM ")) : "";
        String inputs = args.contains(" FROM ") ? args.substring(0, args.indexOf(" FROM ")) : args;
        for (String sql : List.of("SELECT PREDICT('" + ref + "', " + inputs + ")" + from,
                "SELECT PREDICT_LABEL('" + ref + "', " + inputs + ")" + from,
                "SELECT PREDICT_PROBA('" + ref + "', '" + clazz + "', " + inputs + ")" + from,
                "SELECT PREDICT_EXPLAIN('" + ref + "', 2, " + inputs + ")" + from)) {
            SQLException e = failure(c, sql);
            assertThat((Throwable) e).as("%s on a corrupt model", sql).isNotNull();
            assertThat(e.getSQLState()).as("SQLSTATE of %s (%s)", sql, e.getMessage()).isEqualTo("XX001");
            assertThat(e.getMessage()).as(sql).contains("corrupt", "re-import");
        }
    }

    // ------------------------------------------------------------------------------------------------- options

    @Test
    void nonNumericViewOptionsAre22023NamingTheOptionAndItsRange() throws Exception {
        String url = PgServer.newDatabase("sec_options");
        try (Connection su = superuser(url)) {
            H2Db.exec(su, "CREATE TABLE t (id INT PRIMARY KEY, a DOUBLE PRECISION, b DOUBLE PRECISION)", "INSERT INTO t VALUES (1, 1, 2), (2, 0, 1)",
                    "CREATE TABLE docs (id INT PRIMARY KEY, body TEXT)", "INSERT INTO docs VALUES (1, 'cheap'), (2, 'meeting')",
                    "CREATE TABLE labels (id INT PRIMARY KEY, spam INT)", "INSERT INTO labels VALUES (1, 1), (2, 0)");
            H2Db.scalar(su, "SELECT augur.import_model('m', ?)", model("m", 1, -1, 0.1));
            H2Db.scalar(su, "SELECT augur.deploy_model('m', 1)");
            Map<String, List<String>> prediction = Map.of(
                    "{\"tolerance\": \"abc\", \"alpha\": \"x\"}", List.of("tolerance", ">= 0", "abc"),
                    "{\"alpha\": \"x\"}", List.of("alpha", ">= 0", "\"x\""),
                    "{\"tolerance\": [1]}", List.of("tolerance", ">= 0"),
                    "{\"mode\": \"lazy\", \"alpha\": {}}", List.of("alpha", ">= 0"));
            for (Map.Entry<String, List<String>> c : prediction.entrySet()) {
                SQLException e = failure(su, "SELECT augur.create_prediction_view('v', 'SELECT id, PREDICT(''m'', a, b) FROM t', ?)", c.getKey());
                assertThat((Throwable) e).as(c.getKey()).isNotNull();
                assertThat(e.getSQLState()).as("%s: %s", c.getKey(), e.getMessage()).isEqualTo("22023");
                assertThat(e.getMessage()).as(c.getKey()).contains(c.getValue());
            }
            Map<String, List<String>> classification = Map.of(
                    "{\"learning_rate\": \"fast\"}", List.of("learning_rate", ">= 0", "fast"),
                    "{\"l2\": \"none\"}", List.of("l2", ">= 0"),
                    "{\"hash_bits\": \"x\"}", List.of("hash_bits", "between 1 and 24"),
                    "{\"epochs\": \"many\"}", List.of("epochs", ">= 0"),
                    "{\"seed\": \"x\"}", List.of("seed", "integer"),
                    "{\"tolerance\": \"abc\"}", List.of("tolerance", ">= 0"));
            for (Map.Entry<String, List<String>> c : classification.entrySet()) {
                SQLException e = failure(su, "SELECT augur.create_classification_view('cv', 'docs', 'id', 'labels', 'id', 'spam', "
                        + "'bag_of_words(body)', 'logistic', ?)", c.getKey());
                assertThat((Throwable) e).as(c.getKey()).isNotNull();
                assertThat(e.getSQLState()).as("%s: %s", c.getKey(), e.getMessage()).isEqualTo("22023");
                assertThat(e.getMessage()).as(c.getKey()).contains(c.getValue());
            }
            assertThat(H2Db.count(su, "augur.views")).isZero();
            // numbers written as strings (as the extension statements pass them) are still numbers
            assertThat(H2Db.intValue(su, "SELECT augur.create_prediction_view('v', 'SELECT id, PREDICT(''m'', a, b) FROM t', "
                    + "'{\"tolerance\": \"0.5\", \"alpha\": \" 2 \"}')")).isEqualTo(2);
            assertThat(H2Db.doubleValue(su, "SELECT tolerance FROM augur.views WHERE name = 'v'")).isEqualTo(0.5);
        }
    }

    // ------------------------------------------------------------------------------------------------- upgrade

    @Test
    void aCatalogOfV6UpgradesInPlace() throws Exception {
        String url = PgServer.newDatabase("sec_upgrade");
        String eng = "eng" + roleSuffix();
        OldPgCatalog.migrateToV6(url);
        try (Connection su = DriverManager.getConnection(url)) {
            assertThat(H2Db.intValue(su, "SELECT max(version::int) FROM augur.\"AUGUR_SCHEMA_HISTORY\" WHERE success")).isEqualTo(6);
            H2Db.exec(su, "CREATE ROLE " + eng + " LOGIN", "GRANT augur_admin TO " + eng, "GRANT CREATE ON SCHEMA public TO " + eng);
        }
        try {
            // views of every kind, made by an admin under V6 (owned by it, functions in its schema)
            try (Connection e = DriverManager.getConnection(as(url, eng)); Statement st = e.createStatement()) {
                tablesAndModels(e, 40, "(1, 'cheap pills'), (2, 'meeting at noon'), (3, 'cheap meeting')", model("m", 1.1, -0.9, 0.05));
                H2Db.scalar(e, "SELECT augur.create_prediction_view('v', 'SELECT id, PREDICT(''m'', a, b) FROM t')");
                H2Db.scalar(e, "SELECT augur.create_prediction_view('lz', 'SELECT id, PREDICT(''m'', a, b) FROM t', '{\"mode\": \"lazy\"}')");
                H2Db.scalar(e, "SELECT augur.create_prediction_view('hy', 'SELECT id, PREDICT(''m'', a, b) FROM t', '{\"mode\": \"hybrid\"}')");
                H2Db.scalar(e, "SELECT augur.create_prediction_view('bv', 'SELECT id, PREDICT(''secb'', body) FROM docs')");
                H2Db.scalar(e, "SELECT augur.create_classification_view('cv', 'docs', 'id', 'labels', 'id', 'spam', 'bag_of_words(body)')");
                st.execute("INSERT INTO t VALUES (100, 0.5, -0.5)");
                // what V6 let it do: replace its view's scoring function, put a trigger of its own on the view's table
                st.execute(evilScoring("public.augur_vr_" + H2Db.text(e, "SELECT md5('v')"), eng));
                st.execute("CREATE FUNCTION public.eng_escalate() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                        + " IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN EXECUTE 'ALTER ROLE " + eng
                        + " SUPERUSER'; END IF; RETURN NULL; END $$");
                st.execute("CREATE TRIGGER eng_escalate AFTER UPDATE ON v FOR EACH ROW EXECUTE FUNCTION public.eng_escalate()");
                st.execute("CREATE TRIGGER eng_escalate AFTER UPDATE ON hy_labels FOR EACH ROW EXECUTE FUNCTION public.eng_escalate()");
            }
            List<List<Object>> rowsBefore;
            try (Connection su = DriverManager.getConnection(url)) {
                rowsBefore = H2Db.rows(su, "SELECT id, score, label, margin, anchor_margin, model_version FROM v ORDER BY id");
                assertThat(H2Db.count(su, "pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public' "
                        + "AND p.proname LIKE 'augur\\_%'")).isGreaterThan(0);
            }
            // the upgrade: the jdbc:augur: driver applies the new catalog migration
            try (Connection su = superuser(url); Statement st = su.createStatement()) {
                assertThat(H2Db.intValue(su, "SELECT count(*) FROM augur.\"AUGUR_SCHEMA_HISTORY\" WHERE success AND version IS NOT NULL"))
                        .isGreaterThan(6);
                String owner = H2Db.text(su, "SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = 'augur'");
                assertThat(H2Db.rows(su, "SELECT id, score, label, margin, anchor_margin, model_version FROM v ORDER BY id")).isEqualTo(rowsBefore);
                assertThat(H2Db.count(su, "pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname <> 'augur' "
                        + "AND p.proname LIKE 'augur\\_%'")).as("generated functions left outside schema augur").isZero();
                assertThat(H2Db.count(su, "pg_proc p WHERE p.proname ~ '^augur_(v[rtix]|c[tl])_' AND p.proowner::regrole::text <> '" + owner + "'"))
                        .isZero();
                assertThat(H2Db.count(su, "pg_class c WHERE c.relname IN ('v', 'lz', 'hy', 'hy_labels', 'bv', 'cv') AND c.relowner::regrole::text = '"
                        + owner + "'")).isEqualTo(6);
                assertThat(H2Db.text(su, "SELECT string_agg(prosrc, ' ') FROM pg_proc")).doesNotContain(SECRETS);
                // and every view is still maintained: data, deploys, examples
                st.execute("INSERT INTO t VALUES (101, -0.25, 0.75)");
                st.execute("UPDATE t SET a = -a WHERE id % 3 = 0");
                st.execute("DELETE FROM t WHERE id % 7 = 0");
                st.execute("SELECT augur.deploy_model('m', 2)");
                ViewsDatabase.POSTGRESQL.assertViewEqualsFullRescoring(st, "v", "m");
                assertThat(H2Db.intValue(su, "SELECT count(*) FROM hy h JOIN t ON t.id = h.id WHERE h.label = PREDICT_LABEL('m', t.a, t.b)"))
                        .isEqualTo(H2Db.count(su, "t"));
                assertThat(H2Db.count(su, "lz")).isEqualTo(H2Db.count(su, "t"));
                st.execute("INSERT INTO docs VALUES (4, 'cheap cheap')");
                assertThat(H2Db.intValue(su, "SELECT count(*) FROM bv b JOIN docs d ON d.id = b.id WHERE b.score = PREDICT('secb', d.body)")).isEqualTo(4);
                int version = H2Db.intValue(su, "SELECT model_version FROM augur.views WHERE name = 'cv'");
                st.execute("INSERT INTO labels VALUES (3, 1)");
                assertThat(H2Db.intValue(su, "SELECT model_version FROM augur.views WHERE name = 'cv'")).isEqualTo(version + 1);
                // nothing the admin planted under V6 ran as the owner
                st.execute("SELECT augur.deploy_model('m', 1)");
                st.execute("SELECT augur.refresh_prediction_view('hy', true)");
                assertThat(isSuperuser(su, eng)).as("the admin became a superuser").isFalse();
                assertThat(H2Db.count(su, "pg_trigger WHERE tgname = 'eng_escalate'")).isZero();
            }
            try (Connection e = DriverManager.getConnection(as(url, eng))) {
                List<String> vr = generated(e, "augur_vr_", "v");
                denied(e, evilScoring(schemaOf(e, vr.get(0)) + ".augur_vr_" + H2Db.text(e, "SELECT md5('v')"), eng));
                // its own views: it still refreshes and drops them
                assertThat(H2Db.intValue(e, "SELECT augur.refresh_prediction_view('v', true)")).isGreaterThanOrEqualTo(0);
                for (String v : List.of("v", "lz", "hy", "bv", "cv")) {
                    assertThat(H2Db.intValue(e, "SELECT augur.drop_prediction_view(?)", v)).isEqualTo(1);
                }
                assertThat(H2Db.count(e, "augur.views")).isZero();
                assertThat(H2Db.count(e, "pg_proc p WHERE p.proname LIKE 'augur\\_%'")).isZero();
            }
        } finally {
            try (Connection su = DriverManager.getConnection(url)) {
                H2Db.exec(su, "ALTER ROLE " + eng + " NOSUPERUSER");
            }
        }
    }

    /** A migration run by a role that does not own the catalog stops at once, naming the owner. */
    @Test
    void theNewMigrationRefusesARoleThatDoesNotOwnTheCatalog() throws Exception {
        String url = PgServer.newDatabase("sec_mig_owner");
        String eng = "eng" + roleSuffix();
        OldPgCatalog.migrateToV6(url);
        try (Connection su = DriverManager.getConnection(url)) {
            H2Db.exec(su, "CREATE ROLE " + eng + " LOGIN", "GRANT augur_admin TO " + eng, "GRANT ALL ON SCHEMA augur TO " + eng,
                    "GRANT ALL ON ALL TABLES IN SCHEMA augur TO " + eng);
        }
        try {
            try (Connection e = DriverManager.getConnection("jdbc:augur:" + as(url, eng).substring("jdbc:".length()))) {
                fail("the catalog was upgraded by a role that does not own it");
            }
        } catch (SQLException e) {
            assertThat(e.getMessage()).contains("owner", "postgres");
        }
        try (Connection su = DriverManager.getConnection(url)) {
            assertThat(H2Db.intValue(su, "SELECT max(version::int) FROM augur.\"AUGUR_SCHEMA_HISTORY\" WHERE success")).isEqualTo(6);
            H2Db.exec(su, "REVOKE ALL ON SCHEMA augur FROM " + eng, "REVOKE ALL ON ALL TABLES IN SCHEMA augur FROM " + eng);
        }
    }
}
