package io.lockdep4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HTML report as headless Chromium lays it out: a screenshot kept under target/, and geometry
 * measured inside the page by {@code html/measure.js} (appended to a copy of the report, read back
 * with {@code --dump-dom}). The checks are what makes the page readable at real size: no two lock
 * labels overlap, every label fits its box, cycle edges are drawn and stand out, the two arrows of
 * a cycle run apart, and no finding (nor the page) scrolls sideways.
 */
final class ReportPage {
    final JsonNode measured;
    final String dom;

    private ReportPage(JsonNode measured, String dom) {
        this.measured = measured;
        this.dom = dom;
    }

    /** Headless Chromium's path; missing is a skip on a developer's machine and a failure in CI. */
    static String chromium() throws Exception {
        String chromium = ReportFormatsEndToEndTest.Chromium.ensureInstalled();
        if (chromium == null && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI=true but chromium is missing: the HTML report must be checked in a browser");
        }
        assumeTrue(chromium != null, "chromium could not be installed; the HTML test did not run");
        return chromium;
    }

    static List<String> command(String chromium, Path profile, int width, int height) {
        return new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile, "--window-size=" + width + "," + height));
    }

    /** Screenshots {@code html} to {@code shot} and measures it, both at a {@code width} px wide window. */
    static ReportPage open(Path html, Path shot, Path work, int width, int height) throws Exception {
        String chromium = chromium();
        Files.deleteIfExists(shot);
        List<String> screenshot = command(chromium, Files.createTempDirectory(work, "profile"), width, height);
        screenshot.addAll(List.of("--screenshot=" + shot, html.toUri().toString()));
        Launcher.Result s = Launcher.exec(screenshot, 180);
        assertTrue(Files.isRegularFile(shot) && Files.size(shot) > 10_000, "screenshot written: " + s.stderr());

        String script;
        try (InputStream in = ReportPage.class.getClassLoader().getResourceAsStream("html/measure.js")) {
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Path measuredCopy = work.resolve(html.getFileName() + ".measure.html");
        Files.writeString(measuredCopy, Files.readString(html).replace("</body>", "<script>\n" + script + "</script>\n</body>"));
        List<String> dump = command(chromium, Files.createTempDirectory(work, "profile"), width, height);
        dump.addAll(List.of("--dump-dom", measuredCopy.toUri().toString()));
        Launcher.Result d = Launcher.exec(dump, 180);
        Matcher m = Pattern.compile("<pre id=\"lockdep4j-measurements\">(.*?)</pre>", Pattern.DOTALL).matcher(d.stdout());
        assertTrue(m.find(), "the measuring script ran: " + d.stderr());
        String json = m.group(1).replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
        return new ReportPage(new ObjectMapper().readTree(json), d.stdout());
    }

    int labelCount() {
        return measured.path("labels").size();
    }

    /** No two lock labels (nor their boxes) overlap; every label fits inside its own box. */
    void assertLabelsReadable() {
        JsonNode labels = measured.path("labels");
        List<String> overlaps = new ArrayList<>();
        for (int i = 0; i < labels.size(); i++) {
            JsonNode a = labels.get(i);
            String name = a.path("text").asText();
            assertTrue(inside(a.path("label"), a.path("rect")), "label '" + name + "' is wider than its box: " + a);
            for (int j = i + 1; j < labels.size(); j++) {
                JsonNode b = labels.get(j);
                if (overlap(a.path("rect"), b.path("rect")) || overlap(a.path("label"), b.path("label"))) {
                    overlaps.add(name + " / " + b.path("text").asText());
                }
            }
        }
        assertEquals(List.of(), overlaps, "overlapping lock labels");
    }

    /** Cycle edges exist, are red and thicker than plain edges, and the two ways of a 2-cycle run apart. */
    void assertCyclesHighlighted(int atLeast) {
        List<JsonNode> cycle = new ArrayList<>();
        double plainMax = 0;
        for (JsonNode e : measured.path("edges")) {
            if (e.path("cls").asText().contains("cycle")) {
                cycle.add(e);
            } else {
                plainMax = Math.max(plainMax, e.path("width").asDouble());
            }
        }
        assertTrue(cycle.size() >= atLeast, "cycle edges drawn: " + cycle.size());
        for (JsonNode e : cycle) {
            assertEquals("rgb(221, 0, 0)", e.path("stroke").asText(), "cycle edge colour: " + e);
            assertTrue(e.path("width").asDouble() >= 2 * plainMax && e.path("width").asDouble() >= 3, "cycle edge width: " + e);
            assertTrue(e.path("length").asDouble() > 20, "a visible cycle edge: " + e);
        }
        for (JsonNode gap : measured.path("cycleGaps")) {
            assertTrue(gap.path("gap").asDouble() >= 8, "the two arrows of a cycle run apart: " + gap);
        }
    }

    /** Finding boxes, their text and the page are no wider than the window: text wraps, nothing scrolls sideways. */
    void assertNothingScrollsSideways() {
        for (JsonNode w : measured.path("wide")) {
            assertTrue(w.path("scrollWidth").asInt() <= w.path("clientWidth").asInt(), "scrolls sideways: " + w);
        }
        JsonNode page = measured.path("page");
        assertTrue(page.path("scrollWidth").asInt() <= page.path("clientWidth").asInt(), "the page scrolls sideways: " + page);
    }

    private static boolean inside(JsonNode in, JsonNode out) {
        return in.path("x").asDouble() >= out.path("x").asDouble() - 0.5
                && in.path("x").asDouble() + in.path("w").asDouble() <= out.path("x").asDouble() + out.path("w").asDouble() + 0.5;
    }

    private static boolean overlap(JsonNode a, JsonNode b) {
        double ox = Math.min(a.path("x").asDouble() + a.path("w").asDouble(), b.path("x").asDouble() + b.path("w").asDouble())
                - Math.max(a.path("x").asDouble(), b.path("x").asDouble());
        double oy = Math.min(a.path("y").asDouble() + a.path("h").asDouble(), b.path("y").asDouble() + b.path("h").asDouble())
                - Math.max(a.path("y").asDouble(), b.path("y").asDouble());
        return ox > 0.5 && oy > 0.5;
    }
}
