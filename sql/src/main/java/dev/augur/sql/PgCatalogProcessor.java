package dev.augur.sql;

import dev.augur.engine.feedback.LiveMetrics;
import dev.augur.engine.model.ModelKind;
import dev.augur.engine.model.ModelKind.Link;
import dev.augur.engine.model.SqlDialect;
import dev.augur.engine.monitor.Monitoring;
import dev.augur.engine.monitor.PageHinkley;
import dev.augur.engine.monitor.Psi;
import dev.augur.engine.view.WriteRule;

import javax.annotation.processing.SupportedAnnotationTypes;
import javax.tools.StandardLocation;
import java.io.IOException;
import java.io.Writer;
import java.util.StringJoiner;

/**
 * Writes the PostgreSQL binding's catalog scripts that are rendered from the engine, at build time:
 * {@code R__augur_live_metrics.sql} (the view of the live metrics, {@link LiveMetrics#viewQuery}),
 * {@code R__augur_monitoring.sql} (monitoring's views and constants, {@link #monitoringScript}) and
 * {@code R__augur_kinds.sql} from the engine's {@link ModelKind}: the
 * kinds' facts as a table function ({@code augur.kinds()}), the link of a kind as an inlinable function (the PREDICT
 * family's hot path branches on it), and the engine's single-margin score and label rendered as SQL text for the
 * catalog's generators. The catalog's functions branch on links, never on kind names, so a new kind with an existing
 * link needs nothing in PL/pgSQL. Run by the PostgreSQL binding's compiler (its pom names this processor); nothing it
 * writes is committed.
 */
@SupportedAnnotationTypes("*")
public final class PgCatalogProcessor extends WriteOnceProcessor {
    static final String PACKAGE = "dev.augur.udf.postgresql.functions";
    static final String FILE = "R__augur_kinds.sql";
    private static final String MARGIN = "%2$s";
    private static final String CLASSES = "%3$s";

    @Override
    void writeAll() throws IOException {
        write(FILE, script());
        write(LIVE_METRICS_FILE, liveMetricsScript());
        write(MONITORING_FILE, monitoringScript());
    }

    private void write(String file, String text) throws IOException {
        try (Writer out = processingEnv.getFiler().createResource(StandardLocation.CLASS_OUTPUT, PACKAGE, file).openWriter()) {
            out.write(text);
        }
    }

    static final String LIVE_METRICS_FILE = "R__augur_live_metrics.sql";

    /** The view of the live metrics, from the engine's one definition, readable by every Augur role. */
    static String liveMetricsScript() {
        return "-- Generated at build time by dev.augur.sql.PgCatalogProcessor from dev.augur.engine.feedback.LiveMetrics (edit the\n"
                + "-- engine, not this file): what a BI tool charts, one row per feedback, model version and window.\n"
                + "CREATE OR REPLACE VIEW augur.live_metrics AS\n" + LiveMetrics.viewQuery() + ";\n"
                + "REVOKE ALL ON augur.live_metrics FROM PUBLIC;\n"
                + "GRANT SELECT ON augur.live_metrics TO augur_user;\n"
                + "CREATE OR REPLACE VIEW augur.feedback_counts AS\n" + LiveMetrics.countsViewQuery() + ";\n"
                + "REVOKE ALL ON augur.feedback_counts FROM PUBLIC;\n"
                + "GRANT SELECT ON augur.feedback_counts TO augur_user;\n";
    }

    static final String MONITORING_FILE = "R__augur_monitoring.sql";

