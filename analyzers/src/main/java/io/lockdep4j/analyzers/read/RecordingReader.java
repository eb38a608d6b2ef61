package io.lockdep4j.analyzers.read;

import io.lockdep4j.events.EventNames;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import jdk.jfr.EventType;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/**
 * Streams the {@code lockdep4j.*} events of one or more {@code .jfr} files to a
 * {@link RecordingVisitor}, one event at a time (never a whole recording in memory).
 *
 * <p>Every way a file can be unusable becomes a {@link BadRecordingException} with a one-line
 * message. Before the JDK parser sees a file, its chunk headers are checked here: a missing,
 * empty, truncated, half-written or non-JFR file is recognised without parsing, which is where
 * parsers tend to misbehave (huge allocations from garbage sizes, odd exceptions). Anything the
 * parser still throws while reading, {@link Error}s included, is turned into the same exception.
 *
 * <pre>{@code
 * RecordingReader reader = new RecordingReader(msg -> System.err.println("lockdep4j: " + msg));
 * reader.read(List.of(Path.of("app.jfr")), (index, event) -> System.out.println(event.getEventType().getName()));
 * }</pre>
 */
public final class RecordingReader {
    /** Progress is reported every this many events (of any type) read from one file. */
    public static final long PROGRESS_EVERY = 1_000_000L;

    private static final int CHUNK_HEADER_SIZE = 68;
    private static final byte[] MAGIC = {'F', 'L', 'R', 0};
    /** Events handed from the parser thread to the visitor at a time. */
    static final int BATCH = 512;
    /** Batches that may wait for the visitor: bounds the memory of parsed, unvisited events. */
    static final int QUEUED_BATCHES = 8;

    private final Consumer<String> progress;
    private final long progressEvery;
    private final boolean pipelined;
    private final Map<EventType, Integer> eventKinds = new ConcurrentHashMap<>();

    /**
     * @param progress receives occasional progress lines for long inputs, from the parser thread;
     *     may be {@code null}
     */
    public RecordingReader(Consumer<String> progress) {
        this(progress, PROGRESS_EVERY, Runtime.getRuntime().availableProcessors() > 1);
    }

    RecordingReader(Consumer<String> progress, long progressEvery) {
        this(progress, progressEvery, Runtime.getRuntime().availableProcessors() > 1);
    }

    /** @param pipelined parse on a second thread (the default with more than one CPU) */
    RecordingReader(Consumer<String> progress, long progressEvery, boolean pipelined) {
        this.progress = progress == null ? s -> {} : progress;
        this.progressEvery = progressEvery;
        this.pipelined = pipelined;
    }

