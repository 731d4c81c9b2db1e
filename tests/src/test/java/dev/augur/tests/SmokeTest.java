package dev.augur.tests;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

class SmokeTest {
    @Test
    void trainDeployPredict() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:augur:h2:mem:smoke;DB_CLOSE_DELAY=-1");
             Statement st = c.createStatement()) {
            st.execute("CREATE TABLE T(ID INT PRIMARY KEY, A DOUBLE, B DOUBLE, Y DOUBLE)");
            st.execute("INSERT INTO T SELECT X, X, X * 2 % 7, 3 * X - 2 * (X * 2 % 7) + 5 FROM SYSTEM_RANGE(1, 200)");
            try (ResultSet rs = st.executeQuery("SELECT AUGUR.TRAIN_MODEL('m', 'linear', 'SELECT A, B, Y FROM T', '{\"epochs\": 30}')")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
            st.execute("DEPLOY MODEL m VERSION 1");
            try (ResultSet rs = st.executeQuery("SELECT PREDICT('m', A, B), Y FROM T WHERE ID = 10")) {
                rs.next();
                System.out.println(rs.getDouble(1) + " vs " + rs.getDouble(2));
                assertThat(rs.getDouble(1)).isCloseTo(rs.getDouble(2), org.assertj.core.data.Offset.offset(0.5));
            }
        }
    }
}
