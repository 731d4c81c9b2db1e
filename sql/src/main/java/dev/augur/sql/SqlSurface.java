package dev.augur.sql;

import java.util.List;
import java.util.Locale;

/**
 * Augur's SQL surface, declared once for every database: each function's schema, name, parameters (the trailing ones
 * optional), whether it ends in the model's inputs, and its result. The bindings render their declarations from this
 * list (H2: {@code CREATE ALIAS}, at install time); a test holds PostgreSQL's functions to it, so both databases offer
 * the same names with the same arguments.
 */
public final class SqlSurface {
    /**
     * The most inputs a PREDICT call takes, on both databases: PostgreSQL passes a function at most 100 arguments,
     * the model's name and 99 inputs.
     */
    public static final int MAX_INPUTS = 99;

    private SqlSurface() {
    }

    /** Which part of a binding answers a function: the PREDICT family, model administration, prediction views, feedback. */
    public enum Family { PREDICT, MODELS, VIEWS, FEEDBACK, EXPERIMENTS, MONITOR }

    public record Parameter(String name, String type) {
    }

    /**
     * @param required how many of {@code parameters} every call passes (the rest may be left off, from the end)
     * @param inputs   whether the model's inputs follow the parameters: one text (bag of words), or 1 to
     *                 {@link #MAX_INPUTS} numbers
     */
    public record Function(Family family, String schema, String name, List<Parameter> parameters, int required,
                           boolean inputs, String result) {
        /** The qualified name as a stock client writes it unquoted: {@code AUGUR.DEPLOY_MODEL}, {@code PUBLIC.PREDICT}. */
        public String qualifiedName() {
            return schema + "." + name;
        }

        /** The Java-style name of the function: {@code DEPLOY_MODEL} is {@code deployModel}. */
        public String camelName() {
            StringBuilder out = new StringBuilder();
            for (String part : name.toLowerCase(Locale.ROOT).split("_")) {
                out.append(out.isEmpty() ? part : Character.toUpperCase(part.charAt(0)) + part.substring(1));
            }
            return out.toString();
        }
    }

    private static Parameter p(String name, String type) {
        return new Parameter(name, type);
    }

    private static final String TEXT = "text";
    private static final String INT = "integer";
    private static final String FLOAT = "double precision";
    private static final String BOOL = "boolean";
    /** PREDICT_SET's result: the class labels of the set (H2: VARCHAR ARRAY). */
    private static final String TEXT_ARRAY = "text[]";
    /** PREDICT_INTERVAL's result: {lower, upper}; RECORD_PREDICTION_PROBA's probabilities (H2: DOUBLE PRECISION ARRAY). */
    private static final String FLOAT_ARRAY = "double precision[]";
    private static final String TIMESTAMP = "timestamp with time zone";

