package dev.augur.udf;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * PostgreSQL catalog functions that H2's PostgreSQL emulation lacks, for stock clients (pgjdbc's DatabaseMetaData,
 * psql's meta-commands, SQLAlchemy): installed in {@code pg_catalog} by {@code augur serve}
 * ({@code dev/augur/cli/pg_compat.sql}).
 */
public final class PgCompat {
    private PgCompat() {
    }

    /** PostgreSQL's type names by OID (H2's pg_type says INTEGER, CHARACTER VARYING, ...). */
    private static final Map<Integer, String> TYPE_NAMES = Map.ofEntries(
            Map.entry(16, "bool"), Map.entry(17, "bytea"), Map.entry(18, "char"), Map.entry(19, "name"),
            Map.entry(20, "int8"), Map.entry(21, "int2"), Map.entry(22, "int2vector"), Map.entry(23, "int4"),
            Map.entry(24, "regproc"), Map.entry(25, "text"), Map.entry(26, "oid"), Map.entry(114, "json"),
            Map.entry(700, "float4"), Map.entry(701, "float8"), Map.entry(705, "unknown"), Map.entry(1000, "_bool"),
            Map.entry(1005, "_int2"), Map.entry(1007, "_int4"), Map.entry(1009, "_text"), Map.entry(1014, "_bpchar"),
            Map.entry(1015, "_varchar"), Map.entry(1016, "_int8"), Map.entry(1021, "_float4"), Map.entry(1022, "_float8"),
            Map.entry(1042, "bpchar"), Map.entry(1043, "varchar"), Map.entry(1082, "date"), Map.entry(1083, "time"),
            Map.entry(1114, "timestamp"), Map.entry(1184, "timestamptz"), Map.entry(1186, "interval"),
            Map.entry(1231, "_numeric"), Map.entry(1266, "timetz"), Map.entry(1700, "numeric"), Map.entry(2205, "regclass"),
            Map.entry(2206, "regtype"), Map.entry(2950, "uuid"), Map.entry(3802, "jsonb"));

    /**
     * The rows of H2's {@code pg_catalog.pg_attribute}, as H2 builds them, without its NullPointerException: H2 2.3.232
     * iterates every table's indexes, and a view has none (null), so any view in the database (Augur's lazy and
     * hybrid views, these compatibility views) broke {@code pg_attribute} and with it psql's {@code \d} and SQLAlchemy.
     */
    public static ResultSet pgAttributeRows(Connection conn) throws SQLException {
        // lower-case names: the served database folds unquoted identifiers to lower case
        org.h2.tools.SimpleResultSet rs = new org.h2.tools.SimpleResultSet();
        for (String c : new String[]{"oid", "attrelid"}) {
            rs.addColumn(c, java.sql.Types.INTEGER, 10, 0);
        }
        rs.addColumn("attname", java.sql.Types.VARCHAR, Integer.MAX_VALUE, 0);
        for (String c : new String[]{"atttypid", "attlen", "attnum", "atttypmod"}) {
            rs.addColumn(c, java.sql.Types.INTEGER, 10, 0);
        }
        for (String c : new String[]{"attnotnull", "attisdropped", "atthasdef"}) {
            rs.addColumn(c, java.sql.Types.BOOLEAN, 1, 0);
        }
        if ("jdbc:columnlist:connection".equals(conn.getMetaData().getURL())) {
            return rs; // H2 asks once for the columns only
        }
        H2Internals.addAttributeRows(conn, rs);
        return rs;
    }

    /** The PostgreSQL name of a type OID; H2's name, lower case, where PostgreSQL has none. */
    public static String typeName(Integer oid, String h2Name) {
        String name = oid == null ? null : TYPE_NAMES.get(oid);
        return name != null ? name : h2Name == null ? null : h2Name.toLowerCase(Locale.ROOT);
    }

