package io.lockdep4j.analyzers.testing;

import io.lockdep4j.events.AgentErrorEvent;
import io.lockdep4j.events.AgentStatisticsEvent;
import io.lockdep4j.events.LockChainEvent;
import io.lockdep4j.events.LockOrderEdgeEvent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;

/** Makes real .jfr files in-process, and runs the CLI in-process. */
public final class Jfr {
    private Jfr() {}

    /** Records what {@code body} emits (lockdep4j event types enabled, with stacks) into {@code file}. */
    public static Path record(Path file, Runnable body) throws Exception {
        try (Recording r = new Recording()) {
            r.enable(LockOrderEdgeEvent.class).withStackTrace();
            r.enable(LockChainEvent.class).withStackTrace();
            r.enable(AgentStatisticsEvent.class);
            r.enable(AgentErrorEvent.class);
            for (Class<? extends jdk.jfr.Event> c : List.of(io.lockdep4j.events.FileCloseEvent.class,
                    io.lockdep4j.events.FileForceEvent.class, io.lockdep4j.events.ReleaseEvent.class,
                    io.lockdep4j.events.WaitWhileHoldingEvent.class, io.lockdep4j.events.SignalEvent.class,
                    io.lockdep4j.events.UseAfterReleaseEvent.class)) {
                r.enable(c).withStackTrace();
            }
            r.start();
            body.run();
            r.stop();
            r.dump(file);
        }
        return file;
    }

    /** A recording with the JDK's default settings and no lockdep4j event at all. */
    public static Path plain(Path file) throws Exception {
        try (Recording r = new Recording(Configuration.getConfiguration("default"))) {
            r.start();
            Thread.sleep(50);
            r.stop();
            r.dump(file);
        }
        return file;
    }

    /** Runs {@code body} on a new thread named {@code name} and waits for it. */
    public static void onThread(String name, Runnable body) {
        List<Throwable> failure = new ArrayList<>();
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                failure.add(e);
            }
        }, name);
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        if (!failure.isEmpty()) {
            throw new IllegalStateException(failure.get(0));
        }
    }

    public record Run(int code, String out, String err) {
        public List<String> errLines() {
            return err.isEmpty() ? List.of() : List.of(err.split("\\R"));
        }
    }

    public static Run cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = io.lockdep4j.analyzers.cli.Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
