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
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

/**
 * The PostgreSQL-protocol port of {@code augur serve}, in front of H2's PostgreSQL server (which listens on a private
 * loopback port). It smooths what stock clients meet there:
 * <ul>
 * <li>H2 always asks for a cleartext password and psql never sends an empty one, so without a configured password
 * the proxy answers H2's question itself (with the empty password) and the client is never asked;</li>
 * <li>errors: H2 writes its message with {@code ; SQL statement: ... [42122-252]} appended and the same message again,
 * with a Java class name, as the detail; the proxy keeps the message once, and the SQLSTATE;</li>
 * <li>round trips: messages are relayed in whole, buffered and flushed when the sender has nothing more to say (H2's
 * own sockets get TCP_NODELAY from {@link BoundServers}), so {@code SELECT 1} costs a fraction of a millisecond on
 * loopback instead of a delayed ACK (~40 ms);</li>
 * <li>H2 reports server version 8.2, for which pgjdbc sends {@code SET extra_float_digits = 2}, a statement H2
 * rejects; the proxy replaces it with a harmless {@code SET DATESTYLE ISO}.</li>
 * </ul>
 * Everything else is relayed unchanged.
 */
final class PgAuthProxy implements AutoCloseable {
    private static final int SSL_REQUEST = 80877103;
    private static final int GSS_REQUEST = 80877104;
    private static final int CANCEL_REQUEST = 80877102;
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
    private final boolean answerPassword;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "augur-pg-proxy");
        t.setDaemon(true);
        return t;
    });

    /** @param answerPassword true when the database has no password: answer H2's password request with "" */
    PgAuthProxy(InetAddress bind, int port, int backendPort, boolean answerPassword) throws IOException {
        this.backendPort = backendPort;
        this.answerPassword = answerPassword;
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
        try (client; Socket backend = new Socket(InetAddress.getLoopbackAddress(), backendPort)) {
            client.setTcpNoDelay(true);
            backend.setTcpNoDelay(true);
            DataInputStream fromClient = new DataInputStream(new BufferedInputStream(client.getInputStream()));
            DataOutputStream toClient = new DataOutputStream(new BufferedOutputStream(client.getOutputStream()));
            DataInputStream fromBackend = new DataInputStream(new BufferedInputStream(backend.getInputStream()));
            DataOutputStream toBackend = new DataOutputStream(new BufferedOutputStream(backend.getOutputStream()));
            // startup phase: untyped packets until the StartupMessage
            while (true) {
                int len = fromClient.readInt();
                byte[] body = new byte[len - 4];
                fromClient.readFully(body);
                toBackend.writeInt(len);
                toBackend.write(body);
                toBackend.flush();
                int code = len >= 8 ? readInt(body, 0) : 0;
                if (code == SSL_REQUEST || code == GSS_REQUEST) {
                    toClient.write(fromBackend.readUnsignedByte());
                    toClient.flush();
                } else if (code == CANCEL_REQUEST) {
                    return;
                } else {
                    break;
                }
            }
            // authentication: answer a cleartext-password request ourselves, relay everything else
            while (true) {
                int type = fromBackend.readUnsignedByte();
                int len = fromBackend.readInt();
                byte[] body = bodyOf(fromBackend, len);
                boolean passwordRequest = answerPassword && type == 'R' && len == 8 && body[3] == 3;
                if (passwordRequest) {
                    toBackend.writeByte('p');
                    toBackend.writeInt(5);
                    toBackend.writeByte(0);
                    toBackend.flush();
                    continue;
                }
                toClient.writeByte(type);
                toClient.writeInt(len);
                toClient.write(body);
                toClient.flush();
                if (type == 'E' || (type == 'R' && len == 8 && body[3] == 0)) {
                    break;
                }
                if (type == 'R' && len == 8 && body[3] == 3) {
                    break; // the client answers H2's password request: relay the rest as it comes
                }
            }
            Thread up = new Thread(() -> relayClient(fromClient, toBackend, backend), "augur-pg-proxy-up");
            up.setDaemon(true);
            up.start();
            relayBackend(fromBackend.read(), fromBackend, toClient, client);
            up.join();
        } catch (IOException e) {
            // the client or the backend closed the connection
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Client to server, message by message, rewriting the one statement H2 cannot run; flushed when the client pauses. */
    private static void relayClient(DataInputStream in, DataOutputStream out, Socket backend) {
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
                if (type == 'Q' || type == 'P') {
                    byte[] body = rewrite(type, bodyOf(in, len));
                    out.writeByte(type);
                    out.writeInt(body.length + 4);
                    out.write(body);
                } else {
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

    /** Server to client, message by message, cleaning errors and notices; flushed when H2 pauses. */
    private static void relayBackend(int firstType, DataInputStream in, DataOutputStream out, Socket client) {
        try {
            int type = firstType;
            while (type >= 0) {
                int len = in.readInt();
                if (len < 4) {
                    break;
                }
                if (type == 'E' || type == 'N') {
                    byte[] body = cleanError(bodyOf(in, len));
                    out.writeByte(type);
                    out.writeInt(body.length + 4);
                    out.write(body);
                } else {
                    out.writeByte(type);
                    out.writeInt(len);
                    copy(in, out, len - 4);
                }
                if (in.available() == 0) {
                    out.flush();
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

    /** Replaces {@code SET extra_float_digits = N} in a Query or Parse message; other messages are returned as they are. */
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
        if (!FLOAT_DIGITS.matcher(sql).matches()) {
            return body;
        }
        byte[] replacement = "SET DATESTYLE ISO".getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[body.length - (sqlEnd - sqlStart) + replacement.length];
        System.arraycopy(body, 0, out, 0, sqlStart);
        System.arraycopy(replacement, 0, out, sqlStart, replacement.length);
        System.arraycopy(body, sqlEnd, out, sqlStart + replacement.length, body.length - sqlEnd);
        return out;
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
