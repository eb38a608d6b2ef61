package io.lockdep4j.events;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.MetadataDefinition;
import jdk.jfr.Relational;

/**
 * Marks a field holding an object's identity hash, so that events about the same object can be
 * joined: a {@link WaitWhileHoldingEvent} and the {@link SignalEvent} that woke it, or a
 * {@link RefcountUnderflowEvent} and a {@link UseAfterReleaseEvent} on one object.
 */
@MetadataDefinition
@Relational
@Label("Object Identity")
@Description("Identity hash of an object; lockdep4j events with the same value are about the same object (hashes can collide)")
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface ObjectIdentity {
}
