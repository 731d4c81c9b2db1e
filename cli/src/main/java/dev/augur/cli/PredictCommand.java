package dev.augur.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code augur predict "SELECT ..."}: one-off queries (or Augur statements) against the embedded database, or against
 * a running server: the one given with {@code --url}, else the {@code augur serve} that holds the database file.
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Run SQL (PREDICT queries or Augur statements) and print each result whole, as a table, CSV or JSON.",
                "Opens the embedded database in --data; while augur serve holds it, goes through that server"
                        + " (found in DATA/augur.server, with the password in DATA/augur.password); --url reaches any server."})
final class PredictCommand implements Callable<Integer> {
    /** How results are printed. */
    enum Format { table, csv, json }

    @Mixin
    DatabaseOptions db;

    @Option(names = "--url", paramLabel = "URL", description = "run against this server instead of the embedded database:"
            + " jdbc:augur:h2:tcp://HOST:PORT/augur, jdbc:h2:tcp://HOST:PORT/augur (as augur serve prints them) or"
            + " jdbc:postgresql://HOST:PORT/DB (plain pgjdbc; jdbc:augur:postgresql://... for Augur's statements);"
            + " the server applies migrations, predict does not")
    String url;

    @Option(names = "--user", paramLabel = "USER", description = "database user (default: sa, or the user in the --url or --postgres URL)")
    String user;

