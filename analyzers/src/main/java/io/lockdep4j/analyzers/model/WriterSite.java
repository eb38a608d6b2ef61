package io.lockdep4j.analyzers.model;

import java.util.List;

/**
 * A place where a lock class was taken in write (exclusive) mode. For a read-write lock this is
 * what turns a read-read cycle into a deadlock: a waiting writer makes new readers queue.
 */
public record WriterSite(String lock, ThreadRef thread, List<String> stack) {
}
