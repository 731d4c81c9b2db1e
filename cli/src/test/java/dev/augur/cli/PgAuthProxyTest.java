package dev.augur.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The proxy's rewriting of H2's ErrorResponse fields and its reading of a StartupMessage. */
class PgAuthProxyTest {
    @Test
    void anH2MessageLosesTheStatementAndTheErrorCode() {
        assertThat(PgAuthProxy.cleanMessage("Column \"nope\" not found; SQL statement:\nselect nope [42122-252]"))
                .isEqualTo("Column \"nope\" not found");
        assertThat(PgAuthProxy.cleanMessage("Syntax error in SQL statement \"[*]selec 1\"; expected \"SAVEPOINT, SCRIPT\"; SQL statement:\nselec 1 [42001-252]"))
                .isEqualTo("Syntax error in SQL statement \"[*]selec 1\"; expected \"SAVEPOINT, SCRIPT\"");
        assertThat(PgAuthProxy.cleanMessage("Database is already closed [90121-252]")).isEqualTo("Database is already closed");
        assertThat(PgAuthProxy.cleanMessage("unknown model 'm' (known models: a, b)")).isEqualTo("unknown model 'm' (known models: a, b)");
        // a statement that itself holds brackets keeps them: only the trailing [code-build] goes
        assertThat(PgAuthProxy.cleanMessage("Value too long for column \"x[1]\" [22001-252]")).isEqualTo("Value too long for column \"x[1]\"");
    }

    @Test
    void anErrorResponseKeepsItsSqlStateAndLosesTheJavaDetail() {
        byte[] in = fields(Map.of('S', "ERROR", 'C', "42S22",
                'M', "Column \"nope\" not found; SQL statement:\nselect nope [42122-252]",
                'D', "org.h2.jdbc.JdbcSQLSyntaxErrorException: Column \"nope\" not found; SQL statement:\nselect nope [42122-252]"));
        Map<Character, String> out = parse(PgAuthProxy.cleanError(in));
        assertThat(out).containsExactly(Map.entry('S', "ERROR"), Map.entry('C', "42S22"), Map.entry('M', "Column \"nope\" not found"));
        // a detail that says something else stays
        Map<Character, String> kept = parse(PgAuthProxy.cleanError(fields(Map.of('C', "22023", 'M', "bad", 'D', "the model has 2 inputs"))));
        assertThat(kept).containsEntry('D', "the model has 2 inputs");
        // UTF-8 passes whole
        assertThat(parse(PgAuthProxy.cleanError(fields(Map.of('M', "modèle « m » inconnu [90000-252]"))))).containsEntry('M', "modèle « m » inconnu");
    }

    @Test
    void aStartupMessageGivesItsParameters() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(0);
        b.write(3);
        b.write(0);
        b.write(0);
        for (String s : new String[]{"user", "sa", "database", "augur", "application_name", "psql ü"}) {
            b.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            b.write(0);
        }
        b.write(0);
        assertThat(PgAuthProxy.parameters(b.toByteArray()))
                .containsExactly(Map.entry("user", "sa"), Map.entry("database", "augur"), Map.entry("application_name", "psql ü"));
    }

    private static byte[] fields(Map<Character, String> fields) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        // a fixed order: S, C, M, D as H2 writes them
        for (char f : new char[]{'S', 'C', 'M', 'D'}) {
            if (fields.containsKey(f)) {
                b.write(f);
                b.writeBytes(fields.get(f).getBytes(StandardCharsets.UTF_8));
                b.write(0);
            }
        }
        b.write(0);
        return b.toByteArray();
    }

    private static Map<Character, String> parse(byte[] body) {
        Map<Character, String> out = new LinkedHashMap<>();
        int i = 0;
        while (body[i] != 0) {
            char f = (char) body[i++];
            int end = i;
            while (body[end] != 0) {
                end++;
            }
            out.put(f, new String(body, i, end - i, StandardCharsets.UTF_8));
            i = end + 1;
        }
        assertThat(i).isEqualTo(body.length - 1);
        return out;
    }
}
