package dev.augur.cli;

import dev.augur.sql.AugurDataSource;

import java.sql.Connection;
import java.sql.Statement;

/** The processes {@link H2CrashTest} kills: each prints what it has done, then waits for its kill. */
public final class CrashChild {
    private CrashChild() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[1];
        if (args[0].equals("plain-updates")) {
            plainUpdates(url);
            return;
        }
        try (Connection c = new AugurDataSource(url, "sa", "", null).getConnection(); Statement st = c.createStatement()) {
            switch (args[0]) {
                case "commit" -> {
                    st.execute("CREATE TABLE IF NOT EXISTS kept (n INT PRIMARY KEY)");
                    st.execute("INSERT INTO kept VALUES (" + args[2] + ")");
                    System.out.println("committed " + args[2]);
                }
                case "create-view" -> {
                    st.execute("CREATE TABLE IF NOT EXISTS big (id INT PRIMARY KEY, a DOUBLE PRECISION, b DOUBLE PRECISION, y INT)");
                    st.execute("DELETE FROM big");
                    st.execute("INSERT INTO big SELECT x, SIN(x), COS(x), CASE WHEN SIN(x) > COS(x) THEN 1 ELSE 0 END"
                            + " FROM SYSTEM_RANGE(1, 400000) r (x)");
                    st.execute("SELECT AUGUR.DEPLOY_MODEL('big_m', AUGUR.TRAIN_MODEL('big_m', 'logistic',"
                            + " 'SELECT a, b, y FROM big WHERE id <= 2000'))");
                    System.out.println("creating");
                    System.out.flush();
                    st.execute("SELECT AUGUR.CREATE_PREDICTION_VIEW('big_v', 'SELECT id, PREDICT(''big_m'', a, b) FROM big')");
                    System.out.println("created");
                }
                default -> throw new IllegalArgumentException(args[0]);
            }
            System.out.flush();
            Thread.sleep(600_000);
        }
    }

    /**
     * H2 alone, no Augur: transactions that each rewrite every row of an indexed table and bump a counter, committed
     * one after another until the process is killed. H2 2.5.252 left, after a kill -9, transactions half applied
     * (rows of two transactions) and committed ones partly lost, as did 2.5.250; 2.3.232 does not.
     */
    private static void plainUpdates(String url) throws Exception {
        try (Connection c = java.sql.DriverManager.getConnection(url, "sa", ""); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS t (id INT PRIMARY KEY, m DOUBLE PRECISION, v INT)");
            st.execute("CREATE INDEX IF NOT EXISTS t_m ON t (m)");
            st.execute("CREATE TABLE IF NOT EXISTS p (k INT PRIMARY KEY, v INT)");
            st.execute("MERGE INTO p KEY (k) VALUES (1, COALESCE((SELECT v FROM p WHERE k = 1), 0))");
            st.execute("INSERT INTO t SELECT x, 0, (SELECT v FROM p) FROM SYSTEM_RANGE(1, 20000) r (x) WHERE NOT EXISTS (SELECT 1 FROM t)");
            c.setAutoCommit(false);
            try (java.sql.PreparedStatement ps = c.prepareStatement("UPDATE t SET m = ?, v = ? WHERE id = ?")) {
                while (true) {
                    st.execute("UPDATE p SET v = v + 1");
                    int v;
                    try (java.sql.ResultSet rs = st.executeQuery("SELECT v FROM p")) {
                        rs.next();
                        v = rs.getInt(1);
                    }
                    for (int id = 1; id <= 20000; id++) {
                        ps.setDouble(1, Math.sin((double) v * id));
                        ps.setInt(2, v);
                        ps.setInt(3, id);
                        ps.addBatch();
                        if (id % 1000 == 0) {
                            ps.executeBatch();
                        }
                    }
                    c.commit();
                    System.out.println("committed " + v);
                    System.out.flush();
                }
            }
        }
    }
}
