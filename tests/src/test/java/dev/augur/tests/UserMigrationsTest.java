package dev.augur.tests;

import dev.augur.engine.AugurException;
import dev.augur.engine.codec.ModelJson;
import dev.augur.engine.features.BagOfWords;
import dev.augur.engine.model.Model;
import dev.augur.engine.model.ModelKind;
import dev.augur.migrations.UserMigrations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;

import static dev.augur.tests.H2Db.catalog;
import static dev.augur.tests.H2Db.count;
import static dev.augur.tests.H2Db.doubleValue;
import static dev.augur.tests.H2Db.intValue;
import static dev.augur.tests.H2Db.rows;
import static dev.augur.tests.H2Db.sigmoid;
import static dev.augur.tests.H2Db.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.within;

/**
 * A user's migrations folder applied by {@link UserMigrations}: SQL scripts with extension statements and model
 * files, with Flyway's history, checksums and all-or-nothing migrations (DESIGN.md "Who uses it and how").
 */
class UserMigrationsTest {
    private static final String HISTORY = "SELECT \"version\", \"success\" FROM \"flyway_schema_history\""
            + " WHERE \"version\" IS NOT NULL ORDER BY \"installed_rank\"";

    /** spam version 2: a bag of words over (cheap, pills, meeting, now), binary weights, not normalized. */
    static Model spamV2() {
        BagOfWords bow = new BagOfWords("body", BagOfWords.Weighting.BINARY, 1, 0, false,
                new String[]{"cheap", "pills", "meeting", "now"}, null);
        return Model.of("spam", ModelKind.LOGISTIC, bow, List.of("0", "1"), new double[]{2.0, 1.5, -2.5, 0.5},
                new double[]{-0.5});
    }

    /** V1 creates and fills EMAILS, V2 trains and deploys spam version 1, V3 registers and deploys version 2. */
    static void writeMigrations(Path dir) throws Exception {
        Files.writeString(dir.resolve("V1__emails.sql"), """
                CREATE TABLE EMAILS(ID INT PRIMARY KEY, BODY VARCHAR(200) NOT NULL, IS_SPAM INT NOT NULL);
                INSERT INTO EMAILS VALUES (1, 'Buy cheap pills now', 1), (2, 'Team meeting at noon', 0);
                INSERT INTO EMAILS SELECT X + 2, CASE WHEN MOD(X, 2) = 0 THEN 'cheap pills, best offer now'
                    ELSE 'agenda for the project meeting' END, CASE WHEN MOD(X, 2) = 0 THEN 1 ELSE 0 END
                    FROM SYSTEM_RANGE(1, 40);
                """, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("V2__train.sql"), """
                -- the spam filter, trained from the table above
                TRAIN MODEL spam KIND logistic FROM (SELECT body, is_spam FROM emails) WITH (epochs = 5, l2 = 1e-5);
                DEPLOY MODEL spam VERSION 1;
                """, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("V3__spam_v2.model.json"), ModelJson.toJson(spamV2()), StandardCharsets.UTF_8);
    }

    private static String h2Url(String name) {
        return "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1";
    }

    private static Connection connect(String name) throws Exception {
        return DriverManager.getConnection(H2Db.augurUrl(name), "sa", "");
    }

    @Test
    void appliesSqlScriptsWithExtensionStatementsAndModelFilesOnce(@TempDir Path dir) throws Exception {
        writeMigrations(dir);
        String db = H2Db.uniqueName("migrate");
        UserMigrations.Outcome first = UserMigrations.migrate(h2Url(db), "sa", "", dir);
        assertThat(first.applied()).isEqualTo(3);
        assertThat(first.schemaVersion()).isEqualTo("3");

        try (Connection c = connect(db)) {
            assertThat(count(c, "EMAILS")).isEqualTo(42);
            assertThat(rows(c, "SELECT VERSION, KIND, SOURCE FROM AUGUR.MODELS WHERE NAME = 'spam' ORDER BY VERSION"))
                    .containsExactly(List.of(1, "logistic", "train"), List.of(2, "logistic", "import"));
            assertThat(intValue(c, "SELECT VERSION FROM AUGUR.DEPLOYED WHERE NAME = 'spam'")).isEqualTo(2);
            assertThat(rows(c, "SELECT VERSION, PREVIOUS_VERSION, ACTION FROM AUGUR.DEPLOYMENTS ORDER BY ID"))
                    .containsExactly(java.util.Arrays.asList(1, null, "deploy"), List.of(2, 1, "deploy"));
            // V2's options reached the trainer
            assertThat(H2Db.json(c, "SELECT SPEC FROM AUGUR.MODELS WHERE VERSION = 1").path("training_options")
                    .path("epochs").asInt()).isEqualTo(5);
            // the deployed version is the model file's, exactly
            assertThat(doubleValue(c, "SELECT PREDICT('spam', 'Cheap PILLS now!')")).isCloseTo(sigmoid(-0.5 + 2 + 1.5 + 0.5),
                    within(1e-15));
            assertThat(doubleValue(c, "SELECT PREDICT('spam', 'meeting')")).isCloseTo(sigmoid(-3.0), within(1e-15));
            assertThat(H2Db.json(c, "SELECT AUGUR.EXPORT_MODEL('spam')"))
                    .isEqualTo(H2Db.JSON.readTree(ModelJson.toJson(spamV2())));
            // the trained version 1 is there, pinned, and learned the data
            assertThat(text(c, "SELECT PREDICT_LABEL('spam@1', 'cheap pills now')")).isEqualTo("1");
            assertThat(text(c, "SELECT PREDICT_LABEL('spam@1', 'project meeting agenda')")).isEqualTo("0");
            assertThat(rows(c, HISTORY)).containsExactly(List.of("1", true), List.of("2", true), List.of("3", true));
        }
        // a stock H2 connection (no jdbc:augur layer) can use what the migrations installed
        try (Connection plain = DriverManager.getConnection(h2Url(db), "sa", "")) {
            assertThat(text(plain, "SELECT PREDICT_LABEL('spam', BODY) FROM EMAILS WHERE ID = 1")).isEqualTo("1");
        }

        UserMigrations.Outcome again = UserMigrations.migrate(h2Url(db), "sa", "", dir);
        assertThat(again.applied()).isZero();
        try (Connection c = connect(db)) {
            assertThat(count(c, "AUGUR.MODELS")).isEqualTo(2);
            assertThat(rows(c, HISTORY)).hasSize(3);
        }
    }