    private static final List<Function> FUNCTIONS = List.of(
            new Function(Family.PREDICT, "PUBLIC", "PREDICT", List.of(p("model", TEXT)), 1, true, FLOAT),
            new Function(Family.PREDICT, "PUBLIC", "PREDICT_LABEL", List.of(p("model", TEXT)), 1, true, TEXT),
            new Function(Family.PREDICT, "PUBLIC", "PREDICT_PROBA", List.of(p("model", TEXT), p("clazz", TEXT)), 2, true, FLOAT),
            new Function(Family.PREDICT, "PUBLIC", "PREDICT_EXPLAIN", List.of(p("model", TEXT), p("k", INT)), 2, true, TEXT),
            new Function(Family.PREDICT, "PUBLIC", "PREDICT_STDDEV", List.of(p("model", TEXT)), 1, true, FLOAT),
            new Function(Family.PREDICT, "PUBLIC", "PREDICT_SET", List.of(p("model", TEXT), p("alpha", FLOAT)), 2, true, TEXT_ARRAY),
            new Function(Family.PREDICT, "PUBLIC", "PREDICT_LABEL_IF_CERTAIN", List.of(p("model", TEXT), p("alpha", FLOAT)), 2, true, TEXT),
            new Function(Family.PREDICT, "PUBLIC", "PREDICT_INTERVAL", List.of(p("model", TEXT), p("level", FLOAT)), 2, true, FLOAT_ARRAY),
            // PREDICT for a key, by the version its model's experiment routes it to (else the deployed one), recorded as served
            new Function(Family.PREDICT, "PUBLIC", "PREDICT_SERVED", List.of(p("model", TEXT), p("key", TEXT)), 2, true, FLOAT),
            new Function(Family.MODELS, "AUGUR", "TRAIN_MODEL",
                    List.of(p("name", TEXT), p("kind", TEXT), p("query", TEXT), p("options", TEXT)), 3, false, INT),
            new Function(Family.MODELS, "AUGUR", "IMPORT_MODEL", List.of(p("name", TEXT), p("json", TEXT)), 2, false, INT),
            new Function(Family.MODELS, "AUGUR", "EXPORT_MODEL", List.of(p("name", TEXT), p("version", INT)), 1, false, TEXT),
            new Function(Family.MODELS, "AUGUR", "DEPLOY_MODEL", List.of(p("name", TEXT), p("version", INT)), 1, false, INT),
            new Function(Family.MODELS, "AUGUR", "ROLLBACK_MODEL", List.of(p("name", TEXT)), 1, false, INT),
            new Function(Family.MODELS, "AUGUR", "DROP_MODEL", List.of(p("name", TEXT)), 1, false, INT),
            new Function(Family.MODELS, "AUGUR", "CALIBRATE_MODEL",
                    List.of(p("name", TEXT), p("version", INT), p("query", TEXT), p("options", TEXT)), 3, false, INT),
            new Function(Family.VIEWS, "AUGUR", "CREATE_PREDICTION_VIEW",
                    List.of(p("name", TEXT), p("query", TEXT), p("options", TEXT)), 2, false, INT),
            new Function(Family.VIEWS, "AUGUR", "CREATE_CLASSIFICATION_VIEW",
                    List.of(p("name", TEXT), p("entities", TEXT), p("entity_key", TEXT), p("examples", TEXT),
                            p("example_key", TEXT), p("label", TEXT), p("feature_function", TEXT), p("kind", TEXT),
                            p("options", TEXT)), 7, false, INT),
            new Function(Family.VIEWS, "AUGUR", "REFRESH_PREDICTION_VIEW", List.of(p("name", TEXT), p("full", BOOL)), 1, false, INT),
            new Function(Family.VIEWS, "AUGUR", "DROP_PREDICTION_VIEW", List.of(p("name", TEXT)), 1, false, INT),
            // ---- feedback (issue 13: what was served, delayed labels, live metrics)
            new Function(Family.FEEDBACK, "AUGUR", "RECORD_PREDICTION",
                    List.of(p("model", TEXT), p("key", TEXT), p("score", FLOAT), p("version", INT), p("served_at", TIMESTAMP)), 3, false, INT),
            // a model with more than two classes: the probability of each class, in the model's order (PREDICT_PROBA of each)
            new Function(Family.FEEDBACK, "AUGUR", "RECORD_PREDICTION_PROBA",
                    List.of(p("model", TEXT), p("key", TEXT), p("probabilities", FLOAT_ARRAY), p("version", INT), p("served_at", TIMESTAMP)),
                    3, false, INT),
            new Function(Family.FEEDBACK, "AUGUR", "CREATE_FEEDBACK",
                    List.of(p("name", TEXT), p("model", TEXT), p("labels", TEXT), p("key", TEXT), p("label", TEXT), p("at", TEXT),
                            p("implicit_after_seconds", FLOAT), p("window_seconds", FLOAT)), 5, false, INT),
            new Function(Family.FEEDBACK, "AUGUR", "DROP_FEEDBACK", List.of(p("name", TEXT)), 1, false, INT),
            // ---- automatic model selection (issue 13): experiments over versions
            new Function(Family.EXPERIMENTS, "AUGUR", "START_EXPERIMENT",
                    List.of(p("model", TEXT), p("strategy", TEXT), p("versions", TEXT), p("options", TEXT)), 3, false, INT),
            new Function(Family.EXPERIMENTS, "AUGUR", "ROUTE", List.of(p("model", TEXT), p("key", TEXT)), 2, false, INT),
            // ---- monitoring without labels (issue 13: references, drift, estimated accuracy, alarms)
            new Function(Family.MONITOR, "AUGUR", "CAPTURE_REFERENCE",
                    List.of(p("model", TEXT), p("query", TEXT), p("version", INT)), 2, false, INT),
            new Function(Family.MONITOR, "AUGUR", "SET_MONITOR",
                    List.of(p("model", TEXT), p("window_seconds", FLOAT), p("ph_delta", FLOAT), p("ph_lambda", FLOAT),
                            p("ph_min_observations", INT)), 2, false, INT),
            new Function(Family.MONITOR, "AUGUR", "SCORE_DRIFT", List.of(p("model", TEXT), p("version", INT)), 1, false, FLOAT),
            new Function(Family.MONITOR, "AUGUR", "INPUT_DRIFT",
                    List.of(p("model", TEXT), p("query", TEXT), p("version", INT)), 2, false, TEXT),
            new Function(Family.MONITOR, "AUGUR", "SET_ADAPTIVE_CONFORMAL",
                    List.of(p("model", TEXT), p("alpha", FLOAT), p("gamma", FLOAT)), 3, false, INT));

    /**
     * Functions H2 answers and PostgreSQL does not yet (their PL/pgSQL is still to be written): the PostgreSQL
     * declaration test skips these names, and only these. Empty once both databases offer the whole surface.
     */
    public static final java.util.Set<String> NOT_YET_ON_POSTGRESQL = java.util.Set.of();

    /** Every function of the surface, the PREDICT family first. */
    public static List<Function> functions() {
        return FUNCTIONS;
    }
}
