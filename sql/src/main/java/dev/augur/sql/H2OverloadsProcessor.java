package dev.augur.sql;

import javax.annotation.processing.SupportedAnnotationTypes;
import java.io.IOException;
import java.io.Writer;
import java.util.StringJoiner;

/**
 * Writes the H2 binding's {@code dev.augur.udf.H2Functions} at build time from {@link SqlSurface}: for each function
 * of the PREDICT family, one overload per input count (1 to {@link SqlSurface#MAX_INPUTS}), as H2 tells overloaded
 * aliases apart only by their count, plus a varargs catch-all for any other count. Overloads, not one varargs method:
 * H2 fills a varargs array by reflection, one {@code Array.set} per input, which made PREDICT measurably slower per row
 * ({@code augur bench predict}). Run by the H2 binding's compiler (its pom names this processor); nothing it writes is
 * committed.
 */
@SupportedAnnotationTypes("*")
public final class H2OverloadsProcessor extends WriteOnceProcessor {
    private static final String PACKAGE = "dev.augur.udf";
    private static final String CLASS = "H2Functions";

    @Override
    void writeAll() throws IOException {
        try (Writer out = processingEnv.getFiler().createSourceFile(PACKAGE + "." + CLASS).openWriter()) {
            out.write(source());
        }
    }

    /** The Java source of the class. */
    static String source() {
        StringBuilder s = new StringBuilder();
        s.append("// Generated at build time by dev.augur.sql.H2OverloadsProcessor from dev.augur.sql.SqlSurface.\n")
                .append("package ").append(PACKAGE).append(";\n\n")
                .append("import org.h2.value.Value;\n\nimport java.sql.Connection;\nimport java.sql.SQLException;\n\n")
                .append("/** The PREDICT family as H2 aliases: the model checks the inputs' SQL types and count (see Predictions). */\n")
                .append("public final class ").append(CLASS).append(" {\n    private ").append(CLASS).append("() {\n    }\n");
        for (SqlSurface.Function f : SqlSurface.functions()) {
            if (f.family() != SqlSurface.Family.PREDICT) {
                continue;
            }
            String result = javaType(f.result());
            StringJoiner leading = new StringJoiner(", ");
            StringJoiner leadingArgs = new StringJoiner(", ");
            for (SqlSurface.Parameter p : f.parameters()) {
                leading.add(javaType(p.type()) + " " + p.name());
                leadingArgs.add(p.name());
            }
            for (int n = 1; n <= SqlSurface.MAX_INPUTS; n++) {
                StringJoiner params = new StringJoiner(", ");
                StringJoiner args = new StringJoiner(", ");
                for (int i = 1; i <= n; i++) {
                    params.add("Value x" + i);
                    args.add("x" + i);
                }
                s.append("\n    public static ").append(result).append(' ').append(f.camelName()).append("(Connection c, ")
                        .append(leading).append(", ").append(params).append(") throws SQLException {\n")
                        .append("        return Predictions.").append(f.camelName()).append("(c, ").append(leadingArgs)
                        .append(", new Value[]{").append(args).append("});\n    }\n");
            }
            s.append("\n    /** ").append(f.name()).append(" with no inputs or more than ").append(SqlSurface.MAX_INPUTS)
                    .append(": an error naming the model's inputs (22023). */\n")
                    .append("    public static ").append(result).append(' ').append(f.camelName())
                    .append("(Connection c, Value... args) throws SQLException {\n")
                    .append("        throw Predictions.inputCount(c, \"").append(f.name()).append("\", ")
                    .append(f.parameters().size()).append(", args);\n    }\n");
        }
        return s.append("}\n").toString();
    }

    private static String javaType(String sqlType) {
        return switch (sqlType) {
            case "text" -> "String";
            case "integer" -> "Integer";
            case "double precision" -> "Double";
            case "boolean" -> "Boolean";
            case "text[]" -> "String[]";
            case "double precision[]" -> "Double[]";
            default -> throw new IllegalArgumentException("no Java type for SQL type " + sqlType);
        };
    }
}
