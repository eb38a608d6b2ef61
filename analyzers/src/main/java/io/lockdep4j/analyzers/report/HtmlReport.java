package io.lockdep4j.analyzers.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lockdep4j.analyzers.AnalysisResult;
import io.lockdep4j.analyzers.Version;
import io.lockdep4j.analyzers.model.LockEdge;
import io.lockdep4j.analyzers.model.LockModel;
import io.lockdep4j.analyzers.model.RecordingSummary;
import io.lockdep4j.analyzers.report.html.LockGraphSvg;
import io.lockdep4j.analyzers.rules.Finding;
import io.lockdep4j.analyzers.rules.RuleContext;
import io.lockdep4j.analyzers.rules.Severity;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One self-contained HTML page: summary counts, the lock-order graph as an inline SVG picture,
 * and every finding. No network access: CSS, script and SVG are inline, so the file opens offline
 * and can be attached to a CI run as is.
 *
 * <p>The graph is laid out by Eclipse ELK when the report is written ({@link LockGraphSvg}): the
 * parts with findings on top, edges that close a finding thick and red, lock classes of a finding
 * red, lock classes on an unreported cycle (gated, read-only) orange, the rest dimmed. Clicking a lock class shows the stacks where it was acquired or held, from the
 * data block embedded in the page. The SVG is drawn without script, so it shows even with
 * scripts disabled.
 */
public final class HtmlReport implements ReportWriter {
    /** Stacks shown per lock class when it is clicked. */
    static final int STACKS_PER_LOCK = 6;
    /** More lock classes than this are not all drawn: only those of findings. */
    static final int MAX_DRAWN_LOCKS = 300;

    private final ObjectMapper mapper = new ObjectMapper();

    @Override
    public String name() {
        return "html";
    }

    @Override
    public String description() {
        return "one self-contained page with the lock-order graph";
    }

    @Override
    public void write(AnalysisResult result, ReportOptions options, java.io.OutputStream out) throws java.io.IOException {
        PrintStream ps = ReportWriter.printStream(out);
        write(result, ps);
        ReportWriter.finish(ps);
    }

