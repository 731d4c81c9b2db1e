package dev.augur.tests;

import dev.augur.sql.AugurDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * H2 2.3.232 compacts a file database when it closes, and that compaction can leave the file pointing at an older set
 * of chunks: the next open goes back to an earlier state, without an error (upstream 4247 and 4123). The crash harness
 * met it (acknowledged commits gone after a close and an open). Augur opens file databases with MAX_COMPACT_TIME 0, so
 * closing one compacts nothing; these tests require that of every way Augur opens one.
 */
class H2OpenSettingsTest {
    @TempDir
    Path dir;

    @Test
    void aFileDatabaseOpenedThroughTheDriverIsNotCompactedOnClose() throws Exception {
        String file = dir.resolve("settings").toString();
        try (Connection c = DriverManager.getConnection("jdbc:augur:h2:file:" + file + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE")) {
            assertThat(setting(c, "MAX_COMPACT_TIME")).as("compaction time on close").isEqualTo("0");
            assertThat(setting(c, "WRITE_DELAY")).as("commits written before they return").isEqualTo("0");
        }
        // a database opened first past the driver keeps H2's default: the driver cannot change it once open
        try (Connection plain = DriverManager.getConnection("jdbc:h2:file:" + file + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE");
             Connection augur = DriverManager.getConnection("jdbc:augur:h2:file:" + file + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE")) {
            assertThat(setting(plain, "MAX_COMPACT_TIME")).isEqualTo("200");
            assertThat(setting(augur, "MAX_COMPACT_TIME")).isEqualTo("200");
        }
    }

    /**
     * Without compaction on close, a database opened, changed and closed often only grows (H2 reclaims partly used
     * chunks by compacting, which its close no longer does). The driver compacts before the last session closes, so
     * the file stays near H2's own size; side by side with the same churn on plain H2 with MAX_COMPACT_TIME 0.
     */
    @Test
    void aDatabaseOpenedAndClosedOftenDoesNotGrowWithoutBound() throws Exception {
        long augur = churn("jdbc:augur:h2:file:" + dir.resolve("augur"), dir.resolve("augur.mv.db"));
        long uncompacted = churn("jdbc:h2:file:" + dir.resolve("plain") + ";MAX_COMPACT_TIME=0", dir.resolve("plain.mv.db"));
        System.out.println("after 25 open-change-close cycles: " + augur + " bytes through the driver, " + uncompacted
                + " bytes on plain H2 with MAX_COMPACT_TIME 0");
        assertThat(augur).as("file after 25 open-change-close cycles through the driver, against %d bytes uncompacted", uncompacted)
                .isLessThan(uncompacted / 3);
    }

    private static long churn(String url, Path file) throws Exception {
        for (int cycle = 0; cycle < 25; cycle++) {
            try (Connection c = DriverManager.getConnection(url + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE", "sa", "");
                 Statement st = c.createStatement()) {
                st.execute("CREATE TABLE IF NOT EXISTS churn (id INT PRIMARY KEY, v INT, pad VARCHAR(300))");
                st.execute("MERGE INTO churn SELECT \"X\", " + cycle + ", REPEAT('p', 250) FROM SYSTEM_RANGE(1, 4000)");
            }
        }
        return java.nio.file.Files.size(file);
    }

    @Test
    void onlyLocalFileUrlsGetTheSettingAndAnExplicitOneIsKept() {
        assertThat(AugurDriver.openUrl("jdbc:h2:file:/data/augur;MODE=PostgreSQL")).isEqualTo("jdbc:h2:file:/data/augur;MODE=PostgreSQL;MAX_COMPACT_TIME=0");
        assertThat(AugurDriver.openUrl("jdbc:h2:./data/augur")).isEqualTo("jdbc:h2:./data/augur;MAX_COMPACT_TIME=0");
        assertThat(AugurDriver.openUrl("jdbc:h2:mem:x")).isEqualTo("jdbc:h2:mem:x");
        assertThat(AugurDriver.openUrl("jdbc:h2:tcp://localhost:9092/augur")).isEqualTo("jdbc:h2:tcp://localhost:9092/augur");
        assertThat(AugurDriver.openUrl("jdbc:h2:file:/d/a;max_compact_time=500")).isEqualTo("jdbc:h2:file:/d/a;max_compact_time=500");
        assertThat(AugurDriver.openUrl("jdbc:postgresql://localhost/db")).isEqualTo("jdbc:postgresql://localhost/db");
    }

    private static String setting(Connection c, String name) throws Exception {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = '" + name + "'")) {
            assertThat(rs.next()).as("setting " + name).isTrue();
            return rs.getString(1);
        }
    }
}
