package dev.augur.engine;

import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The catalogue of Augur's errors: each has a stable SQLSTATE (PostgreSQL's codes where one fits) and a
 * message that names what is wrong and what to do.
 */
public final class Errors {
    public static final String UNDEFINED_OBJECT = "42704";
    public static final String INVALID_PARAMETER = "22023";
    public static final String DATATYPE_MISMATCH = "42804";
    public static final String DATA_CORRUPTED = "XX001";
    public static final String INVALID_JSON = "22032";
    public static final String SYNTAX_ERROR = "42601";
    public static final String NOT_IN_PREREQUISITE_STATE = "55000";
    public static final String DUPLICATE_OBJECT = "42710";
    public static final String INVALID_NAME = "42602";
    public static final String FEATURE_NOT_SUPPORTED = "0A000";
    public static final String IO_ERROR = "58030";
    public static final String INSUFFICIENT_PRIVILEGE = "42501";
    /** A function asked of the wrong kind of model (PREDICT_SET of a regressor, PREDICT_INTERVAL of a classifier). */
    public static final String WRONG_OBJECT_TYPE = "42809";
    /** PostgreSQL's statement_too_complex, which it also raises when a statement nests beyond its stack. */
    public static final String STATEMENT_TOO_COMPLEX = "54001";
    /** A number too large for what must hold it (PostgreSQL's numeric_value_out_of_range). */
    public static final String NUMERIC_OUT_OF_RANGE = "22003";

    private Errors() {
    }

    public static AugurException unknownModel(String name, Collection<String> known) {
        String list = known.isEmpty() ? "no models are registered yet; register one with AUGUR.TRAIN_MODEL or AUGUR.IMPORT_MODEL"
                : "known models: " + known.stream().sorted().collect(Collectors.joining(", "));
        return new AugurException(UNDEFINED_OBJECT, "unknown model '" + name + "' (" + list + ")");
    }

    public static AugurException notDeployed(String name, Collection<Integer> versions) {
        return new AugurException(UNDEFINED_OBJECT, "model '" + name + "' has no deployed version (versions: "
                + joinVersions(versions) + "); deploy one with AUGUR.DEPLOY_MODEL('" + name + "', version) or pin one as '"
                + name + "@version'");
    }

    public static AugurException unknownVersion(String name, int version, Collection<Integer> versions) {
        return new AugurException(UNDEFINED_OBJECT, "model '" + name + "' has no version " + version + " (versions: "
                + joinVersions(versions) + ")");
    }

    public static AugurException wrongArity(String model, List<String> inputs, int got) {
        return new AugurException(INVALID_PARAMETER, "model '" + model + "' expects " + inputs.size() + " input"
                + (inputs.size() == 1 ? "" : "s") + " (" + String.join(", ", inputs) + "), got " + got);
    }

    public static AugurException nonFinite(String model, String input, double value) {
        return new AugurException(INVALID_PARAMETER, "model '" + model + "' input '" + input + "' is " + value
                + "; PREDICT takes finite numbers only (filter the row or replace the value, e.g. with COALESCE/NULLIF)");
    }

    public static AugurException wrongType(String model, String input, String expected, Object got) {
        String shown = got instanceof String s ? "text '" + abbreviate(s, 40) + "'" : got.getClass().getSimpleName() + " " + got;
        return new AugurException(DATATYPE_MISMATCH, "model '" + model + "' input '" + input + "' expects " + expected
                + ", got " + shown + "; cast the argument");
    }

    /** A model that names a class or an input twice. */
    public static AugurException duplicate(String model, String what, String value, List<String> all) {
        String plural = what.equals("class") ? "classes" : what + "s";
        return new AugurException(INVALID_PARAMETER, "model '" + model + "' has " + what + " '" + abbreviate(value, 40)
                + "' twice (" + plural + ": " + abbreviate(String.join(", ", all), 200) + "); give each " + what + " a distinct name");
    }

    /** A statement nested deeper than a parser follows (H2's parser recurses per parenthesis and runs out of stack). */
    public static AugurException tooComplex(String detail) {
        return new AugurException(STATEMENT_TOO_COMPLEX, "statement too complex: " + detail + "; simplify the statement");
    }

    /** A value of SQL type {@code sqlType}, shown as {@code sqlValue}, where {@code expected} was needed. */
    public static AugurException wrongSqlType(String model, String input, String expected, String sqlType, String sqlValue) {
        return new AugurException(DATATYPE_MISMATCH, "model '" + model + "' input '" + input + "' expects " + expected
                + ", got " + sqlType + " " + abbreviate(sqlValue, 40) + "; cast the argument");
    }

    /**
     * PREDICT or one of its family called with no inputs, or with more than the bindings take ({@code max}); the model,
     * when known, names the inputs it expects.
     *
     * @param example a correct call, e.g. {@code PREDICT('spam', body)}
     */
    public static AugurException inputCount(String example, String model, List<String> inputs, int got, int max) {
        if (model == null) {
            return new AugurException(INVALID_PARAMETER, "expected a model name and 1 to " + max + " inputs, e.g. " + example);
        }
        String arity = wrongArity(model, inputs, got).getMessage();
        return new AugurException(INVALID_PARAMETER, got > max ? arity + "; at most " + max + " inputs are supported" : arity);
    }

    public static AugurException invalidParameter(String message) {
        return new AugurException(INVALID_PARAMETER, message);
    }

    public static AugurException corruptPayload(String name, int version, String expectedSha, String actualSha) {
        return new AugurException(DATA_CORRUPTED, "model '" + name + "' version " + version
                + " is corrupt: stored sha256 " + expectedSha + " but payload hashes to " + actualSha
                + "; re-import the model from its source file");
    }

    public static AugurException corruptPayload(String detail) {
        return new AugurException(DATA_CORRUPTED, "model payload is corrupt or truncated: " + detail
                + "; re-import the model from its source file");
    }

    public static AugurException malformedJson(String detail) {
        return new AugurException(INVALID_JSON, "malformed model JSON: " + detail
                + " (export a model with AUGUR.EXPORT_MODEL to see the expected shape)");
    }

    public static AugurException invalidName(String what, String name) {
        return new AugurException(INVALID_NAME, "invalid " + what + " name '" + name
                + "': use letters, digits and underscores, starting with a letter, at most 63 characters");
    }

    /**
     * A deploy, under a prediction view, of a model version with another kind of features (dense or bag of words) than
     * the view's: the view's table and scoring are built for the kind it was created with.
     */
    public static AugurException viewFeatureKind(String model, int version, boolean versionIsBagOfWords, String view,
                                                 boolean viewIsBagOfWords) {
        return new AugurException(FEATURE_NOT_SUPPORTED, "version " + version + " of model '" + model + "' is a "
                + featureKind(versionIsBagOfWords) + " model but prediction view '" + view + "' holds a " + featureKind(viewIsBagOfWords)
                + " model; drop the view and create it again");
    }

    private static String featureKind(boolean bagOfWords) {
        return bagOfWords ? "bag-of-words" : "dense";
    }

    private static String joinVersions(Collection<Integer> versions) {
        return versions.isEmpty() ? "none" : versions.stream().sorted().map(String::valueOf).collect(Collectors.joining(", "));
    }

    /** {@code s}, cut to {@code max} characters with "..." when longer. */
    public static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "...";
    }
}
