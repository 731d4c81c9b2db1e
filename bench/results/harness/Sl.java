import dev.augur.sql.AugurDataSource;
import java.sql.*;
import java.util.*;
public class Sl {
  public static void main(String[] a) throws Exception {
    int rows = Integer.parseInt(a[0]); int batch = Integer.parseInt(a[1]); int secs = Integer.parseInt(a[2]);
    try (Connection c = new AugurDataSource("jdbc:h2:mem:sl;DB_CLOSE_DELAY=-1", "sa", "", null).getConnection(); Statement st = c.createStatement()) {
      StringJoiner cols = new StringJoiner(", "), names = new StringJoiner(", "), gen = new StringJoiner(", ");
      for (int i = 1; i <= 50; i++) { cols.add("x"+i+" DOUBLE PRECISION"); names.add("x"+i); gen.add("RAND() * 2 - 1"); }
      st.execute("CREATE TABLE ent (id INT PRIMARY KEY, " + cols + ")");
      st.execute("INSERT INTO ent SELECT X, " + gen + " FROM SYSTEM_RANGE(1, " + rows + ")");
      Random rnd = new Random(1); StringBuilder rule = new StringBuilder("0");
      for (int i = 1; i <= 50; i++) rule.append(" + ").append(String.format(Locale.ROOT, "%.4f", rnd.nextGaussian())).append(" * x").append(i);
      st.execute("CREATE TABLE ex (id INT NOT NULL, y INT NOT NULL)");
      int step = Math.max(1, rows / 20000);
      st.execute("INSERT INTO ex SELECT id, CASE WHEN (" + rule + ") * (CASE WHEN RAND() < 0.05 THEN -1 ELSE 1 END) > 0 THEN 1 ELSE 0 END FROM ent WHERE MOD(id, " + step + ") = 0");
      long t0 = System.nanoTime();
      st.execute("CREATE CLASSIFICATION VIEW dv KEY id ENTITIES FROM ent EXAMPLES FROM ex KEY id LABEL y FEATURE FUNCTION (" + names + ") USING svm WITH (learning_rate = 0.01, epochs = 3, tolerance = 0.05)");
      System.out.printf("created in %.1f s%n", (System.nanoTime()-t0)/1e9);
      st.execute("DELETE FROM AUGUR.VIEW_EVENTS");
      for (int round = 0; round < 2; round++) {
        long end = System.nanoTime() + secs * 1_000_000_000L; int ins = 0; int id = 900_000_000 + round * 1000000;
        long s0 = System.nanoTime();
        while (System.nanoTime() < end) {
          StringJoiner v = new StringJoiner(", ");
          for (int i = 0; i < batch; i++) { v.add("(" + (1 + (id % rows)) + ", " + (id % 2) + ")"); id++; }
          st.execute("INSERT INTO ex (id, y) VALUES " + v); ins += batch;
        }
        double s = (System.nanoTime() - s0) / 1e9;
        System.out.printf("round %d: %.2f examples/s (%d statements in %.1f s)%n", round, ins / s, ins / batch, s);
      }
      try (ResultSet rs = st.executeQuery("SELECT EVENT, COUNT(*), AVG(MILLIS), SUM(MILLIS), AVG(ROWS_WRITTEN), AVG(ROWS_RESCORED) FROM AUGUR.VIEW_EVENTS GROUP BY EVENT")) {
        while (rs.next()) System.out.printf("%-12s n=%d avg %.1f ms total %.0f ms written %.0f rescored %.0f%n", rs.getString(1), rs.getLong(2), rs.getDouble(3), rs.getDouble(4), rs.getDouble(5), rs.getDouble(6));
      }
    }
  }
}
