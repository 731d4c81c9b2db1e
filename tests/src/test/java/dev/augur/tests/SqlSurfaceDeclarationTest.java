package dev.augur.tests;

import dev.augur.sql.SqlSurface;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SQL surface is declared once ({@link SqlSurface}); H2 gets its aliases rendered from that declaration, and
 * PostgreSQL's functions (SQL in the PostgreSQL binding) are held to it here: the same names in the same schemas,
 * with the same parameter types, the optional ones defaulted, and the model's inputs where the declaration says so.
 */
class SqlSurfaceDeclarationTest {
    @Test
    void h2DeclaresEveryFunctionOfTheSurface() throws Exception {
        try (Connection c = H2Db.open("surface");
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM INFORMATION_SCHEMA.ROUTINES WHERE ROUTINE_SCHEMA = ? AND ROUTINE_NAME = ?")) {
            for (SqlSurface.Function f : SqlSurface.functions()) {
                ps.setString(1, f.schema());
                ps.setString(2, f.name());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertThat(rs.getInt(1)).as(f.qualifiedName()).isPositive();
                }
            }
        }
    }

    @Test
    void postgresqlOffersTheDeclaredSignatures() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:augur:" + PgServer.newDatabase("surface").substring("jdbc:".length()));
             PreparedStatement ps = c.prepareStatement("SELECT pg_get_function_arguments(p.oid) FROM pg_proc p "
                     + "JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = ? AND p.proname = ?")) {
            for (SqlSurface.Function f : SqlSurface.functions()) {
                if (SqlSurface.NOT_YET_ON_POSTGRESQL.contains(f.qualifiedName())) {
                    continue; // listed where the surface is declared, so the gap stays visible
                }
                ps.setString(1, f.schema().toLowerCase(Locale.ROOT));
                ps.setString(2, f.name().toLowerCase(Locale.ROOT));
                List<String> overloads = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        overloads.add(typesOnly(rs.getString(1)));
                    }
                }
                if (!f.inputs()) {
                    assertThat(overloads).as(f.qualifiedName()).containsExactly(fixed(f));
                } else {
                    assertThat(overloads).as(f.qualifiedName() + " with one text input").contains(fixed(f) + ", text");
                    List<String> numbers = new ArrayList<>();
                    for (int n = 1; n <= SqlSurface.MAX_INPUTS; n++) {
                        numbers.add(fixed(f) + ", double precision".repeat(n));
                    }
                    assertThat(overloads.contains(fixed(f) + ", VARIADIC double precision[]") || overloads.containsAll(numbers))
                            .as(f.qualifiedName() + " takes 1 to " + SqlSurface.MAX_INPUTS + " numbers (VARIADIC, or an overload per count): "
                                    + overloads).isTrue();
                    assertThat(overloads).as(f.qualifiedName() + ": no overload beyond the declared limit")
                            .doesNotContain(fixed(f) + ", double precision".repeat(SqlSurface.MAX_INPUTS + 1));
                }
            }
        }
    }

    /** The declared parameters as PostgreSQL lists their types: the optional ones with a default. */
    private static String fixed(SqlSurface.Function f) {
        List<String> leading = new ArrayList<>();
        for (int i = 0; i < f.parameters().size(); i++) {
            String type = f.parameters().get(i).type();
            leading.add(i < f.required() ? type : type + " DEFAULT");
        }
        return String.join(", ", leading);
    }

    /** {@code p_name text, p_version integer DEFAULT NULL::integer} as {@code text, integer DEFAULT}. */
    private static String typesOnly(String arguments) {
        if (arguments.isBlank()) {
            return "";
        }
        return java.util.Arrays.stream(arguments.split(", "))
                .map(a -> {
                    String s = a.replaceAll(" DEFAULT .*", " DEFAULT");
                    boolean variadic = s.startsWith("VARIADIC ");
                    String rest = variadic ? s.substring("VARIADIC ".length()) : s;
                    String type = rest.substring(rest.indexOf(' ') + 1);
                    return (variadic ? "VARIADIC " : "") + type;
                })
                .collect(Collectors.joining(", "));
    }
}