    /** The OID of an information_schema data type name ({@code character varying}: 1043); 0 where unknown. */
    public static int typeOid(String dataType) {
        if (dataType == null) {
            return 0;
        }
        String t = dataType.toLowerCase(Locale.ROOT);
        if (t.endsWith(" array")) {
            return switch (typeOid(t.substring(0, t.length() - 6))) {
                case 16 -> 1000; case 21 -> 1005; case 23 -> 1007; case 20 -> 1016; case 700 -> 1021; case 701 -> 1022;
                case 1700 -> 1231; default -> 1015;
            };
        }
        return switch (t) {
            case "boolean" -> 16;
            case "binary varying", "binary large object", "binary", "varbinary" -> 17;
            case "bigint" -> 20;
            case "smallint", "tinyint" -> 21;
            case "integer" -> 23;
            case "character large object", "clob", "text" -> 25;
            case "json" -> 114;
            case "real" -> 700;
            case "double precision", "float" -> 701;
            case "character" -> 1042;
            case "character varying", "varchar_ignorecase" -> 1043;
            case "date" -> 1082;
            case "time" -> 1083;
            case "timestamp" -> 1114;
            case "timestamp with time zone" -> 1184;
            case "interval" -> 1186;
            case "time with time zone" -> 1266;
            case "numeric", "decimal", "decfloat" -> 1700;
            case "uuid" -> 2950;
            case "java_object", "other" -> 0;
            default -> t.startsWith("interval") ? 1186 : 0;
        };
    }

