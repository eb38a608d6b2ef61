package io.lockdep4j.agent;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * Where the nested bootstrap jar goes on disk so that the JVM can append it to the boot class path.
 * Each start used to write a fresh temp file ({@code File.createTempFile}, whose name comes from a
 * {@code SecureRandom}, so every start also initialised the security providers). Now the jar is kept
 * under a per-user directory by its length and CRC, and reused when the file there has exactly these
 * bytes: a CI run forking hundreds of JVMs writes it once.
 *
 * <p>Safety: the directory must be owned by this user and closed to others (0700 where the file
 * system is POSIX), because whatever jar it holds runs in the boot loader; the bytes on disk are
 * compared with the agent's own before use; a new file is written under a unique name and moved into
 * place atomically, so a concurrent start never sees half a jar and a jar in use is never changed.
 * Anything unexpected falls back to a private temp file, as before.
 */
final class BootstrapJarCache {
    private BootstrapJarCache() {}

    static final String RESOURCE = "/META-INF/lockdep4j/bootstrap.jar.bin";

    /** A file holding exactly the agent's bootstrap jar. */
    static File bootstrapJar() throws IOException {
        byte[] bytes;
        try (InputStream in = BootstrapJarCache.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("bootstrap jar missing from the agent jar (a broken build?)");
            }
            bytes = in.readAllBytes();
        }
        try {
            File cached = cached(bytes);
            if (cached != null) {
                return cached;
            }
        } catch (IOException | RuntimeException e) {
            // fall through: a private copy works everywhere
        }
        File jar = File.createTempFile("lockdep4j-bootstrap", ".jar");
        jar.deleteOnExit();
        Files.write(jar.toPath(), bytes);
        return jar;
    }

    /** The cached copy (written now if missing), or null when the cache directory is not trustworthy. */
    private static File cached(byte[] bytes) throws IOException {
        Path dir = cacheDirectory();
        if (dir == null) {
            return null;
        }
        CRC32 crc = new CRC32();
        crc.update(bytes);
        Path file = dir.resolve("bootstrap-" + bytes.length + "-" + Long.toHexString(crc.getValue()) + ".jar");
        if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && Arrays.equals(Files.readAllBytes(file), bytes)) {
            return file.toFile();
        }
        Path tmp = dir.resolve(file.getFileName() + "." + ProcessHandle.current().pid() + "." + System.nanoTime() + ".tmp");
        try {
            Files.write(tmp, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return Arrays.equals(Files.readAllBytes(file), bytes) ? file.toFile() : null;
    }

    /** {@code java.io.tmpdir/lockdep4j-USER}, created 0700; null if it exists but is not ours alone (also TransformCache's). */
    static Path cacheDirectory() throws IOException {
        String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_");
        Path dir = Paths.get(System.getProperty("java.io.tmpdir"), "lockdep4j-" + user);
        boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
        Set<PosixFilePermission> ownerOnly = EnumSet.of(PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);
        try {
            if (posix) {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(ownerOnly));
            } else {
                Files.createDirectory(dir);
            }
        } catch (FileAlreadyExistsException e) {
            // checked below
        } catch (AccessDeniedException e) {
            return null;
        }
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        if (posix) {
            String owner = Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS).getName();
            if (!owner.equals(System.getProperty("user.name"))
                    || !Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS).equals(ownerOnly)) {
                return null;
            }
        }
        return dir;
    }
}
