package io.lockdep4j.samples.nfs;

import static org.junit.jupiter.api.Assertions.*;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real non-JVM NFSv3 client: Debian's libnfs-utils (nfs-cp, nfs-cat, nfs-ls). The URL carries
 * {@code nfsport} and {@code mountport} so libnfs needs no portmapper; the mount path is
 * {@code /export}. Missing tools are installed with apt-get; if that is impossible the test fails.
 */
class LibnfsInteropTest {

    @TempDir
    Path export;

    @TempDir
    Path local;

    @BeforeAll
    static void ensureLibnfsUtils() throws Exception {
        if (onPath("nfs-cp") && onPath("nfs-cat") && onPath("nfs-ls")) {
            return;
        }
        String log = "";
        Result install = run(List.of("apt-get", "install", "-y", "libnfs-utils"), 300);
        log += install.output;
        if (install.exit != 0) {
            Result update = run(List.of("apt-get", "update"), 300);
            log += update.output;
            install = run(List.of("apt-get", "install", "-y", "libnfs-utils"), 300);
            log += install.output;
        }
        assertTrue(onPath("nfs-cp") && onPath("nfs-cat") && onPath("nfs-ls"),
                "libnfs-utils (nfs-cp, nfs-cat, nfs-ls) is not installed and `apt-get install -y libnfs-utils` "
                        + "failed; install it (Debian/Ubuntu package libnfs-utils) to run this test.\n" + log);
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    record Result(int exit, String output) {}

    static Result run(List<String> cmd, long timeoutSeconds) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return new Result(-1, cmd + ": " + e + "\n");
        }
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Result(-1, cmd + " timed out\n" + new String(out));
        }
        return new Result(p.exitValue(), new String(out));
    }

    private static String url(int port, String path) {
        return "nfs://127.0.0.1/export" + path + "?version=3&nfsport=" + port + "&mountport=" + port;
    }

    @Test
    void nfsCpInAndOutByteForByteAndList() throws Exception {
        NfsServerConfig cfg = new NfsServerConfig();
        cfg.exportDir = export;
        try (NfsServer server = new NfsServer(cfg).start()) {
            int port = server.port();
            byte[] data = new byte[300_000 + 17];
            new Random(7).nextBytes(data);
            Path in = local.resolve("in.bin");
            Files.write(in, data);

            Result cpIn = run(List.of("nfs-cp", in.toString(), url(port, "/copied.bin")), 60);
            assertEquals(0, cpIn.exit, "nfs-cp in: " + cpIn.output);
            assertArrayEquals(data, Files.readAllBytes(export.resolve("copied.bin")), "server-side bytes");

            Path out = local.resolve("out.bin");
            Result cpOut = run(List.of("nfs-cp", url(port, "/copied.bin"), out.toString()), 60);
            assertEquals(0, cpOut.exit, "nfs-cp out: " + cpOut.output);
            assertArrayEquals(data, Files.readAllBytes(out), "round trip bytes");

            Files.writeString(export.resolve("hello.txt"), "hello from the export\n");
            Result cat = run(List.of("nfs-cat", url(port, "/hello.txt")), 60);
            assertEquals(0, cat.exit, "nfs-cat: " + cat.output);
            assertEquals("hello from the export\n", cat.output);

            Result ls = run(List.of("nfs-ls", url(port, "")), 60);
            assertEquals(0, ls.exit, "nfs-ls: " + ls.output);
            List<String> names = new ArrayList<>();
            for (String line : ls.output.split("\n")) {
                String[] f = line.trim().split("\\s+");
                names.add(f[f.length - 1]);
            }
            assertTrue(names.contains("copied.bin"), ls.output);
            assertTrue(names.contains("hello.txt"), ls.output);
            assertTrue(ls.output.contains(String.valueOf(data.length)), "size listed: " + ls.output);
            assertTrue(server.mountDispatcher().mounts.sum() >= 4, "each tool mounted /export");
        }
    }
}
