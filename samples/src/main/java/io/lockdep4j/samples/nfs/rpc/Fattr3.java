package io.lockdep4j.samples.nfs.rpc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import org.dcache.oncrpc4j.xdr.XdrDecodingStream;
import org.dcache.oncrpc4j.xdr.XdrEncodingStream;

/** fattr3 (RFC 1813 section 2.5), read from the local file system. */
public final class Fattr3 {
    public int type;
    public int mode;
    public int nlink;
    public int uid;
    public int gid;
    public long size;
    public long used;
    public long fsid;
    public long fileid;
    public long atimeNanos;
    public long mtimeNanos;
    public long ctimeNanos;

    private static final boolean UNIX_VIEW =
            java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("unix");

    /** Attributes of a local file; {@code fileid} is the inode number where the platform exposes it. */
    public static Fattr3 of(Path path) throws IOException {
        Fattr3 a = new Fattr3();
        BasicFileAttributes basic = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        a.type = basic.isDirectory() ? Nfs3.NF3DIR : basic.isSymbolicLink() ? Nfs3.NF3LNK : Nfs3.NF3REG;
        a.size = basic.size();
        a.used = basic.size();
        a.atimeNanos = nanos(basic.lastAccessTime());
        a.mtimeNanos = nanos(basic.lastModifiedTime());
        a.ctimeNanos = a.mtimeNanos;
        a.nlink = 1;
        a.mode = basic.isDirectory() ? 0755 : 0644;
        if (UNIX_VIEW) {
            Map<String, Object> u = Files.readAttributes(path, "unix:mode,ino,dev,nlink,uid,gid,ctime",
                    LinkOption.NOFOLLOW_LINKS);
            a.mode = ((Integer) u.get("mode")) & 07777;
            a.fileid = (Long) u.get("ino");
            a.fsid = (Long) u.get("dev");
            a.nlink = (Integer) u.get("nlink");
            a.uid = (Integer) u.get("uid");
            a.gid = (Integer) u.get("gid");
            a.ctimeNanos = nanos((FileTime) u.get("ctime"));
        } else {
            a.fileid = path.toAbsolutePath().normalize().hashCode() & 0x7fffffffL;
        }
        return a;
    }

    private static long nanos(FileTime t) {
        return t.to(java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    private static void encodeTime(XdrEncodingStream x, long nanos) {
        x.xdrEncodeInt((int) (nanos / 1_000_000_000L));
        x.xdrEncodeInt((int) (nanos % 1_000_000_000L));
    }

    private static long decodeTime(XdrDecodingStream x) throws IOException {
        long s = x.xdrDecodeInt() & 0xffffffffL;
        long n = x.xdrDecodeInt() & 0xffffffffL;
        return s * 1_000_000_000L + n;
    }

    public void encode(XdrEncodingStream x) {
        x.xdrEncodeInt(type);
        x.xdrEncodeInt(mode);
        x.xdrEncodeInt(nlink);
        x.xdrEncodeInt(uid);
        x.xdrEncodeInt(gid);
        x.xdrEncodeLong(size);
        x.xdrEncodeLong(used);
        x.xdrEncodeInt(0); // rdev specdata1
        x.xdrEncodeInt(0); // rdev specdata2
        x.xdrEncodeLong(fsid);
        x.xdrEncodeLong(fileid);
        encodeTime(x, atimeNanos);
        encodeTime(x, mtimeNanos);
        encodeTime(x, ctimeNanos);
    }

    public static Fattr3 decode(XdrDecodingStream x) throws IOException {
        Fattr3 a = new Fattr3();
        a.type = x.xdrDecodeInt();
        a.mode = x.xdrDecodeInt();
        a.nlink = x.xdrDecodeInt();
        a.uid = x.xdrDecodeInt();
        a.gid = x.xdrDecodeInt();
        a.size = x.xdrDecodeLong();
        a.used = x.xdrDecodeLong();
        x.xdrDecodeInt();
        x.xdrDecodeInt();
        a.fsid = x.xdrDecodeLong();
        a.fileid = x.xdrDecodeLong();
        a.atimeNanos = decodeTime(x);
        a.mtimeNanos = decodeTime(x);
        a.ctimeNanos = decodeTime(x);
        return a;
    }
}
