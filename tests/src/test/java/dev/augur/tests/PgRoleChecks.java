package dev.augur.tests;

import java.sql.Connection;
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

    static void denied(Connection c, String sql, String object) {
        assertThatThrownBy(() -> H2Db.scalar(c, sql)).as(sql).isInstanceOfSatisfying(SQLException.class, e -> {
            assertThat(e.getSQLState()).as(e.getMessage()).isEqualTo("42501");
            assertThat(e.getMessage()).contains(object);
        });
    }
}
