package dev.augur.tests;

import dev.augur.testkit.Sockets;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The testkit's free ports: never the same one twice in a process (a server of an earlier test may still hold it). */
class SocketsTest {
    @Test
    void freePortNeverHandsOutAPortTwice() throws Exception {
        // 2,000 draws from Linux's ~28,000 ephemeral ports: some 70 repeats expected were the kernel's offer taken as it is
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            int port = Sockets.freePort();
            assertThat(seen.add(port)).as("draw %s gave port %s again", i, port).isTrue();
        }
    }
}
