package dev.augur.sql;

import dev.augur.engine.AugurException;
import dev.augur.engine.codec.ModelJson;
import dev.augur.engine.features.DenseFeatures;
import dev.augur.engine.model.Model;
import dev.augur.engine.model.ModelKind;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** The parser's numbers, nesting and IMPORT folder, without a database. */
class ExtensionStatementsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TRAIN = "TRAIN MODEL m KIND logistic FROM (SELECT a, b, c FROM t) WITH ";

    @Test
    void optionNumbersReachTheFunctionExactly() throws Exception {
        JsonNode o = options(TRAIN + "(seed = 9223372036854775807, l2 = 1e-5, learning_rate = 0.1, epochs = 10000)");
        assertThat(o.get("seed").asLong()).isEqualTo(Long.MAX_VALUE);
        assertThat(o.get("l2").asDouble()).isEqualTo(1e-5);
        assertThat(o.get("learning_rate").asDouble()).isEqualTo(0.1);
        assertThat(o.get("epochs").asInt()).isEqualTo(10000);
        JsonNode v = options("CREATE PREDICTION VIEW v AS SELECT id, PREDICT('m', a) FROM t WITH (tolerance = 0, mode = LAZY)");
        assertThat(v.get("mode").asText()).isEqualTo("lazy");
    }

    @Test
    void outOfRangeOptionsFailInTheParserNamingTheRange() {
        assertError(TRAIN + "(epochs = 4294967297)", "22023", "option epochs must be an integer between 1 and 10000, got 4294967297");
        assertError(TRAIN + "(epochs = 99999999999)", "22023", "got 99999999999");
        assertError(TRAIN + "(hash_bits = 4294967298)", "22023", "option hash_bits", "got 4294967298");
        assertError(TRAIN + "(seed = 9223372036854775808)", "22023", "option seed must be a 64-bit integer");
        assertError(TRAIN + "(l2 = 1e99999999999)", "22023", "option l2");
        assertError(TRAIN + "(epoch = 5)", "22023", "unknown training option 'epoch'");
        assertError("CREATE PREDICTION VIEW v AS SELECT id, PREDICT('m', a) FROM t WITH (tolerance = abc)", "22023",
                "option tolerance must be a finite number >= 0, got \"abc\"");
        assertError("CREATE CLASSIFICATION VIEW v KEY id ENTITIES FROM e EXAMPLES FROM x KEY id LABEL y FEATURE FUNCTION (a)"
                + " WITH (hash_bits = 25)", "22023", "option hash_bits must be an integer between 1 and 24, got 25");
        assertError("DEPLOY MODEL m VERSION 99999999999", "22023", "between 1 and 2147483647");
    }

    @Test
    void malformedNumbersAndRepeatedOptionsAreSyntaxErrors() {
        assertError(TRAIN + "(l2 = 1e-51e-5)", "42601", "position 69", "'1e-51e-5' is not a number");
        assertError(TRAIN + "(l2 = 1e)", "42601", "'1e' is not a number");
        assertError(TRAIN + "(epochs = 5, Epochs = 6)", "42601", "option epochs is given twice");
    }

    @Test
    void parenthesesDeeperThanTheLimitAre54001() {
        int max = ExtensionStatements.MAX_DEPTH;
        String ok = "TRAIN MODEL m KIND logistic FROM " + "(".repeat(max) + "SELECT a, c FROM t" + ")".repeat(max);
        assertThat(ExtensionStatements.translate(ok, null)).isPresent();
        String deep = "TRAIN MODEL m KIND logistic FROM " + "(".repeat(max + 1) + "SELECT a, c FROM t" + ")".repeat(max + 1);
        assertError(deep, "54001", "statement too complex", "nested more than 256 deep");
        assertError("CREATE PREDICTION VIEW v AS SELECT " + "(".repeat(100_000), "54001", "nested more than 256 deep");
        assertError("CREATE CLASSIFICATION VIEW v KEY id ENTITIES FROM e EXAMPLES FROM x KEY id LABEL y FEATURE FUNCTION "
                + "(".repeat(100_000), "54001", "statement too complex");
    }

    @Test
    void importReadsInsideTheImportFolderOnly(@TempDir Path dir) throws Exception {
        Path base = Files.createDirectories(dir.resolve("base"));
        Model m = Model.of("m", ModelKind.LINEAR, new DenseFeatures(List.of("x")), List.of(), new double[]{2}, new double[]{1});
        Files.writeString(base.resolve("m.json"), ModelJson.toJson(m.withName("inside")));
        Files.writeString(dir.resolve("outside.json"), ModelJson.toJson(m));
        Files.createSymbolicLink(base.resolve("link.json"), dir.resolve("outside.json"));
        Files.createDirectories(base.resolve("sub"));
        Files.writeString(base.resolve("sub/n.json"), "{\"secret\": \"hunter2\"}");

        String sql = ExtensionStatements.translate("IMPORT MODEL imp FROM 'm.json'", base).orElseThrow();
        assertThat(sql).startsWith("SELECT AUGUR.IMPORT_MODEL('imp', '").doesNotContain("inside");
        Matcher json = Pattern.compile("'(\\{.*})'\\)$").matcher(sql);
        assertThat(json.find()).isTrue();
        assertThat(ModelJson.fromJson(json.group(1))).isEqualTo(m.withName("imp"));
        assertThat(ExtensionStatements.translate("IMPORT MODEL imp FROM '" + base.resolve("m.json") + "'", base)).isPresent();

        for (String outside : new String[]{"../outside.json", dir.resolve("outside.json").toString(), "link.json", "sub/../../outside.json",
                "/etc/passwd", "../../../../../../../../../etc/passwd"}) {
            assertError("IMPORT MODEL imp FROM '" + outside + "'", base, "42501", "outside the import folder " + base.toRealPath());
        }
        assertError("IMPORT MODEL imp FROM 'nope.json'", base, "58030", "'nope.json' does not exist in the import folder");
        assertError("IMPORT MODEL imp FROM 'sub'", base, "58030", "is not a file");
        assertError("IMPORT MODEL imp FROM 'm\uD800.json'", base, "22023", "'m?.json' is not a valid file path");
        SQLException notAModel = assertError("IMPORT MODEL imp FROM 'sub/n.json'", base, "22032", "model file 'sub/n.json'",
                "missing field");
        assertThat(notAModel.getMessage()).doesNotContain("hunter2", "secret");
        // without an import folder, the working directory is the folder
        assertError("IMPORT MODEL imp FROM '/etc/passwd'", (Path) null, "42501", "outside the import folder");
    }

    private static JsonNode options(String sql) throws Exception {
        String out = ExtensionStatements.translate(sql, null).orElseThrow();
        Matcher m = Pattern.compile("'(\\{[^']*})'\\)$").matcher(out);
        assertThat(m.find()).as(out).isTrue();
        return JSON.readTree(m.group(1));
    }

    private static SQLException assertError(String sql, String state, String... parts) {
        return assertError(sql, (Path) null, state, parts);
    }

    /** Through the driver's rewriting, which turns the parser's errors into SQLExceptions. */
    private static SQLException assertError(String sql, Path base, String state, String... parts) {
        Throwable t = catchThrowable(() -> AugurDriver.rewrite(sql, base));
        assertThat(t).as(sql.length() > 200 ? sql.substring(0, 200) : sql).isInstanceOf(SQLException.class);
        SQLException e = (SQLException) t;
        assertThat(e.getSQLState()).as(e.getMessage()).isEqualTo(state);
        assertThat(e.getMessage()).contains(parts);
        assertThat(e.getCause()).isInstanceOf(AugurException.class);
        return e;
    }
}
