package dev.augur.cli;

import org.h2.server.Service;
import org.h2.server.TcpServer;
import org.h2.server.pg.PgServer;
import org.h2.tools.Server;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.sql.SQLException;

/**
 * H2's TCP and PostgreSQL servers, each listening on exactly the address it is given. H2 itself binds every server
 * to {@code h2.bindAddress}, a JVM-wide setting read once when H2 is first loaded (so, in practice, to all
 * interfaces); here each server's {@code start()} opens its own socket instead and hands it to H2, which accepts on
 * it as usual. Accepted sockets get TCP_NODELAY: H2's PostgreSQL server writes a message in three small writes
 * (type, length, body), which with Nagle's algorithm and the peer's delayed ACK cost ~40 ms per round trip.
 *
 * <p>Written against H2 {@value #H2_VERSION}'s private fields {@code serverSocket}, {@code port} and {@code stop}
 * (and TcpServer's {@code initManagementDb()}); a later H2 that renames them fails loudly at start, never binds
 * elsewhere.
 */
final class BoundServers {
    static final String H2_VERSION = "2.3.232";

    private BoundServers() {
    }

    /** H2's TCP server on {@code address}, started. */
    static Server tcp(InetSocketAddress address, String... args) throws SQLException {
        ServerSocket socket = listen(address);
        return start(new Server(new BoundTcp(socket), args), socket);
    }

    /** H2's PostgreSQL server on {@code address}, started. */
    static Server pg(InetSocketAddress address, String... args) throws SQLException {
        ServerSocket socket = listen(address);
        return start(new Server(new BoundPg(socket), args), socket);
    }

    /** The address a server made here listens on. */
    static InetSocketAddress address(Server server) {
        ServerSocket socket = server.getService() instanceof BoundTcp t ? t.socket
                : server.getService() instanceof BoundPg p ? p.socket : null;
        if (socket == null) {
            throw new IllegalArgumentException("not a server made by BoundServers: " + server);
        }
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    private static Server start(Server server, ServerSocket socket) throws SQLException {
        try {
            return server.start();
        } catch (SQLException | RuntimeException e) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing what we opened
            }
            throw e;
        }
    }

    private static final class BoundTcp extends TcpServer {
        private final ServerSocket socket;

        BoundTcp(ServerSocket socket) {
            this.socket = socket;
        }

        @Override
        public synchronized void start() throws SQLException {
            hand(TcpServer.class, this, socket);
            try {
                Method init = TcpServer.class.getDeclaredMethod("initManagementDb");
                init.setAccessible(true);
                init.invoke(this);
            } catch (ReflectiveOperationException e) {
                throw changed(e);
            }
        }

        @Override
        public synchronized boolean isRunning(boolean traceError) {
            // H2 probes with a loopback connection, which fails when bound to another address
            return !socket.isClosed();
        }
    }

    private static final class BoundPg extends PgServer {
        private final ServerSocket socket;

        BoundPg(ServerSocket socket) {
            this.socket = socket;
        }

        @Override
        public void start() {
            hand(PgServer.class, this, socket);
        }

        @Override
        public boolean isRunning(boolean traceError) {
            return !socket.isClosed();
        }
    }

    /** A listening socket on exactly {@code address}; accepted connections have TCP_NODELAY set. */
    static ServerSocket listen(InetSocketAddress address) throws SQLException {
        try {
            ServerSocket s = new ServerSocket() {
                @Override
                public Socket accept() throws IOException {
                    Socket c = super.accept();
                    c.setTcpNoDelay(true);
                    return c;
                }
            };
            s.bind(address, 50);
            return s;
        } catch (IOException e) {
            throw new SQLException("cannot listen on " + address.getAddress().getHostAddress() + ":" + address.getPort() + ": "
                    + e.getMessage() + " (is another server using the port? choose another with --tcp-port / --pg-port)", "58030", e);
        }
    }

    /** Gives H2's server the socket it would have opened itself, as its own start() does. */
    private static void hand(Class<? extends Service> type, Service service, ServerSocket socket) {
        try {
            set(type, service, "stop", false);
            set(type, service, "serverSocket", socket);
            set(type, service, "port", socket.getLocalPort());
        } catch (ReflectiveOperationException e) {
            throw changed(e);
        }
    }

    private static void set(Class<?> type, Object target, String field, Object value) throws ReflectiveOperationException {
        Field f = type.getDeclaredField(field);
        f.setAccessible(true);
        f.set(target, value);
    }

    private static IllegalStateException changed(ReflectiveOperationException e) {
        return new IllegalStateException("this H2 (" + org.h2.engine.Constants.VERSION + ") is not the " + H2_VERSION
                + " whose servers Augur binds to one address (" + e + "); update BoundServers", e);
    }
}
