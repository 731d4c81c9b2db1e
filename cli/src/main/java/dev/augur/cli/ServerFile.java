package dev.augur.cli;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;

/**
 * {@code DIR/augur.server}: where a running {@code augur serve} of the database in {@code DIR} listens, so that
 * {@code augur predict} and {@code augur migrate} reach the database through it while the server holds the file
 * (H2 error 90020). Written (mode 0600) when the server listens, removed when it stops; one left by a killed server
 * is stale, and ignored: nothing listens at its address. It holds no password (that one is in
 * {@code DIR/augur.password}, or was given to the server with {@code --password}).
 */
final class ServerFile {
    static final String NAME = "augur.server";

    /** What the file says: the H2 TCP URL, the pgjdbc URL, the user and the server's process id. */
    record Entry(String tcpUrl, String pgUrl, String user, long pid) {
    }

    private ServerFile() {
    }

    static Path of(Path dataDir) {
        return dataDir.resolve(NAME);
    }

    /** Writes the file afresh (a stale one replaced), created readable by its owner only. */
    static void write(Path file, Entry e) {
        Properties p = new Properties();
        p.setProperty("tcp", e.tcpUrl());
        p.setProperty("pg", e.pgUrl());
        p.setProperty("user", e.user());
        p.setProperty("pid", String.valueOf(e.pid()));
        StringWriter text = new StringWriter();
        try {
            p.store(text, "written by augur serve while it runs; removed when it stops");
            Files.deleteIfExists(file);
            if (Files.getFileAttributeView(file.getParent(), PosixFileAttributeView.class) != null) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(file);
            }
            Files.writeString(file, text.toString(), StandardCharsets.UTF_8);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Removes the file if it is this process's (a newer server's file is left alone). */
    static void remove(Path file) {
        Entry e = read(file);
        if (e != null && e.pid() != ProcessHandle.current().pid()) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a file left behind is stale, and ignored
        }
    }

    /** The entry in the file, or null when there is none or it cannot be read. */
    static Entry read(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            Properties p = new Properties();
            p.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
            String tcp = p.getProperty("tcp");
            if (tcp == null || tcp.isBlank()) {
                return null;
            }
            return new Entry(tcp, p.getProperty("pg", ""), p.getProperty("user", "sa"), Long.parseLong(p.getProperty("pid", "-1")));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The entry of a server that is running now (something listens at its TCP address), or null. */
    static Entry running(Path file) {
        Entry e = read(file);
        return e != null && listening(e.tcpUrl()) ? e : null;
    }

    /** Whether something accepts a connection at the host and port of a {@code jdbc:h2:tcp://host:port/...} URL. */
    static boolean listening(String tcpUrl) {
        try {
            String rest = tcpUrl.substring(tcpUrl.indexOf("tcp://"));
            URI uri = URI.create(rest.substring(0, rest.indexOf('/', "tcp://".length())));
            int port = uri.getPort() < 0 ? 9092 : uri.getPort();
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(uri.getHost(), port), 2000);
                return true;
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
