package dev.augur.sql;

import dev.augur.engine.AugurException;
import dev.augur.engine.calibration.Method;
import dev.augur.engine.Errors;
import dev.augur.engine.Names;
import dev.augur.engine.codec.ModelJson;
import dev.augur.engine.model.Model;
import dev.augur.engine.model.ModelKind;
import dev.augur.engine.train.TrainingOptions;
import dev.augur.engine.view.ViewOptions;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Augur's extension statements, translated into calls of the AUGUR functions that any client can make:
 * <pre>
 * TRAIN MODEL spam KIND logistic FROM (SELECT body, is_spam FROM emails) [WITH (epochs = 5, l2 = 1e-5)]
 * IMPORT MODEL spam FROM 'models/spam.json'
 * DEPLOY MODEL spam [VERSION 3 | VERSION LATEST]
 * DEPLOY MODEL spam STRATEGY bandit|best OVER VERSIONS (3, 4) [WITH (floor = 0.1, seed = 1, feedback = 'spam_fb')]
 * CALIBRATE MODEL spam [VERSION 3] FROM (SELECT body, is_spam FROM held_out) [WITH (method = mondrian)]
 * ROLLBACK MODEL spam
 * DROP MODEL spam
 * CREATE PREDICTION VIEW spam_scores AS SELECT id, PREDICT('spam', body) FROM emails [WITH (mode = eager, tolerance = 0)]
 * CREATE CLASSIFICATION VIEW labeled KEY id ENTITIES FROM emails EXAMPLES FROM email_labels KEY id LABEL is_spam
 *     FEATURE FUNCTION bag_of_words(body) [USING svm|logistic] [WITH (learning_rate = 0.5)]
 * REFRESH PREDICTION VIEW spam_scores [FULL]
 * DROP PREDICTION VIEW spam_scores
 * CREATE FEEDBACK spam_fb FOR MODEL spam FROM spam_labels KEY id LABEL is_spam [AT labelled_at]
 *     [IMPLICIT NEGATIVE AFTER 7 DAYS] [WINDOW 1 HOUR]
 * DROP FEEDBACK spam_fb
 * </pre>
 * Anything else is not ours and passes to the database untouched. Syntax errors are SQLSTATE 42601 with the position;
 * option values are checked here as the AUGUR functions check them (22023 naming the option and its range), parentheses
 * nested deeper than {@value #MAX_DEPTH} are 54001, and IMPORT reads only files inside the import folder
 * ({@link ImportFolder}).
 */
public final class ExtensionStatements {
    /** Deeper nesting is no query anyone writes, and takes the database's parser near the end of its stack. */
    static final int MAX_DEPTH = 256;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");
    private static final Pattern INTEGER = Pattern.compile("[-+]?\\d+");

    private ExtensionStatements() {
    }

    /**
     * The SQL to run instead of {@code sql}, or empty when it is not an extension statement.
     *
     * @param importBase folder against which relative IMPORT paths are resolved (null: the working directory)
     */
    public static Optional<String> translate(String sql, Path importBase) {
        Lexer lx = new Lexer(sql);
        Token first = lx.peek(0);
        Token second = lx.peek(1);
        if (lx.peek(2).is("VIEW") && ((first.is("CREATE") && (second.is("PREDICTION") || second.is("CLASSIFICATION")))
                || ((first.is("REFRESH") || first.is("DROP")) && second.is("PREDICTION")))) {
            lx.next();
            lx.next();
            lx.next();
            String out = view(lx, first.upper(), second.upper(), sql);
            lx.expectEnd();
            return Optional.of(out);
        }
        if ((first.is("CREATE") || first.is("DROP")) && second.is("FEEDBACK")) {
            lx.next();
            lx.next();
            String out = Feedback.statement(lx, first.is("CREATE"));
            lx.expectEnd();
            return Optional.of(out);
        }
        if (first.type != Type.WORD || second.type != Type.WORD || !second.is("MODEL")) {
            return Optional.empty();
        }
        String verb = first.upper();
        if (!List.of("TRAIN", "IMPORT", "DEPLOY", "ROLLBACK", "DROP", "CALIBRATE").contains(verb)) {
            return Optional.empty();
        }
        lx.next();
        lx.next();
        String name = modelName(lx);
        String out = switch (verb) {
            case "TRAIN" -> train(lx, name);
            case "IMPORT" -> importModel(lx, name, importBase);
            case "DEPLOY" -> deploy(lx, name);
            case "CALIBRATE" -> calibrate(lx, name);
            case "ROLLBACK" -> "SELECT AUGUR.ROLLBACK_MODEL(" + literal(name) + ")";
            default -> "SELECT AUGUR.DROP_MODEL(" + literal(name) + ")";
        };
        lx.expectEnd();
        return Optional.of(out);
    }

    private static String view(Lexer lx, String verb, String kind, String sql) {
        Token nameToken = lx.next();
        if (nameToken.type != Type.WORD || !Names.isIdentifier(nameToken.text)) {
            throw lx.error(nameToken, "expected a view name, found " + nameToken.describe());
        }
        String name = nameToken.text.toLowerCase(Locale.ROOT);
        if (verb.equals("DROP")) {
            return "SELECT AUGUR.DROP_PREDICTION_VIEW(" + literal(name) + ")";
        }
        if (verb.equals("REFRESH")) {
            boolean full = lx.peek(0).is("FULL");
            if (full) {
                lx.next();
            }
            return "SELECT AUGUR.REFRESH_PREDICTION_VIEW(" + literal(name) + ", " + (full ? "TRUE" : "FALSE") + ")";
        }
        if (kind.equals("PREDICTION")) {
            lx.expectWord("AS");
            Token start = lx.peek(0);
            int depth = 0;
            Token end;
            while (true) {
                Token t = lx.peek(0);
                if (t.type == Type.END || t.type == Type.SEMICOLON || (depth == 0 && t.is("WITH") && lx.peek(1).type == Type.LPAREN)) {
                    end = t;
                    break;
                }
                if (t.type == Type.PARAMETER) {
                    throw new AugurException(Errors.FEATURE_NOT_SUPPORTED, "parameter markers (?) are not supported inside Augur statements");
                }
                depth += t.type == Type.LPAREN ? 1 : t.type == Type.RPAREN ? -1 : 0;
                lx.checkDepth(t, depth);
                lx.next();
            }
            String query = sql.substring(start.start, end.start).trim();
            if (query.isEmpty()) {
                throw lx.error(end, "expected the view's query, SELECT key, PREDICT('model', column, ...) FROM table");
            }
            String options = null;
            if (lx.peek(0).is("WITH")) {
                lx.next();
                options = options(lx, ViewOptions.Prediction::fromObject);
            }
            return "SELECT AUGUR.CREATE_PREDICTION_VIEW(" + literal(name) + ", " + literal(query)
                    + (options == null ? "" : ", " + literal(options)) + ")";
        }
        lx.expectWord("KEY");
        String key = lx.expect(Type.WORD, "the entities' key column").text;
        lx.expectWord("ENTITIES");
        lx.expectWord("FROM");
        String entities = lx.expect(Type.WORD, "the entities table").text;
        lx.expectWord("EXAMPLES");
        lx.expectWord("FROM");
        String examples = lx.expect(Type.WORD, "the examples table").text;
        lx.expectWord("KEY");
        String examplesKey = lx.expect(Type.WORD, "the examples' key column (the entity each example labels)").text;
        lx.expectWord("LABEL");
        String label = lx.expect(Type.WORD, "the label column").text;
        lx.expectWord("FEATURE");
        lx.expectWord("FUNCTION");
        Token fStart = lx.peek(0);
        String function;
        if (fStart.type == Type.WORD) {
            lx.next();
            function = fStart.text + "(" + lx.parenthesized("the feature function's columns, e.g. bag_of_words(body)") + ")";
        } else {
            function = "(" + lx.parenthesized("the feature function, bag_of_words(column) or (column, ...)") + ")";
        }
        String using = "logistic";
        if (lx.peek(0).is("USING")) {
            lx.next();
            Token k = lx.expect(Type.WORD, "svm or logistic");
            using = k.text.toLowerCase(Locale.ROOT);
        }
        String options = null;
        if (lx.peek(0).is("WITH")) {
            lx.next();
            options = options(lx, ViewOptions.Classification::fromObject);
        }
        return "SELECT AUGUR.CREATE_CLASSIFICATION_VIEW(" + String.join(", ", literal(name), literal(entities), literal(key),
                literal(examples), literal(examplesKey), literal(label), literal(function), literal(using),
                options == null ? "NULL" : literal(options)) + ")";
    }

    private static String train(Lexer lx, String name) {
        lx.expectWord("KIND");
        Token kind = lx.expect(Type.WORD, "a model kind (linear, logistic, svm, softmax)");
        try {
            ModelKind.fromSqlName(kind.text);
        } catch (AugurException e) {
            throw lx.error(kind, e.getMessage());
        }
        lx.expectWord("FROM");
        String query = lx.parenthesized("the training query in parentheses, e.g. FROM (SELECT body, is_spam FROM emails)");
        String options = null;
        if (lx.peek(0).is("WITH")) {
            lx.next();
            options = options(lx, TrainingOptions::fromObject);
        }
        return "SELECT AUGUR.TRAIN_MODEL(" + literal(name) + ", " + literal(kind.text.toLowerCase(Locale.ROOT)) + ", "
                + literal(query) + (options == null ? "" : ", " + literal(options)) + ")";
    }

    /**
     * {@code (key = value, ...)} as a JSON object, numbers exactly as written (an integer too large for any option
     * stays that integer, so the option's own check names it), checked by {@code check} (the AUGUR function's own
     * reading of its options) so that a bad value fails here, the same on every database.
     */
    private static String options(Lexer lx, Consumer<ObjectNode> check) {
        lx.expect(Type.LPAREN, "'(' to open the options");
        ObjectNode json = MAPPER.createObjectNode();
        while (true) {
            Token key = lx.expect(Type.WORD, "an option name");
            lx.expect(Type.EQUALS, "'=' after option " + key.text);
            Token value = lx.next();
            String k = key.text.toLowerCase(Locale.ROOT);
            if (json.has(k)) {
                throw lx.error(key, "option " + k + " is given twice");
            }
            switch (value.type) {
                case NUMBER -> {
                    if (!NUMBER.matcher(value.text).matches()) {
                        throw lx.error(value, "'" + value.text + "' is not a number (option " + k + ")");
                    }
                    if (INTEGER.matcher(value.text).matches()) {
                        BigInteger n = new BigInteger(value.text);
                        if (n.bitLength() < 64) {
                            json.put(k, n.longValue());
                        } else {
                            json.put(k, n);
                        }
                    } else {
                        try {
                            json.put(k, new BigDecimal(value.text));
                        } catch (NumberFormatException e) {
                            // an exponent beyond 32 bits: no option takes such a number
                            throw Errors.invalidParameter("option " + k + " = " + Errors.abbreviate(value.text, 40)
                                    + " is out of the range of numbers");
                        }
                    }
                }
                case STRING -> json.put(k, value.text);
                case WORD -> {
                    if (value.is("TRUE") || value.is("FALSE")) {
                        json.put(k, value.is("TRUE"));
                    } else {
                        json.put(k, value.text.toLowerCase(Locale.ROOT));
                    }
                }
                default -> throw lx.error(value, "expected a value for option " + key.text + ", found " + value.describe());
            }
            Token sep = lx.next();
            if (sep.type == Type.RPAREN) {
                check.accept(json);
                return json.toString();
            }
            if (sep.type != Type.COMMA) {
                throw lx.error(sep, "expected ',' or ')' in the options, found " + sep.describe());
            }
        }
    }

    /**
     * The model file, read inside the import folder and validated here, so that no error ever shows what a file
     * holds: the AUGUR function gets the model as Augur writes it.
     */
    private static String importModel(Lexer lx, String name, Path importBase) {
        lx.expectWord("FROM");
        Token path = lx.expect(Type.STRING, "a quoted file path, e.g. FROM 'models/spam.json'");
        String text = ImportFolder.read(path.text, importBase);
        Model model;
        try {
            model = ModelJson.fromFile(text, name);
        } catch (AugurException e) {
            throw new AugurException(e.sqlState(), "model file '" + ImportFolder.printable(path.text) + "': " + e.getMessage());
        }
        return "SELECT AUGUR.IMPORT_MODEL(" + literal(name) + ", " + literal(ModelJson.toJson(model)) + ")";
    }

    private static String deploy(Lexer lx, String name) {
        if (lx.peek(0).is("STRATEGY")) {
            return experiment(lx, name);
        }
        if (!lx.peek(0).is("VERSION")) {
            return "SELECT AUGUR.DEPLOY_MODEL(" + literal(name) + ")";
        }
        lx.next();
        if (lx.peek(0).is("LATEST")) {
            lx.next();
            return "SELECT AUGUR.DEPLOY_MODEL(" + literal(name) + ")";
        }
        return "SELECT AUGUR.DEPLOY_MODEL(" + literal(name) + ", " + version(lx, "a version number or LATEST") + ")";
    }

    /** {@code STRATEGY bandit|best OVER VERSIONS (3, 4) [WITH (...)]}: an experiment over versions of the model. */
    private static String experiment(Lexer lx, String name) {
        lx.next();
        Token strategy = lx.expect(Type.WORD, "a strategy, bandit or best");
        try {
            dev.augur.engine.selection.Experiment.Strategy.of(strategy.text);
        } catch (AugurException e) {
            throw lx.error(strategy, e.getMessage());
        }
        lx.expectWord("OVER");
        lx.expectWord("VERSIONS");
        lx.expect(Type.LPAREN, "'(' to open the list of versions, e.g. OVER VERSIONS (3, 4)");
        java.util.StringJoiner versions = new java.util.StringJoiner(",");
        while (true) {
            Token v = lx.next();
            if (v.type != Type.NUMBER || !v.text.matches("\\d+") || new BigInteger(v.text).compareTo(BigInteger.valueOf(Integer.MAX_VALUE)) > 0
                    || new BigInteger(v.text).signum() == 0) {
                throw lx.error(v, "expected a version number in OVER VERSIONS, found " + v.describe());
            }
            versions.add(new BigInteger(v.text).toString());
            Token sep = lx.next();
            if (sep.type == Type.RPAREN) {
                break;
            }
            if (sep.type != Type.COMMA) {
                throw lx.error(sep, "expected ',' or ')' in OVER VERSIONS, found " + sep.describe());
            }
        }
        String options = null;
        if (lx.peek(0).is("WITH")) {
            lx.next();
            options = options(lx, dev.augur.engine.selection.Experiment.Options::fromObject);
        }
        return "SELECT AUGUR.START_EXPERIMENT(" + literal(name) + ", " + literal(strategy.text.toLowerCase(Locale.ROOT)) + ", "
                + literal(versions.toString()) + (options == null ? "" : ", " + literal(options)) + ")";
    }

    /** The version number after VERSION: 1 to 2^31 − 1. */
    private static BigInteger version(Lexer lx, String expected) {
        Token v = lx.next();
        if (v.type != Type.NUMBER || !v.text.matches("\\d+")) {
            throw lx.error(v, "expected " + expected + " after VERSION, found " + v.describe());
        }
        BigInteger version = new BigInteger(v.text);
        if (version.compareTo(BigInteger.valueOf(Integer.MAX_VALUE)) > 0) {
            throw Errors.invalidParameter("model versions are between 1 and " + Integer.MAX_VALUE + ", got VERSION "
                    + Errors.abbreviate(v.text, 40));
        }
        return version;
    }

    /** CALIBRATE MODEL: AUGUR.CALIBRATE_MODEL of a version (default: the deployed one) on a calibration query. */
    private static String calibrate(Lexer lx, String name) {
        String version = "NULL";
        if (lx.peek(0).is("VERSION")) {
            lx.next();
            version = version(lx, "a version number").toString();
        }
        lx.expectWord("FROM");
        String query = lx.parenthesized("the calibration query in parentheses, e.g. FROM (SELECT body, is_spam FROM held_out)");
        String options = null;
        if (lx.peek(0).is("WITH")) {
            lx.next();
            options = options(lx, Method::fromObject);
        }
        return "SELECT AUGUR.CALIBRATE_MODEL(" + literal(name) + ", " + version + ", " + literal(query)
                + (options == null ? "" : ", " + literal(options)) + ")";
    }

    private static String modelName(Lexer lx) {
        Token t = lx.next();
        if (t.type != Type.WORD && t.type != Type.QUOTED_IDENTIFIER) {
            throw lx.error(t, "expected a model name, found " + t.describe());
        }
        if (!Names.isIdentifier(t.text)) {
            throw lx.error(t, "invalid model name '" + t.text + "': use letters, digits and underscores, starting with a letter");
        }
        return Names.checkModelName(t.text);
    }

    // ------------------------------------------------------------------ feedback (issue 13)

    /** CREATE FEEDBACK and DROP FEEDBACK, translated into AUGUR.CREATE_FEEDBACK and AUGUR.DROP_FEEDBACK. */
    static final class Feedback {
        private Feedback() {
        }

        static String statement(Lexer lx, boolean create) {
            String name = identifier(lx, "a feedback name");
            if (!create) {
                return "SELECT AUGUR.DROP_FEEDBACK(" + literal(name) + ")";
            }
            lx.expectWord("FOR");
            lx.expectWord("MODEL");
            String model = modelName(lx);
            lx.expectWord("FROM");
            String labels = identifier(lx, "the labels table");
            lx.expectWord("KEY");
            String key = identifier(lx, "the labels' key column (the key predictions were served for)");
            lx.expectWord("LABEL");
            String label = identifier(lx, "the label column");
            String at = null;
            String implicit = null;
            String window = null;
            if (lx.peek(0).is("AT")) {
                lx.next();
                at = identifier(lx, "the labels' time column");
            }
            if (lx.peek(0).is("IMPLICIT")) {
                lx.next();
                lx.expectWord("NEGATIVE");
                lx.expectWord("AFTER");
                implicit = interval(lx);
            }
            if (lx.peek(0).is("WINDOW")) {
                lx.next();
                window = interval(lx);
            }
            return "SELECT AUGUR.CREATE_FEEDBACK(" + String.join(", ", literal(name), literal(model), literal(labels), literal(key),
                    literal(label), at == null ? "NULL" : literal(at), implicit == null ? "NULL" : implicit,
                    window == null ? "NULL" : window) + ")";
        }

        private static String identifier(Lexer lx, String what) {
            Token t = lx.expect(Type.WORD, what);
            if (!Names.isIdentifier(t.text)) {
                throw lx.error(t, "invalid name '" + t.text + "' for " + what + ": use letters, digits and underscores");
            }
            return t.text.toLowerCase(Locale.ROOT);
        }

        /** {@code N SECOND[S] | MINUTE[S] | HOUR[S] | DAY[S]} as seconds (a number the AUGUR function checks). */
        private static String interval(Lexer lx) {
            Token n = lx.next();
            if (n.type != Type.NUMBER || !NUMBER.matcher(n.text).matches()) {
                throw lx.error(n, "expected an interval such as 30 MINUTES or 7 DAYS, found " + n.describe());
            }
            Token unit = lx.expect(Type.WORD, "a unit: SECONDS, MINUTES, HOURS or DAYS");
            String u = unit.upper();
            long factor = switch (u.endsWith("S") ? u.substring(0, u.length() - 1) : u) {
                case "SECOND" -> 1;
                case "MINUTE" -> 60;
                case "HOUR" -> 3600;
                case "DAY" -> 86_400;
                default -> throw lx.error(unit, "expected a unit SECONDS, MINUTES, HOURS or DAYS, found " + unit.describe());
            };
            BigDecimal seconds = new BigDecimal(n.text).multiply(BigDecimal.valueOf(factor));
            return seconds.toPlainString();
        }
    }

    /** A SQL string literal; standard quoting, the same on H2 and PostgreSQL. */
    static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    // ------------------------------------------------------------------ lexer

    enum Type { WORD, QUOTED_IDENTIFIER, STRING, NUMBER, LPAREN, RPAREN, COMMA, EQUALS, SEMICOLON, PARAMETER, OTHER, END }

    static final class Token {
        final Type type;
        final String text;
        final int start;

        Token(Type type, String text, int start) {
            this.type = type;
            this.text = text;
            this.start = start;
        }

        boolean is(String word) {
            return type == Type.WORD && text.equalsIgnoreCase(word);
        }

        String upper() {
            return text.toUpperCase(Locale.ROOT);
        }

        String describe() {
            return switch (type) {
                case END -> "the end of the statement";
                case STRING -> "'" + text + "'";
                default -> "'" + text + "'";
            };
        }
    }

    static final class Lexer {
        private final String sql;
        private final List<Token> tokens = new ArrayList<>();
        private int pos;
        private int cursor;

        Lexer(String sql) {
            this.sql = sql;
        }

        Token peek(int ahead) {
            while (tokens.size() <= cursor + ahead) {
                tokens.add(scan());
            }
            return tokens.get(cursor + ahead);
        }

        Token next() {
            Token t = peek(0);
            cursor++;
            return t;
        }

        Token expect(Type type, String what) {
            Token t = next();
            if (t.type != type) {
                throw error(t, "expected " + what + ", found " + t.describe());
            }
            return t;
        }

        void expectWord(String word) {
            Token t = next();
            if (!t.is(word)) {
                throw error(t, "expected " + word + ", found " + t.describe());
            }
        }

        void expectEnd() {
            Token t = next();
            if (t.type == Type.SEMICOLON) {
                t = next();
            }
            if (t.type != Type.END) {
                throw error(t, "expected the end of the statement, found " + t.describe());
            }
        }

        /** The raw text inside balanced parentheses, which must come next. */
        String parenthesized(String what) {
            Token open = next();
            if (open.type != Type.LPAREN) {
                throw error(open, "expected " + what + ", found " + open.describe());
            }
            int depth = 1;
            while (true) {
                Token t = next();
                switch (t.type) {
                    case LPAREN -> checkDepth(t, ++depth);
                    case RPAREN -> {
                        if (--depth == 0) {
                            String inner = sql.substring(open.start + 1, t.start).trim();
                            if (inner.isEmpty()) {
                                throw error(t, "expected " + what + ", found empty parentheses");
                            }
                            return inner;
                        }
                    }
                    case PARAMETER -> throw new AugurException(Errors.FEATURE_NOT_SUPPORTED,
                            "parameter markers (?) are not supported inside Augur statements (position " + (t.start + 1)
                                    + "); write the values into the statement or call the AUGUR function with parameters");
                    case END -> throw error(t, "unbalanced parentheses: expected ')' before the end of the statement");
                    default -> {
                    }
                }
            }
        }

        void checkDepth(Token at, int depth) {
            if (depth > MAX_DEPTH) {
                throw Errors.tooComplex("parentheses nested more than " + MAX_DEPTH + " deep at position " + (at.start + 1));
            }
        }

        AugurException error(Token at, String message) {
            int p = at.start + 1;
            String excerpt = sql.length() <= 80 ? sql : sql.substring(Math.max(0, at.start - 30),
                    Math.min(sql.length(), at.start + 30));
            return new AugurException(Errors.SYNTAX_ERROR, "syntax error at position " + p + ": " + message
                    + " (in \"" + excerpt.strip() + "\")");
        }

        private Token scan() {
            skipSpaceAndComments();
            int n = sql.length();
            if (pos >= n) {
                return new Token(Type.END, "", n);
            }
            int start = pos;
            char c = sql.charAt(pos);
            if (Character.isLetter(c) || c == '_') {
                while (pos < n && (Character.isLetterOrDigit(sql.charAt(pos)) || sql.charAt(pos) == '_')) {
                    pos++;
                }
                return new Token(Type.WORD, sql.substring(start, pos), start);
            }
            if (Character.isDigit(c) || ((c == '-' || c == '+' || c == '.') && pos + 1 < n
                    && (Character.isDigit(sql.charAt(pos + 1)) || sql.charAt(pos + 1) == '.'))) {
                pos++;
                while (pos < n) {
                    char d = sql.charAt(pos);
                    if (Character.isDigit(d) || d == '.') {
                        pos++;
                    } else if ((d == 'e' || d == 'E') && pos + 1 < n) {
                        pos++;
                        if (sql.charAt(pos) == '-' || sql.charAt(pos) == '+') {
                            pos++;
                        }
                    } else {
                        break;
                    }
                }
                return new Token(Type.NUMBER, sql.substring(start, pos), start);
            }
            if (c == '\'' || c == '"') {
                StringBuilder sb = new StringBuilder();
                pos++;
                while (true) {
                    if (pos >= n) {
                        throw error(new Token(Type.OTHER, "", start), "unterminated " + (c == '\'' ? "string" : "quoted identifier"));
                    }
                    char d = sql.charAt(pos++);
                    if (d == c) {
                        if (pos < n && sql.charAt(pos) == c) {
                            sb.append(c);
                            pos++;
                        } else {
                            break;
                        }
                    } else {
                        sb.append(d);
                    }
                }
                return new Token(c == '\'' ? Type.STRING : Type.QUOTED_IDENTIFIER, sb.toString(), start);
            }
            pos++;
            return switch (c) {
                case '(' -> new Token(Type.LPAREN, "(", start);
                case ')' -> new Token(Type.RPAREN, ")", start);
                case ',' -> new Token(Type.COMMA, ",", start);
                case '=' -> new Token(Type.EQUALS, "=", start);
                case ';' -> new Token(Type.SEMICOLON, ";", start);
                case '?' -> new Token(Type.PARAMETER, "?", start);
                default -> new Token(Type.OTHER, String.valueOf(c), start);
            };
        }

        private void skipSpaceAndComments() {
            int n = sql.length();
            while (pos < n) {
                char c = sql.charAt(pos);
                if (Character.isWhitespace(c)) {
                    pos++;
                } else if (c == '-' && pos + 1 < n && sql.charAt(pos + 1) == '-') {
                    while (pos < n && sql.charAt(pos) != '\n') {
                        pos++;
                    }
                } else if (c == '/' && pos + 1 < n && sql.charAt(pos + 1) == '*') {
                    int end = sql.indexOf("*/", pos + 2);
                    pos = end < 0 ? n : end + 2;
                } else {
                    return;
                }
            }
        }
    }
}
