package dev.augur.sql;

import dev.augur.engine.AugurException;
import dev.augur.engine.Errors;
import dev.augur.engine.Names;

import java.util.ArrayList;
import java.util.List;

/**
 * A view's definition parsed once, by the extension statements' own lexer: the query of a prediction view and the
 * feature function of a classification view, as the bindings that build the views receive them (the AUGUR functions
 * take them as text, so a stock client can create views too).
 */
public final class ViewDefinitions {
    private ViewDefinitions() {
    }

    /** {@code SELECT key, PREDICT('model', input, ...) [AS name] FROM table}: plain column names, one table. */
    public record PredictionQuery(String key, String model, List<String> inputs, String table) {
    }

    /** A classification view's features: {@code bag_of_words(column)} or dense {@code (column, ...)}. */
    public record FeatureFunction(boolean bagOfWords, List<String> columns) {
    }

    private static final String QUERY_SHAPE = "a prediction view is defined as SELECT key, PREDICT('model', column, ...)"
            + " FROM table (plain column names), got: ";

    public static PredictionQuery predictionQuery(String query) {
        if (query == null) {
            throw new AugurException(Errors.SYNTAX_ERROR, QUERY_SHAPE + "NULL");
        }
        try {
            ExtensionStatements.Lexer lx = new ExtensionStatements.Lexer(query);
            lx.expectWord("SELECT");
            String key = identifier(lx, "the key column");
            lx.expect(ExtensionStatements.Type.COMMA, "',' after the key column");
            lx.expectWord("PREDICT");
            lx.expect(ExtensionStatements.Type.LPAREN, "'(' after PREDICT");
            String model = lx.expect(ExtensionStatements.Type.STRING, "the model's name as a string, 'spam'").text;
            List<String> inputs = new ArrayList<>();
            while (lx.peek(0).type == ExtensionStatements.Type.COMMA) {
                lx.next();
                inputs.add(identifier(lx, "an input column"));
            }
            if (inputs.isEmpty()) {
                throw lx.error(lx.peek(0), "expected the model's input columns after its name");
            }
            lx.expect(ExtensionStatements.Type.RPAREN, "')' after the inputs");
            if (lx.peek(0).is("AS")) {
                lx.next();
                identifier(lx, "the score's column name");
            }
            lx.expectWord("FROM");
            String table = identifier(lx, "the table");
            if (lx.peek(0).type == ExtensionStatements.Type.OTHER && lx.peek(0).text.equals(".")) {
                lx.next();
                table = table + "." + identifier(lx, "the table after its schema");
            }
            lx.expectEnd();
            return new PredictionQuery(key, model, List.copyOf(inputs), table);
        } catch (AugurException e) {
            throw new AugurException(Errors.SYNTAX_ERROR, QUERY_SHAPE + query + " (" + e.getMessage() + ")");
        }
    }

    public static FeatureFunction featureFunction(String function) {
        String shape = "FEATURE FUNCTION must be bag_of_words(column) or (column, ...), got " + function;
        if (function == null) {
            throw new AugurException(Errors.SYNTAX_ERROR, shape);
        }
        try {
            ExtensionStatements.Lexer lx = new ExtensionStatements.Lexer(function);
            boolean bagOfWords = lx.peek(0).is("bag_of_words");
            if (bagOfWords || lx.peek(0).is("dense")) {
                lx.next();
            }
            boolean parenthesized = lx.peek(0).type == ExtensionStatements.Type.LPAREN;
            if (parenthesized) {
                lx.next();
            } else if (bagOfWords) {
                throw lx.error(lx.peek(0), "expected '(' after bag_of_words");
            }
            List<String> columns = new ArrayList<>(List.of(identifier(lx, "a column")));
            while (lx.peek(0).type == ExtensionStatements.Type.COMMA) {
                lx.next();
                columns.add(identifier(lx, "a column"));
            }
            if (parenthesized) {
                lx.expect(ExtensionStatements.Type.RPAREN, "')'");
            }
            lx.expectEnd();
            if (bagOfWords && columns.size() != 1) {
                throw lx.error(lx.peek(0), "bag_of_words takes one text column");
            }
            return new FeatureFunction(bagOfWords, List.copyOf(columns));
        } catch (AugurException e) {
            throw new AugurException(Errors.SYNTAX_ERROR, shape + " (" + e.getMessage() + ")");
        }
    }

    private static String identifier(ExtensionStatements.Lexer lx, String what) {
        ExtensionStatements.Token t = lx.expect(ExtensionStatements.Type.WORD, what);
        if (!Names.isIdentifier(t.text)) {
            throw lx.error(t, "expected " + what + " (a plain name), found " + t.describe());
        }
        return t.text;
    }
}
