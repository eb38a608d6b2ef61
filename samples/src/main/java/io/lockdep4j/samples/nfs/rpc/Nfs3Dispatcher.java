package io.lockdep4j.samples.nfs.rpc;

import static io.lockdep4j.samples.nfs.rpc.Nfs3.*;
import static io.lockdep4j.samples.nfs.rpc.XdrCodec.*;

import io.lockdep4j.samples.nfs.Hazard;
import io.lockdep4j.samples.nfs.NfsExport;
import io.lockdep4j.samples.nfs.NfsServer;
import io.lockdep4j.samples.nfs.cache.NfsFile;
import io.lockdep4j.samples.nfs.cache.NfsFileCache;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.dcache.oncrpc4j.rpc.OncRpcException;
import org.dcache.oncrpc4j.rpc.RpcCall;
import org.dcache.oncrpc4j.rpc.RpcDispatchable;
import org.dcache.oncrpc4j.xdr.BadXdrOncRpcException;
import org.dcache.oncrpc4j.xdr.Xdr;
import org.dcache.oncrpc4j.xdr.XdrAble;
import org.dcache.oncrpc4j.xdr.XdrVoid;

/**
 * NFS program 100003 version 3 (RFC 1813). {@link #dispatchOncRpcCall} runs on the RPC worker
 * ("nfsd-N") threads: the must-not-block context. Every reply is sent after all locks are dropped.
 * Work that must block (COMMIT and stable WRITE forces; requests deferred during a recovery grace
 * period) is handed to {@link #syncExecutor} ("nfsd-sync-N"), which sends the reply itself.
 */
public final class Nfs3Dispatcher implements RpcDispatchable {
    private static final int MAX_IO = 64 * 1024;

    private final NfsServer server;
    private final NfsExport export;
    private final NfsFileCache cache;
    private final boolean leakHazard;
    /** Hazard {@code leak}: channels opened by READ's EOF probe and never closed (one per file). */
    private final ConcurrentHashMap<Long, FileChannel> leakedProbeChannels = new ConcurrentHashMap<>();
    /** Runs blocking work (forces, deferred requests) off the RPC worker threads. */
    private final ExecutorService syncExecutor;

    public final LongAdder calls = new LongAdder();
    public final LongAdder failures = new LongAdder();
    public final AtomicLong leakedChannels = new AtomicLong();
    /** FileChannel.force calls made for COMMIT and stable WRITEs. */
    public final AtomicLong commitForces = new AtomicLong();
    /** Name of the last thread that ran {@link #dispatchOncRpcCall} (the RPC worker context). */
    public volatile String lastDispatchThread;
    private final LongAdder[] perProc = new LongAdder[22];

