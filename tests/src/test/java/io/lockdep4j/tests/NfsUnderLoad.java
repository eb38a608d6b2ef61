package io.lockdep4j.tests;

import io.lockdep4j.samples.nfs.load.NfsLoadDriver;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The sample NFS server in its own JVM, driven at full speed by its load driver from this JVM
 * (uninstrumented): back-to-back driver runs of {@link #RUN_MS} each (fresh file names per run, the
 * previous run's files removed),
 * until {@link #stopLoad}. Counts operations, RPC errors, verification errors and verifier changes
 * over all runs, so a caller can attach, detach or watch the server while the load runs.
 */
final class NfsUnderLoad implements AutoCloseable {
    static final String NFS = "io.lockdep4j.samples.nfs.";
    static final long RUN_MS = 2000;

    final Process server;
    final int port;
    final AtomicLong ops = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    final AtomicLong verifyErrors = new AtomicLong();
    final AtomicLong verifierChanges = new AtomicLong();
    final List<String> errorSamples = Collections.synchronizedList(new ArrayList<>());
    private final AtomicBoolean stop = new AtomicBoolean();
    private Thread load;
    private final StringBuilder serverErr = new StringBuilder();

    static String classPath() {
        return Launcher.ROOT.resolve("samples/target/lockdep4j-samples.jar") + ":" + Launcher.ROOT.resolve("samples/target/lib") + "/*";
    }

    /** Starts {@code command} (a java command line ending in NfsServerMain's arguments) and waits until it listens. */
    NfsUnderLoad(List<String> command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        server = pb.start();
        Thread errReader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(server.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                    synchronized (serverErr) {
                        if (serverErr.length() < 200_000) {
                            serverErr.append(l).append('\n');
                        }
                    }
                }
            } catch (IOException ignored) {
                // the server ended
            }
        }, "server-stderr");
        errReader.setDaemon(true);
        errReader.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        int p = -1;
        for (String line; (line = out.readLine()) != null; ) {
            if (line.startsWith("lockdep4j-nfs listening on port ")) {
                p = Integer.parseInt(line.substring("lockdep4j-nfs listening on port ".length()).split(" ")[0]);
                break;
            }
        }
        if (p < 0) {
            throw new IOException("the server did not start: " + serverStderr());
        }
        port = p;
        Thread drain = new Thread(() -> {
            try {
                server.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            } catch (IOException ignored) {
                // the server ended
            }
        }, "server-stdout");
        drain.setDaemon(true);
        drain.start();
    }

    /**
     * NfsServerMain's arguments: a free port, until SIGTERM, and its simulated state recovery (which
     * swaps the write verifier, as a rebooted server would) only once a day, so that a verifier
     * change the driver sees can only mean the server really restarted.
     */
    static final List<String> SERVER_ARGS = List.of(NFS + "NfsServerMain", "--port", "0", "--recovery-every-ms", "86400000");

    /** The plain server command. */
    static List<String> plainServer() {
        List<String> cmd = new ArrayList<>(List.of(Launcher.JAVA, "-cp", classPath()));
        cmd.addAll(SERVER_ARGS);
        return cmd;
    }

    String serverStderr() {
        synchronized (serverErr) {
            return serverErr.toString();
        }
    }

    void startLoad(int threads) {
        load = new Thread(() -> {
            int run = 0;
            while (!stop.get()) {
                NfsLoadDriver.Config c = new NfsLoadDriver.Config();
                c.port = port;
                c.threads = threads;
                c.durationMs = RUN_MS;
                c.progress = false;
                c.progressOut = new PrintStream(java.io.OutputStream.nullOutputStream());
                c.prefix = "run" + run++;
                try {
                    NfsLoadDriver.Result r = new NfsLoadDriver(c).run();
                    ops.addAndGet(r.ops);
                    errors.addAndGet(r.errors);
                    verifyErrors.addAndGet(r.verifyErrors);
                    verifierChanges.addAndGet(r.verifierChanges);
                    r.errorSamples.stream().limit(5).forEach(errorSamples::add);
                    removeFiles(r.expectedFiles.keySet()); // keep the export small: READDIRPLUS reads one page
                } catch (Exception e) {
                    errors.incrementAndGet();
                    errorSamples.add(e.toString());
                }
            }
        }, "nfs-load");
        load.start();
    }

    private void removeFiles(java.util.Set<String> names) throws IOException {
        try (io.lockdep4j.samples.nfs.load.Nfs3Client c = new io.lockdep4j.samples.nfs.load.Nfs3Client(
                new java.net.InetSocketAddress("127.0.0.1", port), 30_000)) {
            byte[] root = c.mount("/export");
            for (String n : names) {
                c.remove(root, n);
            }
        }
    }

    /** Blocks until the load has done {@code more} operations beyond {@code from}. */
    void awaitOps(long from, long more) throws InterruptedException {
        while (ops.get() < from + more) {
            if (!load.isAlive()) {
                throw new IllegalStateException("the load stopped");
            }
            Thread.sleep(100);
        }
    }

    void stopLoad() throws InterruptedException {
        stop.set(true);
        if (load != null) {
            load.join();
        }
    }

    String loadSummary() {
        return "ops=" + ops + " errors=" + errors + " verifyErrors=" + verifyErrors + " verifierChanges=" + verifierChanges
                + " samples=" + errorSamples;
    }

    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        if (load != null) {
            load.join(60_000);
        }
        server.destroy();
        if (!server.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            server.destroyForcibly();
        }
    }

    static Path rec(Path dir, String name) {
        return dir.resolve(name);
    }
}