    /**
     * Reads all recordings in order.
     *
     * @throws NoLockdepEventsException when none of the files holds a single lockdep4j event
     * @throws BadRecordingException when a file cannot be read
     */
    public void read(List<Path> recordings, RecordingVisitor visitor) throws BadRecordingException {
        if (recordings.isEmpty()) {
            throw new BadRecordingException("no recording given");
        }
        List<JfrRepository.Source> sources = new ArrayList<>();
        for (Path p : recordings) {
            for (JfrRepository.Source s : JfrRepository.sources(p)) {
                if (!s.repository()) {
                    validate(s.path()); // fail fast, before spending time on the others
                }
                sources.add(s);
            }
        }
        long lockdepTotal = 0;
        List<String> names = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            lockdepTotal += readOne(i, sources.get(i), visitor);
            names.add(sources.get(i).path().toString());
        }
        if (lockdepTotal == 0) {
            throw new NoLockdepEventsException(String.join(", ", names));
        }
    }

    private long readOne(int index, JfrRepository.Source source, RecordingVisitor visitor) throws BadRecordingException {
        Path path = source.path();
        visitor.startRecording(index, path);
        Counts total = new Counts();
        if (!source.repository()) {
            total = read(index, path, visitor);
        } else {
            readRepository(index, source, visitor, total);
        }
        visitor.endRecording(index, path, total.events, total.lockdep);
        return total.lockdep;
    }

    private Counts read(int index, Path file, RecordingVisitor visitor) throws BadRecordingException {
        return pipelined ? readPipelined(index, file, visitor) : readSequential(index, file, visitor);
    }

    /**
     * The chunks of one JVM's repository directory, in order, as one recording. What a killed JVM
     * left is read as far as it goes: an unfinished chunk up to its last flush, an unreadable one
     * skipped; each such case is one line for the visitor, never a failure of the whole analysis.
     */
    private void readRepository(int index, JfrRepository.Source source, RecordingVisitor visitor, Counts total)
            throws BadRecordingException {
        Path temp = null;
        try {
            for (Path chunk : source.files()) {
                List<String> notes = new ArrayList<>();
                Path readable;
                try {
                    if (temp == null) {
                        temp = Files.createTempDirectory("lockdep4j-chunks");
                    }
                    readable = JfrRepository.readableChunk(chunk, temp, notes);
                } catch (IOException e) {
                    visitor.readWarning(index, chunk + ": cannot read: " + describe(e), true);
                    continue;
                }
                for (String n : notes) {
                    visitor.readWarning(index, n, true);
                }
                if (readable == null) {
                    continue;
                }
                try {
                    Counts c = read(index, readable, visitor);
                    total.events += c.events;
                    total.lockdep += c.lockdep;
                } catch (BadRecordingException e) {
                    visitor.readWarning(index, chunk + ": " + e.getMessage().replace(readable.toString(), "").replaceFirst("^: ", "")
                            + "; the events before it were read", true);
                } finally {
                    if (!readable.equals(chunk)) {
                        Files.deleteIfExists(readable);
                    }
                }
            }
        } catch (IOException e) {
            throw new BadRecordingException(source.path() + ": cannot read: " + describe(e), e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // a temporary directory left behind is harmless
                }
            }
        }
    }

    /** Events read from one file: all of them, and the lockdep4j ones passed to the visitor. */
    private static final class Counts {
        long events;
        long lockdep;
    }

    /** Parsing and visiting on the calling thread, one event at a time. */
    private Counts readSequential(int index, Path path, RecordingVisitor visitor) throws BadRecordingException {
        Counts counts = new Counts();
        try (RecordingFile file = new RecordingFile(path)) {
            while (file.hasMoreEvents()) {
                RecordedEvent e = file.readEvent();
                counts.events++;
                if (counts.events % progressEvery == 0) {
                    progress(counts.events, path);
                }
                int kind = kind(e.getEventType());
                if (kind == LOCKDEP) {
                    counts.lockdep++;
                    try {
                        visitor.visitPrepared(index, visitor.prepare(e));
                    } catch (RuntimeException bug) {
                        throw new VisitorFailure(bug); // not the file's fault: do not call it corrupt
                    }
                } else if (kind == JFR_DATA_LOSS) {
                    visitor.jfrDataLoss(index, EventDecoders.dataLossBytes(e));
                }
            }
        } catch (VisitorFailure e) {
            throw (RuntimeException) e.getCause();
        } catch (IOException | RuntimeException | Error e) {
            throw parserFailure(path, counts.events, e);
        }
        return counts;
    }

    /**
     * The same events in the same order, but the JDK parser runs on its own thread and hands the
     * lockdep4j events over in small batches: parsing and the visitor (model building) overlap on
     * two cores. At most {@link #QUEUED_BATCHES} batches of {@link #BATCH} events wait, so memory
     * stays bounded however large the file.
     */
    private Counts readPipelined(int index, Path path, RecordingVisitor visitor) throws BadRecordingException {
        BlockingQueue<Batch> queue = new ArrayBlockingQueue<>(QUEUED_BATCHES);
        Counts counts = new Counts();
        Thread parser = new Thread(() -> parse(path, visitor, queue, counts), "lockdep4j-parser");
        parser.setDaemon(true);
        parser.start();
        boolean finished = false;
        try {
            while (true) {
                Batch b = queue.take();
                for (Object e : b.events) {
                    if (e instanceof DataLoss loss) {
                        visitor.jfrDataLoss(index, loss.bytes());
                    } else {
                        visitor.visitPrepared(index, e); // a visitor's exception is not the file's fault: passed on as is
                    }
                }
                if (b.last) {
                    if (b.failure instanceof VisitorFailure bug) {
                        throw (RuntimeException) bug.getCause();
                    }
                    finished = true;
                    parser.join();
                    if (b.failure instanceof BadRecordingException bad) {
                        throw bad;
                    }
                    if (b.failure instanceof Error error) {
                        throw error;
                    }
                    return counts; // written by the parser before its last batch: visible after take()
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BadRecordingException(path + ": reading was interrupted", e);
        } finally {
            if (!finished) {
                parser.interrupt(); // the visitor failed: stop parsing (a blocked put() ends with InterruptedException)
                queue.clear();
            }
        }
    }

    /** A batch of prepared lockdep4j events; the last one of a file also carries the outcome. */
    private record Batch(List<Object> events, boolean last, Throwable failure) {}

    /**
     * The parser thread of {@link #readPipelined}: parses, and prepares the lockdep4j events when
     * the visitor is behind; otherwise it passes them unprepared (see {@link RecordingVisitor#visitPrepared}).
     */
    private void parse(Path path, RecordingVisitor visitor, BlockingQueue<Batch> queue, Counts counts) {
        List<Object> batch = new ArrayList<>(BATCH);
        boolean prepareHere = true;
        long events = 0;
        long lockdep = 0;
        Throwable failure = null;
        try (RecordingFile file = new RecordingFile(path)) {
            while (file.hasMoreEvents()) {
                RecordedEvent e = file.readEvent();
                events++;
                if (events % progressEvery == 0) {
                    progress(events, path);
                }
                int kind = kind(e.getEventType());
                if (kind == JFR_DATA_LOSS) {
                    batch.add(new DataLoss(EventDecoders.dataLossBytes(e))); // in order with the lockdep4j events, like the sequential reader
                } else if (kind == LOCKDEP) {
                    lockdep++;
                    try {
                        batch.add(prepareHere ? visitor.prepare(e) : e);
                    } catch (RuntimeException bug) {
                        throw new VisitorFailure(bug); // not the file's fault: do not call it corrupt
                    }
                }
                if (kind != OTHER) {
                    if (batch.size() >= BATCH) {
                        queue.put(new Batch(batch, false, null));
                        batch = new ArrayList<>(BATCH);
                        // Share the work: while earlier batches still wait (besides the one just put),
                        // the visitor is the slower side and this thread prepares; once the visitor has
                        // caught up with this thread, it prepares the events itself.
                        prepareHere = queue.size() > 1;
                    }
                }
            }
        } catch (InterruptedException e) {
            return; // the reader gave up on this file
        } catch (VisitorFailure bug) {
            failure = bug;
        } catch (IOException | RuntimeException | Error e) {
            try {
                failure = parserFailure(path, events, e);
            } catch (VirtualMachineError fatal) {
                failure = fatal;
            }
        }
        counts.events = events;
        counts.lockdep = lockdep;
        try {
            // the events parsed before a failure are still visited, as the sequential reader does
            queue.put(new Batch(batch, true, failure));
        } catch (InterruptedException e) {
            // the reader gave up on this file
        }
    }

    private void progress(long events, Path path) {
        progress.accept(String.format(Locale.ROOT, "read %,d events from %s", events, path));
    }

    private static final int OTHER = 0;
    private static final int LOCKDEP = 1;
    private static final int JFR_DATA_LOSS = 2;

    /** One of ours, JFR's data-loss event, or other; kept per type object (one per chunk's metadata). */
    private int kind(EventType type) {
        Integer known = eventKinds.get(type);
        if (known == null) {
            String name = type.getName();
            known = name.startsWith(EventNames.PREFIX) ? LOCKDEP : name.equals(EventDecoders.JFR_DATA_LOSS) ? JFR_DATA_LOSS : OTHER;
            if (eventKinds.size() >= 4096) {
                eventKinds.clear(); // many chunks with their own metadata: do not keep them all
            }
            eventKinds.put(type, known);
        }
        return known;
    }

    /** A {@code jdk.DataLoss} event as it travels in a batch. */
    private record DataLoss(long bytes) {}

    /** What to throw when the JDK parser fails after {@code events} events. */
    private static BadRecordingException parserFailure(Path path, long events, Throwable e) {
        // The JDK parser reports corruption as IOException, as assorted RuntimeExceptions
        // (IndexOutOfBounds, IllegalState, NumberFormat...) and, for garbage sizes, as
        // InternalError or OutOfMemoryError. The caller only needs to know the file is bad.
        if (e instanceof VirtualMachineError && !(e instanceof OutOfMemoryError) && !(e instanceof InternalError)
                && !(e instanceof StackOverflowError)) {
            throw (VirtualMachineError) e;
        }
        return new BadRecordingException(String.format(Locale.ROOT,
                "%s: corrupt recording: the JFR parser failed after %,d events (%s)", path, events, parserProblem(e)), e);
    }

    private static final class VisitorFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        VisitorFailure(RuntimeException cause) {
            super(cause);
        }
    }

    /** The parser's complaint for people: its message without Java exception names. */
    private static String parserProblem(Throwable e) {
        if (e instanceof OutOfMemoryError) {
            return "sizes in the file are absurd";
        }
        String m = e.getMessage() == null ? "" : e.getMessage();
        m = m.replaceAll("[\\w.$]*(Exception|Error)(: *)?", "").replaceAll("\\s+", " ").trim();
        if (m.length() > 160) {
            m = m.substring(0, 160) + "...";
        }
        return m.isEmpty() ? "unreadable data" : m;
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        String type = e.getClass().getSimpleName();
        return m == null || m.isBlank() ? type : type + ": " + m;
    }

    /**
     * Checks that {@code path} is a complete JFR file by walking its chunk headers (68 bytes each,
     * big-endian: magic "FLR\0", major, minor, chunk size, constant pool and metadata offsets...).
     */
    public static void validate(Path path) throws BadRecordingException {
        if (Files.isDirectory(path)) {
            throw new BadRecordingException(path + ": is a directory, not a .jfr file (lockdep4j analyze reads directories:"
                    + " JFR repositories and directories of recordings)");
        }
        long size;
        try {
            size = Files.size(path);
        } catch (NoSuchFileException e) {
            throw new BadRecordingException(path + ": no such file");
        } catch (IOException e) {
            throw new BadRecordingException(path + ": cannot read: " + describe(e), e);
        }
        if (size == 0) {
            throw new BadRecordingException(path + ": empty file (0 bytes): the recording was never written (did the JVM exit before the dump?)");
        }
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer header = ByteBuffer.allocate(CHUNK_HEADER_SIZE);
            long offset = 0;
            int chunk = 0;
            while (offset < size) {
                header.clear();
                int n = readFully(ch, header, offset);
                if (chunk == 0 && !startsWithMagic(header, n)) {
                    throw new BadRecordingException(path + ": not a JFR recording (" + whatItLooksLike(header, n) + ")");
                }
                if (!startsWithMagic(header, n)) {
                    throw new BadRecordingException(String.format(Locale.ROOT,
                            "%s: corrupt recording: no chunk header at byte %,d", path, offset));
                }
                if (n < CHUNK_HEADER_SIZE) {
                    throw new BadRecordingException(String.format(Locale.ROOT,
                            "%s: truncated recording: chunk %d header is cut off after %d bytes", path, chunk + 1, n));
                }
                long chunkSize = header.getLong(8);
                long cpOffset = header.getLong(16);
                long metaOffset = header.getLong(24);
                if (chunkSize == 0) {
                    throw new BadRecordingException(String.format(Locale.ROOT,
                            "%s: incomplete recording: chunk %d was never finished (still being written, or the JVM crashed)", path, chunk + 1));
                }
                if (chunkSize < CHUNK_HEADER_SIZE) {
                    throw new BadRecordingException(String.format(Locale.ROOT,
                            "%s: corrupt recording: chunk %d has an impossible size (%d bytes)", path, chunk + 1, chunkSize));
                }
                if (chunkSize > size - offset) {
                    throw new BadRecordingException(String.format(Locale.ROOT,
                            "%s: truncated recording: chunk %d needs %,d bytes but only %,d remain (copied before the JVM finished writing it?)",
                            path, chunk + 1, chunkSize, size - offset));
                }
                if (cpOffset < CHUNK_HEADER_SIZE || cpOffset >= chunkSize || metaOffset < CHUNK_HEADER_SIZE || metaOffset >= chunkSize) {
                    throw new BadRecordingException(String.format(Locale.ROOT,
                            "%s: corrupt recording: chunk %d points outside itself", path, chunk + 1));
                }
                offset += chunkSize;
                chunk++;
            }
        } catch (BadRecordingException e) {
            throw e;
        } catch (AccessDeniedException e) {
            throw new BadRecordingException(path + ": permission denied", e);
        } catch (IOException e) {
            throw new BadRecordingException(path + ": cannot read: " + describe(e), e);
        }
    }

    private static int readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        int total = 0;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, position + total);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }

    private static boolean startsWithMagic(ByteBuffer b, int n) {
        if (n < MAGIC.length) {
            return false;
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (b.get(i) != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    private static String whatItLooksLike(ByteBuffer b, int n) {
        int printable = 0;
        for (int i = 0; i < n; i++) {
            int c = b.get(i) & 0xff;
            if (c == '\n' || c == '\r' || c == '\t' || (c >= 0x20 && c < 0x7f) || c >= 0x80) {
                printable++;
            }
        }
        if (n > 0 && printable == n) {
            String start = new String(b.array(), 0, Math.min(n, 20), StandardCharsets.UTF_8)
                    .replaceAll("[\\r\\n\\t]+", " ").replaceAll("[^\\x20-\\x7e]", "?").trim();
            return "it looks like a text file starting with \"" + start + "\"";
        }
        return n < MAGIC.length ? "only " + n + " bytes long" : "unrecognized header; JFR files start with FLR";
    }
}