    @Test
    void editingAnAppliedModelFileFailsValidation(@TempDir Path dir) throws Exception {
        writeMigrations(dir);
        String db = H2Db.uniqueName("migrate_edit");
        assertThat(UserMigrations.migrate(h2Url(db), "sa", "", dir).applied()).isEqualTo(3);
        List<List<Object>> before;
        try (Connection c = connect(db)) {
            before = catalog(c);
        }
        Path modelFile = dir.resolve("V3__spam_v2.model.json");
        String json = Files.readString(modelFile, StandardCharsets.UTF_8);
        assertThat(json).contains("[2.0,1.5,-2.5,0.5]");
        Files.writeString(modelFile, json.replace("[2.0,1.5,-2.5,0.5]", "[2.0,1.5,-2.5,0.75]"), StandardCharsets.UTF_8);

        Throwable t = catchThrowable(() -> UserMigrations.migrate(h2Url(db), "sa", "", dir));
        assertThat(t).isInstanceOf(AugurException.class);
        assertThat(((AugurException) t).sqlState()).isEqualTo("2F000");
        assertThat(t.getMessage()).containsIgnoringCase("checksum").contains("3");
        try (Connection c = connect(db)) {
            assertThat(catalog(c)).isEqualTo(before);
            assertThat(doubleValue(c, "SELECT PREDICT('spam', 'now')")).isCloseTo(sigmoid(0.0), within(1e-15));
        }

        // a whitespace-only reformatting of the same model is not an edit: the checksum is the model's hash
        Files.writeString(modelFile, json.replace(",", ", ").replace("{", "{\n  "), StandardCharsets.UTF_8);
        assertThat(UserMigrations.migrate(h2Url(db), "sa", "", dir).applied()).isZero();
    }

    @Test
    void aMigrationThatFailsHalfwayLeavesNoTrace(@TempDir Path dir) throws Exception {
        writeMigrations(dir);
        String db = H2Db.uniqueName("migrate_fail");
        assertThat(UserMigrations.migrate(h2Url(db), "sa", "", dir).applied()).isEqualTo(3);
        List<List<Object>> before;
        try (Connection c = connect(db)) {
            before = catalog(c);
        }
        // DML and Augur statements only: H2 commits DDL on its own, so a DDL step could never be undone
        Files.writeString(dir.resolve("V4__bad.sql"), """
                TRAIN MODEL spam KIND svm FROM (SELECT body, is_spam FROM emails);
                DEPLOY MODEL spam;
                INSERT INTO EMAILS VALUES (100, 'a new mail', 0);
                INSERT INTO EMAILS VALUES (1, 'the primary key 1 is taken', 0);
                """, StandardCharsets.UTF_8);
        Throwable t = catchThrowable(() -> UserMigrations.migrate(h2Url(db), "sa", "", dir));
        assertThat(t).isInstanceOf(AugurException.class);
        // the SQLSTATE of the statement that failed: a unique violation
        assertThat(((AugurException) t).sqlState()).isEqualTo("23505");
        // the failing statement is the last one, so the TRAIN, DEPLOY and first INSERT before it did run
        assertThat(t.getMessage()).contains("V4__bad.sql", "migration failed", "the primary key 1 is taken");
        try (Connection c = connect(db)) {
            assertThat(catalog(c)).as("models, payloads, deployment and its history").isEqualTo(before);
            assertThat(intValue(c, "SELECT MAX(VERSION) FROM AUGUR.MODELS WHERE NAME = 'spam'")).isEqualTo(2);
            assertThat(intValue(c, "SELECT VERSION FROM AUGUR.DEPLOYED WHERE NAME = 'spam'")).isEqualTo(2);
            assertThat(count(c, "EMAILS")).isEqualTo(42);
            assertThat(rows(c, HISTORY)).doesNotContain(List.of("4", true));
            assertThat(doubleValue(c, "SELECT PREDICT('spam', 'cheap')")).isCloseTo(sigmoid(1.5), within(1e-15));
        }
    }