    public Nfs3Dispatcher(NfsServer server) {
        this.server = server;
        this.export = server.export();
        this.cache = server.fileCache();
        this.leakHazard = server.config().hazard(Hazard.LEAK);
        for (int i = 0; i < perProc.length; i++) {
            perProc[i] = new LongAdder();
        }
        AtomicInteger n = new AtomicInteger();
        this.syncExecutor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "nfsd-sync-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Stop the sync executor (after the RPC service stopped). */
    public void shutdown() throws InterruptedException {
        syncExecutor.shutdown();
        syncExecutor.awaitTermination(5, TimeUnit.SECONDS);
    }

    @FunctionalInterface
    private interface Procedure {
        XdrAble run() throws IOException, InterruptedException;
    }

    /** Run {@code work} on the sync executor and reply from there (the RPC worker returns at once). */
    private XdrAble replyLater(RpcCall call, int proc, Procedure work) {
        try {
            syncExecutor.execute(() -> call.reply(runMapped(proc, work)));
        } catch (RejectedExecutionException e) {
            return failure(proc, NFS3ERR_JUKEBOX); // shutting down
        }
        return null;
    }

    /** Run a procedure body, mapping exceptions to the procedure's failure reply. */
    private XdrAble runMapped(int proc, Procedure work) {
        try {
            return work.run();
        } catch (NfsStatusException e) {
            failures.increment();
            return failure(proc, e.status());
        } catch (IOException e) {
            failures.increment();
            return failure(proc, ((NfsStatusException) NfsExport.translate(e)).status());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failures.increment();
            return failure(proc, NFS3ERR_JUKEBOX);
        } catch (RuntimeException e) {
            failures.increment();
            System.err.println("lockdep4j-nfs: " + procName(proc) + " failed: " + e);
            return failure(proc, NFS3ERR_SERVERFAULT);
        }
    }

    public long calls(int proc) {
        return perProc[proc].sum();
    }

    @Override
    public void dispatchOncRpcCall(RpcCall call) throws OncRpcException, IOException {
        int proc = call.getProcedure();
        calls.increment();
        lastDispatchThread = Thread.currentThread().getName();
        if (proc >= 0 && proc < perProc.length) {
            perProc[proc].increment();
        }
        XdrAble reply;
        try {
            Xdr in = call.getXdr();
            switch (proc) {
                case NFSPROC3_NULL: in.endDecoding(); reply = XdrVoid.XDR_VOID; break;
                case NFSPROC3_GETATTR: reply = getattr(in); break;
                case NFSPROC3_SETATTR: reply = setattr(in); break;
                case NFSPROC3_LOOKUP: reply = lookup(in); break;
                case NFSPROC3_ACCESS: reply = access(in); break;
                case NFSPROC3_READ: reply = read(in); break;
                case NFSPROC3_WRITE: reply = write(call, in); break;
                case NFSPROC3_CREATE: reply = create(in); break;
                case NFSPROC3_MKDIR: reply = mkdir(in); break;
                case NFSPROC3_REMOVE: reply = remove(in, false); break;
                case NFSPROC3_RMDIR: reply = remove(in, true); break;
                case NFSPROC3_RENAME: reply = rename(in); break;
                case NFSPROC3_READDIR: reply = readdir(in, false); break;
                case NFSPROC3_READDIRPLUS: reply = readdir(in, true); break;
                case NFSPROC3_FSSTAT: reply = fsstat(in); break;
                case NFSPROC3_FSINFO: reply = fsinfo(in); break;
                case NFSPROC3_PATHCONF: reply = pathconf(in); break;
                case NFSPROC3_COMMIT: reply = commit(call, in); break;
                case NFSPROC3_READLINK:
                case NFSPROC3_SYMLINK:
                case NFSPROC3_MKNOD:
                case NFSPROC3_LINK:
                    in.endDecoding();
                    reply = failure(proc, NFS3ERR_NOTSUPP);
                    break;
                default:
                    call.failProcedureUnavailable();
                    return;
            }
        } catch (BadXdrOncRpcException e) {
            call.failRpcGarbage();
            return;
        } catch (NfsStatusException e) {
            failures.increment();
            reply = failure(proc, e.status());
        } catch (IOException e) {
            failures.increment();
            reply = failure(proc, ((NfsStatusException) NfsExport.translate(e)).status());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failures.increment();
            reply = failure(proc, NFS3ERR_JUKEBOX);
        } catch (RuntimeException e) {
            failures.increment();
            System.err.println("lockdep4j-nfs: " + procName(proc) + " failed: " + e);
            reply = failure(proc, NFS3ERR_SERVERFAULT);
        }
        if (reply != null) { // null: replied (or will reply) from another thread
            call.reply(reply);
        }
    }

    /** The failure body of each procedure: status plus empty post_op_attr / wcc_data. */
    static XdrAble failure(int proc, int status) {
        return encoding(x -> {
            x.xdrEncodeInt(status);
            switch (proc) {
                case NFSPROC3_GETATTR:
                    break;
                case NFSPROC3_SETATTR: case NFSPROC3_WRITE: case NFSPROC3_CREATE: case NFSPROC3_MKDIR:
                case NFSPROC3_SYMLINK: case NFSPROC3_MKNOD: case NFSPROC3_REMOVE: case NFSPROC3_RMDIR:
                case NFSPROC3_COMMIT:
                    encodeWcc(x, null);
                    break;
                case NFSPROC3_RENAME:
                    encodeWcc(x, null);
                    encodeWcc(x, null);
                    break;
                case NFSPROC3_LINK:
                    encodePostOpAttr(x, null);
                    encodeWcc(x, null);
                    break;
                default: // LOOKUP ACCESS READLINK READ READDIR READDIRPLUS FSSTAT FSINFO PATHCONF
                    encodePostOpAttr(x, null);
            }
        });
    }

    private static Fattr3 attrsOrNull(Path p) {
        try {
            return Fattr3.of(p);
        } catch (IOException e) {
            return null;
        }
    }

    private Fattr3 attrs(Path p) throws IOException {
        try {
            return Fattr3.of(p);
        } catch (IOException e) {
            throw NfsExport.translate(e);
        }
    }

    // ---- procedures ----

    private XdrAble getattr(Xdr in) throws IOException {
        byte[] fh = decodeFh(in);
        in.endDecoding();
        Fattr3 a = attrs(export.pathOf(fh));
        return encoding(x -> {
            x.xdrEncodeInt(NFS3_OK);
            a.encode(x);
        });
    }

    private XdrAble setattr(Xdr in) throws IOException {
        byte[] fh = decodeFh(in);
        Sattr3 s = Sattr3.decode(in);
        if (in.xdrDecodeBoolean()) { // sattrguard3: obj_ctime (not enforced)
            in.xdrDecodeInt();
            in.xdrDecodeInt();
        }
        in.endDecoding();
        long id = export.idOf(fh);
        Path p = export.pathOf(id);
        applySattr(id, p, s);
        Fattr3 after = attrs(p);
        return encoding(x -> {
            x.xdrEncodeInt(NFS3_OK);
            encodeWcc(x, after);
        });
    }

    private void applySattr(long id, Path p, Sattr3 s) throws IOException {
        try {
            if (s.size != null) {
                if (Files.isDirectory(p)) {
                    throw new NfsStatusException(NFS3ERR_ISDIR, "cannot set size of a directory");
                }
                NfsFile f = cache.acquire(id, p);
                try {
                    f.truncateOrExtend(s.size);
                } finally {
                    cache.put(f);
                }
            }
            if (s.mode != null) {
                try {
                    Files.setPosixFilePermissions(p, permissions(s.mode));
                } catch (UnsupportedOperationException ignored) {
                    // non-POSIX file system
                }
            }
            if (s.mtimeHow != DONT_CHANGE) {
                long ms = s.mtimeHow == SET_TO_CLIENT_TIME ? s.mtimeMillis : System.currentTimeMillis();
                Files.setLastModifiedTime(p, FileTime.fromMillis(ms));
            }
        } catch (IOException e) {
            throw NfsExport.translate(e);
        }
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
                PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
                PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_READ};
        for (int i = 0; i < order.length; i++) {
            if ((mode & (1 << i)) != 0) {
                set.add(order[i]);
            }
        }
        return set;
    }

