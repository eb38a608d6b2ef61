package io.lockdep4j.agent;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Agent options: {@code -javaagent:lockdep4j-agent.jar=key=value,key=value} and/or a properties
 * file named by {@code config=FILE} (agent arguments win over the file). Lists are separated by
 * {@code :} or {@code ;}. A bad option is reported in one line on stderr and ignored; the host
 * always runs on.
 *
 * <pre>
 * -javaagent:lockdep4j-agent.jar=include=com.acme.,contendedThresholdMs=5,config=lockdep4j.properties
 * </pre>
 */
public final class AgentOptions {
    static final Map<String, String> KNOWN = new LinkedHashMap<>();
    static {
        KNOWN.put("include", "class-name prefixes to instrument (default: every non-JDK class)");
        KNOWN.put("exclude", "class-name prefixes never to instrument");
        KNOWN.put("jdkMonitors", "JDK classes whose synchronized methods/blocks are traced (default: the JDK classes whose synchronized methods call code they do not control: Hashtable, Vector, Observable, Collections$Synchronized*, logging handlers, ... see the README)");
        KNOWN.put("contendedThresholdMs", "report java.util.concurrent acquisitions that waited at least this long (default 10; -1 off)");
        KNOWN.put("holdThresholdMs", "report locks held at least this long (default 0 = off; costs two clock reads per acquisition)");
        KNOWN.put("maxHeldDepth", "most locks tracked per thread (default 48)");
        KNOWN.put("onCycle", "report (default): a lockdep-style report on stderr the moment an acquisition closes a lock-order cycle; throw: that acquisition throws LockOrderViolationException instead (for tests); off");
        KNOWN.put("verbose", "true: print what the agent instruments and any contained failure");
        KNOWN.put("notifierMethods", "methods that are notifier contexts, as Class#method or Class#* (subtypes included); ';'-separated");
        KNOWN.put("recoveryMethods", "methods that are recovery contexts (Class#method;...)");
        KNOWN.put("mustNotBlockMethods", "methods that are mustNotBlock contexts (Class#method;...)");
        KNOWN.put("contexts", "named contexts: name@Class#method;...");
        KNOWN.put("defaultNotifiers", "true (default): java.util.EventListener implementations and *Listener.on* methods (lambdas too) are notifier contexts");
        KNOWN.put("contextThresholdMs", "also report contexts that ran at least this long with nothing inside (default -1 = off)");
        KNOWN.put("releaseMethods", "release methods (Class#method;...): each call is a lockdep4j.Release, SYNC or DEFERRED");
        KNOWN.put("handoffMethods", "extra hand-off methods inside release methods (default: Executor#execute, ExecutorService#submit)");
        KNOWN.put("releasePaths", "true (default): instrument closes, forces, contexts, releases, waits and opens");
        KNOWN.put("waitThresholdMs", "report waits while holding locks at least this long (default 0)");
        KNOWN.put("trackOpens", "true (default): track files opened by application code, report those open at exit");
        KNOWN.put("refcountClasses", "Class#get:put[:initial];... reference counts; a put below zero is a lockdep4j.RefcountUnderflow");
        KNOWN.put("shutdownMethods", "Class#method;...: after it ran, calls of useMethods on the same object are lockdep4j.UseAfterRelease");
        KNOWN.put("useMethods", "Class#method or Class#*;... checked against shutdownMethods");
        KNOWN.put("orderedLockClasses", "lock classes whose instances are always taken in one order (by id, parent before child), ';'-separated: their nesting is reported as info only");
        KNOWN.put("transformCache", "true (default): keep the JDK classes' instrumented bytes under java.io.tmpdir/lockdep4j-USER, so that the next JVM with this agent, JDK and options starts without running Byte Buddy for them; false: transform every start afresh");
        KNOWN.put("config", "a properties file with any of these keys");
    }

    /** Computed by a scan of the JDK (see JdkMonitorDefaults for the rule). */
    static final List<String> DEFAULT_JDK_MONITORS = JdkMonitorDefaults.CLASSES;

