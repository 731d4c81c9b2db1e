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
 * Fronts H2's PostgreSQL-protocol server when the database has no password. H2 always asks a PostgreSQL client
 * for a cleartext password and psql never sends an empty one, so a passwordless psql could not connect; this
 * proxy answers H2's question with the (empty) password itself and then relays bytes unchanged both ways.
 * With a password set, serve exposes H2's server directly and the client authenticates as usual.
 */
final class PgAuthProxy implements AutoCloseable {
    private static final int SSL_REQUEST = 80877103;
    private static final int GSS_REQUEST = 80877104;
    private static final int CANCEL_REQUEST = 80877102;

    private final ServerSocket listener;
    private final int backendPort;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "augur-pg-proxy");
        t.setDaemon(true);
        return t;
    });

    PgAuthProxy(InetAddress bind, int port, int backendPort) throws IOException {
        this.listener = new ServerSocket();
        this.listener.setReuseAddress(true);
        this.listener.bind(new InetSocketAddress(bind, port));
        this.backendPort = backendPort;
        threads.execute(this::acceptLoop);
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
                boolean passwordRequest = type == 'R' && len == 8 && body[3] == 3;
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
            }
            Thread up = new Thread(() -> pump(fromClient, toBackend, backend), "augur-pg-proxy-up");
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
