package io.lockdep4j.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * The first file opened at an open site in application code ({@code new FileOutputStream},
 * {@code new FileInputStream}, {@code new RandomAccessFile}, {@code FileChannel.open},
 * {@code AsynchronousFileChannel.open}). Once per site, never per open: the agent names sites
 * when it instruments them, and every later open from the site costs a table insert only. The
 * stack is that first open's.
 */
@Name(EventNames.FILE_OPEN)
@Label("File Open Site")
@Description("The first file opened at an application open site; leaks and closes refer to it by open site id")
@Category({"lockdep4j", "Release"})
@StackTrace(true)
@Enabled(false)
public final class FileOpenEvent extends Event {
    @Label("Open Site Id") @OpenSiteId
    public long openSiteId;

    @Label("Open Site")
    @Description("Class.method:line of the open call")
    public String openSite;

    @Label("Path")
    @Description("The path of this first open")
    public String path;

    @Label("Resource Class")
    public String resourceClass;
}
