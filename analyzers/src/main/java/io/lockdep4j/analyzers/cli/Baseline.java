package io.lockdep4j.analyzers.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lockdep4j.analyzers.Version;
import io.lockdep4j.analyzers.rules.Finding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * Findings accepted as known, by {@link Finding#key()} (rule and lock classes, no line numbers), so
 * a baseline survives code edits and CI only goes red on new hazards. The file is small, sorted
 * JSON meant to be committed and reviewed:
 *
 * <pre>{@code
 * {"tool":"lockdep4j","baselineVersion":1,"findings":[
 *   {"key":"lock-order-cycle:A+B","rule":"lock-order-cycle","severity":"error","title":"..."}]}
 * }</pre>
 *
 * Only {@code key} is read back; the other fields are for the reviewer.
 */
record Baseline(Map<String, String> titles) {
    static final int VERSION = 1;
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    static Baseline of(Collection<Finding> findings) {
        Map<String, String> t = new TreeMap<>();
        findings.forEach(f -> t.put(f.key(), f.title()));
        return new Baseline(t);
    }

    boolean contains(Finding f) {
        return titles.containsKey(f.key());
    }

    /** Reads a baseline; a missing or malformed file is an {@link IllegalArgumentException} with a one-line message. */
    static Baseline read(Path file) {
        JsonNode root;
        try {
            root = MAPPER.readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("baseline " + file + " does not exist (create it with --write-baseline)");
        } catch (IOException e) {
            throw new IllegalArgumentException("baseline " + file + " is not valid JSON: " + Main.oneLine(e.getMessage()));
        }
        if (root == null || !root.path("findings").isArray()) {
            throw new IllegalArgumentException("baseline " + file + " is not a lockdep4j baseline (no \"findings\" array)");
        }
        if (root.path("baselineVersion").asInt(VERSION) > VERSION) {
            throw new IllegalArgumentException("baseline " + file + " has baselineVersion " + root.path("baselineVersion").asInt()
                    + "; this lockdep4j reads version " + VERSION);
        }
        Map<String, String> t = new TreeMap<>();
        for (JsonNode f : root.path("findings")) {
            String key = f.path("key").asText("");
            if (key.isEmpty()) {
                throw new IllegalArgumentException("baseline " + file + " has a finding without a \"key\"");
            }
            t.put(key, f.path("title").asText(""));
        }
        return new Baseline(t);
    }

    void write(Path file, Collection<Finding> findings) throws IOException {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("tool", "lockdep4j");
        root.put("version", Version.get());
        root.put("baselineVersion", VERSION);
        ArrayNode arr = root.putArray("findings");
        Map<String, Finding> sorted = new TreeMap<>();
        findings.forEach(f -> sorted.putIfAbsent(f.key(), f));
        for (Finding f : sorted.values()) {
            ObjectNode o = arr.addObject();
            o.put("key", f.key());
            o.put("rule", f.rule());
            o.put("severity", f.severity().label());
            o.put("title", f.title());
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, MAPPER.writeValueAsString(root) + "\n");
    }
}
