package dev.augur.tests;

import dev.augur.migrations.AugurCatalog;
import org.flywaydb.core.Flyway;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

/**
 * Augur's PostgreSQL catalog as commit 25032aa shipped it (test data: its scripts still carried every function body):
 * its V1..V6 scripts, and a database made with its V1..V7 (models, deployments, views of every kind), dumped with
 * pg_dump. The tests upgrade these in place with the current catalog. (A restored Augur database needs its view
 * rows pointed at the restored tables, see {@link #restoreDump}: that is so for every catalog up to now.)
 */
final class OldPgCatalog {
    private static final List<String> V1_TO_V6 = List.of("V1__augur_catalog.sql", "V2__model_events.sql", "V3__prediction_views.sql",
            "V4__fast_bag_of_words.sql", "V5__bag_of_words_views.sql", "V6__classification_and_hybrid_views.sql");

    private OldPgCatalog() {
    }

    /** Migrates the database at url (pgjdbc, a superuser) to 25032aa's catalog V6, with that commit's scripts. */
    static void migrateToV6(String url) throws IOException {
        Path dir = Files.createTempDirectory("augur-25032aa");
        try {
            for (String script : V1_TO_V6) {
                Files.writeString(dir.resolve(script), gunzip("/upgrade/postgresql-25032aa/" + script + ".gz"));
            }
            Flyway.configure(AugurCatalog.class.getClassLoader()).dataSource(url, null, null).schemas("augur")
                    .table(AugurCatalog.HISTORY_TABLE).locations("filesystem:" + dir).target("6")
                    .failOnMissingLocations(true).load().migrate();
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.collect(Collectors.toList())) {
                    Files.delete(f);
                }
            }
            Files.delete(dir);
        }
    }

    /**
     * Restores into the (empty) database at url the dump of 25032aa's catalog: tables t (id, a, b) and docs (id, body)
     * with labels (id, spam); dense logistic m@1..3 (m@1 deployed), bag-of-words logistic spam@1..2 (spam@1 deployed);
     * eager view ev, hybrid hy and lazy lz over m, eager bv over spam, classification view cv over docs and labels.
     */
    static void restoreDump(String url) throws SQLException, IOException {
        String dump = gunzip("/upgrade/postgresql-25032aa.sql.gz").lines().filter(l -> !l.startsWith("\\"))
                .collect(Collectors.joining("\n"));
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            // roles are the cluster's, not the dump's
            st.execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'augur_user') THEN CREATE ROLE augur_user NOLOGIN; END IF; "
                    + "IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'augur_admin') THEN CREATE ROLE augur_admin NOLOGIN; END IF; "
                    + "IF NOT pg_has_role('augur_admin', 'augur_user', 'MEMBER') THEN GRANT augur_user TO augur_admin; END IF; END $$");
            st.execute(dump);
        }
        // a restore gives the tables new oids, which augur.views holds and the generated functions have compiled in:
        // the old catalog's views follow their tables again once both are renewed (with the old catalog's own code)
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            st.execute("UPDATE augur.views SET base_relation = to_regclass(base_table), examples_relation = to_regclass(examples_table)");
            st.execute("SELECT augur.view_generate(name) FROM augur.views WHERE mode <> 'lazy'");
        }
    }

    private static String gunzip(String resource) throws IOException {
        try (InputStream in = OldPgCatalog.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new UncheckedIOException(new IOException("test resource " + resource + " is missing"));
            }
            return new String(new GZIPInputStream(in).readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
