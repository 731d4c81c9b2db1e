package dev.augur.cli;

import dev.augur.engine.AugurException;
import dev.augur.cli.AugurServer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;

import static dev.augur.testkit.Sockets.freePort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code augur serve} is safe by default: the password (generated, kept, required), reopening a database, databases
 * made without a password, and the addresses it listens on.
 */
class ServeSecurityTest {
    private static final String PG_MODE = ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";

    private static AugurServer serve(Path data, String password) throws Exception {
        return new AugurServer(data, null, "127.0.0.1", freePort(), freePort(), "sa", password);
    }

    @Test
    void reopeningUsesTheKeptPasswordAndWithoutItSaysHowToFixIt(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        String generated;
        try (AugurServer first = serve(data, null)) {
            assertThat(first.passwordSource()).isEqualTo(AugurServer.PasswordSource.GENERATED);
            generated = first.password();
        }
        try (AugurServer again = serve(data, null)) {
            assertThat(again.passwordSource()).isEqualTo(AugurServer.PasswordSource.FILE);
            assertThat(again.password()).isEqualTo(generated);
            try (Connection c = DriverManager.getConnection(again.pgUrl(), "sa", generated)) {
                assertThat(c.isValid(5)).isTrue();
            }
        }
        // --password that is not the database's
        Throwable wrong = catchThrowable(() -> serve(data, "not-it").close());
        assertThat(wrong).isInstanceOf(AugurException.class);
        assertThat(((AugurException) wrong).sqlState()).isEqualTo("28P01");
        assertThat(wrong.getMessage()).contains("password authentication failed for user \"sa\"", "--password is not its password",
                "leave --password out to use the one in " + data.resolve("augur.password").toAbsolutePath());

        // the password file lost: the error names both ways out, and nothing is overwritten
        Files.delete(data.resolve("augur.password"));
        Throwable lost = catchThrowable(() -> serve(data, null).close());
        assertThat(lost).isInstanceOf(AugurException.class);
        assertThat(((AugurException) lost).sqlState()).isEqualTo("28P01");
        assertThat(lost.getMessage()).contains("it was created with a password, and there is no "
                + data.resolve("augur.password").toAbsolutePath(), "pass --password PASSWORD", "chmod 600");
        assertThat(data.resolve("augur.password")).doesNotExist();

        // ... and --password with the right one works, on every protocol
        try (AugurServer given = serve(data, generated)) {
            assertThat(given.passwordSource()).isEqualTo(AugurServer.PasswordSource.GIVEN);
            assertThat(given.psqlCommand()).startsWith("PGPASSWORD=... psql ");
            DriverManager.getConnection(given.pgUrl(), "sa", generated).close();
            DriverManager.getConnection(given.tcpUrl(), "sa", generated).close();
        }
        assertThat(catchThrowable(() -> serve(data, "")))
                .isInstanceOf(AugurException.class).hasMessageContaining("an empty --password would let every local process in");
    }

    @Test
    void aDatabaseMadeWithoutAPasswordGetsOneAndTheEmptyOneStopsWorking(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        // as augur demo, or augur serve before it had passwords, made it
        DriverManager.getConnection("jdbc:h2:file:" + data.toAbsolutePath().resolve("augur") + PG_MODE, "sa", "").close();
        try (AugurServer server = serve(data, null)) {
            assertThat(server.passwordSource()).isEqualTo(AugurServer.PasswordSource.GENERATED);
            assertThat(Files.readString(data.resolve("augur.password")).strip()).isEqualTo(server.password());
            for (String url : new String[]{server.pgUrl(), server.tcpUrl()}) {
                assertThatThrownBy(() -> DriverManager.getConnection(url, "sa", "").close()).as(url).isInstanceOf(SQLException.class);
                DriverManager.getConnection(url, "sa", server.password()).close();
            }
        }
    }

    /**
     * Before: H2's TCP server served every database file under the data folder, such as {@code data/demo/augur}
     * (augur demo's, made with no password) to anyone on the machine as {@code jdbc:h2:tcp://.../demo/augur}.
     */
    @Test
    void onlyTheServedDatabaseIsReachable(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        Files.createDirectories(data.resolve("demo"));
        DriverManager.getConnection("jdbc:h2:file:" + data.toAbsolutePath().resolve("demo/augur") + PG_MODE, "sa", "").close();
        try (AugurServer server = serve(data, null)) {
            String demo = server.tcpUrl().replace("/augur;", "/demo/augur;");
            assertThatThrownBy(() -> DriverManager.getConnection(demo, "sa", "").close())
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("28000"));
            assertThatThrownBy(() -> DriverManager.getConnection(server.pgUrl().replace("/augur", "/demo"), "sa", "").close())
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("3D000"));
        }
    }

    /** With {@code --bind} a non-loopback address, TCP and the proxy listen there (only), H2's backend on loopback. */
    @Test
    void aNonLoopbackBindAddressIsTheOnlyOneListenedOn(@TempDir Path dir) throws Exception {
        Optional<InetAddress> other = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .filter(ServeSecurityTest::up)
                .flatMap(i -> Collections.list(i.getInetAddresses()).stream())
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                .findFirst();
        assumeTrue(other.isPresent(), "this machine has no non-loopback IPv4 address to bind to");
        String address = other.get().getHostAddress();
        try (AugurServer server = new AugurServer(dir.resolve("data"), null, address, freePort(), freePort(), "sa", null)) {
            Map<String, InetSocketAddress> listening = server.listening();
            assertThat(listening.get("tcp").getAddress()).isEqualTo(other.get());
            assertThat(listening.get("pg").getAddress()).isEqualTo(other.get());
            assertThat(listening.get("pg-backend").getAddress().isLoopbackAddress()).isTrue();
            for (String port : new String[]{"tcp", "pg"}) {
                int p = listening.get(port).getPort();
                assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), p).close()).as(port + " on loopback")
                        .isInstanceOf(ConnectException.class);
                assertThat(dev.augur.testkit.Sockets.listeningOn(p)).as(port).isNotEmpty()
                        .allMatch(hex -> dev.augur.testkit.Sockets.procHex(other.get()).contains(hex));
            }
            DriverManager.getConnection(server.tcpUrl(), "sa", server.password()).close();
            DriverManager.getConnection(server.pgUrl(), "sa", server.password()).close();
        }
    }

    private static boolean up(NetworkInterface i) {
        try {
            return i.isUp() && !i.isLoopback();
        } catch (java.net.SocketException e) {
            return false;
        }
    }
}
