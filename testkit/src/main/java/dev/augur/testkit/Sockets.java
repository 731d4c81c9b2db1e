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

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
