package io.lockdep4j.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * The close of an open file handle (FileChannel, FileOutputStream, FileInputStream,
 * RandomAccessFile, AsynchronousFileChannel), with the locks and contexts the closing thread was
 * in. One event per handle actually closed: closing an already-closed stream, and the nested
 * closes a stream and its channel make of each other, are not reported. The JFR recorder's own
 * files are never reported.
 */
@Name(EventNames.FILE_CLOSE)
@Label("File Close")
@Description("A file handle was closed: by which thread, holding which locks, in which contexts, and whether it was forced to disk first")
@Category({"lockdep4j", "Release"})
@StackTrace(true)
@Enabled(false)
public final class FileCloseEvent extends Event {
    @Label("Path")
    @Description("The file's path, when the JDK knows it (null for handles made from a file descriptor)")
    public String path;

    @Label("Resource Class")
    @Description("java.io.FileOutputStream, sun.nio.ch.FileChannelImpl, ...: the class whose close was called first")
    public String resourceClass;

    @Label("Held Locks")
    @Description("Lock classes the closing thread held, outermost first, as class(mode); empty when none")
    public String heldLocks;
    @Label("Held Unshared")
    @Description("Held lock instances no other thread had locked so far, as class#identityHash;...: the call stalls nobody waiting for them unless a lockdep4j.LockInstanceShared event names one later")
    public String heldUnshared;

    @Label("Held Lock Count")
    public int heldLockCount;

    @Label("Contexts")
    @Description("Active contexts on the closing thread, outermost first, as name:Class#method separated by ';' (notifier, recovery, mustNotBlock, or a configured name)")
    public String contexts;

    @Label("Forced")
    @Description("A force/sync of this file ran inside the close, or right before it on the same thread with no other close in between")
    public boolean forced;

    @Label("Blocking Time")
    @Description("Time spent in force/sync of this file that counted toward this close")
    @Timespan(Timespan.NANOSECONDS)
    public long blockingNanos;

    @Label("Release Id") @ReleaseId
    @Description("The release this close belongs to: the innermost release method running on this thread, or the deferred release whose task is running (0 when none)")
    public long releaseId;

    @Label("Deferred")
    @Description("The close ran inside a task that a release method handed off to an executor")
    public boolean deferred;

    @Label("Open Site Id") @OpenSiteId
    @Description("The lockdep4j.FileOpen of the site that opened this handle, when the agent saw the open (0 otherwise)")
    public long openSiteId;
}