    final List<String> includes = new ArrayList<>();
    final List<String> excludes = new ArrayList<>();
    final List<String> jdkMonitors = new ArrayList<>(DEFAULT_JDK_MONITORS);
    /** The user named jdkMonitors: every one is retransformed at start, as asked. */
    boolean jdkMonitorsGiven;
    long contendedThresholdMs = 10;
    long holdThresholdMs = 0;
    int maxHeldDepth = 48;
    boolean verbose;
    /** onCycle: 0 off, 1 report, 2 throw (io.lockdep4j.agent.bootstrap.OnlineCycles). */
    byte onCycle = 1;
    public final List<String> notifierMethods = new ArrayList<>();
    public final List<String> recoveryMethods = new ArrayList<>();
    public final List<String> mustNotBlockMethods = new ArrayList<>();
    /** name@Class#method entries. */
    public final List<String> contexts = new ArrayList<>();
    public boolean defaultNotifiers = true;
    public long contextThresholdMs = -1;
    public final List<String> releaseMethods = new ArrayList<>();
    public final List<String> handoffMethods = new ArrayList<>();
    public boolean releasePaths = true;
    public long waitThresholdMs = 0;
    public boolean trackOpens = true;
    /** Class#get:put[:initial] entries. */
    public final List<String> refcountClasses = new ArrayList<>();
    public final List<String> shutdownMethods = new ArrayList<>();
    public final List<String> useMethods = new ArrayList<>();
    public final List<String> orderedLockClasses = new ArrayList<>();
    /** transformCache: reuse the instrumented JDK classes of an earlier start (TransformCache). */
    boolean transformCache = true;
    /** Every option in effect, agent arguments and config file merged: what the instrumentation depends on. */
    final Map<String, String> effective = new java.util.TreeMap<>();
    final String raw;
    final List<String> problems = new ArrayList<>();

    private AgentOptions(String raw) {
        this.raw = raw == null ? "" : raw;
    }

