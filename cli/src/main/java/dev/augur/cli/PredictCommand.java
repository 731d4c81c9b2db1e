package dev.augur.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code augur predict "SELECT ..."}: one-off queries (or Augur statements) against the embedded database. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Run SQL (PREDICT queries or Augur statements) against the embedded database and print the result.")
final class PredictCommand implements Callable<Integer> {
    @Mixin
    DatabaseOptions db;

    @Option(names = "--user", defaultValue = "sa")
    String user;

    @Option(names = "--password", description = "the database's password (default: the one augur serve keeps in DATA/augur.password, if any)")
    String password;

    @Option(names = "--max-rows", defaultValue = "100", description = "rows to print at most (default: ${DEFAULT-VALUE})")
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
        try (Connection c = db.openAndMigrate(user, db.password(password)); Statement st = c.createStatement()) {
            st.setMaxRows(maxRows);
            for (String sql : statements) {
                if (st.execute(sql)) {
                    try (ResultSet rs = st.getResultSet()) {
                        print(rs);
                    }
                } else {
                    System.out.println(st.getUpdateCount() + " row(s)");
                }
            }
        }
        return 0;
    }

    static void print(ResultSet rs) throws java.sql.SQLException {
        ResultSetMetaData md = rs.getMetaData();
        int n = md.getColumnCount();
        List<String[]> rows = new ArrayList<>();
        String[] header = new String[n];
        int[] width = new int[n];
        for (int i = 0; i < n; i++) {
            header[i] = md.getColumnLabel(i + 1);
            width[i] = header[i].length();
        }
        while (rs.next()) {
            String[] row = new String[n];
            for (int i = 0; i < n; i++) {
                Object v = rs.getObject(i + 1);
                row[i] = v == null ? "NULL" : v.toString();
                width[i] = Math.min(80, Math.max(width[i], row[i].length()));
            }
            rows.add(row);
        }
        StringBuilder sb = new StringBuilder();
        line(sb, header, width);
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : "-+-").append("-".repeat(width[i]));
        }
        sb.append('\n');
        for (String[] row : rows) {
            line(sb, row, width);
        }
        sb.append("(").append(rows.size()).append(" row").append(rows.size() == 1 ? "" : "s").append(")\n");
        System.out.print(sb);
    }

    private static void line(StringBuilder sb, String[] cells, int[] width) {
        for (int i = 0; i < cells.length; i++) {
            String c = cells[i].length() > width[i] ? cells[i].substring(0, width[i] - 3) + "..." : cells[i];
            sb.append(i == 0 ? "" : " | ").append(String.format("%-" + width[i] + "s", c));
        }
        sb.append('\n');
    }
}