    private XdrAble lookup(Xdr in) throws IOException {
        byte[] dirFh = decodeFh(in);
        String name = in.xdrDecodeString();
        in.endDecoding();
        long dirId = export.idOf(dirFh);
        Path dir = export.pathOf(dirId);
        long id;
        try {
            id = export.lookup(dirId, name);
        } catch (NfsStatusException e) {
            Fattr3 dirAttrs = attrsOrNull(dir);
            return encoding(x -> {
                x.xdrEncodeInt(e.status());
                encodePostOpAttr(x, dirAttrs);
            });
        }
        byte[] fh = export.handle(id);
        Fattr3 obj = attrs(export.pathOf(id));
        Fattr3 dirAttrs = attrsOrNull(dir);
        return encoding(x -> {
            x.xdrEncodeInt(NFS3_OK);
            encodeFh(x, fh);
            encodePostOpAttr(x, obj);
            encodePostOpAttr(x, dirAttrs);
        });
    }

    private XdrAble access(Xdr in) throws IOException {
        byte[] fh = decodeFh(in);
        int access = in.xdrDecodeInt();
        in.endDecoding();
        Fattr3 a = attrs(export.pathOf(fh));
        return encoding(x -> {
            x.xdrEncodeInt(NFS3_OK);
            encodePostOpAttr(x, a);
            x.xdrEncodeInt(access); // everything asked for is granted
        });
    }

