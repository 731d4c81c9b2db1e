package dev.augur.cli;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code COPY ... TO STDOUT} and {@code COPY ... FROM STDIN}, which H2 has not, as the PostgreSQL proxy runs them: a
 * COPY out is the SELECT it names, whose rows the proxy sends as CopyData lines; a COPY in is read by the proxy
 * (CopyInResponse, CopyData..., CopyDone) and sent to H2 as one INSERT. Formats text (tab, {@code \N} for null) and
 * csv, with HEADER and DELIMITER.
 */
final class PgCopy {
    private static final Pattern COPY = Pattern.compile(
            "(?is)\\s*copy\\s+(\\(.*\\)|[\\w.\"]+(?:\\s*\\([^)]*\\))?)\\s+(to\\s+stdout|from\\s+stdin)(?:\\s+(?:with\\s*)?(.*?))?\\s*;?\\s*");

    final boolean out;
    final String target;
    final boolean csv;
    final boolean header;
    final char delimiter;

    private PgCopy(boolean out, String target, boolean csv, boolean header, char delimiter) {
        this.out = out;
        this.target = target;
        this.csv = csv;
        this.header = header;
        this.delimiter = delimiter;
    }

    /** The COPY that {@code sql} is, or null. */
    static PgCopy parse(String sql) {
        Matcher m = COPY.matcher(sql);
        if (!m.matches()) {
            return null;
        }
        String options = m.group(3) == null ? "" : m.group(3).strip();
        if (options.startsWith("(") && options.endsWith(")")) {
            options = options.substring(1, options.length() - 1);
        }
        String o = " " + options.toLowerCase(Locale.ROOT).replace(",", " ") + " ";
        boolean csv = o.contains(" csv ") || o.matches(".*\\sformat\\s+'?csv'?\\s.*");
        boolean header = o.matches(".*\\sheader(\\s+(true|on|1))?\\s.*") && !o.matches(".*\\sheader\\s+(false|off|0)\\s.*");
        char delimiter = csv ? ',' : '\t';
        Matcher d = Pattern.compile("(?i)delimiter\\s+(?:as\\s+)?E?'(\\\\t|[^'])'").matcher(options);
        if (d.find()) {
            delimiter = d.group(1).equals("\\t") ? '\t' : d.group(1).charAt(0);
        }
        return new PgCopy(m.group(2).toLowerCase(Locale.ROOT).startsWith("to"), m.group(1).strip(), csv, header, delimiter);
    }

    /** The statement H2 runs for a COPY out. */
    String select() {
        if (target.startsWith("(")) {
            return target.substring(1, target.length() - 1);
        }
        int paren = target.indexOf('(');
        return paren < 0 ? "SELECT * FROM " + target
                : "SELECT " + target.substring(paren + 1, target.lastIndexOf(')')) + " FROM " + target.substring(0, paren).strip();
    }

    /** One output line of a COPY out: the values (null for NULL) of a row. */
    byte[] line(List<String> values) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                b.append(delimiter);
            }
            String v = values.get(i);
            if (csv) {
                if (v != null) {
                    boolean quote = v.isEmpty() || v.indexOf(delimiter) >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0
                            || v.indexOf('\r') >= 0;
                    b.append(quote ? '"' + v.replace("\"", "\"\"") + '"' : v);
                }
            } else if (v == null) {
                b.append("\\N");
            } else {
                for (char c : v.toCharArray()) {
                    switch (c) {
                        case '\\' -> b.append("\\\\");
                        case '\n' -> b.append("\\n");
                        case '\r' -> b.append("\\r");
                        case '\t' -> b.append("\\t");
                        default -> {
                            if (c == delimiter) {
                                b.append('\\');
                            }
                            b.append(c);
                        }
                    }
                }
            }
        }
        return b.append('\n').toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The rows of a COPY in's data (values null for NULL); a header line, if any, left out. */
    List<List<String>> rows(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        List<List<String>> rows = new ArrayList<>();
        int i = 0;
        int n = text.length();
        boolean first = true;
        while (i < n) {
            List<String> row = new ArrayList<>();
            StringBuilder v = new StringBuilder();
            boolean quoted = false;
            boolean wasQuoted = false;
            int lineStart = i;
            while (i < n) {
                char c = text.charAt(i);
                if (csv && quoted) {
                    if (c == '"' && i + 1 < n && text.charAt(i + 1) == '"') {
                        v.append('"');
                        i += 2;
                        continue;
                    }
                    if (c == '"') {
                        quoted = false;
                    } else {
                        v.append(c);
                    }
                    i++;
                } else if (csv && c == '"') {
                    quoted = true;
                    wasQuoted = true;
                    i++;
                } else if (!csv && c == '\\' && i + 1 < n) {
                    char e = text.charAt(i + 1);
                    switch (e) {
                        case 'N' -> v.append('\u0000');
                        case 'n' -> v.append('\n');
                        case 'r' -> v.append('\r');
                        case 't' -> v.append('\t');
                        case 'b' -> v.append('\b');
                        case 'f' -> v.append('\f');
                        case 'v' -> v.append('\u000b');
                        default -> v.append(e);
                    }
                    i += 2;
                } else if (c == delimiter || c == '\n' || c == '\r') {
                    row.add(value(v, wasQuoted));
                    v.setLength(0);
                    wasQuoted = false;
                    i++;
                    if (c == '\r' && i < n && text.charAt(i) == '\n') {
                        i++;
                    }
                    if (c != delimiter) {
                        break;
                    }
                } else {
                    v.append(c);
                    i++;
                }
                if (i >= n && (v.length() > 0 || wasQuoted || !row.isEmpty())) {
                    row.add(value(v, wasQuoted));
                }
            }
            String line = text.substring(lineStart, Math.min(i, n)).strip();
            if (line.equals("\\.")) {
                break;
            }
            if (first && header) {
                first = false;
                continue;
            }
            first = false;
            if (!row.isEmpty() && !(row.size() == 1 && line.isEmpty())) {
                rows.add(row);
            }
        }
        return rows;
    }

    private String value(StringBuilder v, boolean wasQuoted) {
        String s = v.toString();
        if (csv) {
            return s.isEmpty() && !wasQuoted ? null : s;
        }
        return s.equals("\u0000") ? null : s;
    }

    /** The INSERT that a COPY in's rows become. */
    String insert(List<List<String>> rows) {
        StringBuilder b = new StringBuilder("INSERT INTO ").append(target).append(" VALUES ");
        for (int r = 0; r < rows.size(); r++) {
            b.append(r == 0 ? "(" : ", (");
            List<String> row = rows.get(r);
            for (int i = 0; i < row.size(); i++) {
                if (i > 0) {
                    b.append(", ");
                }
                String v = row.get(i);
                b.append(v == null ? "NULL" : "'" + v.replace("'", "''") + "'");
            }
            b.append(')');
        }
        return b.toString();
    }

    /** A CopyOutResponse or CopyInResponse ('H' or 'G') for {@code columns} columns, text format. */
    static byte[] response(char type, int columns) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(type);
        int len = 4 + 1 + 2 + 2 * columns;
        b.write(len >>> 24);
        b.write(len >>> 16);
        b.write(len >>> 8);
        b.write(len);
        b.write(0);
        b.write(columns >>> 8);
        b.write(columns);
        for (int i = 0; i < columns; i++) {
            b.write(0);
            b.write(0);
        }
        return b.toByteArray();
    }
}
