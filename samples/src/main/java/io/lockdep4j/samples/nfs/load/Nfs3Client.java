package io.lockdep4j.samples.nfs.load;

import static io.lockdep4j.samples.nfs.rpc.Nfs3.*;
import static io.lockdep4j.samples.nfs.rpc.XdrCodec.*;

import io.lockdep4j.samples.nfs.rpc.Fattr3;
import io.lockdep4j.samples.nfs.rpc.NfsStatusException;
import io.lockdep4j.samples.nfs.rpc.Sattr3;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.HdrHistogram.Histogram;
import org.dcache.oncrpc4j.rpc.OncRpcClient;
import org.dcache.oncrpc4j.rpc.RpcAuth;
import org.dcache.oncrpc4j.rpc.RpcAuthTypeUnix;
import org.dcache.oncrpc4j.rpc.RpcCall;
import org.dcache.oncrpc4j.rpc.RpcTransport;
import org.dcache.oncrpc4j.rpc.net.IpProtocolType;
import org.dcache.oncrpc4j.xdr.XdrAble;
import org.dcache.oncrpc4j.xdr.XdrVoid;

/** A minimal synchronous NFSv3 + MOUNT v3 client over one ONC RPC TCP connection (one caller at a time). */
public final class Nfs3Client implements AutoCloseable {
    private final OncRpcClient rpcClient;
    private final RpcCall nfs;
    private final RpcCall mount;
    private final long timeoutMs;
    /** Latency of every RPC this client made since {@link #resetRpcStats()}, microseconds (one caller at a time). */
    private final Histogram rpcMicros = new Histogram(3);

    public Nfs3Client(InetSocketAddress server, long timeoutMs) throws IOException {
        this.timeoutMs = timeoutMs;
        this.rpcClient = new OncRpcClient(server.getAddress(), IpProtocolType.TCP, server.getPort());
        RpcTransport transport = rpcClient.connect(timeoutMs, TimeUnit.MILLISECONDS);
        RpcAuth auth = new RpcAuthTypeUnix(0, 0, new int[] {0}, (int) (System.currentTimeMillis() / 1000),
                "lockdep4j-load");
        this.nfs = new RpcCall(NFS_PROGRAM, NFS_V3, auth, transport);
        this.mount = new RpcCall(MOUNT_PROGRAM, MOUNT_V3, auth, transport);
    }

