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
 * Marks a field that names a lock chain: the sequence of lock classes (with modes) a thread held,
 * ending with the lock it acquired. A {@link LockChainEvent} carries the stack of the first
 * acquisition in that chain; a {@link LockOrderEdgeEvent} points at the chain in which its held
 * lock was taken, so both stacks of an edge can be shown.
 */
@MetadataDefinition
@Relational
@Label("Lock Chain Id")
@Description("Identifies a lock chain; the lockdep4j.LockChain event with this id has the stack of its first acquisition")
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface ChainId {
}
