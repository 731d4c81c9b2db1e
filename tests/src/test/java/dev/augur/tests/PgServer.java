package dev.augur.tests;

import dev.augur.testkit.TestPostgres;
import org.junit.jupiter.api.Assumptions;

import java.sql.SQLException;

/**
 * The PostgreSQL server of the tests ({@link TestPostgres}: {@code AUGUR_TEST_PG_URL}, else a throw-away server);
 * without one, a test is skipped saying why. PostgreSQL refuses to run as root, so as root the throw-away server runs
 * as the {@code postgres} OS user.
 */
final class PgServer {
    private PgServer() {
    }

    static String url() {
        try {
            return TestPostgres.url();
        } catch (IllegalStateException e) {
            Assumptions.abort(e.getMessage());
            throw e;
        }
    }

    static String newDatabase(String prefix) throws SQLException {
        url();
        return TestPostgres.newDatabase(prefix);
    }

    static String withDatabase(String url, String db) {
        return TestPostgres.withDatabase(url, db);
    }
}
