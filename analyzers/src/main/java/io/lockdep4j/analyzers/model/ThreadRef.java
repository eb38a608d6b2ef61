package io.lockdep4j.analyzers.model;

/**
 * A thread of one recording. Java thread ids are unique within one JVM run, so the recording
 * index is part of the identity: thread 23 of recording 0 and thread 23 of recording 1 are two
 * different threads (usually of two different JVMs).
 */
public record ThreadRef(int recording, long javaThreadId, String name) {
    public static final ThreadRef UNKNOWN = new ThreadRef(-1, -1, "");

    /** Same thread, ignoring the name (a thread may be renamed while it runs). */
    public boolean sameThread(ThreadRef o) {
        return recording == o.recording && javaThreadId == o.javaThreadId;
    }

    /** "worker-1" (id 23, recording 1): recordings are numbered from 1 for people. */
    public String display() {
        String n = name == null || name.isEmpty() ? "(unnamed thread)" : "\"" + name + "\"";
        if (javaThreadId < 0) {
            return n;
        }
        return n + " (id " + javaThreadId + ", recording " + (recording + 1) + ")";
    }
}
