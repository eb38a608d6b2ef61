package io.lockdep4j.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** A configured reference-count release ({@code refcountClasses=Class#get:put}) went below zero. */
@Name(EventNames.REFCOUNT_UNDERFLOW)
@Label("Refcount Underflow")
@Description("A reference count kept by get/put methods went below zero: a double release")
@Category({"lockdep4j", "Release"})
@StackTrace(true)
@Enabled(false)
public final class RefcountUnderflowEvent extends Event {
    @Label("Object Class")
    public String objectClass;
    @Label("Object Identity") @ObjectIdentity
    public int objectId;
    @Label("Method")
    @Description("The put method that underflowed, as Class#method")
    public String method;
    @Label("Count")
    @Description("The count after the put (negative)")
    public long count;
}