    /**
     * Monitoring's views and constants from the engine's one definition ({@link Monitoring}, {@link Psi},
     * {@link PageHinkley.Options#DEFAULT}): what the catalog's PL/pgSQL reads instead of writing the numbers again.
     */
    static String monitoringScript() {
        PageHinkley.Options d = PageHinkley.Options.DEFAULT;
        return "-- Generated at build time by dev.augur.sql.PgCatalogProcessor from dev.augur.engine.monitor (edit the engine, not\n"
                + "-- this file): monitoring's defaults, the PSI floor, and the views over the tables the served trigger keeps.\n"
                + "CREATE OR REPLACE FUNCTION augur.monitor_defaults(OUT window_us bigint, OUT ph_delta float8, OUT ph_lambda float8,\n"
                + "    OUT ph_min_n integer) LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$\n"
                + "    SELECT CAST(" + Monitoring.defaultWindowMicros() + " AS bigint), CAST(" + d.delta() + " AS float8), CAST("
                + d.lambda() + " AS float8), " + d.minObservations() + "\n$$;\n"
                + "CREATE OR REPLACE FUNCTION augur.psi_floor() RETURNS float8 LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$\n"
                + "    SELECT CAST(" + Psi.FLOOR + " AS float8)\n$$;\n"
                + "CREATE OR REPLACE VIEW augur.model_drift AS\n" + Monitoring.driftViewQuery() + ";\n"
                + "CREATE OR REPLACE VIEW augur.accuracy_estimates AS\n" + Monitoring.accuracyViewQuery() + ";\n"
                + "CREATE OR REPLACE VIEW augur.live_coverage AS\n" + Monitoring.coverageViewQuery() + ";\n"
                + "REVOKE ALL ON augur.model_drift, augur.accuracy_estimates, augur.live_coverage FROM PUBLIC;\n"
                + "GRANT SELECT ON augur.model_drift, augur.accuracy_estimates, augur.live_coverage TO augur_user;\n";
    }

