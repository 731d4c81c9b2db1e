package dev.augur.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code augur migrate --postgres URL}: installs the catalog and applies the user's migrations, TRAIN MODEL included. */
class PgMigrateTest {
    @Test
    void migrateInstallsTheCatalogAndAppliesUserMigrationsOnPostgres(@TempDir Path dir) throws Exception {
        String url = TestDb.newDatabase("mig");
        Path migrations = Files.createDirectories(dir.resolve("migrations"));
        Files.writeString(migrations.resolve("V1__points.sql"), "CREATE TABLE pts (a DOUBLE PRECISION, b DOUBLE PRECISION, y INT);\n"
                + "INSERT INTO pts VALUES (0.5, 1.0, 0), (2.0, -1.0, 1), (-1.5, 0.25, 0), (3.0, 2.0, 1);\n");
        Files.writeString(migrations.resolve("V2__model.sql"),
                "TRAIN MODEL m KIND logistic FROM (SELECT a, b, y FROM pts ORDER BY a);\nDEPLOY MODEL m;\n");
        Files.writeString(migrations.resolve("V3__m2.model.json"), "{\"name\":\"m2\",\"kind\":\"logistic\",\"features\":{\"type\":\"dense\",\"inputs\":[\"a\",\"b\"]},"
                + "\"classes\":[\"0\",\"1\"],\"weights\":[0.5,-1.25],\"bias\":0.1}");
        int rc = new CommandLine(new Main())
                .execute("migrate", "--postgres", url, "--migrations", migrations.toString());
        assertThat(rc).isZero();
        try (Connection c = DriverManager.getConnection(url)) {
            assertThat(TestDb.intValue(c, "SELECT COUNT(*) FROM augur.deployed")).isEqualTo(2);
            assertThat(TestDb.doubleValue(c, "SELECT PREDICT('m2', 1, 2)"))
                    .isCloseTo(TestDb.sigmoid(0.1 + 0.5 - 2.5), org.assertj.core.api.Assertions.within(1e-12));
            assertThat(TestDb.doubleValue(c, "SELECT PREDICT('m', 1, 2)")).isBetween(0.0, 1.0);
            // a second run applies nothing
            assertThat(new CommandLine(new Main())
                    .execute("migrate", "--postgres", url, "--migrations", migrations.toString())).isZero();
            assertThat(TestDb.intValue(c, "SELECT COUNT(*) FROM augur.models")).isEqualTo(2);
        }
    }
}