    public void write(AnalysisResult result, PrintStream out) {
        LockModel m = result.model();
        StringBuilder h = new StringBuilder(64 * 1024);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n");
        h.append("<title>lockdep4j report: ").append(esc(TextReport.summary(result))).append("</title>\n");
        h.append("<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
        h.append("<h1>lockdep4j report</h1>\n");

        // ---- summary
        h.append("<section id=\"summary\"><table class=\"counts\"><tr>");
        for (Severity s : Severity.values()) {
            h.append("<td class=\"sev-").append(s.label()).append("\"><b>").append(result.count(s)).append("</b> ")
                    .append(s.label()).append(result.count(s) == 1 || s == Severity.INFO ? "" : "s").append("</td>");
        }
        h.append(String.format(Locale.ROOT, "<td><b>%d</b> lock classes</td><td><b>%d</b> edges</td><td><b>%d</b> chains</td>"
                + "<td><b>%,d</b> lockdep4j events</td>", m.lockClasses().size(), m.edgeCount(), m.chainCount(), m.totalLockdepEvents()));
        h.append("</tr></table>\n<p class=\"summary-line\">").append(esc(TextReport.summary(result))).append("</p>\n");
        h.append("<ul class=\"recordings\">");
        for (RecordingSummary r : m.recordings()) {
            h.append("<li>[").append(r.index() + 1).append("] ").append(esc(r.path())).append(": ")
                    .append(String.format(Locale.ROOT, "%,d", r.lockdepEvents())).append(" lockdep4j events")
                    .append(r.agentVersion() == null ? "" : ", agent " + esc(r.agentVersion()))
                    .append(r.incomplete() ? " <b class=\"sev-error\">INCOMPLETE</b>" : "").append("</li>");
        }
        h.append("</ul>\n");
        for (String w : result.warnings()) {
            h.append("<p class=\"warning\">WARNING: ").append(esc(w)).append("</p>\n");
        }
        for (Map.Entry<String, RuleContext> e : new TreeMap<>(result.rules()).entrySet()) {
            for (String b : e.getValue().bounds()) {
                h.append("<p class=\"bounded\"><b>SEARCH BOUNDED</b> (").append(esc(e.getKey())).append("): ").append(esc(b))
                        .append("</p>\n");
            }
        }
        h.append("</section>\n");

        // ---- graph
        List<LockEdge> allEdges = ReportData.edges(m);
        List<String> allNodes = ReportData.nodes(allEdges);
        List<String> nodes = allNodes;
        String omitted = null;
        if (allNodes.size() > MAX_DRAWN_LOCKS) {
            // A circle of 10^5 lock classes is neither drawable nor readable: draw the findings' locks.
            Set<String> inFindings = new TreeSet<>();
            result.findings().forEach(f -> inFindings.addAll(f.locks()));
            inFindings.retainAll(new HashSet<>(allNodes));
            nodes = new ArrayList<>(inFindings).subList(0, Math.min(inFindings.size(), MAX_DRAWN_LOCKS));
            omitted = String.format(Locale.ROOT, "The graph has %,d lock classes and %,d edges, too many to draw: only the %,d lock "
                    + "classes of findings%s and the edges between them are drawn.", allNodes.size(), allEdges.size(), nodes.size(),
                    inFindings.size() > nodes.size() ? " (the first " + MAX_DRAWN_LOCKS + ")" : "");
        }
        Set<String> drawn = new HashSet<>(nodes);
        List<LockEdge> edges = allEdges.stream().filter(e -> drawn.contains(e.from()) && drawn.contains(e.to())).toList();
        h.append("<section id=\"graph\"><h2>Lock-order graph</h2>\n");
        if (omitted != null) {
            h.append("<p class=\"warning\">").append(esc(omitted)).append("</p>\n");
        }
        h.append("<p class=\"legend\">An arrow A → B means: holding A, a thread acquired B. "
                + "<span class=\"sev-error\">Red</span>: closes a reported finding; <span class=\"orange\">orange</span>: "
                + "on a cycle no rule reported (gated or read-only); grey: in no finding; dashed: tryLock only. Click a lock class for its stacks.</p>\n");
        if (nodes.isEmpty()) {
            if (omitted == null) {
                h.append("<p>No lock-order edges between different lock classes were recorded.</p>\n");
            }
        } else {
            svg(h, result, nodes, edges);
        }
        h.append("<div id=\"lock-details\" class=\"lock-details\"><i>Click a lock class in the graph.</i></div>\n</section>\n");

        // ---- findings
        h.append("<section id=\"findings\"><h2>Findings (").append(result.findings().size()).append(")</h2>\n");
        if (result.findings().isEmpty()) {
            h.append("<p class=\"clean\">No findings.</p>\n");
        }
        for (Finding f : result.findings()) {
            h.append("<details class=\"finding sev-border-").append(f.severity().label()).append("\" open data-key=\"")
                    .append(esc(f.key())).append("\">\n<summary><span class=\"badge sev-bg-").append(f.severity().label()).append("\">")
                    .append(f.severity().label()).append("</span> <span class=\"rule\">").append(esc(f.rule())).append("</span> ")
                    .append(esc(f.title())).append("</summary>\n");
            h.append("<p class=\"key\">key: <code>").append(esc(f.key())).append("</code></p>\n");
            h.append("<pre>").append(esc(f.explanation())).append("</pre>\n</details>\n");
        }
        h.append("</section>\n");

        h.append("<footer>lockdep4j ").append(esc(Version.get())).append("</footer>\n");
        h.append("<script type=\"application/json\" id=\"lockdep4j-data\">").append(data(m, nodes, edges)).append("</script>\n");
        h.append("<script>\n").append(SCRIPT).append("</script>\n</body></html>\n");
        out.print(h);
        out.flush();
    }

    /** The graph as inline SVG, laid out by ELK (see {@link LockGraphSvg}); node i is {@code data-lock="i"}. */
    private void svg(StringBuilder h, AnalysisResult result, List<String> nodes, List<LockEdge> edges) {
        Set<String> red = ReportData.findingEdges(result);
        Set<String> onCycle = ReportData.onAnyCycle(result.model());
        Set<String> inFinding = new HashSet<>();
        result.findings().forEach(f -> inFinding.addAll(f.locks()));
        Map<String, Integer> index = new HashMap<>();
        List<LockGraphSvg.Node> gn = new ArrayList<>(nodes.size());
        for (String lock : nodes) {
            index.put(lock, gn.size());
            gn.add(new LockGraphSvg.Node(lock, ReportData.shortName(lock), inFinding.contains(lock) ? LockGraphSvg.Role.FINDING
                    : onCycle.contains(lock) ? LockGraphSvg.Role.UNREPORTED_CYCLE : LockGraphSvg.Role.CONTEXT));
        }
        List<LockGraphSvg.Edge> ge = new ArrayList<>(edges.size());
        for (LockEdge e : edges) {
            boolean isRed = red.contains(e.from() + "\u0000" + e.to());
            ge.add(new LockGraphSvg.Edge(index.get(e.from()), index.get(e.to()), isRed,
                    !isRed && onCycle.contains(e.from()) && onCycle.contains(e.to()), e.blockingObservations().isEmpty()));
        }
        LockGraphSvg.write(h, gn, ge);
    }

    private String data(LockModel m, List<String> nodes, List<LockEdge> edges) {
        // One pass over the edges for all lock classes: a pass per lock class is quadratic.
        Map<String, List<String>> before = new HashMap<>();
        Map<String, List<String>> after = new HashMap<>();
        for (LockEdge e : edges) {
            after.computeIfAbsent(e.from(), k -> new ArrayList<>()).add(e.to());
            before.computeIfAbsent(e.to(), k -> new ArrayList<>()).add(e.from());
        }
        Map<String, List<List<String>>> stacks = ReportData.acquisitionStacks(m, new HashSet<>(nodes), STACKS_PER_LOCK);
        ObjectNode root = mapper.createObjectNode();
        ArrayNode locks = root.putArray("locks");
        for (String lock : nodes) {
            ObjectNode o = locks.addObject();
            o.put("name", lock);
            o.set("kinds", mapper.valueToTree(new ArrayList<>(m.kinds(lock))));
            o.set("before", mapper.valueToTree(before.getOrDefault(lock, List.of())));
            o.set("after", mapper.valueToTree(after.getOrDefault(lock, List.of())));
            o.set("stacks", mapper.valueToTree(stacks.getOrDefault(lock, List.of())));
        }
        try {
            // "</" and "<!--" cannot end or confuse the script element once escaped.
            return mapper.writeValueAsString(root).replace("</", "<\\/").replace("<!--", "<\\!--");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    private static final String CSS = """
            body { font-family: system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif; margin: 1.5em; color: #222; }
            h1 { font-size: 1.5em; margin: 0 0 .5em 0; } h2 { font-size: 1.2em; border-bottom: 1px solid #ddd; }
            table.counts td { padding: .3em .9em; border: 1px solid #ddd; border-radius: 4px; }
            .sev-error { color: #c00; } .sev-warning { color: #b06000; } .sev-info { color: #246; } .orange { color: #e08000; }
            .sev-bg-error { background: #c00; } .sev-bg-warning { background: #b06000; } .sev-bg-info { background: #246; }
            .badge { color: white; border-radius: 3px; padding: 0 .4em; font-size: .85em; text-transform: uppercase; }
            .rule { font-family: monospace; color: #555; }
            .warning { background: #fff4d6; padding: .3em .6em; border-left: 4px solid #e0a000; }
            .bounded { background: #fde2e2; padding: .4em .6em; border-left: 4px solid #c00; }
            .clean { color: #080; font-weight: bold; }
            details.finding { border: 1px solid #ddd; border-left-width: 5px; margin: .8em 0; padding: .4em .8em; overflow-wrap: anywhere; }
            .sev-border-error { border-left-color: #c00 !important; } .sev-border-warning { border-left-color: #b06000 !important; }
            .sev-border-info { border-left-color: #246 !important; }
            details.finding summary { cursor: pointer; font-weight: 600; }
            pre { background: #f7f7f7; padding: .6em; font-size: .85em; white-space: pre-wrap; overflow-wrap: anywhere; }
            #lock-graph { border: 1px solid #ddd; background: #fcfcfc; max-width: 100%; height: auto; }
            .lock-details { border: 1px solid #ddd; padding: .6em; margin-top: .6em; }
            footer { margin-top: 2em; color: #888; font-size: .8em; }
            """;

    private static final String SCRIPT = """
            (function () {
              var data = JSON.parse(document.getElementById('lockdep4j-data').textContent);
              var panel = document.getElementById('lock-details');
              function el(tag, text) { var e = document.createElement(tag); if (text !== undefined) e.textContent = text; return e; }
              function show(i, g) {
                var lock = data.locks[i];
                document.querySelectorAll('.node.selected').forEach(function (n) { n.classList.remove('selected'); });
                g.classList.add('selected');
                panel.innerHTML = '';
                panel.appendChild(el('h3', lock.name));
                panel.appendChild(el('p', 'kinds: ' + (lock.kinds.join(', ') || '?')));
                panel.appendChild(el('p', 'taken while holding: ' + (lock.before.join(', ') || 'nothing recorded')));
                panel.appendChild(el('p', 'held while taking: ' + (lock.after.join(', ') || 'nothing recorded')));
                if (lock.stacks.length === 0) panel.appendChild(el('p', 'No stack recorded.'));
                lock.stacks.forEach(function (s, k) {
                  panel.appendChild(el('h4', 'acquisition stack ' + (k + 1)));
                  panel.appendChild(el('pre', s.map(function (f) { return '    at ' + f; }).join('\\n')));
                });
              }
              document.querySelectorAll('#lock-graph .node').forEach(function (g) {
                var i = Number(g.getAttribute('data-lock'));
                g.addEventListener('click', function () { show(i, g); });
                g.addEventListener('keydown', function (e) { if (e.key === 'Enter') show(i, g); });
              });
              var first = document.querySelector('#lock-graph .node.in-finding');
              if (first) show(Number(first.getAttribute('data-lock')), first);
            })();
            """;
}
