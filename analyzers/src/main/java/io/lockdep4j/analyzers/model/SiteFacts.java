package io.lockdep4j.analyzers.model;

import io.lockdep4j.analyzers.model.ReleasePaths.SiteFact;
import io.lockdep4j.analyzers.read.ReleaseEvents;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Groups the one-site facts of {@link ReleasePaths} (leaks, refcount underflows, uses after
 * release): one group per identity, the first example kept with a count. A fact's {@code fields}
 * are what the reports show for it, under the event's field names, plus {@code site}: the method
 * that called the reported one (the first application frame that is not the reported method).
 */
final class SiteFacts {
    static final String RESOURCE_LEAK = "resource-leak";
    static final String REFCOUNT_UNDERFLOW = "refcount-underflow";
    static final String USE_AFTER_RELEASE = "use-after-release";

    private final ReleasePaths paths;
    private final ValueCache values;

    SiteFacts(ReleasePaths paths, ValueCache values) {
        this.paths = paths;
        this.values = values;
    }

    void resourceLeak(int rec, ReleaseEvents.ResourceLeak e) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("openSite", values.intern(e.openSite()));
        f.put("path", values.intern(e.path()));
        f.put("resourceClass", values.intern(e.resourceClass()));
        f.put("openThread", values.intern(e.openThread()));
        f.put("openFor", e.openFor());
        f.put("site", site(values.stack(e.stack()), null));
        f.put("recording", rec);
        f.put("openSiteId", e.openSiteId());
        // committed at shutdown: the shutdown thread's stack says nothing about the leak
        add(RESOURCE_LEAK, f, List.of("openSite", "resourceClass"), values.thread(rec, e.thread()), List.of());
    }

    void refcountUnderflow(int rec, ReleaseEvents.RefcountUnderflow e) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("objectClass", values.intern(e.objectClass()));
        String method = values.intern(e.method());
        f.put("method", method);
        f.put("count", e.count());
        List<String> stack = values.stack(e.stack());
        f.put("site", site(stack, method));
        add(REFCOUNT_UNDERFLOW, f, List.of("objectClass", "method", "site"), values.thread(rec, e.thread()), stack);
    }

    void useAfterRelease(int rec, ReleaseEvents.UseAfterRelease e) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("objectClass", values.intern(e.objectClass()));
        String method = values.intern(e.method());
        f.put("method", method);
        f.put("shutdownMethod", values.intern(e.shutdownMethod()));
        f.put("shutdownThread", values.intern(e.shutdownThread()));
        List<String> stack = values.stack(e.stack());
        f.put("site", site(stack, method));
        add(USE_AFTER_RELEASE, f, List.of("objectClass", "method", "shutdownMethod", "site"), values.thread(rec, e.thread()),
                stack);
    }

    /** The calling site: the first application frame whose method is not {@code method}, without its line. */
    private static String site(List<String> stack, String method) {
        List<String> callers = stack.stream().filter(f -> !Frames.methodOf(f).equals(method)).toList();
        return Frames.methodOf(Frames.site(callers.isEmpty() ? stack : callers));
    }

    /** A one-site fact; {@code groupBy} are the field names that make its identity. */
    private void add(String kind, Map<String, Object> fields, List<String> groupBy, ThreadRef t, List<String> stack) {
        List<Object> key = new ArrayList<>();
        key.add(kind);
        for (String g : groupBy) {
            key.add(fields.get(g));
        }
        SiteFact f = paths.facts.get(key);
        if (f == null) {
            if (paths.facts.size() >= ReleasePaths.MAX_GROUPS) {
                paths.dropped++;
                return;
            }
            f = new SiteFact(kind, fields, t, stack);
            paths.facts.put(key, f);
        }
        f.count++;
    }
}
