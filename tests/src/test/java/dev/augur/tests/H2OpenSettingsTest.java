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
