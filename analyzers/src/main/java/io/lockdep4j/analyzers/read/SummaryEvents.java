package io.lockdep4j.analyzers.read;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code lockdep4j.LockGraphSummary}: the agent's own list of the lock-order edges it learned,
 * written at each chunk end without stacks, incrementally (see
 * {@code io.lockdep4j.events.LockGraphSummaryEvent} for the text format). Lines are parsed here, on
 * the reader's parser thread; lock class ids are resolved by the model, because a class is named
 * once per recording, possibly in another event. A malformed line is skipped and counted, never fatal.
 */
public final class SummaryEvents {
    private SummaryEvents() {}

    /** One lock class named by the summary: the agent's class id, kind and name. */
    public record LockName(String kind, String name) {}

    /** One held lock of {@code otherHeld}, by class id. */
    public record OtherHeld(int classId, String mode, int instance) {}

    /** One edge of the summary: the same facts as a LockOrderEdge event, by class id, without stack. */
    public record SummaryEdge(int heldClass, String heldMode, int acquiredClass, String acquiredMode, boolean trylock,
                              boolean multiThread, long heldChainId, long acquiredChainId, int heldInstance,
                              int acquiredInstance, long threadId, String threadName, List<OtherHeld> otherHeld) {}

    /** One part of one generation; {@code malformed} counts lines that could not be read. */
    public record LockGraphSummary(long generation, int part, int parts, int edgeCount, long droppedEdges,
                                   Map<Integer, LockName> locks, List<SummaryEdge> edges, int malformed) {}

    static LockGraphSummary summary(FieldReader f) {
        int[] malformed = {0};
        Map<Integer, LockName> locks = new HashMap<>();
        for (String[] c : lines(f.string("locks"), 3, malformed)) {
            locks.put(Integer.parseInt(c[0], 36), new LockName(c[1], c[2]));
        }
        Map<Integer, String[]> threads = new HashMap<>();
        for (String[] c : lines(f.string("threads"), 3, malformed)) {
            threads.put(Integer.parseInt(c[0]), new String[] {c[1], c[2]});
        }
        List<SummaryEdge> edges = new ArrayList<>();
        String text = f.string("edges");
        if (text != null && !text.isEmpty()) {
            for (String line : text.split("\n")) {
                SummaryEdge e = edge(line, threads);
                if (e == null) {
                    malformed[0]++;
                } else {
                    edges.add(e);
                }
            }
        }
        return new LockGraphSummary(f.number("generation"), f.integer("part"), f.integer("parts"), f.integer("edgeCount"),
                f.number("droppedEdges"), locks, edges, malformed[0]);
    }

    /** Dictionary lines of {@code n} tab-separated columns whose first is a number; others are counted. */
    private static List<String[]> lines(String text, int n, int[] malformed) {
        List<String[]> out = new ArrayList<>();
        if (text == null || text.isEmpty()) {
            return out;
        }
        for (String line : text.split("\n")) {
            String[] c = line.split("\t", n);
            try {
                if (c.length == n) {
                    Integer.parseInt(c[0], 36);
                    out.add(c);
                    continue;
                }
            } catch (NumberFormatException ignored) {
                // counted below
            }
            malformed[0]++;
        }
        return out;
    }

    private static SummaryEdge edge(String line, Map<Integer, String[]> threads) {
        String[] c = line.split("\t", 11);
        if (c.length < 10) {
            return null;
        }
        try {
            String[] thread = threads.get(Integer.parseInt(c[9]));
            if (thread == null) {
                return null;
            }
            List<OtherHeld> other = new ArrayList<>(0);
            if (c.length > 10 && !c[10].isEmpty()) {
                for (String entry : c[10].split(",")) {
                    String[] o = entry.split(":");
                    if (o.length != 3) {
                        return null;
                    }
                    other.add(new OtherHeld(Integer.parseInt(o[0], 36), mode(o[1]), Integer.parseInt(o[2], 36)));
                }
            }
            return new SummaryEdge(Integer.parseInt(c[0], 36), mode(c[1]), Integer.parseInt(c[2], 36), mode(c[3]),
                    c[4].indexOf('t') >= 0, c[4].indexOf('m') >= 0, Long.parseLong(c[5], 36), Long.parseLong(c[6], 36),
                    Integer.parseInt(c[7], 36), Integer.parseInt(c[8], 36), Long.parseLong(thread[0]), thread[1], other);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String mode(String m) {
        return "r".equals(m) ? "read" : "write";
    }
}