    /** The script's text. */
    static String script() {
        StringBuilder s = new StringBuilder();
        s.append("-- Generated at build time by dev.augur.sql.PgCatalogProcessor from dev.augur.engine.model.ModelKind (edit the\n")
                .append("-- engine, not this file): the model kinds and how each link scores one margin, as the engine does.\n\n");

        StringJoiner rows = new StringJoiner(",\n        ");
        for (ModelKind k : ModelKind.values()) {
            rows.add("(" + literal(k.sqlName()) + ", " + k.id() + ", " + literal(k.title()) + ", " + literal(k.link().sqlName())
                    + ", " + literal(k.loss().sqlName()) + ", "
                    + (Double.isNaN(k.link().lipschitz()) ? "NULL::float8" : k.link().lipschitz() + "::float8") + ", "
                    + k.minClasses() + ", " + (k.maxClasses() == Integer.MAX_VALUE ? "NULL::integer" : k.maxClasses()) + ", "
                    + array(k.defaultClasses()) + ", " + k.isEnsemble() + ", " + literal(k.uncertainty().sqlName()) + ", "
                    + k.hasSpread() + ", " + k.hasModelInterval() + ")");
        }
        s.append("-- every kind: its name in SQL and JSON, its codec id, how messages name it, its link and training loss, the\n")
                .append("-- link's Lipschitz constant (NULL: none a view can use), its class count (max NULL: no limit), and the\n")
                .append("-- classes a model file may leave out; whether it is an ensemble (one margin per member, each through the\n")
                .append("-- link, averaged); what it knows of its uncertainty (none, members, posterior: Gaussian rows after the\n")
                .append("-- mean, quantiles: median, lower, upper, level), whether PREDICT_STDDEV answers for it, and whether it has an\n")
                .append("-- interval of its own without a calibration\n")
                .append("-- (dropped first: a new column is a new return type, which CREATE OR REPLACE refuses)\n")
                .append("DROP FUNCTION IF EXISTS augur.kinds();\n")
                .append("CREATE FUNCTION augur.kinds() RETURNS TABLE (name text, id integer, title text, link text, loss text,\n")
                .append("    lipschitz float8, min_classes integer, max_classes integer, default_classes text[], ensemble boolean,\n")
                .append("    uncertainty text, spread boolean, model_interval boolean)\n")
                .append("LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$\n    VALUES ").append(rows).append("\n$$;\n\n");

        StringJoiner links = new StringJoiner(" ");
        for (ModelKind k : ModelKind.values()) {
            links.add("WHEN " + literal(k.sqlName()) + " THEN " + literal(k.link().sqlName()));
        }
        StringJoiner ensembles = new StringJoiner(", ");
        for (ModelKind k : ModelKind.values()) {
            if (k.isEnsemble()) {
                ensembles.add(literal(k.sqlName()));
            }
        }
        s.append("-- whether a kind is an ensemble, inlined where a row is scored\n")
                .append("CREATE OR REPLACE FUNCTION augur.kind_ensemble(p_kind text) RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$\n")
                .append("    SELECT p_kind IN (").append(ensembles).append(")\n$$;\n\n");
        StringJoiner uncertainties = new StringJoiner(" ");
        for (ModelKind k : ModelKind.values()) {
            uncertainties.add("WHEN " + literal(k.sqlName()) + " THEN " + literal(k.uncertainty().sqlName()));
        }
        s.append("-- what a kind knows of its uncertainty (ModelKind.Uncertainty), inlined where a row is scored\n")
                .append("CREATE OR REPLACE FUNCTION augur.kind_uncertainty(p_kind text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$\n")
                .append("    SELECT CASE p_kind ").append(uncertainties).append(" END\n$$;\n\n");
        s.append("-- a kind's link, of each member for an ensemble (NULL for an unknown kind), inlined where a row is scored\n")
                .append("CREATE OR REPLACE FUNCTION augur.kind_link(p_kind text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$\n")
                .append("    SELECT CASE p_kind ").append(links).append(" END\n$$;\n\n");

        StringJoiner scoreKnown = new StringJoiner(" ");
        StringJoiner labelKnown = new StringJoiner(" ");
        StringJoiner scoreCase = new StringJoiner(" || ");
        StringJoiner labelCase = new StringJoiner(" || ");
        for (Link l : Link.values()) {
            if (!l.singleMargin()) {
                continue;
            }
            String name = literal(l.sqlName());
            scoreKnown.add("WHEN " + name + " THEN format(" + template(l.sqlScoreOf(MARGIN, SqlDialect.POSTGRESQL)) + ", NULL, p_margin_sql)");
            labelKnown.add("WHEN " + name + " THEN format(" + template(l.sqlLabelOf(MARGIN, CLASSES)) + ", NULL, p_margin_sql, p_classes_sql)");
            String arm = literal(" WHEN " + name + " THEN ");
            scoreCase.add(arm + " || augur.link_score_sql(" + name + ", p_margin_sql)");
            labelCase.add(arm + " || augur.link_label_sql(" + name + ", p_margin_sql, p_classes_sql)");
        }
        s.append("-- the score of one margin (SQL text p_margin_sql) under link p_link, as SQL text; NULL for softmax, which has a\n")
                .append("-- margin per class\n")
                .append("CREATE OR REPLACE FUNCTION augur.link_score_sql(p_link text, p_margin_sql text) RETURNS text\n")
                .append("LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$\n    SELECT CASE p_link ").append(scoreKnown).append(" END\n$$;\n\n")
                .append("-- the label of one margin under link p_link over the 1-based class array p_classes_sql (negative first), as\n")
                .append("-- SQL text: NULL for a NULL margin and for a link with no labels\n")
                .append("CREATE OR REPLACE FUNCTION augur.link_label_sql(p_link text, p_margin_sql text, p_classes_sql text) RETURNS text\n")
                .append("LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$\n    SELECT CASE p_link ").append(labelKnown).append(" END\n$$;\n\n")
                .append("-- the same where the link is known only when the SQL runs (p_link_sql, SQL text): a CASE over the links\n")
                .append("CREATE OR REPLACE FUNCTION augur.link_score_case_sql(p_link_sql text, p_margin_sql text) RETURNS text\n")
                .append("LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$\n    SELECT 'CASE ' || p_link_sql || ").append(scoreCase)
                .append(" || ' END'\n$$;\n\n")
                .append("CREATE OR REPLACE FUNCTION augur.link_label_case_sql(p_link_sql text, p_margin_sql text, p_classes_sql text) RETURNS text\n")
                .append("LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$\n    SELECT 'CASE ' || p_link_sql || ").append(labelCase)
                .append(" || ' END'\n$$;\n");
        s.append(viewWriteRule());
        s.append(softmaxFunctions());
        return s.toString();
    }