    /** {@code current_schemas(include_implicit)}: the search path, {@code pg_catalog} first where implicit ones are asked for. */
    public static String[] currentSchemas(Connection conn, Boolean includeImplicit) throws SQLException {
        List<String> schemas = new ArrayList<>();
        if (Boolean.TRUE.equals(includeImplicit)) {
            schemas.add("pg_catalog");
        }
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT CURRENT_SCHEMA")) {
            if (rs.next() && rs.getString(1) != null && !schemas.contains(rs.getString(1))) {
                schemas.add(rs.getString(1));
            }
        }
        return schemas.toArray(new String[0]);
    }

    /** {@code array_upper(array, dimension)}: the upper bound of a one-dimensional array (null for an empty one). */
    public static Integer arrayUpper(java.sql.Array array, Integer dimension) throws SQLException {
        Object[] elements = array == null ? null : (Object[]) array.getArray();
        return elements == null || elements.length == 0 || dimension == null || dimension != 1 ? null : elements.length;
    }

    /** {@code pg_get_function_result(oid)}: the result type of the routine with this pg_proc OID. */
    public static String functionResult(Connection conn, Integer oid) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(
                "SELECT r.data_type FROM pg_catalog.augur_pg_proc p JOIN information_schema.routines r"
                        + " ON r.specific_schema = p.specific_schema AND r.specific_name = p.specific_name WHERE p.oid = ?")) {
            ps.setObject(1, oid);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? pgTypeText(rs.getString(1)) : null;
            }
        }
    }

    /** {@code pg_get_function_arguments(oid)}: the routine's arguments, {@code name type, ...}. */
    public static String functionArguments(Connection conn, Integer oid) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(
                "SELECT a.parameter_name, a.data_type FROM pg_catalog.augur_pg_proc p JOIN information_schema.parameters a"
                        + " ON a.specific_schema = p.specific_schema AND a.specific_name = p.specific_name WHERE p.oid = ?"
                        + " ORDER BY a.ordinal_position")) {
            ps.setObject(1, oid);
            try (ResultSet rs = ps.executeQuery()) {
                StringBuilder b = new StringBuilder();
                while (rs.next()) {
                    if (b.length() > 0) {
                        b.append(", ");
                    }
                    String name = rs.getString(1);
                    if (name != null && !name.isEmpty() && !name.matches("P\\d+")) {
                        b.append(name).append(' ');
                    }
                    b.append(pgTypeText(rs.getString(2)));
                }
                return b.toString();
            }
        }
    }

    /** {@code format_type(oid, typmod)}: the type as PostgreSQL writes it ({@code integer}, {@code character varying(40)}). */
    public static String formatType(Integer oid, Integer typmod) {
        if (oid == null) {
            return null;
        }
        String base = switch (oid) {
            case 16 -> "boolean"; case 17 -> "bytea"; case 20 -> "bigint"; case 21 -> "smallint"; case 23 -> "integer";
            case 25 -> "text"; case 700 -> "real"; case 701 -> "double precision"; case 1042 -> "character";
            case 1043 -> "character varying"; case 1082 -> "date"; case 1083 -> "time without time zone";
            case 1114 -> "timestamp without time zone"; case 1184 -> "timestamp with time zone"; case 1186 -> "interval";
            case 1266 -> "time with time zone"; case 1700 -> "numeric"; case 2950 -> "uuid"; case 114 -> "json";
            case 3802 -> "jsonb"; case 1007 -> "integer[]"; case 1015 -> "character varying[]"; case 1022 -> "double precision[]";
            default -> typeName(oid, "???");
        };
        if (typmod != null && typmod > 4 && (oid == 1042 || oid == 1043)) {
            return base + "(" + (typmod - 4) + ")";
        }
        if (typmod != null && typmod > 4 && oid == 1700) {
            int t = typmod - 4;
            return base + "(" + ((t >> 16) & 0xffff) + "," + (t & 0xffff) + ")";
        }
        return base;
    }

    /** {@code 'name'::regtype}: the OID of a type name ({@code pg_catalog.} optional), 0 where unknown. */
    public static int regtype(String name) {
        if (name == null) {
            return 0;
        }
        String n = name.toLowerCase(Locale.ROOT).replace("pg_catalog.", "").replace("\"", "");
        for (Map.Entry<Integer, String> e : TYPE_NAMES.entrySet()) {
            if (e.getValue().equals(n)) {
                return e.getKey();
            }
        }
        int oid = typeOid(n);
        return oid != 0 ? oid : n.equals("trigger") ? 2279 : 0;
    }

    /** {@code pg_function_is_visible(oid)}, {@code pg_type_is_visible(oid)}: every routine and type is (H2 resolves them by schema and the search path). */
    public static Boolean functionIsVisible(Integer oid) {
        return oid == null ? null : Boolean.TRUE;
    }

    /** {@code col_description(table oid, column number)}: the column's comment (COMMENT ON COLUMN), or null. */
    public static String columnDescription(Connection conn, Integer table, Integer column) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("SELECT col.remarks FROM pg_catalog.augur_pg_attribute_rows() a"
                + " JOIN pg_catalog.pg_class t ON t.oid = a.attrelid JOIN pg_catalog.pg_namespace n ON n.id = t.relnamespace"
                + " JOIN information_schema.columns col ON col.table_schema = n.nspname AND col.table_name = t.relname"
                + " AND col.column_name = a.attname WHERE a.attrelid = ? AND a.attnum = ?")) {
            ps.setObject(1, table);
            ps.setObject(2, column);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getString(1) != null && !rs.getString(1).isEmpty() ? rs.getString(1) : null;
            }
        }
    }

    /** {@code pg_table_size(oid)} and its kin: H2 does not tell a table's size on disk; 0. */
    public static Long relationSize(Integer oid) {
        return oid == null ? null : 0L;
    }

    /** {@code pg_size_pretty(bytes)}: {@code 8192 bytes}, {@code 12 kB}, {@code 3 MB}, as PostgreSQL writes them. */
    public static String sizePretty(Long bytes) {
        if (bytes == null) {
            return null;
        }
        String[] units = {"bytes", "kB", "MB", "GB", "TB"};
        long size = bytes;
        int unit = 0;
        while (Math.abs(size) >= 10 * 1024 && unit < units.length - 1) {
            size = (size + 512) / 1024;
            unit++;
        }
        return size + " " + units[unit];
    }

    /** {@code pg_get_constraintdef(oid[, pretty])}: {@code PRIMARY KEY (id)}, {@code FOREIGN KEY (cid) REFERENCES customers(id)}... */
    public static String constraintDef(Connection conn, Integer oid, Boolean pretty) throws SQLException {
        String schema;
        String name;
        String type;
        try (PreparedStatement ps = conn.prepareStatement("SELECT n.nspname, c.conname, c.contype FROM pg_catalog.pg_constraint c"
                + " JOIN pg_catalog.pg_class t ON t.oid = c.conrelid JOIN pg_catalog.pg_namespace n ON n.id = t.relnamespace"
                + " WHERE c.oid = ?")) {
            ps.setObject(1, oid);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                schema = rs.getString(1);
                name = rs.getString(2);
                type = rs.getString(3);
            }
        }
        switch (type) {
            case "p", "u" -> {
                return (type.equals("p") ? "PRIMARY KEY (" : "UNIQUE (") + keyColumns(conn, schema, name) + ")";
            }
            case "f" -> {
                try (PreparedStatement ps = conn.prepareStatement("SELECT u.table_schema, u.table_name, u.constraint_name,"
                        + " rc.update_rule, rc.delete_rule FROM information_schema.referential_constraints rc"
                        + " JOIN information_schema.table_constraints u ON u.constraint_schema = rc.unique_constraint_schema"
                        + " AND u.constraint_name = rc.unique_constraint_name"
                        + " WHERE rc.constraint_schema = ? AND rc.constraint_name = ?")) {
                    ps.setString(1, schema);
                    ps.setString(2, name);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            return "FOREIGN KEY (" + keyColumns(conn, schema, name) + ")";
                        }
                        String table = rs.getString(1).equals(schema) ? rs.getString(2) : rs.getString(1) + "." + rs.getString(2);
                        StringBuilder b = new StringBuilder("FOREIGN KEY (").append(keyColumns(conn, schema, name))
                                .append(") REFERENCES ").append(table).append('(')
                                .append(keyColumns(conn, rs.getString(1), rs.getString(3))).append(')');
                        if (!"RESTRICT".equals(rs.getString(4)) && !"NO ACTION".equals(rs.getString(4))) {
                            b.append(" ON UPDATE ").append(rs.getString(4));
                        }
                        if (!"RESTRICT".equals(rs.getString(5)) && !"NO ACTION".equals(rs.getString(5))) {
                            b.append(" ON DELETE ").append(rs.getString(5));
                        }
                        return b.toString();
                    }
                }
            }
            case "c" -> {
                try (PreparedStatement ps = conn.prepareStatement("SELECT check_clause FROM information_schema.check_constraints"
                        + " WHERE constraint_schema = ? AND constraint_name = ?")) {
                    ps.setString(1, schema);
                    ps.setString(2, name);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? "CHECK (" + rs.getString(1) + ")" : null;
                    }
                }
            }
            default -> {
                return null;
            }
        }
    }

    private static String keyColumns(Connection conn, String schema, String constraint) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("SELECT column_name FROM information_schema.key_column_usage"
                + " WHERE constraint_schema = ? AND constraint_name = ? ORDER BY ordinal_position")) {
            ps.setString(1, schema);
            ps.setString(2, constraint);
            try (ResultSet rs = ps.executeQuery()) {
                List<String> columns = new ArrayList<>();
                while (rs.next()) {
                    columns.add(rs.getString(1));
                }
                return String.join(", ", columns);
            }
        }
    }

    /**
     * {@code pg_get_indexdef(oid[, column, pretty])}: {@code CREATE [UNIQUE] INDEX name ON schema.table USING btree (a, b)}
     * as PostgreSQL writes it (H2's own says CREATE PRIMARY KEY ...), or the column's name when one (1...) is asked for.
     */
    public static String indexDef(Connection conn, Integer oid, Integer column, Boolean pretty) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("SELECT i.index_schema, i.index_name, i.table_name, i.index_type_name,"
                + " ic.column_name FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.id = c.relnamespace"
                + " JOIN information_schema.indexes i ON i.index_schema = n.nspname AND i.index_name = c.relname"
                + " JOIN information_schema.index_columns ic ON ic.index_schema = i.index_schema AND ic.index_name = i.index_name"
                + " WHERE c.oid = ? ORDER BY ic.ordinal_position")) {
            ps.setObject(1, oid);
            try (ResultSet rs = ps.executeQuery()) {
                List<String> columns = new ArrayList<>();
                String head = null;
                while (rs.next()) {
                    if (head == null) {
                        boolean unique = !"INDEX".equals(rs.getString(4));
                        head = "CREATE " + (unique ? "UNIQUE " : "") + "INDEX " + rs.getString(2) + " ON " + rs.getString(1)
                                + "." + rs.getString(3) + " USING btree (";
                    }
                    columns.add(rs.getString(5));
                }
                if (head == null) {
                    return null;
                }
                if (column != null && column > 0) {
                    return column <= columns.size() ? columns.get(column - 1) : null;
                }
                return head + String.join(", ", columns) + ")";
            }
        }
    }

    public static String indexDef(Connection conn, Integer oid) throws SQLException {
        return indexDef(conn, oid, 0, false);
    }

    /** {@code pg_get_triggerdef(oid, pretty)}: pg_catalog.pg_trigger lists no triggers here; null. */
    public static String triggerDef(Integer oid, Boolean pretty) {
        return null;
    }

    /** {@code oid::regclass}: the relation's name, schema-qualified outside {@code public}; the number where there is none. */
    public static String regclass(Connection conn, Integer oid) throws SQLException {
        if (oid == null) {
            return null;
        }
        try (PreparedStatement ps = conn.prepareStatement("SELECT n.nspname, c.relname FROM pg_catalog.pg_class c"
                + " JOIN pg_catalog.pg_namespace n ON n.id = c.relnamespace WHERE c.oid = ?")) {
            ps.setObject(1, oid);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return oid.toString();
                }
                return "public".equals(rs.getString(1)) ? rs.getString(2) : rs.getString(1) + "." + rs.getString(2);
            }
        }
    }

    private static String pgTypeText(String h2DataType) {
        int oid = typeOid(h2DataType);
        return oid == 0 ? (h2DataType == null ? "" : h2DataType.toLowerCase(Locale.ROOT)) : formatType(oid, -1);
    }
}