    private void call(RpcCall rpc, int proc, XdrAble args, XdrAble result) throws IOException {
        long t0 = System.nanoTime();
        try {
            rpc.call(proc, args, result, timeoutMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IOException("RPC " + procName(proc) + " timed out after " + timeoutMs + " ms", e);
        } finally {
            rpcMicros.recordValue(Math.max(1, (System.nanoTime() - t0) / 1000));
        }
    }

    /** Round-trip latency of each RPC (replied or failed) since the last {@link #resetRpcStats()}, in µs. */
    public Histogram rpcMicros() {
        return rpcMicros;
    }

    public void resetRpcStats() {
        rpcMicros.reset();
    }

    private static void fail(int status, String what) throws NfsStatusException {
        if (status != NFS3_OK) {
            throw new NfsStatusException(status, what);
        }
    }

    public void nullCall() throws IOException {
        call(nfs, NFSPROC3_NULL, XdrVoid.XDR_VOID, new XdrVoid());
    }

    public byte[] mount(String path) throws IOException {
        int[] status = new int[1];
        byte[][] fh = new byte[1][];
        call(mount, MOUNTPROC3_MNT, encoding(x -> x.xdrEncodeString(path)), decoding(x -> {
            status[0] = x.xdrDecodeInt();
            if (status[0] == MNT3_OK) {
                fh[0] = x.xdrDecodeDynamicOpaque();
                x.xdrDecodeIntVector();
            }
        }));
        if (status[0] != MNT3_OK) {
            throw new IOException("MNT " + path + " failed: mountstat3 " + status[0]);
        }
        return fh[0];
    }

    public Fattr3 getattr(byte[] fh) throws IOException {
        int[] status = new int[1];
        Fattr3[] a = new Fattr3[1];
        call(nfs, NFSPROC3_GETATTR, encoding(x -> encodeFh(x, fh)), decoding(x -> {
            status[0] = x.xdrDecodeInt();
            if (status[0] == NFS3_OK) {
                a[0] = Fattr3.decode(x);
            }
        }));
        fail(status[0], "GETATTR");
        return a[0];
    }

    /** LOOKUP; null when the name does not exist. */
    public byte[] lookup(byte[] dir, String name) throws IOException {
        int[] status = new int[1];
        byte[][] fh = new byte[1][];
        call(nfs, NFSPROC3_LOOKUP, encoding(x -> {
            encodeFh(x, dir);
            x.xdrEncodeString(name);
        }), decoding(x -> {
            status[0] = x.xdrDecodeInt();
            if (status[0] == NFS3_OK) {
                fh[0] = decodeFh(x);
                decodePostOpAttr(x);
            }
            decodePostOpAttr(x);
        }));
        if (status[0] == NFS3ERR_NOENT) {
            return null;
        }
        fail(status[0], "LOOKUP " + name);
        return fh[0];
    }

    /** CREATE (UNCHECKED, truncating to size 0). */
    public byte[] create(byte[] dir, String name) throws IOException {
        int[] status = new int[1];
        byte[][] fh = new byte[1][];
        Sattr3 s = new Sattr3();
        s.mode = 0644;
        s.size = 0L;
        call(nfs, NFSPROC3_CREATE, encoding(x -> {
            encodeFh(x, dir);
            x.xdrEncodeString(name);
            x.xdrEncodeInt(CREATE_UNCHECKED);
            s.encode(x);
        }), decoding(x -> {
            status[0] = x.xdrDecodeInt();
            if (status[0] == NFS3_OK) {
                fh[0] = decodePostOpFh(x);
                decodePostOpAttr(x);
            }
            skipWcc(x);
        }));
        fail(status[0], "CREATE " + name);
        return fh[0] != null ? fh[0] : lookup(dir, name);
    }

    public byte[] mkdir(byte[] dir, String name) throws IOException {
        int[] status = new int[1];
        byte[][] fh = new byte[1][];
        Sattr3 s = new Sattr3();
        s.mode = 0755;
        call(nfs, NFSPROC3_MKDIR, encoding(x -> {
            encodeFh(x, dir);
            x.xdrEncodeString(name);
            s.encode(x);
        }), decoding(x -> {
            status[0] = x.xdrDecodeInt();
            if (status[0] == NFS3_OK) {
                fh[0] = decodePostOpFh(x);
                decodePostOpAttr(x);
            }
            skipWcc(x);
        }));
        fail(status[0], "MKDIR " + name);
        return fh[0];
    }

    /** Result of WRITE/COMMIT: bytes written, how it was committed and the server's write verifier. */
    public record WriteResult(int count, int committed, long verifier) {}

    public WriteResult write(byte[] fh, long offset, byte[] data, int off, int len, int stable) throws IOException {
        int[] status = new int[1];
        WriteResult[] r = new WriteResult[1];
        byte[] payload = off == 0 && len == data.length ? data : java.util.Arrays.copyOfRange(data, off, off + len);
        call(nfs, NFSPROC3_WRITE, encoding(x -> {
            encodeFh(x, fh);
            x.xdrEncodeLong(offset);
            x.xdrEncodeInt(len);
            x.xdrEncodeInt(stable);
            x.xdrEncodeDynamicOpaque(payload);
        }), decoding(x -> {
            status[0] = x.xdrDecodeInt();
            skipWcc(x);
            if (status[0] == NFS3_OK) {
                r[0] = new WriteResult(x.xdrDecodeInt(), x.xdrDecodeInt(), x.xdrDecodeLong());
            }
        }));
        fail(status[0], "WRITE");
        return r[0];
    }

    /** COMMIT; returns the write verifier. */
    public long commit(byte[] fh) throws IOException {
        int[] status = new int[1];
        long[] verf = new long[1];
        call(nfs, NFSPROC3_COMMIT, encoding(x -> {
            encodeFh(x, fh);
            x.xdrEncodeLong(0);
            x.xdrEncodeInt(0);
        }), decoding(x -> {
            status[0] = x.xdrDecodeInt();
            skipWcc(x);
            if (status[0] == NFS3_OK) {
                verf[0] = x.xdrDecodeLong();
            }
        }));
        fail(status[0], "COMMIT");
        return verf[0];
    }

    public record ReadResult(byte[] data, boolean eof) {}

    public ReadResult read(byte[] fh, long offset, int count) throws IOException {
        int[] status = new int[1];
        ReadResult[] r = new ReadResult[1];
        call(nfs, NFSPROC3_READ, encoding(x -> {
            encodeFh(x, fh);
            x.xdrEncodeLong(offset);
            x.xdrEncodeInt(count);
        }), decoding(x -> {
            status[0] = x.xdrDecodeInt();
            decodePostOpAttr(x);
            if (status[0] == NFS3_OK) {
                x.xdrDecodeInt();
                boolean eof = x.xdrDecodeBoolean();
                r[0] = new ReadResult(x.xdrDecodeDynamicOpaque(), eof);
            }
        }));
        fail(status[0], "READ");
        return r[0];
    }

    public void remove(byte[] dir, String name) throws IOException {
        int[] status = new int[1];
        call(nfs, NFSPROC3_REMOVE, encoding(x -> {
            encodeFh(x, dir);
            x.xdrEncodeString(name);
        }), decoding(x -> {
            status[0] = x.xdrDecodeInt();
            skipWcc(x);
        }));
        fail(status[0], "REMOVE " + name);
    }

    public void rename(byte[] fromDir, String from, byte[] toDir, String to) throws IOException {
        int[] status = new int[1];
        call(nfs, NFSPROC3_RENAME, encoding(x -> {
            encodeFh(x, fromDir);
            x.xdrEncodeString(from);
            encodeFh(x, toDir);
            x.xdrEncodeString(to);
        }), decoding(x -> {
            status[0] = x.xdrDecodeInt();
            skipWcc(x);
            skipWcc(x);
        }));
        fail(status[0], "RENAME " + from + " -> " + to);
    }

    /** READDIRPLUS over the whole directory; returns the names. */
    public List<String> readdirplus(byte[] dir) throws IOException {
        List<String> names = new ArrayList<>();
        long cookie = 0;
        boolean eof = false;
        while (!eof) {
            int[] status = new int[1];
            long[] last = {cookie};
            boolean[] done = new boolean[1];
            long start = cookie;
            call(nfs, NFSPROC3_READDIRPLUS, encoding(x -> {
                encodeFh(x, dir);
                x.xdrEncodeLong(start);
                x.xdrEncodeLong(0);
                x.xdrEncodeInt(8192);
                x.xdrEncodeInt(32768);
            }), decoding(x -> {
                status[0] = x.xdrDecodeInt();
                decodePostOpAttr(x);
                if (status[0] != NFS3_OK) {
                    return;
                }
                x.xdrDecodeLong(); // cookieverf
                while (x.xdrDecodeBoolean()) {
                    x.xdrDecodeLong(); // fileid
                    names.add(x.xdrDecodeString());
                    last[0] = x.xdrDecodeLong();
                    decodePostOpAttr(x);
                    decodePostOpFh(x);
                }
                done[0] = x.xdrDecodeBoolean();
            }));
            fail(status[0], "READDIRPLUS");
            if (!done[0] && last[0] == cookie) {
                throw new IOException("READDIRPLUS made no progress");
            }
            cookie = last[0];
            eof = done[0];
        }
        return names;
    }

    /** FSINFO: returns wtmax. */
    public int fsinfoWtmax(byte[] root) throws IOException {
        int[] status = new int[1];
        int[] wtmax = new int[1];
        call(nfs, NFSPROC3_FSINFO, encoding(x -> encodeFh(x, root)), decoding(x -> {
            status[0] = x.xdrDecodeInt();
            decodePostOpAttr(x);
            if (status[0] == NFS3_OK) {
                x.xdrDecodeInt();
                x.xdrDecodeInt();
                x.xdrDecodeInt();
                wtmax[0] = x.xdrDecodeInt();
                x.xdrDecodeInt();
                x.xdrDecodeInt();
                x.xdrDecodeInt();
                x.xdrDecodeLong();
                x.xdrDecodeInt();
                x.xdrDecodeInt();
                x.xdrDecodeInt();
            }
        }));
        fail(status[0], "FSINFO");
        return wtmax[0];
    }

    @Override
    public void close() throws IOException {
        rpcClient.close();
    }
}
