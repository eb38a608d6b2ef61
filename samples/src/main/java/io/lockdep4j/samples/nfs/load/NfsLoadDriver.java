package io.lockdep4j.samples.nfs.load;

import io.lockdep4j.samples.nfs.rpc.Nfs3;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * Load driver: NFSv3 over ONC RPC (same wire protocol as any client) with a configurable number of
 * threads, each owning {@code files} files in the export root. Mix: create+write+commit, read and
 * verify, remove, rename (over another own file), getattr, readdirplus. Bounded by time and/or op
 * count; progress on stderr every second; HdrHistogram summary at the end.
 *
 * <p>With {@link Config#warmupMs} the same mix runs that long first and is left out of every figure
 * (ops, op and RPC latency): the measurement covers operations started after the warm-up. With
 * {@link Config#waitForServerMs} the driver starts before the server, waits for its port, and reports
 * when the first reply (a MOUNT) arrived, as wall-clock time ({@link Result#firstReplyEpochMicros}),
 * so a caller that knows when it launched the server gets its start-up time to the first served RPC.
 * Lines for such a caller, on the progress stream: {@code nfs-load: waiting for server H:P},
 * {@code nfs-load: measuring} (end of the warm-up), {@code nfs-load: measurement done}.
 */
public final class NfsLoadDriver {

    public enum Op { WRITE_FILE, READ_FILE, REMOVE, RENAME, GETATTR, READDIRPLUS }

    /** Settings; public fields with defaults. */
    public static final class Config {
        public String host = "127.0.0.1";
        public int port;
        public String exportPath = "/export";
        public int threads = 4;
        public long durationMs = 5000;
        /** Stop after this many operations in total (0 = only the duration bounds the run). */
        public long maxOps = 0;
        public int files = 16;
        public int maxFileSize = 32 * 1024;
        public int chunk = 8 * 1024;
        public long seed = 42;
        public long rpcTimeoutMs = 30_000;
        /** Run the mix this long first, excluded from every figure (0 = measure from the start). */
        public long warmupMs = 0;
        /** Wait up to this long for the server's port to open before starting (0 = it must be up). */
        public long waitForServerMs = 0;
        public boolean progress = true;
        public PrintStream progressOut = System.err;
        /** Name prefix of this driver's files (lets several drivers share an export). */
        public String prefix = "load";
        /** Weights, in {@link Op} order. */
        public int[] weights = {30, 30, 8, 8, 20, 4};
    }

    /** What a run did. */
    public static final class Result {
        public long ops;
        public long errors;
        public long verifyErrors;
        public long verifierChanges;
        public long durationNanos;
        /** Operations done during the warm-up (not in {@link #ops}). */
        public long warmupOps;
        public long warmupNanos;
        /** Wall clock (µs since the epoch) when the first MOUNT reply arrived; 0 if none did. */
        public long firstReplyEpochMicros;
        /** Latency of each RPC of the measured operations, µs. */
        public final Histogram rpc = new Histogram(3);
        public final Histogram all = new Histogram(3);
        public final Map<Op, Histogram> perOp = new EnumMap<>(Op.class);
        public final Map<Op, Long> perOpCount = new EnumMap<>(Op.class);
        /** Files that must exist at the end, name → content. */
        public final Map<String, byte[]> expectedFiles = new ConcurrentHashMap<>();
        public final List<String> errorSamples = Collections.synchronizedList(new ArrayList<>());

        public double opsPerSecond() {
            return durationNanos == 0 ? 0 : ops * 1e9 / durationNanos;
        }

        public double rpcsPerSecond() {
            return durationNanos == 0 ? 0 : rpc.getTotalCount() * 1e9 / durationNanos;
        }

        public String summary() {
            StringBuilder b = new StringBuilder();
            b.append(String.format("nfs-load summary: ops=%d seconds=%.2f ops/s=%.1f errors=%d verifyErrors=%d verifierChanges=%d%n",
                    ops, durationNanos / 1e9, opsPerSecond(), errors, verifyErrors, verifierChanges));
            b.append(String.format("nfs-load latency(us): p50=%d p99=%d p99.9=%d max=%d%n",
                    all.getValueAtPercentile(50), all.getValueAtPercentile(99), all.getValueAtPercentile(99.9),
                    all.getMaxValue()));
            b.append(String.format("nfs-load rpc: calls=%d rpcs/s=%.1f latency(us) p50=%d p99=%d p99.9=%d max=%d%n",
                    rpc.getTotalCount(), rpcsPerSecond(), rpc.getValueAtPercentile(50), rpc.getValueAtPercentile(99),
                    rpc.getValueAtPercentile(99.9), rpc.getMaxValue()));
            if (warmupNanos > 0) {
                b.append(String.format("nfs-load warmup: ops=%d seconds=%.2f (excluded above)%n", warmupOps,
                        warmupNanos / 1e9));
            }
            if (firstReplyEpochMicros > 0) {
                b.append(String.format("nfs-load first-reply: epoch-us=%d%n", firstReplyEpochMicros));
            }
            for (Map.Entry<Op, Histogram> e : perOp.entrySet()) {
                Histogram h = e.getValue();
                b.append(String.format("nfs-load op %-11s count=%d p50=%d p99=%d p99.9=%d max=%d%n", e.getKey(),
                        h.getTotalCount(), h.getValueAtPercentile(50), h.getValueAtPercentile(99),
                        h.getValueAtPercentile(99.9), h.getMaxValue()));
            }
            for (String s : errorSamples) {
                b.append("nfs-load error: ").append(s).append('\n');
            }
            return b.toString();
        }
    }

    private final Config config;
    private final AtomicLong opsDone = new AtomicLong();
    private final AtomicLong warmupOpsDone = new AtomicLong();
    private final AtomicLong firstReplyEpochMicros = new AtomicLong(Long.MAX_VALUE);
    private volatile long measureStart;
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong verifyErrors = new AtomicLong();
    private final AtomicLong verifierChanges = new AtomicLong();
    private volatile boolean stop;

    public NfsLoadDriver(Config config) {
        this.config = config;
    }

    /** Ask a running {@link #run()} to stop early. */
    public void stop() {
        stop = true;
    }

    public Result run() throws InterruptedException {
        Result result = new Result();
        if (config.waitForServerMs > 0 && !awaitServer(result)) {
            return result;
        }
        List<Worker> workers = new ArrayList<>();
        for (int i = 0; i < config.threads; i++) {
            workers.add(new Worker(i, result));
        }
        long start = System.nanoTime();
        measureStart = start + TimeUnit.MILLISECONDS.toNanos(Math.max(0, config.warmupMs));
        long deadline = config.durationMs > 0 ? measureStart + TimeUnit.MILLISECONDS.toNanos(config.durationMs)
                : Long.MAX_VALUE;
        boolean measuring = config.warmupMs <= 0;
        boolean done = false;
        List<Thread> threads = new ArrayList<>();
        for (Worker w : workers) {
            Thread t = new Thread(() -> w.run(deadline), "nfs-load-" + w.index);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        long lastOps = 0;
        long lastTime = start;
        int second = 0;
        while (true) {
            Thread waitOn = null;
            for (Thread t : threads) {
                if (t.isAlive()) {
                    waitOn = t;
                    break;
                }
            }
            if (waitOn == null) {
                break;
            }
            waitOn.join(20);
            long now = System.nanoTime();
            if (!measuring && now >= measureStart) {
                measuring = true;
                config.progressOut.printf("nfs-load: measuring (warm-up of %d ms done, %d ops)%n", config.warmupMs,
                        warmupOpsDone.get());
                config.progressOut.flush();
            }
            if (!done && now >= deadline) {
                done = true;
                config.progressOut.println("nfs-load: measurement done");
                config.progressOut.flush();
            }
            if (config.progress && now - lastTime >= 1_000_000_000L) {
                long ops = opsDone.get() + warmupOpsDone.get();
                second++;
                config.progressOut.printf("nfs-load: t=%ds ops=%d ops/s=%.0f errors=%d verifyErrors=%d%n", second, ops,
                        (ops - lastOps) * 1e9 / (now - lastTime), errors.get(), verifyErrors.get());
                config.progressOut.flush();
                lastOps = ops;
                lastTime = now;
            }
        }
        long end = System.nanoTime();
        long lastOpEnd = 0;
        for (Worker w : workers) {
            lastOpEnd = Math.max(lastOpEnd, w.lastOpEnd);
        }
        // operations started after the warm-up, until the last of them ended (not the clients' close)
        result.durationNanos = Math.max(0, (lastOpEnd > 0 ? lastOpEnd : end) - measureStart);
        result.warmupNanos = measureStart - start;
        result.warmupOps = warmupOpsDone.get();
        long first = firstReplyEpochMicros.get();
        result.firstReplyEpochMicros = first == Long.MAX_VALUE ? 0 : first;
        for (Worker w : workers) {
            result.all.add(w.all);
            result.rpc.add(w.rpc);
            for (Map.Entry<Op, Histogram> e : w.perOp.entrySet()) {
                result.perOp.computeIfAbsent(e.getKey(), k -> new Histogram(3)).add(e.getValue());
            }
            for (Map.Entry<String, byte[]> e : w.expected.entrySet()) {
                result.expectedFiles.put(e.getKey(), e.getValue());
            }
        }
        result.perOp.forEach((op, h) -> result.perOpCount.put(op, h.getTotalCount()));
        result.ops = opsDone.get();
        result.errors = errors.get();
        result.verifyErrors = verifyErrors.get();
        result.verifierChanges = verifierChanges.get();
        return result;
    }

    /** Loads the client classes, announces the wait, then polls the port until it opens. */
    private boolean awaitServer(Result result) throws InterruptedException {
        InetSocketAddress address = new InetSocketAddress(config.host, config.port);
        try (Nfs3Client warm = new Nfs3Client(address, 1000)) {
            // the server is already up
        } catch (IOException | RuntimeException expected) {
            // connection refused: the client classes are loaded now, not while timing the server
        }
        config.progressOut.println("nfs-load: waiting for server " + config.host + ":" + config.port);
        config.progressOut.flush();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.waitForServerMs);
        while (true) {
            try (java.net.Socket s = new java.net.Socket()) {
                s.connect(address, 1000);
                return true;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    errors.incrementAndGet();
                    result.errors = errors.get();
                    result.errorSamples.add("server " + address + " not up after " + config.waitForServerMs + " ms: "
                            + notYet);
                    return false;
                }
                Thread.sleep(2);
            }
        }
    }

    private final class Worker {
        final int index;
        final Result result;
        final Random random;
        final Histogram all = new Histogram(3);
        final Histogram rpc = new Histogram(3);
        volatile long lastOpEnd;
        final Map<Op, Histogram> perOp = new EnumMap<>(Op.class);
        final Map<String, byte[]> expected = new HashMap<>();
        final int totalWeight;

        Worker(int index, Result result) {
            this.index = index;
            this.result = result;
            this.random = new Random(config.seed * 31 + index);
            this.totalWeight = Arrays.stream(config.weights).sum();
        }

        String name(int i) {
            return config.prefix + "-t" + index + "-f" + i;
        }

        void run(long deadline) {
            try (Nfs3Client client = new Nfs3Client(new InetSocketAddress(config.host, config.port), config.rpcTimeoutMs)) {
                byte[] root = client.mount(config.exportPath);
                firstReplyEpochMicros.accumulateAndGet(epochMicros(), Math::min);
                client.fsinfoWtmax(root);
                for (int i = 0; i < config.files; i++) { // start from a clean slate (leftovers of earlier runs)
                    if (client.lookup(root, name(i)) != null) {
                        client.remove(root, name(i));
                    }
                }
                boolean measuring = false;
                while (!stop && System.nanoTime() < deadline) {
                    long n = opsDone.get();
                    if (config.maxOps > 0 && n >= config.maxOps) {
                        break;
                    }
                    Op op = pick();
                    long t0 = System.nanoTime();
                    if (!measuring && t0 - measureStart >= 0) {
                        measuring = true;
                        client.resetRpcStats(); // RPCs of the warm-up (and the set-up above) are not measured
                    }
                    try {
                        execute(client, root, op);
                    } catch (IOException | RuntimeException e) {
                        errors.incrementAndGet();
                        if (result.errorSamples.size() < 10) {
                            result.errorSamples.add(op + ": " + e);
                        }
                    }
                    long t1 = System.nanoTime();
                    if (!measuring) {
                        warmupOpsDone.incrementAndGet();
                        continue;
                    }
                    long us = Math.max(1, (t1 - t0) / 1000);
                    all.recordValue(us);
                    perOp.computeIfAbsent(op, k -> new Histogram(3)).recordValue(us);
                    opsDone.incrementAndGet();
                    lastOpEnd = t1;
                }
                if (measuring) {
                    rpc.add(client.rpcMicros());
                }
            } catch (IOException | RuntimeException e) {
                errors.incrementAndGet();
                result.errorSamples.add("worker " + index + ": " + e);
            }
        }

        Op pick() {
            int r = random.nextInt(totalWeight);
            for (Op op : Op.values()) {
                r -= config.weights[op.ordinal()];
                if (r < 0) {
                    return op;
                }
            }
            return Op.GETATTR;
        }

        void execute(Nfs3Client c, byte[] root, Op op) throws IOException {
            int i = random.nextInt(config.files);
            String name = name(i);
            switch (op) {
                case WRITE_FILE -> writeFile(c, root, name);
                case READ_FILE -> {
                    byte[] want = expected.get(name);
                    if (want == null) {
                        writeFile(c, root, name);
                    } else {
                        readAndVerify(c, root, name, want);
                    }
                }
                case REMOVE -> {
                    if (expected.remove(name) != null) {
                        c.remove(root, name);
                    } else if (c.lookup(root, name) != null) {
                        verifyErrors.incrementAndGet(); // a removed/renamed-away name came back
                        result.errorSamples.add("unexpected file " + name);
                    }
                }
                case RENAME -> {
                    byte[] content = expected.get(name);
                    String to = name(random.nextInt(config.files));
                    if (content == null || to.equals(name)) {
                        writeFile(c, root, name);
                    } else {
                        c.rename(root, name, root, to);
                        expected.remove(name);
                        expected.put(to, content);
                    }
                }
                case GETATTR -> {
                    byte[] fh = c.lookup(root, name);
                    byte[] want = expected.get(name);
                    if ((fh == null) != (want == null)) {
                        verifyErrors.incrementAndGet();
                        result.errorSamples.add("LOOKUP " + name + " existence mismatch");
                    } else if (fh != null && c.getattr(fh).size != want.length) {
                        verifyErrors.incrementAndGet();
                        result.errorSamples.add("GETATTR " + name + " size mismatch");
                    }
                }
                case READDIRPLUS -> {
                    List<String> names = c.readdirplus(root);
                    for (String own : expected.keySet()) {
                        if (!names.contains(own)) {
                            verifyErrors.incrementAndGet();
                            result.errorSamples.add("READDIRPLUS misses " + own);
                        }
                    }
                }
            }
        }

        void writeFile(Nfs3Client c, byte[] root, String name) throws IOException {
            byte[] data = new byte[1 + random.nextInt(config.maxFileSize)];
            random.nextBytes(data);
            byte[] fh = c.create(root, name);
            for (int attempt = 0; ; attempt++) {
                long verifier = 0;
                for (int off = 0; off < data.length; off += config.chunk) {
                    int len = Math.min(config.chunk, data.length - off);
                    Nfs3Client.WriteResult w = c.write(fh, off, data, off, len, Nfs3.UNSTABLE);
                    if (w.count() != len) {
                        throw new IOException("short write " + w.count() + " < " + len);
                    }
                    if (off > 0 && w.verifier() != verifier) {
                        verifierChanges.incrementAndGet();
                    }
                    verifier = w.verifier();
                }
                long committed = c.commit(fh);
                if (committed == verifier || attempt >= 3) {
                    break;
                }
                verifierChanges.incrementAndGet(); // server "rebooted": resend the unstable writes
            }
            expected.put(name, data);
        }

        void readAndVerify(Nfs3Client c, byte[] root, String name, byte[] want) throws IOException {
            byte[] fh = c.lookup(root, name);
            if (fh == null) {
                verifyErrors.incrementAndGet();
                result.errorSamples.add("missing " + name);
                return;
            }
            byte[] got = new byte[want.length];
            int off = 0;
            while (true) {
                Nfs3Client.ReadResult r = c.read(fh, off, config.chunk);
                int n = Math.min(r.data().length, got.length - off);
                System.arraycopy(r.data(), 0, got, off, n);
                off += r.data().length;
                if (r.eof() || r.data().length == 0) {
                    break;
                }
            }
            if (off != want.length || !Arrays.equals(got, want)) {
                verifyErrors.incrementAndGet();
                result.errorSamples.add("content mismatch in " + name + " (read " + off + " of " + want.length + ")");
            }
        }
    }

    private static long epochMicros() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
    }
}
