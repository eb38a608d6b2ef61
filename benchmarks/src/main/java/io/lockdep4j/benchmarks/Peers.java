package io.lockdep4j.benchmarks;

/**
 * Installs a peer tool inside the benchmark fork when asked by a system property, so one JMH
 * run per configuration measures the same benchmark code:
 * {@code -Dlockdep4j.bench.peer=blockhound} installs BlockHound (needs
 * {@code -XX:+AllowRedefinitionToAddDeleteMethods} on JDK 13+). The lockdep4j agent and JFR are
 * JVM options only and need nothing here.
 */
final class Peers {
    private Peers() {}

    static final String PEER = System.getProperty("lockdep4j.bench.peer", "none");
    private static boolean installed;

    static synchronized void setup() {
        if (installed) {
            return;
        }
        installed = true;
        if ("blockhound".equals(PEER)) {
            reactor.blockhound.BlockHound.install();
            System.out.println("# peer: BlockHound installed");
        }
    }
}