    private XdrAble read(Xdr in) throws IOException {
        byte[] fh = decodeFh(in);
        long offset = in.xdrDecodeLong();
        int count = Math.min(in.xdrDecodeInt(), MAX_IO);
        in.endDecoding();
        long id = export.idOf(fh);
        Path p = export.pathOf(id);
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            throw new NfsStatusException(NFS3ERR_ISDIR, "READ of a directory");
        }
        if (leakHazard) {
            probeEof(id, p);
        }
        ByteBuffer buf = ByteBuffer.allocate(Math.max(count, 0));
        int n;
        long size;
        NfsFile f = cache.acquire(id, p);
        try {
            n = f.read(buf, offset);
            size = f.channel().size();
        } finally {
            cache.put(f);
        }
        boolean eof = offset + n >= size;
        Fattr3 a = attrsOrNull(p);
        byte[] data = n == buf.capacity() ? buf.array() : java.util.Arrays.copyOf(buf.array(), n);
        return encoding(x -> {
            x.xdrEncodeInt(NFS3_OK);
            encodePostOpAttr(x, a);
            x.xdrEncodeInt(data.length);
            x.xdrEncodeBoolean(eof);
            x.xdrEncodeDynamicOpaque(data);
        });
    }

    /** Hazard {@code leak}: an uncached size probe whose channel is never closed (once per file). */
    private void probeEof(long id, Path p) throws IOException {
        if (leakedProbeChannels.containsKey(id) || leakedProbeChannels.size() >= 4096) {
            return;
        }
        FileChannel probe = FileChannel.open(p, StandardOpenOption.READ);
        probe.size();
        if (leakedProbeChannels.putIfAbsent(id, probe) == null) {
            leakedChannels.incrementAndGet(); // ... and nobody ever closes it
        } else {
            probe.close();
        }
    }

    private XdrAble write(RpcCall call, Xdr in) throws IOException, InterruptedException {
        byte[] fh = decodeFh(in);
        long offset = in.xdrDecodeLong();
        int count = in.xdrDecodeInt();
        int stable = in.xdrDecodeInt();
        byte[] data = in.xdrDecodeDynamicOpaque();
        in.endDecoding();
        Procedure work = () -> doWrite(fh, offset, count, stable, data);
        if (server.stateRecovery().deferUntilGraceEnds(() -> call.reply(runMapped(NFSPROC3_WRITE, work)), syncExecutor)) {
            return null; // safe twin: revisited after the grace period, no thread waits for it
        }
        if (stable != UNSTABLE) {
            return replyLater(call, NFSPROC3_WRITE, work); // the force runs off the RPC worker
        }
        return work.run();
    }

    private XdrAble doWrite(byte[] fh, long offset, int count, int stable, byte[] data)
            throws IOException, InterruptedException {
        long id = export.idOf(fh);
        Path p = export.pathOf(id);
        int len = Math.min(count, data.length);
        NfsFile f = cache.acquire(id, p);
        try {
            f.write(ByteBuffer.wrap(data, 0, len), offset);
            if (stable != UNSTABLE) {
                f.commit();
                commitForces.incrementAndGet();
            }
        } finally {
            cache.put(f);
        }
        long verifier = server.stateRecovery().currentWriteVerifier();
        Fattr3 after = attrsOrNull(p);
        int committed = stable == UNSTABLE ? UNSTABLE : FILE_SYNC;
        return encoding(x -> {
            x.xdrEncodeInt(NFS3_OK);
            encodeWcc(x, after);
            x.xdrEncodeInt(len);
            x.xdrEncodeInt(committed);
            x.xdrEncodeLong(verifier); // writeverf3: 8 opaque bytes
        });
    }

    private XdrAble commit(RpcCall call, Xdr in) throws IOException {
        byte[] fh = decodeFh(in);
        in.xdrDecodeLong(); // offset
        in.xdrDecodeInt(); // count
        in.endDecoding();
        Procedure work = () -> doCommit(fh);
        if (server.stateRecovery().deferUntilGraceEnds(() -> call.reply(runMapped(NFSPROC3_COMMIT, work)), syncExecutor)) {
            return null;
        }
        return replyLater(call, NFSPROC3_COMMIT, work); // the force runs off the RPC worker
    }

    private XdrAble doCommit(byte[] fh) throws IOException, InterruptedException {
        long id = export.idOf(fh);
        Path p = export.pathOf(id);
        NfsFile f = cache.acquire(id, p);
        try {
            f.commit(); // FileChannel.force, no lock held
            commitForces.incrementAndGet();
        } finally {
            cache.put(f);
        }
        long verifier = server.stateRecovery().currentWriteVerifier();
        Fattr3 after = attrsOrNull(p);
        return encoding(x -> {
            x.xdrEncodeInt(NFS3_OK);
            encodeWcc(x, after);
            x.xdrEncodeLong(verifier);
        });
    }

    private XdrAble create(Xdr in) throws IOException {
        byte[] dirFh = decodeFh(in);
        String name = in.xdrDecodeString();
        int how = in.xdrDecodeInt();
        Sattr3 s = null;
        if (how == CREATE_EXCLUSIVE) {
            in.xdrDecodeOpaque(8); // createverf3
        } else {
            s = Sattr3.decode(in);
        }
        in.endDecoding();
        long dirId = export.idOf(dirFh);
        long id = export.create(dirId, name, how != CREATE_UNCHECKED);
        Path p = export.pathOf(id);
        if (s != null) {
            applySattr(id, p, s);
        }
        return newObject(id, dirId);
    }

    private XdrAble mkdir(Xdr in) throws IOException {
        byte[] dirFh = decodeFh(in);
        String name = in.xdrDecodeString();
        Sattr3 s = Sattr3.decode(in);
        in.endDecoding();
        long dirId = export.idOf(dirFh);
        long id = export.mkdir(dirId, name);
        if (s.mode != null) {
            applySattr(id, export.pathOf(id), s);
        }
        return newObject(id, dirId);
    }

    private XdrAble newObject(long id, long dirId) throws IOException {
        byte[] fh = export.handle(id);
        Fattr3 obj = attrsOrNull(export.pathOf(id));
        Fattr3 dirAttrs = attrsOrNull(export.pathOf(dirId));
        return encoding(x -> {
            x.xdrEncodeInt(NFS3_OK);
            encodePostOpFh(x, fh);
            encodePostOpAttr(x, obj);
            encodeWcc(x, dirAttrs);
        });
    }

    private XdrAble remove(Xdr in, boolean directory) throws IOException {
        byte[] dirFh = decodeFh(in);
        String name = in.xdrDecodeString();
        in.endDecoding();
        long dirId = export.idOf(dirFh);
        export.remove(dirId, name, directory);
        Fattr3 dirAttrs = attrsOrNull(export.pathOf(dirId));
        return encoding(x -> {
            x.xdrEncodeInt(NFS3_OK);
            encodeWcc(x, dirAttrs);
        });
    }

    private XdrAble rename(Xdr in) throws IOException {
        byte[] fromFh = decodeFh(in);
        String fromName = in.xdrDecodeString();
        byte[] toFh = decodeFh(in);
        String toName = in.xdrDecodeString();
        in.endDecoding();
        long fromDir = export.idOf(fromFh);
        long toDir = export.idOf(toFh);
        export.rename(fromDir, fromName, toDir, toName);
        Fattr3 fromAttrs = attrsOrNull(export.pathOf(fromDir));
        Fattr3 toAttrs = attrsOrNull(export.pathOf(toDir));
        return encoding(x -> {
            x.xdrEncodeInt(NFS3_OK);
            encodeWcc(x, fromAttrs);
            encodeWcc(x, toAttrs);
        });
    }

    private XdrAble readdir(Xdr in, boolean plus) throws IOException {
        byte[] dirFh = decodeFh(in);
        long cookie = in.xdrDecodeLong();
        in.xdrDecodeOpaque(8); // cookieverf3
        int dircount = in.xdrDecodeInt();
        int maxcount = plus ? in.xdrDecodeInt() : dircount;
        in.endDecoding();
        long dirId = export.idOf(dirFh);
        Path dir = export.pathOf(dirId);
        List<Path> all = export.list(dirId);
        if (cookie < 0 || cookie > all.size()) {
            throw new NfsStatusException(10003 /* NFS3ERR_BAD_COOKIE */, "bad cookie " + cookie);
        }
        Fattr3 dirAttrs = attrsOrNull(dir);
        List<Object[]> entries = new ArrayList<>();
        int budget = Math.max(maxcount, 1024) - 128;
        int used = 0;
        int i = (int) cookie;
        for (; i < all.size(); i++) {
            Path p = all.get(i);
            String name = p.getFileName().toString();
            Fattr3 a = attrsOrNull(p);
            if (a == null) {
                continue; // vanished
            }
            int size = 8 + 4 + ((name.length() + 3) & ~3) + 8 + 4 + (plus ? 4 + 84 + 4 + 4 + 16 : 0);
            if (used + size > budget) {
                break;
            }
            used += size;
            byte[] fh = plus ? export.handle(export.idFor(p)) : null;
            entries.add(new Object[] {a.fileid, name, (long) (i + 1), a, fh});
        }
        boolean eof = i >= all.size();
        return encoding(x -> {
            x.xdrEncodeInt(NFS3_OK);
            encodePostOpAttr(x, dirAttrs);
            x.xdrEncodeLong(0); // cookieverf3
            for (Object[] e : entries) {
                x.xdrEncodeBoolean(true);
                x.xdrEncodeLong((Long) e[0]);
                x.xdrEncodeString((String) e[1]);
                x.xdrEncodeLong((Long) e[2]);
                if (plus) {
                    encodePostOpAttr(x, (Fattr3) e[3]);
                    encodePostOpFh(x, (byte[]) e[4]);
                }
            }
            x.xdrEncodeBoolean(false);
            x.xdrEncodeBoolean(eof);
        });
    }

    private XdrAble fsstat(Xdr in) throws IOException {
        byte[] fh = decodeFh(in);
        in.endDecoding();
        Path p = export.pathOf(fh);
        Fattr3 a = attrs(p);
        FileStore store = Files.getFileStore(p);
        long total = store.getTotalSpace();
        long free = store.getUnallocatedSpace();
        long avail = store.getUsableSpace();
        return encoding(x -> {
            x.xdrEncodeInt(NFS3_OK);
            encodePostOpAttr(x, a);
            x.xdrEncodeLong(total);
            x.xdrEncodeLong(free);
            x.xdrEncodeLong(avail);
            x.xdrEncodeLong(1_000_000L); // tfiles
            x.xdrEncodeLong(1_000_000L); // ffiles
            x.xdrEncodeLong(1_000_000L); // afiles
            x.xdrEncodeInt(0); // invarsec
        });
    }

    private XdrAble fsinfo(Xdr in) throws IOException {
        byte[] fh = decodeFh(in);
        in.endDecoding();
        Fattr3 a = attrs(export.pathOf(fh));
        return encoding(x -> {
            x.xdrEncodeInt(NFS3_OK);
            encodePostOpAttr(x, a);
            x.xdrEncodeInt(MAX_IO); // rtmax
            x.xdrEncodeInt(MAX_IO); // rtpref
            x.xdrEncodeInt(4096); // rtmult
            x.xdrEncodeInt(MAX_IO); // wtmax
            x.xdrEncodeInt(MAX_IO); // wtpref
            x.xdrEncodeInt(4096); // wtmult
            x.xdrEncodeInt(8192); // dtpref
            x.xdrEncodeLong(Long.MAX_VALUE); // maxfilesize
            x.xdrEncodeInt(0); // time_delta seconds
            x.xdrEncodeInt(1); // time_delta nseconds
            x.xdrEncodeInt(0x0008 | 0x0010); // FSF3_HOMOGENEOUS | FSF3_CANSETTIME
        });
    }

    private XdrAble pathconf(Xdr in) throws IOException {
        byte[] fh = decodeFh(in);
        in.endDecoding();
        Fattr3 a = attrs(export.pathOf(fh));
        return encoding(x -> {
            x.xdrEncodeInt(NFS3_OK);
            encodePostOpAttr(x, a);
            x.xdrEncodeInt(1); // linkmax
            x.xdrEncodeInt(255); // name_max
            x.xdrEncodeBoolean(true); // no_trunc
            x.xdrEncodeBoolean(true); // chown_restricted
            x.xdrEncodeBoolean(false); // case_insensitive
            x.xdrEncodeBoolean(true); // case_preserving
        });
    }

    /** Close the leak hazard's channels (only for tests that want a clean JVM afterwards). */
    public int leakedProbeChannelCount() {
        return leakedProbeChannels.size();
    }
}
