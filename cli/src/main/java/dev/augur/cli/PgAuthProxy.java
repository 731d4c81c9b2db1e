package dev.augur.cli;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Fronts H2's PostgreSQL-protocol server to smooth two edges for stock clients:
 * <ul>
 * <li>H2 always asks for a cleartext password and psql never sends an empty one, so without a configured password
 * the proxy answers H2's question itself (with the empty password) and the client is never asked;</li>
 * <li>H2 reports server version 8.2, for which pgjdbc sends {@code SET extra_float_digits = 2}, a statement H2
 * rejects; the proxy replaces it with a harmless {@code SET DATESTYLE ISO}.</li>
 * </ul>
 * Everything else is relayed unchanged.
 */
final class PgAuthProxy implements AutoCloseable {
    private static final int SSL_REQUEST = 80877103;
    private static final int GSS_REQUEST = 80877104;
    private static final int CANCEL_REQUEST = 80877102;

    private final ServerSocket listener;
    private static final java.util.regex.Pattern FLOAT_DIGITS = java.util.regex.Pattern.compile(
            "(?is)\\s*set\\s+(session\\s+)?extra_float_digits\\s*(=|to)\\s*'?-?\\d+'?\\s*;?\\s*");
    private final int backendPort;
    private final boolean answerPassword;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "augur-pg-proxy");
        t.setDaemon(true);
        return t;
    });

    /** @param answerPassword true when the database has no password: answer H2's password request with "" */
    PgAuthProxy(InetAddress bind, int port, int backendPort, boolean answerPassword) throws IOException {
        this.answerPassword = answerPassword;
        this.listener = new ServerSocket();
        this.listener.setReuseAddress(true);
        this.listener.bind(new InetSocketAddress(bind, port));
        this.backendPort = backendPort;
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
            DataInputStream fromClient = new DataInputStream(client.getInputStream());
            DataOutputStream toClient = new DataOutputStream(client.getOutputStream());
            DataInputStream fromBackend = new DataInputStream(backend.getInputStream());
            DataOutputStream toBackend = new DataOutputStream(backend.getOutputStream());
            // startup phase: untyped packets until the StartupMessage
            while (true) {
                int len = fromClient.readInt();
                byte[] body = new byte[len - 4];
                fromClient.readFully(body);
                toBackend.writeInt(len);
                toBackend.write(body);
                toBackend.flush();
                int code = len >= 8 ? ((body[0] & 0xff) << 24) | ((body[1] & 0xff) << 16) | ((body[2] & 0xff) << 8) | (body[3] & 0xff) : 0;
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
                byte[] body = new byte[len - 4];
                fromBackend.readFully(body);
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
            Thread up = new Thread(() -> relayClientMessages(fromClient, toBackend, backend), "augur-pg-proxy-up");
            up.setDaemon(true);
            up.start();
            pump(fromBackend, toClient, client);
            up.join();
        } catch (IOException e) {
            // the client or the backend closed the connection
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Client to server, message by message, rewriting the one statement H2 cannot run. */
    private static void relayClientMessages(DataInputStream in, DataOutputStream out, Socket peer) {
        try {
            while (true) {
                int type = in.readUnsignedByte();
                int len = in.readInt();
                byte[] body = new byte[len - 4];
                in.readFully(body);
                if (type == 'Q' || type == 'P') {
                    body = rewrite(type, body);
                }
                out.writeByte(type);
                out.writeInt(body.length + 4);
                out.write(body);
                out.flush();
            }
        } catch (IOException e) {
            // connection closed
        } finally {
            try {
                peer.shutdownOutput();
            } catch (IOException ignored) {
                // already closed
            }
        }
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
        String sql = new String(body, sqlStart, sqlEnd - sqlStart, java.nio.charset.StandardCharsets.UTF_8);
        if (!FLOAT_DIGITS.matcher(sql).matches()) {
            return body;
        }
        byte[] replacement = "SET DATESTYLE ISO".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] out = new byte[body.length - (sqlEnd - sqlStart) + replacement.length];
        System.arraycopy(body, 0, out, 0, sqlStart);
        System.arraycopy(replacement, 0, out, sqlStart, replacement.length);
        System.arraycopy(body, sqlEnd, out, sqlStart + replacement.length, body.length - sqlEnd);
        return out;
    }

    private static int indexOfZero(byte[] b, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    private static void pump(InputStream in, OutputStream out, Socket peer) {
        byte[] buf = new byte[64 * 1024];
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // connection closed
        } finally {
            try {
                peer.shutdownOutput();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        threads.shutdownNow();
    }
}