    @Test
    void aMissingFolderAppliesNothing(@TempDir Path dir) {
        UserMigrations.Outcome outcome = UserMigrations.migrate(h2Url(H2Db.uniqueName("migrate_none")), "sa", "",
                dir.resolve("does-not-exist"));
        assertThat(outcome.applied()).isZero();
        assertThat(outcome.schemaVersion()).isNull();
    }

    /**
     * The folder that made {@code ./augur serve} fail (the migrations module: Flyway found Augur's V1 twice, in the
     * sources and in target/classes) and its like are refused before anything runs, naming what they hold.
     */
    @Test
    void refusesAFolderHoldingAugursCatalogOrAMavenModuleOrItsBuildOutput(@TempDir Path dir) throws Exception {
        Path root = Path.of(System.getProperty("augur.root", ".")).toAbsolutePath().normalize();
        Path module = root.resolve("migrations");
        assertThat(module.resolve("src/main/resources/dev/augur/migrations/h2/V1__augur_catalog.sql")).exists();
        assertRefused(module, "Augur's own catalog scripts", "a Maven module");
        assertRefused(module.resolve("src/main/resources"), "Augur's own catalog scripts");
        assertRefused(module.resolve("src/main/resources/dev/augur/migrations/h2"), "Augur's own catalog scripts");

        Path build = Files.createDirectories(dir.resolve("build/target/classes"));
        Files.writeString(build.resolve("V1__t.sql"), "CREATE TABLE T(ID INT);", StandardCharsets.UTF_8);
        assertRefused(dir.resolve("build"), "a Maven build folder");
        Path pom = Files.createDirectories(dir.resolve("pom"));
        Files.writeString(pom.resolve("pom.xml"), "<project/>", StandardCharsets.UTF_8);
        assertRefused(pom, "a Maven module");
        Path copy = Files.createDirectories(dir.resolve("copy"));
        Files.writeString(copy.resolve("V1__augur_catalog.sql"), "CREATE SCHEMA AUGUR;", StandardCharsets.UTF_8);
        assertRefused(copy, "Augur's own catalog scripts");

        // nothing ran: not even Augur's catalog was installed by the refused migrate
        String db = H2Db.uniqueName("migrate_refused");
        assertThat(catchThrowable(() -> UserMigrations.migrate(h2Url(db), "sa", "", module))).isInstanceOf(AugurException.class);
        try (Connection plain = DriverManager.getConnection(h2Url(db), "sa", "")) {
            assertThat(H2Db.intValue(plain, "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA <> 'INFORMATION_SCHEMA'"))
                    .isZero();
        }
        // a folder of one's own passes, wherever it is
        Path own = Files.createDirectories(dir.resolve("db/migrations"));
        writeMigrations(own);
        UserMigrations.checkFolder(own);
    }

    private static void assertRefused(Path folder, String... holds) {
        Throwable t = catchThrowable(() -> UserMigrations.checkFolder(folder));
        assertThat(t).as(folder.toString()).isInstanceOf(AugurException.class);
        assertThat(((AugurException) t).sqlState()).isEqualTo("22023");
        assertThat(t.getMessage()).contains("the migrations folder " + folder).contains(holds).contains("use a folder of your own");
    }

    /** README's example folder applies, and its model and prediction view answer. */
    @Test
    void theExampleMigrationsApply() throws Exception {
        Path examples = Path.of(System.getProperty("augur.root", "."), "examples", "migrations");
        String db = H2Db.uniqueName("migrate_example");
        UserMigrations.Outcome outcome = UserMigrations.migrate(h2Url(db), "sa", "", examples);
        assertThat(outcome.applied()).isEqualTo(1);
        try (Connection c = connect(db)) {
            assertThat(text(c, "SELECT PREDICT_LABEL('example_spam', 'buy cheap pills now')")).isEqualTo("1");
            assertThat(text(c, "SELECT PREDICT_LABEL('example_spam', 'agenda of the meeting')")).isEqualTo("0");
            assertThat(count(c, "EXAMPLE_SCORES")).isEqualTo(8);
            assertThat(intValue(c, "SELECT COUNT(*) FROM EXAMPLE_SCORES s JOIN EXAMPLE_MAILS m ON m.ID = s.ID"
                    + " WHERE s.LABEL = CAST(m.IS_SPAM AS VARCHAR)")).isEqualTo(8);
        }
    }
}
