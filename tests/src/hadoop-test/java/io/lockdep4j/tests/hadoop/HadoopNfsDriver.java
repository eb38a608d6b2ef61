package io.lockdep4j.tests.hadoop;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.hdfs.nfs.conf.NfsConfigKeys;
import org.apache.hadoop.hdfs.nfs.conf.NfsConfiguration;
import org.apache.hadoop.hdfs.nfs.nfs3.Nfs3;

/**
 * Apache Hadoop's NFSv3 gateway ({@code hadoop-hdfs-nfs} 3.4.2) in front of a one-DataNode
 * {@link MiniDFSCluster}, all in this JVM on loopback, driven by a real NFS client outside it:
 * Debian's libnfs, which needs no portmapper because the URLs name the NFS and MOUNT ports. Each of
 * {@code files} files is created, written, COMMITted and read back through the gateway (libnfs via
 * python3 ctypes, see {@link #LIBNFS_WRITE}); then the export is listed with {@code nfs-ls}, the
 * lengths are checked on the HDFS side, and the gateway's daemons are stopped, which closes its open
 * HDFS streams in {@code OpenFileCtx.cleanup}. Prints one {@code nfs ...} line per client-observed
 * result (the same with and without the agent) and {@code nfs done}; exits 1 when a byte differs or
 * a client command fails.
 */
public final class HadoopNfsDriver {
    static final String EXPORT = "/export";

