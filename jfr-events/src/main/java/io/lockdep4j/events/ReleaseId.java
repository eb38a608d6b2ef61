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
 * Marks a field that names one invocation of a release method (a {@link ReleaseEvent}). The
 * closes, forces and deferred task runs that belong to that release carry the same id, on
 * whichever thread they ran. 0 means "not inside a release".
 */
@MetadataDefinition
@Relational
@Label("Release Id")
@Description("Identifies one invocation of a release method; the lockdep4j.Release event with this id describes it")
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface ReleaseId {
}
