package io.lockdep4j.samples.nfs.localio;

import io.lockdep4j.samples.nfs.NfsExport;
import io.lockdep4j.samples.nfs.NfsServer;
import io.lockdep4j.samples.nfs.cache.NfsFile;
import io.lockdep4j.samples.nfs.cache.NfsFileCache;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An in-process client that bypasses RPC (cf. Linux LOCALIO): it reads and writes its probe file
 * directly through the server's file cache, holding a counted reference on the {@link NfsServer}.
 *
 * <ul>
 *   <li>safe: every operation takes {@link NfsServer#tryGet()}, which fails after shutdown;</li>
 *   <li>hazard {@code localio-use-after-shutdown}: it takes {@link NfsServer#get()} without a
 *       liveness check, so its final flush in {@link #close()} (which runs after the server shut
 *       down) still goes through the dead server's file cache.</li>
 * </ul>
 */
public final class LocalIoClient implements AutoCloseable {
    public static final String PROBE_NAME = ".localio-probe";

    private final NfsServer server;
    private final boolean useAfterShutdownHazard;
    private final long periodMs;
    private final Thread thread;
    private volatile boolean running = true;
    private long tick;

    public final AtomicLong ops = new AtomicLong();
    public final AtomicLong refusedAfterShutdown = new AtomicLong();
    public final AtomicLong useAfterShutdown = new AtomicLong();
    public final AtomicLong errors = new AtomicLong();

    public LocalIoClient(NfsServer server, boolean useAfterShutdownHazard, long periodMs) {
        this.server = server;
        this.useAfterShutdownHazard = useAfterShutdownHazard;
        this.periodMs = periodMs;
        this.thread = new Thread(this::loop, "localio-client");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    private void loop() {
        while (running) {
            try {
                Thread.sleep(periodMs);
            } catch (InterruptedException e) {
                if (!running) {
                    return;
                }
            }
            if (running) {
                localWrite();
            }
        }
    }

    /** One local write + read-back of the probe file; returns false when the server refused. */
    public boolean localWrite() {
        if (useAfterShutdownHazard) {
            server.get(); // no liveness check
        } else if (!server.tryGet()) {
            refusedAfterShutdown.incrementAndGet();
            return false;
        }
        try {
            if (server.isShutdown()) {
                useAfterShutdown.incrementAndGet(); // only the hazard variant gets here
            }
            doLocalIo();
            ops.incrementAndGet();
            return true;
        } catch (IOException | RuntimeException e) {
            errors.incrementAndGet();
            return false;
        } finally {
            server.put();
        }
    }

    private void doLocalIo() throws IOException {
        NfsExport export = server.export();
        NfsFileCache cache = server.fileCache();
        long id = export.create(NfsExport.ROOT_ID, PROBE_NAME, false);
        Path p = export.pathOf(id);
        byte[] line = String.format("localio tick %08d%n", tick++).getBytes(StandardCharsets.US_ASCII);
        NfsFile f = cache.acquire(id, p);
        try {
            long offset = (tick % 64) * line.length;
            f.write(ByteBuffer.wrap(line), offset);
            ByteBuffer back = ByteBuffer.allocate(line.length);
            f.read(back, offset);
            if (!java.util.Arrays.equals(back.array(), line)) {
                throw new IOException("local read-back mismatch");
            }
        } finally {
            cache.put(f);
        }
    }

    /** Stop the client; its pending data is flushed with one last local write. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(5000);
        localWrite(); // the final flush
    }
}
