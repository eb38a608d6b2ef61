package io.lockdep4j.analyzers.cli;

import static io.lockdep4j.analyzers.cli.Main.PREFIX;

import com.sun.tools.attach.VirtualMachine;
import io.lockdep4j.analyzers.read.EventDecoders;
import io.lockdep4j.analyzers.read.LockEvents;
import io.lockdep4j.analyzers.read.ReleaseEvents;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import jdk.jfr.consumer.EventStream;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lockdep4j watch PID}: a live view of a running JVM. Loads the agent when it is not there
 * yet (the attach API), starts a recording with lockdep4j's events, follows the JVM's JFR
 * repository as it is written ({@link EventStream#openRepository(Path)}) and prints each finding that
 * one event proves, as it arrives: the agent's online {@code lock-order-cycle} (its lockdep-style
 * report, option onCycle), {@code wait-while-holding}, {@code use-after-release},
 * {@code refcount-underflow}, {@code resource-leak}; and when JFR lost data. Findings that need the
 * whole graph or many events (release latency, blocking release paths) stay with {@code analyze}.
 * Each finding is printed once (by rule and subject), at most {@code --max-per-minute}; Ctrl-C (or
 * the JVM's exit) prints a summary.
 */
@Command(name = "watch", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        description = {"Follow a running JVM live: load the agent if it is not there yet, record lockdep4j's events, and print",
                "each new finding as it appears (the agent's online lock-order cycles, waits while holding locks, use after",
                "release, refcount underflows, leaks). Ctrl-C stops watching and prints a summary; the JVM runs on.",
                "The whole-graph analysis of the same events: lockdep4j attach/detach, then lockdep4j analyze."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped (Ctrl-C, or the JVM exited)", "2:bad PID, or the JVM cannot be attached to (one line on stderr)"},
        footer = {"", "Example:", "  lockdep4j watch 4242                       # on a staging NFS server under load",
                "  lockdep4j watch 4242 --agent-opts config=lockdep4j-agent.properties"})
final class WatchCommand implements java.util.concurrent.Callable<Integer> {
    static final String RECORDING = "lockdep4j-watch";
    static final String AGENT_PROPERTY = "lockdep4j.agent.version";

    @Parameters(index = "0", paramLabel = "PID", description = "The process id of the JVM to watch")
    String pid;

    @Option(names = "--agent-opts", paramLabel = "OPTS", description = "Agent options when watch loads the agent (key=value,...); "
            + "default: the agent's defaults, onCycle=report")
    String agentOptions = "";

    @Option(names = "--max-per-minute", paramLabel = "N", description = "Print at most N findings a minute (default: ${DEFAULT-VALUE}); "
            + "the rest are counted in the summary")
    int maxPerMinute = 20;

    @Option(names = "--agent-jar", paramLabel = "JAR", hidden = true, description = "The agent jar (set by the launcher)")
    Path agentJar = pathProperty("lockdep4j.agentJar");

    @Option(names = "--settings", paramLabel = "JFC", hidden = true, description = "lockdep4j.jfc (set by the launcher)")
    Path settings = pathProperty("lockdep4j.jfc");

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, Integer> printedByRule = new LinkedHashMap<>();
    private final Set<String> seen = new TreeSet<>();
    private long suppressed;
    private long windowStart;
    private int inWindow;

    WatchCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    private static Path pathProperty(String name) {
        String v = System.getProperty(name);
        return v == null || v.isBlank() ? null : Path.of(v);
    }

    @Override
    public Integer call() throws Exception {
        if (!pid.matches("[0-9]+")) {
            return fail("watch: '" + pid + "' is not a process id");
        }
        Optional<ProcessHandle> process = ProcessHandle.of(Long.parseLong(pid));
        if (process.isEmpty() || !process.get().isAlive()) {
            return fail("watch: no process " + pid);
        }
        if (ProcessHandle.current().pid() == Long.parseLong(pid)) {
            return fail("watch: cannot watch itself");
        }
        Path repository;
        try {
            repository = prepare();
        } catch (WatchException e) {
            return fail(e.getMessage());
        }
        err.println(PREFIX + "watching process " + pid + " (JFR repository " + repository + "); Ctrl-C to stop");
        CountDownLatch done = new CountDownLatch(1);
        AtomicBoolean summarised = new AtomicBoolean();
        Thread hook = new Thread(() -> {
            finish(summarised);
            try {
                done.await(2, TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }, "lockdep4j watch summary");
        Runtime.getRuntime().addShutdownHook(hook);
        try (EventStream es = EventStream.openRepository(repository)) {
            es.setStartTime(Instant.EPOCH); // what the repository still holds, then everything new
            es.onEvent(this::onEvent);
            es.startAsync();
            process.get().onExit().join(); // or Ctrl-C: the shutdown hook prints the summary
            es.awaitTermination(Duration.ofSeconds(3)); // the last flushed events
        } finally {
            finish(summarised);
            done.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException ignored) {
                // shutting down already
            }
        }
        return Main.EXIT_OK;
    }

    private int fail(String message) {
        err.println(PREFIX + Main.oneLine(message));
        return Main.EXIT_BAD_INPUT;
    }

    /** Loads the agent if needed, starts the recording, returns the JVM's JFR repository. */
    private Path prepare() throws WatchException {
        VirtualMachine vm;
        try {
            vm = VirtualMachine.attach(pid);
        } catch (Exception e) {
            throw new WatchException("watch: cannot attach to process " + pid + " (is it a JVM of this user?): " + e.getMessage());
        }
        try {
            Properties props = vm.getSystemProperties();
            if (props.getProperty(AGENT_PROPERTY) == null) {
                if (agentJar == null || !Files.isRegularFile(agentJar)) {
                    throw new WatchException("watch: the agent jar was not found (" + agentJar + "); run ./lockdep4j build");
                }
                vm.loadAgent(agentJar.toString(), agentOptions);
                err.println(PREFIX + "loaded the agent into process " + pid + " (its locks are traced from now on)");
            }
            jcmd("JFR.start", "name=" + RECORDING, "settings=default", "settings=" + settings);
            String repo = vm.getSystemProperties().getProperty("jdk.jfr.repository");
            if (repo == null || repo.isBlank()) {
                throw new WatchException("watch: process " + pid + " has no JFR repository (JFR did not start?)");
            }
            return Path.of(repo);
        } catch (WatchException e) {
            throw e;
        } catch (Exception e) {
            throw new WatchException("watch: process " + pid + ": " + e);
        } finally {
            try {
                vm.detach();
            } catch (Exception ignored) {
                // the JVM may be gone
            }
        }
    }

    private void jcmd(String... args) throws WatchException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
        cmd.add(pid);
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new WatchException("watch: jcmd " + pid + " " + args[0] + " failed: " + output);
            }
        } catch (java.io.IOException e) {
            throw new WatchException("watch: cannot run jcmd: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WatchException("watch: interrupted");
        }
    }

    // ---------------------------------------------------------------- findings, one event each

    private synchronized void onEvent(RecordedEvent raw) {
        Object e = raw.getEventType().getName().equals("jdk.DataLoss") ? raw : EventDecoders.decode(raw);
        if (e instanceof LockEvents.LockOrderViolation v) {
            print("lock-order-cycle", v.cycle(), "possible circular locking dependency detected: " + v.cycle()
                    + (v.singleThread() ? " (single thread)" : ""), v.report());
        } else if (e instanceof ReleaseEvents.WaitWhileHolding w) {
            String site = site(w.stack());
            print("wait-while-holding", w.waitKind() + "|" + w.heldLocks() + "|" + site,
                    w.waitKind() + " while holding " + w.heldLocks() + (w.timed() ? " (timed)" : " (unbounded)"), "    at " + site);
        } else if (e instanceof ReleaseEvents.UseAfterRelease u) {
            print("use-after-release", u.objectClass() + "#" + u.method(), u.objectClass() + "." + u.method() + " called after "
                    + u.shutdownMethod() + " (on thread " + u.shutdownThread() + ")", "    at " + site(u.stack()));
        } else if (e instanceof ReleaseEvents.RefcountUnderflow r) {
            print("refcount-underflow", r.objectClass() + "#" + r.method(), r.objectClass() + "." + r.method()
                    + " took the count below zero (" + r.count() + ")", "    at " + site(r.stack()));
        } else if (e instanceof ReleaseEvents.ResourceLeak l) {
            print("resource-leak", l.openSite(), l.resourceClass() + " opened at " + l.openSite() + " still open at exit"
                    + (l.path() == null ? "" : ": " + l.path()), "");
        } else if (e == raw) {
            print("data-loss", "data-loss", "JFR lost " + raw.getLong("amount") + " bytes of events (buffers full): findings may be missing", "");
        }
    }

    private void print(String rule, String subject, String title, String details) {
        if (!seen.add(rule + "|" + subject)) {
            return;
        }
        long now = System.nanoTime();
        if (windowStart == 0 || now - windowStart >= 60_000_000_000L) {
            windowStart = now;
            inWindow = 0;
        }
        if (inWindow++ >= maxPerMinute) {
            suppressed++;
            return;
        }
        printedByRule.merge(rule, 1, Integer::sum);
        out.println(Instant.now() + " " + rule + ": " + title);
        if (details != null && !details.isBlank()) {
            out.print(details.endsWith("\n") ? details : details + "\n");
        }
        out.flush();
    }

    private synchronized void finish(AtomicBoolean summarised) {
        if (!summarised.compareAndSet(false, true)) {
            return;
        }
        StringBuilder sb = new StringBuilder(PREFIX + "watch summary for process " + pid + ": " + seen.size() + " finding"
                + (seen.size() == 1 ? "" : "s"));
        Map<String, Integer> byRule = new LinkedHashMap<>();
        for (String k : seen) {
            byRule.merge(k.substring(0, k.indexOf('|')), 1, Integer::sum);
        }
        if (!byRule.isEmpty()) {
            sb.append(" (");
            List<String> parts = new ArrayList<>();
            byRule.forEach((r, n) -> parts.add(r + " " + n));
            sb.append(String.join(", ", parts)).append(')');
        }
        if (suppressed > 0) {
            sb.append("; ").append(suppressed).append(" not printed (rate limit --max-per-minute ").append(maxPerMinute).append(')');
        }
        err.println(sb);
        err.flush();
        if (ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false)) {
            try {
                jcmd("JFR.stop", "name=" + RECORDING); // the agent stays loaded; lockdep4j detach PID removes it
            } catch (WatchException ignored) {
                // the JVM is exiting
            }
        }
    }

    private static String site(RecordedStackTrace st) {
        if (st == null) {
            return "(no stack trace)";
        }
        for (RecordedFrame f : st.getFrames()) {
            String c = f.getMethod().getType().getName();
            if (!c.startsWith("io.lockdep4j.agent.") && !c.startsWith("java.") && !c.startsWith("jdk.")) {
                return c + "." + f.getMethod().getName() + "(line " + f.getLineNumber() + ")";
            }
        }
        List<RecordedFrame> frames = st.getFrames();
        return frames.isEmpty() ? "(no frames)" : frames.get(0).getMethod().getType().getName() + "." + frames.get(0).getMethod().getName();
    }

    private static final class WatchException extends Exception {
        WatchException(String message) {
            super(message);
        }
    }
}
