package io.lockdep4j.samples.nfs.rpc;

/** Program numbers, procedure numbers and status codes of NFSv3 and MOUNT v3 (RFC 1813). */
public final class Nfs3 {
    private Nfs3() {}

    public static final int NFS_PROGRAM = 100003;
    public static final int NFS_V3 = 3;
    public static final int MOUNT_PROGRAM = 100005;
    public static final int MOUNT_V3 = 3;

    // NFSv3 procedures
    public static final int NFSPROC3_NULL = 0;
    public static final int NFSPROC3_GETATTR = 1;
    public static final int NFSPROC3_SETATTR = 2;
    public static final int NFSPROC3_LOOKUP = 3;
    public static final int NFSPROC3_ACCESS = 4;
    public static final int NFSPROC3_READLINK = 5;
    public static final int NFSPROC3_READ = 6;
    public static final int NFSPROC3_WRITE = 7;
    public static final int NFSPROC3_CREATE = 8;
    public static final int NFSPROC3_MKDIR = 9;
    public static final int NFSPROC3_SYMLINK = 10;
    public static final int NFSPROC3_MKNOD = 11;
    public static final int NFSPROC3_REMOVE = 12;
    public static final int NFSPROC3_RMDIR = 13;
    public static final int NFSPROC3_RENAME = 14;
    public static final int NFSPROC3_LINK = 15;
    public static final int NFSPROC3_READDIR = 16;
    public static final int NFSPROC3_READDIRPLUS = 17;
    public static final int NFSPROC3_FSSTAT = 18;
    public static final int NFSPROC3_FSINFO = 19;
    public static final int NFSPROC3_PATHCONF = 20;
    public static final int NFSPROC3_COMMIT = 21;

    private static final String[] PROC_NAMES = {"NULL", "GETATTR", "SETATTR", "LOOKUP", "ACCESS", "READLINK",
            "READ", "WRITE", "CREATE", "MKDIR", "SYMLINK", "MKNOD", "REMOVE", "RMDIR", "RENAME", "LINK",
            "READDIR", "READDIRPLUS", "FSSTAT", "FSINFO", "PATHCONF", "COMMIT"};

    public static String procName(int proc) {
        return proc >= 0 && proc < PROC_NAMES.length ? PROC_NAMES[proc] : "PROC" + proc;
    }

    // MOUNT v3 procedures
    public static final int MOUNTPROC3_NULL = 0;
    public static final int MOUNTPROC3_MNT = 1;
    public static final int MOUNTPROC3_DUMP = 2;
    public static final int MOUNTPROC3_UMNT = 3;
    public static final int MOUNTPROC3_UMNTALL = 4;
    public static final int MOUNTPROC3_EXPORT = 5;

    // nfsstat3
    public static final int NFS3_OK = 0;
    public static final int NFS3ERR_PERM = 1;
    public static final int NFS3ERR_NOENT = 2;
    public static final int NFS3ERR_IO = 5;
    public static final int NFS3ERR_ACCES = 13;
    public static final int NFS3ERR_EXIST = 17;
    public static final int NFS3ERR_NOTDIR = 20;
    public static final int NFS3ERR_ISDIR = 21;
    public static final int NFS3ERR_INVAL = 22;
    public static final int NFS3ERR_NAMETOOLONG = 63;
    public static final int NFS3ERR_NOTEMPTY = 66;
    public static final int NFS3ERR_STALE = 70;
    public static final int NFS3ERR_BADHANDLE = 10001;
    public static final int NFS3ERR_NOTSUPP = 10004;
    public static final int NFS3ERR_SERVERFAULT = 10006;
    public static final int NFS3ERR_JUKEBOX = 10008;

    // mountstat3
    public static final int MNT3_OK = 0;
    public static final int MNT3ERR_NOENT = 2;

    // ftype3
    public static final int NF3REG = 1;
    public static final int NF3DIR = 2;
    public static final int NF3LNK = 5;

    // stable_how
    public static final int UNSTABLE = 0;
    public static final int DATA_SYNC = 1;
    public static final int FILE_SYNC = 2;

    // createmode3
    public static final int CREATE_UNCHECKED = 0;
    public static final int CREATE_GUARDED = 1;
    public static final int CREATE_EXCLUSIVE = 2;

    // time_how
    public static final int DONT_CHANGE = 0;
    public static final int SET_TO_SERVER_TIME = 1;
    public static final int SET_TO_CLIENT_TIME = 2;

    public static final int AUTH_NONE = 0;
    public static final int AUTH_SYS = 1;

    public static final int FHSIZE3 = 64;
}
