package dev.augur.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What H2's PostgreSQL emulation lacks for stock clients' catalog browsing (pgjdbc's DatabaseMetaData, psql's
 * meta-commands, SQLAlchemy's inspector), in two halves:
 * <ul>
 * <li>{@link #install}: compatibility objects in the catalog ({@code pg_compat.sql}, run on every start): functions H2
 * has not ({@code current_schemas}, {@code pg_get_function_result}, ...) as aliases in {@code pg_catalog}, and for
 * each built-in pg_catalog table that clients need more columns or rows of, a view {@code pg_catalog.augur_NAME};</li>
 * <li>{@link #rewrite}: the PostgreSQL proxy's rewriting of a client's statement, token by token (string literals,
 * quoted names and comments untouched): {@code pg_catalog.NAME} of an {@link #OVERRIDDEN} table becomes that view,
 * {@code OPERATOR(pg_catalog.~)} the bare operator, {@code COLLATE pg_catalog.default} nothing, {@code 'x'::regproc}
 * the text and {@code 'x'::regtype} its OID.</li>
 * </ul>
 */
final class PgCatalogCompat {
    /** The pg_catalog tables (and functions) whose {@code pg_catalog.augur_} version clients get. */
    static final Set<String> OVERRIDDEN = Set.of("pg_class", "pg_namespace", "pg_database", "pg_roles", "pg_type",
            "pg_settings", "pg_index", "pg_constraint", "pg_proc", "pg_attribute", "pg_trigger", "format_type", "pg_get_indexdef");
    /**
     * Client idioms H2 cannot run, and what answers the same here: psql's {@code \\d+} joins a table's TOAST options
     * (H2 has neither TOAST tables nor options, and no correlated table functions).
     */
    private static final String[][] IDIOMS = {
            {"c.reloptions || array(select 'toast.' || x from pg_catalog.unnest(tc.reloptions) x)", "c.reloptions"},
    };
    private static final Set<String> NOT_ALIASES = Set.of("on", "where", "join", "left", "right", "inner", "full", "cross",
            "natural", "order", "group", "having", "limit", "offset", "union", "except", "intersect", "using", "window",
            "fetch", "for", "outer", "lateral", "returning", "set", "values");
    /** Words H2 reserves that PostgreSQL takes as column labels after AS (SQLAlchemy's {@code AS DEFAULT}). */
    private static final Set<String> RESERVED_LABELS = Set.of("default", "value", "key", "user");
    private static final Pattern REG_CAST = Pattern.compile("(?i)\\s*::\\s*(pg_catalog\\s*\\.\\s*)?(regproc|regtype)\\b");
    private static final Pattern COLLATE_DEFAULT = Pattern.compile("(?i)\\s+(pg_catalog\\s*\\.\\s*)?(default|\"default\")\\b");
    private static final Pattern OPERATOR = Pattern.compile("(?i)\\s*\\(\\s*(?:[a-z_]\\w*\\s*\\.\\s*)?([^\\s()]+)\\s*\\)");

    private PgCatalogCompat() {
    }

    /** Creates (or replaces) the compatibility objects; one that fails is reported on stderr and left out. */
    static void install(Connection conn) throws SQLException {
        String script;
        try (InputStream in = PgCatalogCompat.class.getResourceAsStream("pg_compat.sql")) {
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SQLException("cannot read pg_compat.sql", e);
        }
        try (Statement st = conn.createStatement()) {
            StringBuilder statement = new StringBuilder();
            for (String line : script.split("\n")) {
                if (line.startsWith("--") || line.isBlank()) {
                    continue;
                }
                statement.append(line).append('\n');
                if (line.stripTrailing().endsWith(";")) {
                    String sql = statement.toString().strip();
                    try {
                        st.execute(sql.substring(0, sql.length() - 1));
                    } catch (SQLException e) {
                        // the server still serves; a client browsing the catalog may miss this object
                        System.err.println("augur: PostgreSQL catalog compatibility: " + sql.lines().findFirst().orElse(sql)
                                + " failed: " + e.getMessage());
                    }
                    statement.setLength(0);
                }
            }
        }
    }

    /** {@code a.b[i]}: H2 refuses a subscript out of the array's bounds, where PostgreSQL answers NULL: guarded with CARDINALITY. */
    private static final Pattern SUBSCRIPT = Pattern.compile("(?i)(?<![\\w.$])(?!array\\[)([a-z_]\\w*(?:\\.[a-z_]\\w*)?)\\[([^\\[\\]'\"]+)]");
    /** pgjdbc's getPrimaryKeys numbers a key's columns with {@code information_schema._pg_expandarray}, a set-returning function. */
    private static final String EXPAND_N = "(information_schema._pg_expandarray(con.conkey)).n AS KEY_SEQ";
    private static final String EXPAND_KEYS = "information_schema._pg_expandarray(con.conkey) AS KEYS";
    private static final String EXPAND_FROM = "FROM pg_catalog.augur_pg_constraint con ";
    private static final String EXPAND_X = "(result.KEYS).x";

    /** A catalog flag compared with a boolean written as text ({@code ix.indisprimary = 't'}), which H2 refuses. */
    private static final Pattern FLAG_AS_TEXT = Pattern.compile(
            "(?i)\\b((?:ind|rel|att|typ|pro|con|dat|rol|nsp)(?:is|has)\\w*\\s*=\\s*)'(t|true|f|false)'");

    /** What H2 itself answers after SHOW. */
    private static final Set<String> H2_SHOWS = Set.of("client_encoding", "default_transaction_isolation", "transaction",
            "datestyle", "search_path", "server_version", "server_encoding", "ssl", "tables", "columns", "schemas",
            "databases");
    /** {@code SHOW name} of a run-time parameter H2 does not know ({@code standard_conforming_strings}...). */
    private static final Pattern SHOW = Pattern.compile("(?is)\\s*show\\s+([a-z_][\\w.]*)\\s*;?\\s*");

    /** A client's statement with the catalog references H2 cannot answer rewritten (see the class comment). */
    static String rewrite(String sql) {
        Matcher show = SHOW.matcher(sql);
        if (show.matches() && !H2_SHOWS.contains(show.group(1).toLowerCase(Locale.ROOT))) {
            String name = show.group(1).toLowerCase(Locale.ROOT);
            return "SELECT setting AS \"" + name + "\" FROM pg_catalog.augur_pg_settings WHERE LOWER(name) = '" + name + "'";
        }
        String s = sql;
        for (String[] idiom : IDIOMS) {
            s = s.replace(idiom[0], idiom[1]);
        }
        s = subscripts(rewriteTokens(s));
        Matcher flag = FLAG_AS_TEXT.matcher(s);
        if (flag.find()) {
            s = flag.replaceAll(m -> m.group(1) + (m.group(2).toLowerCase(Locale.ROOT).startsWith("t") ? "TRUE" : "FALSE"));
        }
        if (s.contains(EXPAND_N) && s.contains(EXPAND_KEYS) && s.contains(EXPAND_FROM) && s.contains(EXPAND_X)) {
            s = s.replace(EXPAND_N, "pos.n AS KEY_SEQ").replace(EXPAND_KEYS, "CASE WHEN pos.n <= CARDINALITY(con.conkey) THEN con.conkey[pos.n] END AS KEYS_X")
                    .replace(EXPAND_FROM, EXPAND_FROM + "CROSS JOIN pg_catalog.generate_series(1, 32) pos(n) ")
                    .replace(EXPAND_X, "result.KEYS_X");
        }
        return s;
    }

    private static String rewriteTokens(String sql) {
        StringBuilder out = new StringBuilder(sql.length() + 64);
        int n = sql.length();
        int i = 0;
        boolean afterDot = false;
        while (i < n) {
            char ch = sql.charAt(i);
            if (ch == '\'' || (ch == 'E' || ch == 'e') && i + 1 < n && sql.charAt(i + 1) == '\''
                    && (i == 0 || !Character.isJavaIdentifierPart(sql.charAt(i - 1)))) {
                int start = i;
                boolean escapes = ch != '\'';
                i = escapes ? i + 2 : i + 1;
                while (i < n) {
                    char c = sql.charAt(i);
                    if (escapes && c == '\\') {
                        i += 2;
                        continue;
                    }
                    if (c == '\'') {
                        if (i + 1 < n && sql.charAt(i + 1) == '\'') {
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    i++;
                }
                i = Math.min(i + 1, n);
                String literal = sql.substring(start, i);
                Matcher cast = REG_CAST.matcher(sql).region(i, n);
                if (!escapes && cast.lookingAt()) {
                    if (cast.group(2).equalsIgnoreCase("regtype")) {
                        out.append("pg_catalog.augur_regtype(").append(literal).append(')');
                    } else {
                        out.append(literal.replaceFirst("(?i)^'pg_catalog\\.", "'"));
                    }
                    i = cast.end();
                } else {
                    out.append(literal);
                }
                afterDot = false;
            } else if (ch == '"') {
                int end = sql.indexOf('"', i + 1);
                end = end < 0 ? n : end + 1;
                out.append(sql, i, end);
                i = end;
                afterDot = false;
            } else if (ch == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                int end = sql.indexOf('\n', i);
                end = end < 0 ? n : end;
                out.append(sql, i, end);
                i = end;
            } else if (ch == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int end = sql.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                out.append(sql, i, end);
                i = end;
            } else if (Character.isLetter(ch) || ch == '_') {
                int end = word(sql, i);
                String word = sql.substring(i, end).toLowerCase(Locale.ROOT);
                if (afterDot) {
                    out.append(sql, i, end);
                    i = end;
                    afterDot = false;
                    continue;
                }
                if (word.equals("as")) {
                    int label = skipSpace(sql, end);
                    int labelEnd = word(sql, label);
                    if (label > end && labelEnd > label
                            && RESERVED_LABELS.contains(sql.substring(label, labelEnd).toLowerCase(Locale.ROOT))) {
                        // PostgreSQL takes a reserved word after AS as a column label; H2 wants it quoted
                        out.append(sql, i, label).append('"').append(sql.substring(label, labelEnd).toLowerCase(Locale.ROOT))
                                .append('"');
                        i = labelEnd;
                        continue;
                    }
                }
                if (word.equals("operator")) {
                    Matcher op = OPERATOR.matcher(sql).region(end, n);
                    if (op.lookingAt()) {
                        out.append(' ').append(op.group(1)).append(' ');
                        i = op.end();
                        continue;
                    }
                }
                if (word.equals("collate")) {
                    Matcher def = COLLATE_DEFAULT.matcher(sql).region(end, n);
                    if (def.lookingAt()) {
                        i = def.end();
                        continue;
                    }
                }
                int nameStart = i;
                int nameEnd = end;
                String name = word;
                if (word.equals("pg_catalog")) {
                    int j = skipSpace(sql, end);
                    if (j < n && sql.charAt(j) == '.') {
                        int k = skipSpace(sql, j + 1);
                        if (k < n && (Character.isLetter(sql.charAt(k)) || sql.charAt(k) == '_')) {
                            nameEnd = word(sql, k);
                            name = sql.substring(k, nameEnd).toLowerCase(Locale.ROOT);
                        }
                    }
                }
                int next = skipSpace(sql, nameEnd);
                char following = next < n ? sql.charAt(next) : ' ';
                if (name.equals("unnest") && following == '(') {
                    // PostgreSQL names the column of "unnest(a) x" x; H2 names it C1: "unnest(a) x(x)"
                    int close = closingParen(sql, next);
                    out.append("unnest(").append(rewriteTokens(sql.substring(next + 1, close))).append(')');
                    i = Math.min(close + 1, n);
                    int at = skipSpace(sql, i);
                    if (hasAlias(sql, at)) {
                        int aliasStart = at;
                        if (sql.regionMatches(true, at, "as", 0, 2) && at + 2 < n && !Character.isLetterOrDigit(sql.charAt(at + 2))) {
                            aliasStart = skipSpace(sql, at + 2);
                        }
                        int aliasEnd = word(sql, aliasStart);
                        if (aliasEnd > aliasStart && skipSpace(sql, aliasEnd) < n && sql.charAt(skipSpace(sql, aliasEnd)) != '('
                                || aliasEnd > aliasStart && skipSpace(sql, aliasEnd) >= n) {
                            String alias = sql.substring(aliasStart, aliasEnd);
                            out.append(sql, i, aliasEnd).append('(').append(alias).append(')');
                            i = aliasEnd;
                        }
                    }
                    afterDot = false;
                    continue;
                }
                if (OVERRIDDEN.contains(name) && following != '.') {
                    boolean function = following == '(';
                    if (function != (name.equals("format_type") || name.equals("pg_get_indexdef"))) {
                        out.append(sql, nameStart, nameEnd);
                    } else {
                        out.append("pg_catalog.augur_").append(name);
                        if (!function && !hasAlias(sql, next)) {
                            out.append(' ').append(name);
                        }
                    }
                    i = nameEnd;
                } else {
                    out.append(sql, i, end);
                    i = end;
                }
                afterDot = false;
            } else if (ch == ':' && REG_CAST.matcher(sql).region(i, n).lookingAt()) {
                Matcher cast = REG_CAST.matcher(sql).region(i, n);
                cast.lookingAt();
                out.append("::INTEGER"); // an OID: H2 has no reg* types
                i = cast.end();
                afterDot = false;
            } else {
                out.append(ch);
                i++;
                if (ch == '.') {
                    afterDot = true;
                } else if (!Character.isWhitespace(ch)) {
                    afterDot = false;
                }
            }
        }
        return out.toString();
    }

    /** {@code c.oid::regclass}: PostgreSQL writes the table's name, H2 the number. */
    private static final Pattern OID_TO_REGCLASS = Pattern.compile(
            "(?i)(?<![\\w.$])([a-z_]\\w*(?:\\.[a-z_]\\w*)?)\\s*::\\s*(?:pg_catalog\\s*\\.\\s*)?regclass\\b");

    /** {@code SUBSCRIPT} and {@code OID_TO_REGCLASS} rewritten outside string literals and quoted names. */
    private static String subscripts(String sql) {
        if (sql.indexOf('[') < 0 && sql.indexOf("::") < 0) {
            return sql;
        }
        StringBuilder out = new StringBuilder();
        int i = 0;
        int n = sql.length();
        while (i < n) {
            int quote = i;
            while (quote < n && sql.charAt(quote) != '\'' && sql.charAt(quote) != '"') {
                quote++;
            }
            String part = SUBSCRIPT.matcher(sql.substring(i, quote)).replaceAll("CASE WHEN ($2) BETWEEN 1 AND CARDINALITY($1) THEN $1[$2] END");
            out.append(OID_TO_REGCLASS.matcher(part).replaceAll("pg_catalog.augur_regclass($1)"));
            if (quote >= n) {
                break;
            }
            char q = sql.charAt(quote);
            int end = quote + 1;
            while (end < n && sql.charAt(end) != q) {
                end++;
            }
            end = Math.min(end + 1, n);
            out.append(sql, quote, end);
            i = end;
        }
        return out.toString();
    }

    /** Whether a table alias (a name that is not a keyword, or AS) comes at {@code at}. */
    private static boolean hasAlias(String sql, int at) {
        if (at >= sql.length()) {
            return false;
        }
        char c = sql.charAt(at);
        if (c == '"') {
            return true;
        }
        if (!Character.isLetter(c) && c != '_') {
            return false;
        }
        String w = sql.substring(at, word(sql, at)).toLowerCase(Locale.ROOT);
        return !NOT_ALIASES.contains(w);
    }

    /** Where the parenthesis opened at {@code open} closes (string literals skipped), or the end. */
    private static int closingParen(String s, int open) {
        int depth = 0;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\'') {
                int end = s.indexOf('\'', i + 1);
                i = end < 0 ? s.length() : end;
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return i;
            }
        }
        return s.length();
    }

    private static int word(String s, int from) {
        int i = from;
        while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_' || s.charAt(i) == '$')) {
            i++;
        }
        return i;
    }

    private static int skipSpace(String s, int from) {
        int i = from;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }
}
