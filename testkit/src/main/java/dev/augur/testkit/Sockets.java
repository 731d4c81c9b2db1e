package dev.augur.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Ports and listening sockets, as tests of servers check them: a free port, and what the kernel says is bound. */
public final class Sockets {
    private Sockets() {
    }

    /** The local addresses (hex, as /proc/net/tcp and tcp6 write them) of the sockets listening on {@code port}. */
    public static List<String> listeningOn(int port) throws IOException {
        List<String> out = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path p = Path.of(table);
            if (!Files.isReadable(p)) {
                continue;
            }
            for (String line : Files.readAllLines(p)) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 3 && f[3].equals("0A") && f[1].endsWith(String.format(Locale.ROOT, ":%04X", port))) {
                    out.add(f[1].substring(0, f[1].indexOf(':')));
                }
            }
        }
        return out;
    }

    public static boolean loopback(String hexAddress) {
        return procHex(InetAddress.getLoopbackAddress()).contains(hexAddress) || hexAddress.equals("00000000000000000000000001000000");
    }

    /** How /proc/net/tcp (and tcp6, as an IPv4-mapped address) write an IPv4 address: its bytes reversed, in hex. */
    public static List<String> procHex(InetAddress ipv4) {
        byte[] b = ipv4.getAddress();
        String hex = String.format(Locale.ROOT, "%02X%02X%02X%02X", b[3], b[2], b[1], b[0]);
        return List.of(hex, "0000000000000000FFFF0000" + hex);
    }

    /** Ports this process has handed out: the kernel may offer one again once its probe socket closes. */
    private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * A port free now and never handed out before in this process. The kernel may offer a port again as soon as the probe
     * closes: two calls in a row could name the same one, or a server's port of an earlier test, whose accepted
     * connections linger in TIME_WAIT and make a bind without SO_REUSEADDR fail ("Address already in use", seen in CI in
     * ServeSecurityTest, which starts two servers on one data folder in turn).
     */
    public static int freePort() throws IOException {
        for (int attempt = 0; attempt < 1000; attempt++) {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                if (HANDED_OUT.add(s.getLocalPort())) {
                    return s.getLocalPort();
                }
            }
        }
        throw new IOException("no port the kernel offered in 1000 tries was one this process had not handed out already");
    }
}