    /** Parses; never throws. Problems are collected in {@link #problems} for one-line reports. */
    public static AgentOptions parse(String args) {
        AgentOptions o = new AgentOptions(args);
        Map<String, String> values = new LinkedHashMap<>();
        if (args != null && !args.isBlank()) {
            for (String part : args.split(",")) {
                if (part.isBlank()) {
                    continue;
                }
                int eq = part.indexOf('=');
                if (eq <= 0) {
                    o.problems.add("option '" + part + "' is not key=value");
                    continue;
                }
                values.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
            }
        }
        String config = values.get("config");
        if (config != null) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(Path.of(config))) {
                p.load(r);
                for (String k : p.stringPropertyNames()) {
                    values.putIfAbsent(k, p.getProperty(k).trim());
                }
            } catch (IOException | RuntimeException e) {
                o.problems.add("cannot read config file '" + config + "': " + e.getMessage());
            }
        }
        for (Map.Entry<String, String> e : values.entrySet()) {
            o.apply(e.getKey(), e.getValue());
        }
        o.effective.putAll(values);
        return o;
    }

    private void apply(String key, String value) {
        try {
            switch (key) {
                case "include": includes.addAll(list(value)); break;
                case "exclude": excludes.addAll(list(value)); break;
                case "jdkMonitors": jdkMonitors.clear(); jdkMonitors.addAll(list(value)); jdkMonitorsGiven = true; break;
                case "contendedThresholdMs": contendedThresholdMs = Long.parseLong(value); break;
                case "holdThresholdMs": holdThresholdMs = Long.parseLong(value); break;
                case "maxHeldDepth": maxHeldDepth = Math.max(1, Math.min(1024, Integer.parseInt(value))); break;
                case "verbose": verbose = Boolean.parseBoolean(value); break;
                case "onCycle":
                    switch (value) {
                        case "off": onCycle = 0; break;
                        case "report": onCycle = 1; break;
                        case "throw": onCycle = 2; break;
                        default: problems.add("onCycle must be report, throw or off, not '" + value + "'");
                    }
                    break;
                case "notifierMethods": notifierMethods.addAll(list(value)); break;
                case "recoveryMethods": recoveryMethods.addAll(list(value)); break;
                case "mustNotBlockMethods": mustNotBlockMethods.addAll(list(value)); break;
                case "contexts":
                    for (String c : list(value)) {
                        if (c.indexOf('@') <= 0 || c.indexOf('#') < 0) {
                            problems.add("contexts entry '" + c + "' is not name@Class#method");
                        } else {
                            contexts.add(c);
                        }
                    }
                    break;
                case "defaultNotifiers": defaultNotifiers = Boolean.parseBoolean(value); break;
                case "contextThresholdMs": contextThresholdMs = Long.parseLong(value); break;
                case "releaseMethods": releaseMethods.addAll(list(value)); break;
                case "handoffMethods": handoffMethods.addAll(list(value)); break;
                case "releasePaths": releasePaths = Boolean.parseBoolean(value); break;
                case "waitThresholdMs": waitThresholdMs = Long.parseLong(value); break;
                case "trackOpens": trackOpens = Boolean.parseBoolean(value); break;
                case "refcountClasses":
                    for (String c : value.split(";")) {
                        if (c.isBlank()) {
                            continue;
                        }
                        String[] parts = c.trim().split("[#:]");
                        if (parts.length < 3 || parts.length > 4) {
                            problems.add("refcountClasses entry '" + c + "' is not Class#get:put[:initial]");
                        } else {
                            if (parts.length == 4) {
                                Long.parseLong(parts[3]);
                            }
                            refcountClasses.add(c.trim());
                        }
                    }
                    break;
                case "shutdownMethods": shutdownMethods.addAll(list(value)); break;
                case "useMethods": useMethods.addAll(list(value)); break;
                case "orderedLockClasses":
                    for (String c : value.split(";")) { // lock class names may contain ':' (allocation sites)
                        if (!c.isBlank()) {
                            orderedLockClasses.add(c.trim());
                        }
                    }
                    break;
                case "transformCache": transformCache = Boolean.parseBoolean(value); break;
                case "config": break;
                default:
                    problems.add("unknown option '" + key + "' (known: " + String.join(", ", KNOWN.keySet()) + ")");
            }
        } catch (NumberFormatException e) {
            problems.add("option " + key + "=" + value + " is not a number");
        }
    }

    private static List<String> list(String value) {
        List<String> out = new ArrayList<>();
        for (String s : value.split("[:;]")) {
            if (!s.isBlank()) {
                out.add(s.trim());
            }
        }
        return out;
    }

    public List<String> problems() {
        return problems;
    }

    /** Whether an application class (not a JDK one) is to be instrumented. */
    public boolean instrumentsApplicationClass(String name) {
        for (String p : excludes) {
            if (name.startsWith(p)) {
                return false;
            }
        }
        if (includes.isEmpty()) {
            return true;
        }
        for (String p : includes) {
            if (name.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    /** The jdkMonitors option, for the bootstrap side (AgentConfig.jdkMonitors). */
    public String[] jdkMonitors() {
        return jdkMonitors.toArray(new String[0]);
    }

    /**
     * Whether a traced JDK class already loaded when the agent starts with the JVM is retransformed
     * then: all of an explicit jdkMonitors option, of the default only its eager part.
     */
    public boolean retransformsJdkMonitorAtStart(String name) {
        return jdkMonitorsGiven || io.lockdep4j.agent.bootstrap.AgentConfig.tracesJdkMonitors(name, JdkMonitorDefaults.EAGER);
    }

    /** Whether a JDK class's monitors are traced. */
    public boolean tracesJdkMonitors(String name) {
        return io.lockdep4j.agent.bootstrap.AgentConfig.tracesJdkMonitors(name, jdkMonitors);
    }
}