    @Option(names = "--password", paramLabel = "PASSWORD", description = "the database's password (default: the one augur serve"
            + " keeps in DATA/augur.password, if any; or the one in the URL)")
    String password;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table", description = "how to print results: table,"
            + " csv (RFC 4180, NULL as an empty field) or json (an array of objects per result set; numbers as numbers, NULL as"
            + " null); with csv and json, notes and row counts go to standard error (default: ${DEFAULT-VALUE})")
    Format format;

    @Option(names = "--max-rows", paramLabel = "N", defaultValue = "100", description = "rows to print at most per result, 0 for all"
            + " (default: ${DEFAULT-VALUE})")
    int maxRows;

    @Option(names = "--explain-backend", description = "say which scoring backend (CPU, CUDA) runs and why, then exit")
    boolean explainBackend;

    @Parameters(paramLabel = "SQL", arity = "0..*", description = "statements to run, in order")
    List<String> statements;

    @Override
    public Integer call() throws Exception {
        if (explainBackend) {
            dev.augur.engine.Scorers.explain().forEach(System.out::println);
            return 0;
        }
        if (statements == null || statements.isEmpty()) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "give at least one SQL statement");
        }
        PrintStream out = System.out;
        PrintStream notes = format == Format.table ? System.out : System.err;
        db.notes = notes;
        try (Connection c = connect(notes); Statement st = c.createStatement()) {
            if (maxRows > 0) {
                st.setMaxRows(maxRows + 1); // one more, to tell whether rows were left out
            }
            boolean first = true;
            for (String sql : statements) {
                if (st.execute(sql)) {
                    try (ResultSet rs = st.getResultSet()) {
                        Result r = read(rs, maxRows);
                        switch (format) {
                            case table -> out.print(table(r));
                            case csv -> out.print((first ? "" : "\r\n") + csv(r));
                            case json -> out.println(json(r));
                        }
                        first = false;
                        if (r.more()) {
                            notes.println("(only the first " + maxRows + " rows; --max-rows N prints more, 0 all)");
                        }
                    }
                } else {
                    notes.println(st.getUpdateCount() + " row(s)");
                }
            }
        }
        out.flush();
        return 0;
    }

    /** The connection: --url; else --postgres; else the embedded database, or the augur serve that holds it. */
    private Connection connect(PrintStream notes) throws SQLException {
        if (url != null) {
            return db.openRemote(url, user, password);
        }
        String pg = db.postgresUrl();
        if (pg != null) {
            // through Augur's driver, as migrate: Augur's statements work; the URL carries the user and password
            return new dev.augur.sql.AugurDataSource(pg, user, password, db.importBase()).getConnection();
        }
        String u = user == null ? "sa" : user;
        // a running augur serve holds the file: go through it rather than wait for H2's lock (error 90020)
        ServerFile.Entry server = db.runningServer();
        if (server == null) {
            try {
                return db.openAndMigrate(u, db.password(password));
            } catch (SQLException | RuntimeException e) {
                if (!DatabaseOptions.locked(e)) {
                    throw e;
                }
                server = db.runningServer(); // one that started meanwhile
                if (server == null) {
                    throw db.inUse(e);
                }
            }
        }
        System.err.println("augur serve (process " + server.pid() + ") holds " + db.dataDir() + "; running through it at "
                + server.tcpUrl());
        return db.openRemote(server.tcpUrl(), user == null ? server.user() : user, password);
    }

    /** A result read whole: labels, rows of plain values, and whether rows were left out (--max-rows). */
    record Result(List<String> labels, List<Object[]> rows, boolean more) {
    }

    static Result read(ResultSet rs, int maxRows) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        int n = md.getColumnCount();
        List<String> labels = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
            labels.add(md.getColumnLabel(i));
        }
        List<Object[]> rows = new ArrayList<>();
        boolean more = false;
        while (rs.next()) {
            if (maxRows > 0 && rows.size() == maxRows) {
                more = true;
                break;
            }
            Object[] row = new Object[n];
            for (int i = 0; i < n; i++) {
                row[i] = plain(rs.getObject(i + 1));
            }
            rows.add(row);
        }
        return new Result(labels, rows, more);
    }

    /** A JDBC value as a plain Java value: large objects read whole, bytes as PostgreSQL's hex text, arrays as lists. */
    static Object plain(Object v) throws SQLException {
        if (v instanceof Clob clob) {
            try (Reader r = clob.getCharacterStream()) {
                StringBuilder sb = new StringBuilder();
                char[] buf = new char[8192];
                for (int k; (k = r.read(buf)) > 0; ) {
                    sb.append(buf, 0, k);
                }
                return sb.toString();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (v instanceof java.sql.Blob blob) {
            v = blob.getBytes(1, (int) blob.length());
        }
        if (v instanceof byte[] bytes) {
            return "\\x" + HexFormat.of().formatHex(bytes);
        }
        if (v instanceof java.sql.Array array) {
            v = array.getArray();
        }
        if (v instanceof Object[] items) {
            List<Object> list = new ArrayList<>(items.length);
            for (Object item : items) {
                list.add(plain(item));
            }
            return list;
        }
        return v;
    }

    static String text(Object v) {
        return v == null ? "NULL" : v.toString();
    }

    /** Columns padded to their widest value, every value whole. */
    static String table(Result r) {
        int n = r.labels().size();
        int[] width = new int[n];
        for (int i = 0; i < n; i++) {
            width[i] = r.labels().get(i).length();
            for (Object[] row : r.rows()) {
                width[i] = Math.max(width[i], text(row[i]).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        line(sb, r.labels().toArray(), width);
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : "-+-").append("-".repeat(width[i]));
        }
        sb.append('\n');
        for (Object[] row : r.rows()) {
            line(sb, row, width);
        }
        int rows = r.rows().size();
        sb.append("(").append(rows).append(" row").append(rows == 1 ? "" : "s").append(")\n");
        return sb.toString();
    }

    private static void line(StringBuilder sb, Object[] cells, int[] width) {
        StringBuilder l = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            String c = text(cells[i]);
            l.append(i == 0 ? "" : " | ").append(c);
            if (i < cells.length - 1) {
                l.append(" ".repeat(width[i] - c.length()));
            }
        }
        sb.append(l).append('\n');
    }

    /** RFC 4180: a header record, then one record per row, CRLF after each; NULL an empty field, '' a quoted empty one. */
    static String csv(Result r) {
        StringBuilder sb = new StringBuilder();
        List<String> labels = r.labels();
        for (int i = 0; i < labels.size(); i++) {
            sb.append(i == 0 ? "" : ",").append(csvField(labels.get(i)));
        }
        sb.append("\r\n");
        for (Object[] row : r.rows()) {
            for (int i = 0; i < row.length; i++) {
                sb.append(i == 0 ? "" : ",").append(row[i] == null ? "" : csvField(row[i].toString()));
            }
            sb.append("\r\n");
        }
        return sb.toString();
    }

    private static String csvField(String s) {
        boolean quote = s.isEmpty() || s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\r') >= 0 || s.indexOf('\n') >= 0;
        return quote ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** An array with an object per row, keys the column labels; numbers and booleans as such, NULL as null, lists as arrays. */
    static String json(Result r) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        // keys are the labels; a label seen before gets _2, _3, ... so no column is lost
        List<String> keys = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String label : r.labels()) {
            String key = label;
            for (int k = 2; !seen.add(key); k++) {
                key = label + "_" + k;
            }
            keys.add(key);
        }
        ArrayNode array = f.arrayNode();
        for (Object[] row : r.rows()) {
            ObjectNode o = array.addObject();
            for (int i = 0; i < row.length; i++) {
                o.set(keys.get(i), node(f, row[i]));
            }
        }
        try {
            return JSON.writeValueAsString(array);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static com.fasterxml.jackson.databind.JsonNode node(JsonNodeFactory f, Object v) {
        if (v == null) {
            return f.nullNode();
        }
        if (v instanceof Boolean b) {
            return f.booleanNode(b);
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return f.numberNode(((Number) v).intValue());
        }
        if (v instanceof Long l) {
            return f.numberNode(l);
        }
        if (v instanceof BigInteger b) {
            return f.numberNode(b);
        }
        if (v instanceof BigDecimal b) {
            return f.numberNode(b);
        }
        if (v instanceof Float x) {
            return Float.isFinite(x) ? f.numberNode(x) : f.textNode(x.toString());
        }
        if (v instanceof Double d) {
            return Double.isFinite(d) ? f.numberNode(d) : f.textNode(d.toString());
        }
        if (v instanceof List<?> list) {
            ArrayNode a = f.arrayNode();
            list.forEach(item -> a.add(node(f, item)));
            return a;
        }
        return f.textNode(v.toString());
    }
}
