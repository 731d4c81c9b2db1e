package dev.augur.cli;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PostgreSQL-protocol port of {@code augur serve}, in front of H2's PostgreSQL server (which listens on a private
 * loopback port). It smooths what stock clients meet there:
 * <ul>
 * <li>authentication: the proxy asks for the password itself and checks it before H2 sees the connection, so an
 * unknown user or a wrong password is an ErrorResponse with SQLSTATE 28P01 ({@code password authentication failed
 * for user "x"}, as PostgreSQL says it), where H2 drops the connection and prints a stack trace; a database other
 * than {@code augur} is 3D000;</li>
 * <li>errors: H2 writes its message with {@code ; SQL statement: ... [42122-252]} appended and the same message again,
 * with a Java class name, as the detail; the proxy keeps the message once, and the SQLSTATE;</li>
 * <li>round trips: messages are relayed in whole, buffered and flushed when the sender has nothing more to say (H2's
 * own sockets get TCP_NODELAY from {@link BoundServers}), so {@code SELECT 1} costs a fraction of a millisecond on
 * loopback instead of a delayed ACK (~40 ms);</li>
 * <li>H2 reports server version 8.2, for which pgjdbc sends {@code SET extra_float_digits = 2}, a statement H2
 * rejects; the proxy replaces it with a harmless {@code SET DATESTYLE ISO};</li>
 * <li>a simple Query's trailing semicolons are dropped (H2 answered the empty statement after them last);</li>
 * <li>catalog browsing by stock clients: statements rewritten by {@link PgCatalogCompat#rewrite} towards the
 * compatibility objects it installs;</li>
 * <li>{@code COPY ... TO STDOUT} and {@code COPY ... FROM STDIN}, which H2 has not ({@link PgCopy});</li>
 * <li>cursors ({@code DECLARE name CURSOR FOR query}, {@code FETCH n FROM name}, {@code CLOSE name}: psycopg2's
 * named cursors), which H2 has not: see {@link Cursor}.</li>
 * </ul>
 * Everything else is relayed unchanged.
 */
final class PgAuthProxy implements AutoCloseable {
    /** Checks a user name and password against the database. */
    interface Credentials {
        boolean valid(String user, String password) throws SQLException;
    }

    private static final int SSL_REQUEST = 80877103;
    private static final int GSS_REQUEST = 80877104;
    private static final int CANCEL_REQUEST = 80877102;
    /** PostgreSQL's authentication_timeout: a client that says nothing for this long during startup is dropped. */
    private static final int STARTUP_TIMEOUT_MS = 60_000;
    private static final int MAX_STARTUP = 10_000;
    private static final Pattern FLOAT_DIGITS = Pattern.compile(
            "(?is)\\s*set\\s+(session\\s+)?extra_float_digits\\s*(=|to)\\s*'?-?\\d+'?\\s*;?\\s*");
    /** What H2 appends to a message: the statement, and its error code and build: {@code [42122-252]}. */
    private static final Pattern H2_SUFFIX = Pattern.compile("\\s*\\[\\d+-\\d+]\\s*$");
    private static final String H2_STATEMENT = "; SQL statement:";
    /** H2's detail is the exception's toString(): a Java class name, a colon and the message again. */
    private static final Pattern JAVA_EXCEPTION = Pattern.compile("^(\\p{javaJavaIdentifierStart}[\\w$]*\\.)+\\w*(Exception|Error)\\b.*",
            Pattern.DOTALL);

    private final ServerSocket listener;
    private final int backendPort;
    private final Credentials credentials;
    private final String database;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "augur-pg-proxy");
        t.setDaemon(true);
        return t;
    });

    /**
     * Listens on {@code bind:port} and relays authenticated connections to H2's PostgreSQL server on the loopback
     * {@code backendPort}.
     */
    PgAuthProxy(InetAddress bind, int port, int backendPort, String database, Credentials credentials) throws IOException {
        this.backendPort = backendPort;
        this.credentials = credentials;
        this.database = database;
        this.listener = new ServerSocket();
        this.listener.setReuseAddress(true);
        this.listener.bind(new InetSocketAddress(bind, port));
        threads.execute(this::acceptLoop);
    }

    /** The address this proxy listens on. */
    InetSocketAddress address() {
        return (InetSocketAddress) listener.getLocalSocketAddress();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                threads.execute(() -> serve(client));
            } catch (IOException e) {
                if (!listener.isClosed()) {
                    System.err.println("augur: PostgreSQL proxy accept failed: " + e.getMessage());
                }
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            client.setTcpNoDelay(true);
            client.setSoTimeout(STARTUP_TIMEOUT_MS);
            DataInputStream fromClient = new DataInputStream(new BufferedInputStream(client.getInputStream()));
            DataOutputStream toClient = new DataOutputStream(new BufferedOutputStream(client.getOutputStream()));
            byte[] startup = startup(fromClient, toClient);
            if (startup == null) {
                return;
            }
            Map<String, String> params = parameters(startup);
            String user = params.getOrDefault("user", "");
            String db = params.getOrDefault("database", user);
            if (user.isEmpty()) {
                fatal(toClient, "28000", "no PostgreSQL user name specified in startup packet");
                return;
            }
            if (!database.equals(db)) {
                fatal(toClient, "3D000", "database \"" + db + "\" does not exist (this server serves database \"" + database + "\")");
                return;
            }
            // AuthenticationCleartextPassword, as H2 asks; the password travels as H2's does (keep --bind on loopback)
            toClient.writeByte('R');
            toClient.writeInt(8);
            toClient.writeInt(3);
            toClient.flush();
            int type = fromClient.read();
            if (type != 'p') {
                return; // the client had no password to give (psql -w, or a cancelled prompt) and hung up
            }
            byte[] passwordMessage = body(fromClient, MAX_STARTUP);
            String password = cString(passwordMessage, 0);
            boolean valid;
            try {
                valid = credentials.valid(user, password);
            } catch (SQLException e) {
                fatal(toClient, e.getSQLState() == null ? "08006" : e.getSQLState(), cleanMessage(e.getMessage()));
                return;
            }
            if (!valid) {
                System.err.println("augur: PostgreSQL connection from " + client.getRemoteSocketAddress()
                        + " refused: password authentication failed for user \"" + user + "\"");
                fatal(toClient, "28P01", "password authentication failed for user \"" + user + "\"");
                return;
            }
            try (Socket backend = new Socket(InetAddress.getLoopbackAddress(), backendPort)) {
                backend.setTcpNoDelay(true);
                DataInputStream fromBackend = new DataInputStream(new BufferedInputStream(backend.getInputStream()));
                DataOutputStream toBackend = new DataOutputStream(new BufferedOutputStream(backend.getOutputStream()));
                toBackend.writeInt(startup.length + 4);
                toBackend.write(startup);
                toBackend.flush();
                // H2 asks for the password in its turn: answer with the one just checked
                int askType = fromBackend.read();
                byte[] ask = askType < 0 ? null : body(fromBackend, MAX_STARTUP);
                if (askType != 'R' || ask.length != 4 || ask[3] != 3) {
                    fatal(toClient, "08006", "the database did not ask for a password as expected");
                    return;
                }
                toBackend.writeByte('p');
                toBackend.writeInt(passwordMessage.length + 4);
                toBackend.write(passwordMessage);
                toBackend.flush();
                int first = fromBackend.read();
                if (first < 0) {
                    // H2 closes the connection when it refuses a session (it was checked above: changed meanwhile)
                    fatal(toClient, "28P01", "password authentication failed for user \"" + user + "\"");
                    return;
                }
                client.setSoTimeout(0);
                Queue<Object> modes = new ConcurrentLinkedQueue<>();
                Thread up = new Thread(() -> relayClient(fromClient, toBackend, backend, toClient, modes), "augur-pg-proxy-up");
                up.setDaemon(true);
                up.start();
                relayBackend(first, fromBackend, toClient, client, modes);
                up.join();
            }
        } catch (SocketTimeoutException e) {
            // a client that said nothing during startup
        } catch (IOException e) {
            // the client or the backend closed the connection
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Reads the untyped startup packets: answers SSL and GSS encryption requests with 'N' (none), forwards a cancel
     * request to H2 (null: nothing more to do), and returns the StartupMessage's body (protocol version first).
     */
    private byte[] startup(DataInputStream in, DataOutputStream out) throws IOException {
        while (true) {
            int len = in.readInt();
            if (len < 8 || len > MAX_STARTUP) {
                fatal(out, "08P01", "invalid length of startup packet");
                return null;
            }
            byte[] body = new byte[len - 4];
            in.readFully(body);
            int code = readInt(body, 0);
            if (code == SSL_REQUEST || code == GSS_REQUEST) {
                out.write('N');
                out.flush();
            } else if (code == CANCEL_REQUEST) {
                try (Socket backend = new Socket(InetAddress.getLoopbackAddress(), backendPort)) {
                    DataOutputStream toBackend = new DataOutputStream(backend.getOutputStream());
                    toBackend.writeInt(len);
                    toBackend.write(body);
                    toBackend.flush();
                }
                return null;
            } else {
                return body;
            }
        }
    }

    /** The name/value pairs of a StartupMessage's body. */
    static Map<String, String> parameters(byte[] startup) {
        Map<String, String> params = new LinkedHashMap<>();
        int i = 4;
        while (i < startup.length && startup[i] != 0) {
            int nameEnd = end(startup, i);
            int valueEnd = nameEnd + 1 >= startup.length ? nameEnd : end(startup, nameEnd + 1);
            params.put(new String(startup, i, nameEnd - i, StandardCharsets.UTF_8),
                    valueEnd <= nameEnd ? "" : new String(startup, nameEnd + 1, valueEnd - nameEnd - 1, StandardCharsets.UTF_8));
            i = valueEnd + 1;
        }
        return params;
    }

    /**
     * How H2's answer to a Query (or to the extended-protocol messages up to a Sync) reaches the client: as it is,
     * but for its column names, which H2 writes in lower case: those the statements quoted ({@code AS "Schema"}) get
     * their case back.
     */
    private record AsIs(Map<String, String> labels) {
    }

    private static final Pattern QUOTED = Pattern.compile("\"((?:[^\"]|\"\")*)\"");

    /** The quoted names in {@code sql} that are not all lower case, by their lower-case form. */
    static Map<String, String> quotedLabels(String sql, Map<String, String> into) {
        if (sql.indexOf('"') < 0) {
            return into;
        }
        Matcher m = QUOTED.matcher(sql);
        while (m.find()) {
            String name = m.group(1).replace("\"\"", "\"");
            String lower = name.toLowerCase(java.util.Locale.ROOT);
            if (!lower.equals(name) && into.size() < 1000) {
                into.put(lower, name);
            }
        }
        return into;
    }

    /** A RowDescription with the names in {@code labels} given back their case. */
    static byte[] relabel(byte[] body, Map<String, String> labels) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 16);
        out.write(body, 0, 2);
        int count = ((body[0] & 0xff) << 8) | (body[1] & 0xff);
        int i = 2;
        for (int f = 0; f < count; f++) {
            int end = end(body, i);
            String name = new String(body, i, end - i, StandardCharsets.UTF_8);
            byte[] n = labels.getOrDefault(name, name).getBytes(StandardCharsets.UTF_8);
            out.write(n, 0, n.length);
            out.write(body, end, 1 + 18);
            i = end + 1 + 18;
        }
        out.write(body, i, body.length - i);
        return out.toByteArray();
    }

    /** H2's answer to the INSERT a COPY FROM STDIN became: its tag says COPY n. */
    private record CopiedIn(int rows) {
    }

    /** H2's answer to what a cursor statement became: rows relayed (or dropped), the tag {@code tag} (+ " n" rows). */
    private record Retagged(String tag, boolean rows) {
    }

    private static final Pattern DECLARE = Pattern.compile("(?is)\\s*declare\\s+(\"[^\"]+\"|\\w+)\\s+"
            + "(?:binary\\s+|insensitive\\s+|no\\s+scroll\\s+|scroll\\s+)*cursor\\s+(?:(?:with|without)\\s+hold\\s+)?"
            + "for\\s+(.*?)[\\s;]*");
    private static final Pattern FETCH = Pattern.compile(
            "(?is)\\s*fetch\\s+(?:(forward|next)\\s+)?(?:(all|\\d+)\\s+)?(?:(?:from|in)\\s+)?(\"[^\"]+\"|\\w+)[\\s;]*");
    private static final Pattern CLOSE = Pattern.compile("(?is)\\s*close\\s+(\"[^\"]+\"|\\w+)[\\s;]*");

    /**
     * A cursor (DECLARE ... CURSOR FOR query, which H2 has not): each FETCH runs the query again for its next rows
     * ({@code OFFSET}), so a cursor over a query without ORDER BY, or over rows changed meanwhile, may see them move.
     */
    private static final class Cursor {
        final String query;
        long offset;

        Cursor(String query) {
            this.query = query;
        }
    }

    /** The statement that a cursor statement becomes (null: not one), adding its answer's mode to {@code modes}. */
    static String cursorStatement(String sql, Map<String, Cursor> cursors, Queue<Object> modes) {
        Matcher m = DECLARE.matcher(sql);
        if (m.matches()) {
            cursors.put(cursorName(m.group(1)), new Cursor(m.group(2)));
            modes.add(new Retagged("DECLARE CURSOR", false));
            return "SET DATESTYLE ISO";
        }
        m = FETCH.matcher(sql);
        if (m.matches() && cursors.containsKey(cursorName(m.group(3)))) {
            Cursor cursor = cursors.get(cursorName(m.group(3)));
            String count = m.group(2) != null ? m.group(2) : "1";
            String select = "SELECT * FROM (" + cursor.query + ") augur_cursor OFFSET " + cursor.offset + " ROWS";
            if (count.equalsIgnoreCase("all")) {
                cursor.offset = Long.MAX_VALUE / 2;
            } else {
                select += " FETCH FIRST " + count + " ROWS ONLY";
                cursor.offset += Long.parseLong(count);
            }
            modes.add(new Retagged("FETCH", true));
            return select;
        }
        m = CLOSE.matcher(sql);
        if (m.matches() && (cursors.remove(cursorName(m.group(1))) != null || m.group(1).equalsIgnoreCase("all"))) {
            if (m.group(1).equalsIgnoreCase("all")) {
                cursors.clear();
            }
            modes.add(new Retagged("CLOSE CURSOR", false));
            return "SET DATESTYLE ISO";
        }
        return null;
    }

    private static String cursorName(String name) {
        return name.startsWith("\"") ? name.substring(1, name.length() - 1) : name.toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Client to server, message by message, rewriting what H2 cannot run ({@link #rewrite}, {@link PgCopy}); flushed
     * when the client pauses. Each Query and Sync adds to {@code modes} how its answer is to be relayed.
     */
    private static void relayClient(DataInputStream in, DataOutputStream out, Socket backend, DataOutputStream toClient,
                                    Queue<Object> modes) {
        Map<String, Cursor> cursors = new java.util.HashMap<>();
        Map<String, String> pendingLabels = new java.util.HashMap<>();
        try {
            while (true) {
                int type = in.read();
                if (type < 0) {
                    break;
                }
                int len = in.readInt();
                if (len < 4) {
                    break;
                }
                if (type == 'Q') {
                    byte[] body = bodyOf(in, len);
                    String sql = cString(body, 0);
                    PgCopy copy = PgCopy.parse(sql);
                    String cursorSql = copy == null ? cursorStatement(sql, cursors, modes) : null;
                    if (cursorSql != null) {
                        query(out, rewrite(type, (cursorSql + "\0").getBytes(StandardCharsets.UTF_8)));
                    } else if (copy == null) {
                        modes.add(new AsIs(quotedLabels(sql, new java.util.HashMap<>())));
                        query(out, rewrite(type, body));
                    } else if (copy.out) {
                        modes.add(copy);
                        query(out, rewrite(type, (copy.select() + "\0").getBytes(StandardCharsets.UTF_8)));
                    } else {
                        copyIn(copy, in, out, toClient, modes);
                    }
                } else if (type == 'P') {
                    byte[] raw = bodyOf(in, len);
                    int sqlStart = indexOfZero(raw, 0) + 1;
                    quotedLabels(cString(raw, sqlStart), pendingLabels);
                    byte[] body = rewrite(type, raw);
                    out.writeByte(type);
                    out.writeInt(body.length + 4);
                    out.write(body);
                } else {
                    if (type == 'S') {
                        modes.add(new AsIs(pendingLabels));
                        pendingLabels = new java.util.HashMap<>();
                    }
                    out.writeByte(type);
                    out.writeInt(len);
                    copy(in, out, len - 4);
                }
                if (in.available() == 0) {
                    out.flush();
                }
            }
        } catch (IOException e) {
            // connection closed
        } finally {
            try {
                out.flush();
                backend.shutdownOutput();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    private static void query(DataOutputStream out, byte[] body) throws IOException {
        out.writeByte('Q');
        out.writeInt(body.length + 4);
        out.write(body);
    }

    /**
     * COPY FROM STDIN: the proxy asks the client for the data (CopyInResponse), reads it up to CopyDone, and sends H2
     * one INSERT of its rows; a CopyFail is answered as PostgreSQL does (57014) and nothing is inserted.
     */
    private static void copyIn(PgCopy copy, DataInputStream in, DataOutputStream out, DataOutputStream toClient,
                               Queue<Object> modes) throws IOException {
        synchronized (toClient) {
            toClient.write(PgCopy.response('G', 0));
            toClient.flush();
        }
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        String failed = null;
        while (true) {
            int type = in.read();
            if (type < 0) {
                throw new EOFException();
            }
            byte[] body = bodyOf(in, in.readInt());
            if (type == 'd') {
                data.write(body, 0, body.length);
            } else if (type == 'c') {
                break;
            } else if (type == 'f') {
                failed = cString(body, 0);
                break;
            }
        }
        if (failed != null) {
            modes.add(new CopiedIn(-1));
            query(out, ("CALL CAST('COPY from stdin failed: " + failed.replace("'", "''") + "' AS INT)\0")
                    .getBytes(StandardCharsets.UTF_8));
            return;
        }
        java.util.List<java.util.List<String>> rows = copy.rows(data.toByteArray());
        modes.add(new CopiedIn(rows.size()));
        String sql = rows.isEmpty() ? "SELECT 1 WHERE FALSE" : copy.insert(rows);
        query(out, (sql + "\0").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Server to client, message by message, cleaning errors and notices, and turning the answer to a COPY's statement
     * into the COPY's ({@code modes}: one per ReadyForQuery to come); flushed when H2 pauses.
     */
    private static void relayBackend(int firstType, DataInputStream in, DataOutputStream out, Socket client,
                                     Queue<Object> modes) {
        boolean started = false; // the first ReadyForQuery ends the startup, not a query
        long copied = 0;
        try {
            int type = firstType;
            while (type >= 0) {
                int len = in.readInt();
                if (len < 4) {
                    break;
                }
                Object mode = started ? modes.peek() : null;
                synchronized (out) {
                    if (type == 'E' || type == 'N') {
                        byte[] body = cleanError(bodyOf(in, len));
                        out.writeByte(type);
                        out.writeInt(body.length + 4);
                        out.write(body);
                    } else if (mode instanceof PgCopy copy && (type == 'T' || type == 'D' || type == 'C')) {
                        byte[] body = bodyOf(in, len);
                        if (type == 'T') {
                            java.util.List<String> names = fieldNames(body);
                            out.write(PgCopy.response('H', names.size()));
                            if (copy.header) {
                                copyData(out, copy.line(names));
                            }
                            copied = 0;
                        } else if (type == 'D') {
                            copyData(out, copy.line(values(body)));
                            copied++;
                        } else {
                            out.writeByte('c');
                            out.writeInt(4);
                            commandComplete(out, "COPY " + copied);
                        }
                    } else if (type == 'T' && mode instanceof AsIs a && !a.labels().isEmpty()) {
                        byte[] body = relabel(bodyOf(in, len), a.labels());
                        out.writeByte(type);
                        out.writeInt(body.length + 4);
                        out.write(body);
                    } else if (mode instanceof Retagged r && (type == 'T' || type == 'D' || type == 'C')) {
                        byte[] body = bodyOf(in, len);
                        if (type == 'C') {
                            commandComplete(out, r.rows() ? r.tag() + " " + copied : r.tag());
                        } else if (r.rows()) {
                            out.writeByte(type);
                            out.writeInt(len);
                            out.write(body);
                            copied = type == 'T' ? 0 : copied + 1;
                        }
                    } else if (mode instanceof CopiedIn in2 && (type == 'T' || type == 'D' || type == 'C')) {
                        bodyOf(in, len);
                        if (type == 'C') {
                            commandComplete(out, "COPY " + in2.rows());
                        }
                    } else {
                        out.writeByte(type);
                        out.writeInt(len);
                        copy(in, out, len - 4);
                    }
                    if (type == 'Z') {
                        if (started) {
                            modes.poll();
                        }
                        started = true;
                    }
                    if (in.available() == 0) {
                        out.flush();
                    }
                }
                type = in.read();
            }
        } catch (IOException e) {
            // connection closed
        } finally {
            try {
                out.flush();
                client.shutdownOutput();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    private static void copyData(DataOutputStream out, byte[] line) throws IOException {
        out.writeByte('d');
        out.writeInt(line.length + 4);
        out.write(line);
    }

    private static void commandComplete(DataOutputStream out, String tag) throws IOException {
        byte[] t = tag.getBytes(StandardCharsets.UTF_8);
        out.writeByte('C');
        out.writeInt(t.length + 5);
        out.write(t);
        out.write(0);
    }

    /** The column names of a RowDescription. */
    static java.util.List<String> fieldNames(byte[] body) {
        int count = ((body[0] & 0xff) << 8) | (body[1] & 0xff);
        java.util.List<String> names = new java.util.ArrayList<>(count);
        int i = 2;
        for (int f = 0; f < count; f++) {
            int end = end(body, i);
            names.add(new String(body, i, end - i, StandardCharsets.UTF_8));
            i = end + 1 + 18;
        }
        return names;
    }

    /** The values of a DataRow in text format (null for NULL). */
    static java.util.List<String> values(byte[] body) {
        int count = ((body[0] & 0xff) << 8) | (body[1] & 0xff);
        java.util.List<String> values = new java.util.ArrayList<>(count);
        int i = 2;
        for (int c = 0; c < count; c++) {
            int len = readInt(body, i);
            i += 4;
            if (len < 0) {
                values.add(null);
            } else {
                values.add(new String(body, i, len, StandardCharsets.UTF_8));
                i += len;
            }
        }
        return values;
    }

    /**
     * An ErrorResponse or NoticeResponse body with H2's decorations removed: the message once (no {@code ; SQL
     * statement: ...}, no {@code [42122-252]}), no detail that only repeats it under a Java class name; the SQLSTATE
     * and every other field as they were.
     */
    static byte[] cleanError(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length);
        int i = 0;
        while (i < body.length && body[i] != 0) {
            byte field = body[i++];
            int end = end(body, i);
            String value = new String(body, i, end - i, StandardCharsets.UTF_8);
            i = end + 1;
            if (field == 'M') {
                value = cleanMessage(value);
            } else if (field == 'D' && JAVA_EXCEPTION.matcher(value).matches()) {
                continue;
            }
            out.write(field);
            byte[] v = value.getBytes(StandardCharsets.UTF_8);
            out.write(v, 0, v.length);
            out.write(0);
        }
        out.write(0);
        return out.toByteArray();
    }

    /** An H2 message without the statement and the error code H2 appends to it. */
    static String cleanMessage(String message) {
        if (message == null) {
            return "";
        }
        int statement = message.indexOf(H2_STATEMENT);
        String m = statement >= 0 ? message.substring(0, statement) : message;
        return H2_SUFFIX.matcher(m).replaceFirst("");
    }

    /** An ErrorResponse of severity FATAL (the connection ends), as PostgreSQL sends one. */
    static void fatal(DataOutputStream out, String sqlState, String message) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        field(b, 'S', "FATAL");
        field(b, 'V', "FATAL");
        field(b, 'C', sqlState);
        field(b, 'M', message);
        b.write(0);
        out.writeByte('E');
        out.writeInt(b.size() + 4);
        b.writeTo(out);
        out.flush();
    }

    private static void field(ByteArrayOutputStream b, char type, String value) {
        b.write(type);
        byte[] v = value.getBytes(StandardCharsets.UTF_8);
        b.write(v, 0, v.length);
        b.write(0);
    }

    /** A Query or Parse message with its statement rewritten by {@link #rewriteSql}; other messages are returned as they are. */
    static byte[] rewrite(int type, byte[] body) {
        int sqlStart = 0;
        if (type == 'P') {
            sqlStart = indexOfZero(body, 0) + 1; // skip the statement name
        }
        int sqlEnd = indexOfZero(body, sqlStart);
        if (sqlEnd < 0) {
            return body;
        }
        String sql = new String(body, sqlStart, sqlEnd - sqlStart, StandardCharsets.UTF_8);
        String rewritten = rewriteSql(type, sql);
        if (rewritten.equals(sql)) {
            return body;
        }
        byte[] replacement = rewritten.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[body.length - (sqlEnd - sqlStart) + replacement.length];
        System.arraycopy(body, 0, out, 0, sqlStart);
        System.arraycopy(replacement, 0, out, sqlStart, replacement.length);
        System.arraycopy(body, sqlEnd, out, sqlStart + replacement.length, body.length - sqlEnd);
        return out;
    }

    /**
     * The statement as H2 can run it: {@code SET extra_float_digits} replaced by a harmless one; in a simple Query, the
     * trailing semicolons and whitespace removed (H2 runs what follows the last {@code ;} as one more, empty, statement
     * whose "UPDATE 0" is the last result a client sees: psycopg2's {@code SELECT 1;\n} had "no results to fetch");
     * catalog references rewritten by {@link PgCatalogCompat#rewrite}.
     */
    static String rewriteSql(int type, String sql) {
        if (FLOAT_DIGITS.matcher(sql).matches()) {
            return "SET DATESTYLE ISO";
        }
        String s = PgCatalogCompat.rewrite(sql);
        if (type == 'Q') {
            int end = s.length();
            while (end > 0 && (s.charAt(end - 1) == ';' || Character.isWhitespace(s.charAt(end - 1)))) {
                end--;
            }
            if (end > 0 && end < s.length() && s.substring(end).indexOf(';') >= 0) {
                s = s.substring(0, end);
            }
        }
        return s;
    }

    /** The body of a message whose type byte has been read: its length, then length - 4 bytes. */
    private static byte[] body(DataInputStream in, int maxLength) throws IOException {
        int len = in.readInt();
        if (len < 4 || len > maxLength) {
            throw new IOException("invalid message length " + len);
        }
        return bodyOf(in, len);
    }

    private static byte[] bodyOf(DataInputStream in, int len) throws IOException {
        byte[] body = new byte[len - 4];
        in.readFully(body);
        return body;
    }

    private static void copy(DataInputStream in, DataOutputStream out, int n) throws IOException {
        byte[] buf = new byte[Math.min(n, 64 * 1024)];
        while (n > 0) {
            int r = in.read(buf, 0, Math.min(n, buf.length));
            if (r < 0) {
                throw new EOFException();
            }
            out.write(buf, 0, r);
            n -= r;
        }
    }

    private static String cString(byte[] b, int from) {
        return new String(b, from, end(b, from) - from, StandardCharsets.UTF_8);
    }

    /** Where the zero-terminated string at {@code from} ends (its zero, or the end of the array). */
    private static int end(byte[] b, int from) {
        int end = indexOfZero(b, from);
        return end < 0 ? b.length : end;
    }

    private static int readInt(byte[] b, int at) {
        return ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
    }

    private static int indexOfZero(byte[] b, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public void close() throws IOException {
        listener.close();
        threads.shutdownNow();
    }
}
