package io.lockdep4j.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * A force to disk ({@code FileChannel.force}, {@code FileDescriptor.sync},
 * {@code AsynchronousFileChannel.force}) with the locks and contexts of the forcing thread. Unlike
 * the JDK's {@code jdk.FileForce} it has no threshold, covers {@code FileDescriptor.sync}, and
 * knows the held locks.
 */
@Name(EventNames.FILE_FORCE)
@Label("File Force")
@Description("A file was forced to disk (fsync): by which thread, holding which locks, in which contexts")
@Category({"lockdep4j", "Release"})
@StackTrace(true)
@Enabled(false)
public final class FileForceEvent extends Event {
    @Label("Path")
    @Description("The file's path, when known")
    public String path;

    @Label("Resource Class")
    public String resourceClass;

    @Label("Metadata")
    @Description("force(true): file metadata was forced too; always true for FileDescriptor.sync")
    public boolean metaData;

    @Label("Held Locks")
    @Description("Lock classes the forcing thread held, outermost first, as class(mode)")
    public String heldLocks;
    @Label("Held Unshared")
    @Description("Held lock instances no other thread had locked so far, as class#identityHash;...: the call stalls nobody waiting for them unless a lockdep4j.LockInstanceShared event names one later")
    public String heldUnshared;

    @Label("Held Lock Count")
    public int heldLockCount;

    @Label("Contexts")
    @Description("Active contexts on the forcing thread, outermost first, as name:Class#method separated by ';'")
    public String contexts;

    @Label("Inside Close")
    @Description("The force ran inside a close of a file handle")
    public boolean insideClose;

    @Label("Release Id") @ReleaseId
    public long releaseId;

    @Label("Deferred")
    @Description("The force ran inside a task that a release method handed off to an executor")
    public boolean deferred;
}
