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
 * Marks a field that names one open site (a place in application code that opens files): the
 * {@link FileOpenEvent} with this id, emitted the first time the site opened a file, has its
 * stack; a {@link ResourceLeakEvent} and a {@link FileCloseEvent} refer to it.
 */
@MetadataDefinition
@Relational
@Label("Open Site Id")
@Description("Identifies one file open site; the lockdep4j.FileOpen event with this id has the stack of its first open")
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface OpenSiteId {
}
