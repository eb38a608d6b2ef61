package io.lockdep4j.analyzers.rules;

import io.lockdep4j.analyzers.model.LockModel;
import io.lockdep4j.analyzers.model.ReleasePaths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * No findings: close latency per release path and mode (SYNC, DEFERRED, NONE = outside any
 * release method) and the deferred-release queue lag, as HdrHistogram percentiles. They go to the
 * report summary through the rule statistics (JSON {@code summary.rules.release-latency}) and
 * one note line per path in the text report.
 */
public final class ReleaseLatencyRule implements Rule {
    public static final String ID = "release-latency";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "close latency per release path and mode, and deferred-release lag (summary only)";
    }

    @Override
    public List<Finding> check(LockModel model, RuleContext ctx) {
        ReleasePaths rp = model.releasePaths();
        ctx.stat("closes", rp.closeCount());
        ctx.stat("forces", rp.forceCount());
        ctx.stat("closeLatency", summarize(rp.closeLatency(), "close latency", ctx));
        ctx.stat("deferredLag", summarize(rp.deferredLag(), "deferred-release lag", ctx));
        if (rp.dropped() > 0) {
            ctx.note(rp.dropped() + " release-path facts beyond " + ReleasePaths.MAX_GROUPS + " groups were not kept"
                    + " (a memory bound): findings of the release-path rules about the closes, waits and releases they"
                    + " describe may be missing");
        }
        return List.of();
    }

    private static Map<String, Object> summarize(Map<String, Histogram> hs, String what, RuleContext ctx) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (var e : hs.entrySet()) {
            Histogram h = e.getValue();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("count", h.getTotalCount());
            m.put("p50Nanos", h.getValueAtPercentile(50));
            m.put("p99Nanos", h.getValueAtPercentile(99));
            m.put("p999Nanos", h.getValueAtPercentile(99.9));
            m.put("maxNanos", h.getMaxValue());
            out.put(e.getKey(), m);
            ctx.detail(String.format(Locale.ROOT, "%s %s: n=%d p50=%.3fms p99=%.3fms p99.9=%.3fms max=%.3fms", what, e.getKey(),
                    h.getTotalCount(), h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(99) / 1e6,
                    h.getValueAtPercentile(99.9) / 1e6, h.getMaxValue() / 1e6));
        }
        return out;
    }
}