    public static void main(String[] args) throws Exception {
        int files = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        Path work = Files.createTempDirectory("lockdep4j-hadoop-nfs");
        String user = System.getProperty("user.name");
        int nfsPort = freePort();
        int mountPort = freePort();

        NfsConfiguration conf = new NfsConfiguration();
        // The gateway opens HDFS streams as the NFS caller (uid 0 → root) through a proxy user.
        conf.set("hadoop.proxyuser." + user + ".hosts", "*");
        conf.set("hadoop.proxyuser." + user + ".groups", "*");
        conf.set(NfsConfigKeys.DFS_NFS_EXPORT_POINT_KEY, EXPORT);
        conf.setInt(NfsConfigKeys.DFS_NFS_SERVER_PORT_KEY, nfsPort);
        conf.setInt(NfsConfigKeys.DFS_NFS_MOUNTD_PORT_KEY, mountPort);
        conf.setInt(NfsConfigKeys.NFS_HTTP_PORT_KEY, 0);
        conf.set(NfsConfigKeys.DFS_NFS_FILE_DUMP_DIR_KEY, work.resolve("dump").toString());
        conf.set("nfs.exports.allowed.hosts", "* rw");
        conf.set("dfs.namenode.http-address", "127.0.0.1:0");
        conf.set("dfs.datanode.http.address", "127.0.0.1:0");

        long t0 = System.nanoTime();
        MiniDFSCluster cluster = new MiniDFSCluster.Builder(conf, work.resolve("dfs").toFile()).numDataNodes(1).build();
        int failures = 0;
        try {
            cluster.waitActive();
            FileSystem fs = cluster.getFileSystem();
            fs.mkdirs(new org.apache.hadoop.fs.Path(EXPORT));
            // The gateway reads fs.defaultFS to find the NameNode.
            conf.set(FileSystem.FS_DEFAULT_NAME_KEY, fs.getUri().toString());
            Nfs3 nfs3 = new Nfs3(conf);
            nfs3.startServiceInternal(false); // no portmapper registration: no port 111
            System.err.printf("hadoop-nfs: cluster and gateway up in %d ms (nfs %d, mountd %d)%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), nfsPort, mountPort);

            String query = "?version=3&nfsport=" + nfsPort + "&mountport=" + mountPort;
            String base = "nfs://127.0.0.1" + EXPORT;
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            SplittableRandom random = new SplittableRandom(42);
            Path local = Files.createDirectories(work.resolve("local"));
            Path writer = work.resolve("libnfs_write.py");
            Files.writeString(writer, LIBNFS_WRITE);
            for (int i = 0; i < files; i++) {
                byte[] data = new byte[1 + random.nextInt(3 << 20)];
                for (int k = 0; k < data.length; k++) {
                    data[k] = (byte) random.nextInt(256);
                }
                String name = "file-" + i + ".bin";
                Path src = local.resolve(name);
                Files.write(src, data);
                Path back = local.resolve(name + ".back");
                failures += client("python3", writer.toString(), base + "/" + name + query, src.toString(), back.toString()) == null ? 1 : 0;
                byte[] read = Files.exists(back) ? Files.readAllBytes(back) : new byte[0];
                digest.update(read);
                System.out.println("nfs read " + name + " " + read.length + " " + (Arrays.equals(data, read) ? "same" : "DIFFERENT"));
                if (!Arrays.equals(data, read)) {
                    failures++;
                }
            }
            String listing = client("nfs-ls", base + query);
            List<String> names = new ArrayList<>();
            if (listing == null) {
                failures++;
            } else {
                for (String line : listing.split("\n")) {
                    String[] parts = line.trim().split("\\s+");
                    String last = parts[parts.length - 1];
                    if (last.startsWith("file-")) {
                        names.add(last);
                    }
                }
            }
            names.sort(null);
            System.out.println("nfs listed " + names);
            for (int i = 0; i < files; i++) {
                org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(EXPORT + "/file-" + i + ".bin");
                System.out.println("nfs hdfs " + p.getName() + " " + fs.getFileStatus(p).getLen());
            }
            System.out.println("nfs digest " + HexFormat.of().formatHex(digest.digest()));
            long stop0 = System.nanoTime();
            // Nfs3.stop() would first unregister from a portmapper that is not there (a long UDP timeout,
            // then an exception); stopDaemons is the part of it that matters here:
            // WriteManager.shutdownAsyncDataService → OpenFileCtxCache.cleanAll → OpenFileCtx.cleanup,
            // which closes the open HDFS streams.
            nfs3.getRpcProgram().stopDaemons();
            System.err.printf("hadoop-nfs: gateway stopped in %d ms%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stop0));
        } finally {
            cluster.shutdown();
            deleteTree(work);
        }
        System.out.println("nfs failures " + failures);
        System.out.println("nfs done");
        System.out.flush();
        // Hadoop leaves non-daemon threads behind (metrics, IPC); the recording is dumped at exit.
        System.exit(failures == 0 ? 0 : 1);
    }

    /**
     * libnfs (Debian's 4.0), called through ctypes: create, WRITE, COMMIT ({@code nfs_fsync}), READ
     * back through the same handle, close. Not {@code nfs-cp}/{@code nfs-cat}, because of two
     * mismatches between that libnfs and the gateway: {@code nfs-cp} creates with O_TRUNC, which
     * libnfs follows with SETATTR(size=0), and the gateway refuses every size change
     * (NFS3ERR_INVAL); and libnfs's open wants the ACCESS reply to equal the bits it asked for,
     * while the gateway grants every right the mode allows (READ comes with LOOKUP), so every
     * {@code nfs_open} fails with "ACCESS denied". A handle from {@code nfs_create} without O_TRUNC
     * needs neither.
     */
    static final String LIBNFS_WRITE = """
            import ctypes, os, sys
            from ctypes import c_void_p, c_char_p, c_int, c_uint64, POINTER, byref
            class Url(ctypes.Structure):
                _fields_ = [("server", c_char_p), ("path", c_char_p), ("file", c_char_p)]
            lib = ctypes.CDLL("libnfs.so.13")
            lib.nfs_init_context.restype = c_void_p
            lib.nfs_get_error.argtypes = [c_void_p]; lib.nfs_get_error.restype = c_char_p
            lib.nfs_parse_url_full.argtypes = [c_void_p, c_char_p]; lib.nfs_parse_url_full.restype = POINTER(Url)
            lib.nfs_mount.argtypes = [c_void_p, c_char_p, c_char_p]
            lib.nfs_create.argtypes = [c_void_p, c_char_p, c_int, c_int, POINTER(c_void_p)]
            lib.nfs_write.argtypes = [c_void_p, c_void_p, c_uint64, c_char_p]
            lib.nfs_fsync.argtypes = [c_void_p, c_void_p]
            lib.nfs_pread.argtypes = [c_void_p, c_void_p, c_uint64, c_uint64, c_void_p]
            lib.nfs_close.argtypes = [c_void_p, c_void_p]
            url, src, dst = sys.argv[1], sys.argv[2], sys.argv[3]
            nfs = lib.nfs_init_context()
            def check(rc, what):
                if rc < 0:
                    sys.exit("%s failed: %s" % (what, lib.nfs_get_error(nfs).decode()))
            u = lib.nfs_parse_url_full(nfs, url.encode())
            if not u:
                sys.exit("bad url: " + lib.nfs_get_error(nfs).decode())
            check(lib.nfs_mount(nfs, u.contents.server, u.contents.path), "mount")
            fh = c_void_p()
            check(lib.nfs_create(nfs, u.contents.file, os.O_WRONLY | os.O_CREAT, 0o644, byref(fh)), "create")
            data = open(src, "rb").read()
            done = 0
            while done < len(data):
                n = lib.nfs_write(nfs, fh, len(data) - done, data[done:])
                check(n, "write")
                done += n
            check(lib.nfs_fsync(nfs, fh), "fsync (COMMIT)")
            back = ctypes.create_string_buffer(len(data))
            got = 0
            while got < len(data):
                n = lib.nfs_pread(nfs, fh, got, len(data) - got, ctypes.byref(back, got))
                check(n, "read")
                if n == 0:
                    break
                got += n
            open(dst, "wb").write(back.raw[:got])
            check(lib.nfs_close(nfs, fh), "close")
            print(done, got)
            """;

    static void deleteTree(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Runs a libnfs-utils command; its stdout, or null (and the reason on stderr) if it failed. */
    static String client(String... cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            System.err.println("hadoop-nfs: timed out: " + String.join(" ", cmd));
            return null;
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            System.err.println("hadoop-nfs: exit " + p.exitValue() + ": " + String.join(" ", cmd) + "\n" + text);
            return null;
        }
        return text;
    }

    private HadoopNfsDriver() {}
}
