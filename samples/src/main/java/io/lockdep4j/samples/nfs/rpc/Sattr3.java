package io.lockdep4j.samples.nfs.rpc;

import java.io.IOException;
import org.dcache.oncrpc4j.xdr.XdrDecodingStream;
import org.dcache.oncrpc4j.xdr.XdrEncodingStream;

/** sattr3: attributes a client asks to set; {@code null}/-1 means "don't change". */
public final class Sattr3 {
    public Integer mode;
    public Integer uid;
    public Integer gid;
    public Long size;
    /** time_how for atime / mtime and the client time in milliseconds when SET_TO_CLIENT_TIME. */
    public int atimeHow = Nfs3.DONT_CHANGE;
    public long atimeMillis;
    public int mtimeHow = Nfs3.DONT_CHANGE;
    public long mtimeMillis;

    public static Sattr3 decode(XdrDecodingStream x) throws IOException {
        Sattr3 s = new Sattr3();
        if (x.xdrDecodeBoolean()) s.mode = x.xdrDecodeInt();
        if (x.xdrDecodeBoolean()) s.uid = x.xdrDecodeInt();
        if (x.xdrDecodeBoolean()) s.gid = x.xdrDecodeInt();
        if (x.xdrDecodeBoolean()) s.size = x.xdrDecodeLong();
        s.atimeHow = x.xdrDecodeInt();
        if (s.atimeHow == Nfs3.SET_TO_CLIENT_TIME) s.atimeMillis = decodeTime(x);
        s.mtimeHow = x.xdrDecodeInt();
        if (s.mtimeHow == Nfs3.SET_TO_CLIENT_TIME) s.mtimeMillis = decodeTime(x);
        return s;
    }

    private static long decodeTime(XdrDecodingStream x) throws IOException {
        long seconds = x.xdrDecodeInt() & 0xffffffffL;
        long nanos = x.xdrDecodeInt() & 0xffffffffL;
        return seconds * 1000 + nanos / 1_000_000;
    }

    public void encode(XdrEncodingStream x) {
        x.xdrEncodeBoolean(mode != null);
        if (mode != null) x.xdrEncodeInt(mode);
        x.xdrEncodeBoolean(uid != null);
        if (uid != null) x.xdrEncodeInt(uid);
        x.xdrEncodeBoolean(gid != null);
        if (gid != null) x.xdrEncodeInt(gid);
        x.xdrEncodeBoolean(size != null);
        if (size != null) x.xdrEncodeLong(size);
        x.xdrEncodeInt(Nfs3.DONT_CHANGE);
        x.xdrEncodeInt(Nfs3.DONT_CHANGE);
    }
}
