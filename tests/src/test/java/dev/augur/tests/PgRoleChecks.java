package dev.augur.tests;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the PostgreSQL privilege tests share: connecting as a role, and asserting a refusal (42501 naming the object). */
final class PgRoleChecks {
    private PgRoleChecks() {
    }

    /** The throw-away server's URL for {@code role} instead of the superuser. */
    static String as(String url, String role) {
        return url.replace("user=postgres", "user=" + role);
    }

    /** A unique suffix for role names (roles are the server's, shared by every test database). */
    static String roleSuffix() {
        return "_" + ProcessHandle.current().pid() + "_" + System.nanoTime() % 1000000;
    }

    /** The superuser's connection through the jdbc:augur: driver (which installs the catalog). */
    static Connection superuser(String url) throws SQLException {
        return DriverManager.getConnection("jdbc:augur:" + url.substring("jdbc:".length()));
    }

    /** Whether {@code role} is a superuser now (what an escalation would have made it). */
    static boolean isSuperuser(Connection su, String role) throws SQLException {
        return Boolean.TRUE.equals(H2Db.scalar(su, "SELECT rolsuper FROM pg_roles WHERE rolname = ?", role));
    }

    static void denied(Connection c, String sql, String object) {
        assertThatThrownBy(() -> H2Db.scalar(c, sql)).as(sql).isInstanceOfSatisfying(SQLException.class, e -> {
            assertThat(e.getSQLState()).as(e.getMessage()).isEqualTo("42501");
            assertThat(e.getMessage()).contains(object);
        });
    }
}
