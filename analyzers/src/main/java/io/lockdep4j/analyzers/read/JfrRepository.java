package io.lockdep4j.analyzers.read;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A JFR repository on disk: what a JVM that was killed (SIGKILL) or crashed leaves instead of a
 * {@code .jfr} file. JFR writes its recording data as chunk files into a per-start directory
 * ({@code <repository>/2026_12_02_19_43_21_28408/2026_12_02_19_43_21.jfr}, the last number the pid),
 * flushing the chunk being written about once a second; a normal exit removes them.
 *
 * <p>{@link #sources} turns a path given on the command line into recordings: a file is itself; a
 * per-start (chunk) directory is one recording made of its chunks in order; a repository root is
 * one recording per per-start directory; any other directory, one recording per {@code .jfr} file
 * in it (e.g. the Maven plugin's {@code target/lockdep4j/}). {@link #readableChunk} makes the
 * chunk that was still being written readable up to its last flush. Small and stateless, for any
 * reader of repositories (a live follower of a repository may use it too).
 */
public final class JfrRepository {
    private JfrRepository() {}

    /** A per-start directory: {@code yyyy_MM_dd_HH_mm_ss_<pid>}. */
    static final Pattern START_DIRECTORY = Pattern.compile("\\d{4}_\\d{2}_\\d{2}_\\d{2}_\\d{2}_\\d{2}_\\d+");
    /** A chunk file: {@code yyyy_MM_dd_HH_mm_ss.jfr}, or {@code ..._N.jfr} when two start in one second. */
    static final Pattern CHUNK_FILE = Pattern.compile("\\d{4}_\\d{2}_\\d{2}_\\d{2}_\\d{2}_\\d{2}(_\\d+)?\\.jfr");

    private static final int HEADER = 68;
    /** Offset of the chunk header's file state byte: 0 when JFR finished the chunk. */
    private static final int FILE_STATE = 64;

    /**
     * One recording to read: a {@code .jfr} file, or the chunks of one JVM's repository directory
     * (in time order).
     *
     * @param path what to call it in reports
     * @param files the files to read in order
     * @param repository the files are repository chunks (the last may be unfinished)
     */
    public record Source(Path path, List<Path> files, boolean repository) {
        public static Source file(Path p) {
            return new Source(p, List.of(p), false);
        }
    }

    /** The recordings {@code path} stands for; a plain file (or a missing path) is itself. */
    public static List<Source> sources(Path path) throws BadRecordingException {
        if (!Files.isDirectory(path)) {
            // a chunk file of a repository (its name says so) may be unfinished: read it as one
            boolean chunk = Files.isRegularFile(path) && CHUNK_FILE.matcher(name(path)).matches()
                    && path.getParent() != null && START_DIRECTORY.matcher(name(path.getParent())).matches();
            return List.of(chunk ? new Source(path, List.of(path), true) : Source.file(path));
        }
        List<Path> chunks = chunkFiles(path);
        if (!chunks.isEmpty() && (START_DIRECTORY.matcher(name(path)).matches() || startDirectories(path).isEmpty())) {
            return List.of(new Source(path, chunks, true));
        }
        List<Source> out = new ArrayList<>();
        for (Path dir : startDirectories(path)) {
            List<Path> c = chunkFiles(dir);
            if (!c.isEmpty()) {
                out.add(new Source(dir, c, true));
            }
        }
        if (!out.isEmpty()) {
            return out;
        }
        for (Path f : list(path)) {
            if (Files.isRegularFile(f) && name(f).endsWith(".jfr")) {
                out.add(Source.file(f));
            }
        }
        if (out.isEmpty()) {
            throw new BadRecordingException(path + ": a directory with no .jfr file and no JFR repository chunks in it");
        }
        return out;
    }

    /** The per-start directories of a repository root, oldest first (names are timestamps). */
    public static List<Path> startDirectories(Path root) throws BadRecordingException {
        List<Path> out = new ArrayList<>();
        for (Path p : list(root)) {
            if (Files.isDirectory(p) && START_DIRECTORY.matcher(name(p)).matches()) {
                out.add(p);
            }
        }
        return out;
    }

    /** The chunk files of a per-start directory, in the order JFR wrote them. */
    public static List<Path> chunkFiles(Path dir) throws BadRecordingException {
        List<Path> out = new ArrayList<>();
        for (Path p : list(dir)) {
            if (Files.isRegularFile(p) && CHUNK_FILE.matcher(name(p)).matches()) {
                out.add(p);
            }
        }
        out.sort((a, b) -> chunkOrder(name(a)).compareTo(chunkOrder(name(b))));
        return out;
    }

    /** "2026_..._21.jfr" before "2026_..._21_1.jfr" before "2026_..._21_2.jfr". */
    private static String chunkOrder(String name) {
        String stem = name.substring(0, name.length() - ".jfr".length());
        String[] parts = stem.split("_");
        String seq = parts.length > 6 ? parts[6] : "0";
        return String.join("_", java.util.Arrays.copyOf(parts, 6)) + "#" + "0".repeat(Math.max(0, 9 - seq.length())) + seq;
    }

    /**
     * A chunk ready for the JDK parser. A finished chunk is itself. A chunk the JVM was still
     * writing when it died is cut at its last flush (its header then says how far the data is
     * consistent; bytes written after it are dropped) into a temporary copy; {@code null} when
     * nothing was flushed yet. {@code notes} receives one line saying what was done.
     */
    public static Path readableChunk(Path chunk, Path tempDir, List<String> notes) throws IOException {
        long size = Files.size(chunk);
        ByteBuffer h = ByteBuffer.allocate(HEADER);
        try (FileChannel ch = FileChannel.open(chunk, StandardOpenOption.READ)) {
            while (h.hasRemaining() && ch.read(h, h.position()) > 0) {
                // read the header
            }
        }
        if (h.position() < HEADER || h.get(0) != 'F' || h.get(1) != 'L' || h.get(2) != 'R' || h.get(3) != 0) {
            notes.add(chunk + ": not a JFR chunk (cut off or overwritten), skipped");
            return null;
        }
        long chunkSize = h.getLong(8);
        long cp = h.getLong(16);
        long meta = h.getLong(24);
        boolean finished = h.get(FILE_STATE) == 0 && chunkSize == size; // file state 0: the chunk was closed
        if (finished) {
            return chunk;
        }
        if (chunkSize > size) {
            notes.add(String.format(java.util.Locale.ROOT, "%s: cut off: its header says %,d bytes, the file has %,d; skipped",
                    chunk, chunkSize, size));
            return null;
        }
        if (chunkSize <= HEADER || cp < HEADER || meta < HEADER || cp >= chunkSize || meta >= chunkSize || chunkSize > size) {
            notes.add(chunk + ": the JVM ended before JFR flushed this chunk for the first time: nothing in it can be read");
            return null;
        }
        Files.createDirectories(tempDir);
        Path copy = Files.createTempFile(tempDir, "chunk-", ".jfr");
        try (FileChannel in = FileChannel.open(chunk, StandardOpenOption.READ);
             FileChannel out = FileChannel.open(copy, StandardOpenOption.WRITE)) {
            long done = 0;
            while (done < chunkSize) {
                done += in.transferTo(done, chunkSize - done, out);
            }
            // the header's file state still says "being written": JDK 25's parser then waits for more and
            // fails ("stuck in locked stream state"); up to chunkSize the chunk is consistent, so mark it finished
            out.write(ByteBuffer.wrap(new byte[] {0}), FILE_STATE);
        }
        notes.add(String.format(java.util.Locale.ROOT,
                "%s: the JVM ended while writing this chunk (killed or crashed, no recording dumped): read up to JFR's last flush"
                        + " (%,d of %,d bytes); events of about its last second, and the agent's final summary, are missing",
                chunk, chunkSize, size));
        return copy;
    }

    private static List<Path> list(Path dir) throws BadRecordingException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        } catch (IOException e) {
            throw new BadRecordingException(dir + ": cannot list the directory: " + e.getMessage(), e);
        }
    }

    private static String name(Path p) {
        Path n = p.getFileName();
        return n == null ? "" : n.toString();
    }
}