    /**
     * When a re-scored row of a view must be written ({@link WriteRule}), as SQL text over the SQL texts of the new and
     * stored values, for the generators of the views' scoring functions; p_spread NULL: a single model's (no spread).
     */
    static String viewWriteRule() {
        String[] p = {"%1$s", "%2$s", "%3$s", "%4$s", "%5$s", "%6$s", "%7$s", "%8$s", "%9$s"};
        String single = WriteRule.sql(p[0], p[1], p[2], null, p[4], p[5], p[6], null, p[8]);
        String ensemble = WriteRule.sql(p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8]);
        String args = "p_margin, p_label, p_score, p_spread, p_old_margin, p_old_label, p_old_score, p_old_spread, p_tol";
        return "\n-- when a view's re-scored row must be written (dev.augur.engine.view.WriteRule): its label changes, or its score\n"
                + "-- (or spread) moves past half the tolerance; with tolerance 0, any change. SQL text over the SQL texts given\n"
                + "CREATE OR REPLACE FUNCTION augur.view_must_write_sql(p_margin text, p_label text, p_score text, p_spread text,\n"
                + "    p_old_margin text, p_old_label text, p_old_score text, p_old_spread text, p_tol text) RETURNS text\n"
                + "LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$\n    SELECT CASE WHEN p_spread IS NULL THEN format(" + literal(single) + ", " + args
                + ")\n        ELSE format(" + literal(ensemble) + ", " + args + ") END\n$$;\n";
    }

    /**
     * The most classes of a softmax model whose PREDICT family is generated as SQL (more take the general path):
     * PostgreSQL passes a function at most 100 arguments, and each class is one.
     */
    static final int SOFTMAX_SQL_CLASSES = 32;

    /**
     * The engine's softmax of K margins, for K = 2 .. {@link #SOFTMAX_SQL_CLASSES}: the score, label and class
     * probability of margins passed as arguments (so that each, inlined by the caller as arithmetic, is computed once
     * per row and not once per reference), in PL/pgSQL, whose call costs less than a SQL function the planner cannot
     * inline. STRICT: a NULL margin (a NULL input) gives NULL, as the general path.
     */
    static String softmaxFunctions() {
        Link softmax = Link.SOFTMAX;
        StringBuilder s = new StringBuilder("\n-- softmax of K margins (ModelKind.Link.SOFTMAX), called by the generated PREDICT family with each\n")
                .append("-- margin computed once; the largest K rendered here\n")
                .append("CREATE OR REPLACE FUNCTION augur.softmax_sql_classes() RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$\n")
                .append("    SELECT ").append(SOFTMAX_SQL_CLASSES).append("\n$$;\n");
        for (int k = 2; k <= SOFTMAX_SQL_CLASSES; k++) {
            java.util.List<String> margins = new java.util.ArrayList<>();
            for (int c = 1; c <= k; c++) {
                margins.add("m" + c);
            }
            String params = margins.stream().map(m -> m + " float8").collect(java.util.stream.Collectors.joining(", "));
            String max = "DECLARE mx float8 := " + Link.sqlMaxOf(margins) + ";\n";
            String head = " LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$\n";
            s.append("CREATE OR REPLACE FUNCTION augur.softmax_score(").append(params).append(") RETURNS float8").append(head)
                    .append(max).append("BEGIN\n    RETURN ").append(softmax.sqlProbabilityOf(margins, "mx", "mx", SqlDialect.POSTGRESQL))
                    .append(";\nEND $$;\n");
            s.append("CREATE OR REPLACE FUNCTION augur.softmax_label(classes text[], ").append(params).append(") RETURNS text").append(head)
                    .append("BEGIN\n    RETURN ").append(softmax.sqlLabelOf(margins, "classes")).append(";\nEND $$;\n");
            s.append("CREATE OR REPLACE FUNCTION augur.softmax_proba(c integer, ").append(params).append(") RETURNS float8").append(head)
                    .append(max).append("BEGIN\n    RETURN ")
                    .append(softmax.sqlProbabilityOf(margins, "(ARRAY[" + String.join(", ", margins) + "])[c]", "mx", SqlDialect.POSTGRESQL))
                    .append(";\nEND $$;\n");
        }
        return s.toString();
    }

    /** A rendered expression as a format() template: its own % signs doubled, the placeholders kept. */
    private static String template(String sql) {
        String escaped = sql.replace("%", "%%").replace("%%2$s", MARGIN).replace("%%3$s", CLASSES);
        return literal(escaped);
    }

    private static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    private static String array(java.util.List<String> values) {
        StringJoiner j = new StringJoiner(", ", "ARRAY[", "]::text[]");
        values.forEach(v -> j.add(literal(v)));
        return j.toString();
    }
}
