package io.lockdep4j.tests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Drives the {@code ./lockdep4j} launcher exactly as a user would, with the JDK that runs the
 * tests (so a JDK 25 build tests the agent on 25).
 */
public final class Launcher {
    public static final Path ROOT = Path.of(System.getProperty("lockdep4j.root", "..")).toAbsolutePath().normalize();
    public static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    public static final String TEST_CLASSES = Path.of(System.getProperty("user.dir"), "target", "test-classes").toString();

    public record Result(int exitCode, String stdout, String stderr) {
        public List<String> stderrLines() {
            return stderr.isBlank() ? List.of() : Arrays.asList(stderr.strip().split("\\R"));
        }
    }

    private Launcher() {}

    /** {@code ./lockdep4j ARGS...} with JAVA_HOME set to the test JDK. */
    public static Result lockdep4j(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add("bash");
        cmd.add(ROOT.resolve("lockdep4j").toString());
        cmd.addAll(Arrays.asList(args));
        return exec(cmd, 300);
    }

    /** Runs a workload scenario under the agent with {@code lockdep4j run}. */
    public static Result runScenario(Path recording, String scenario, String... launcherOptions) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>();
        args.add("run");
        args.add("-o");
        args.add(recording.toString());
        args.addAll(Arrays.asList(launcherOptions));
        args.addAll(List.of("--", JAVA, "-cp", TEST_CLASSES, "io.lockdep4j.tests.workloads.Scenarios", scenario));
        return lockdep4j(args.toArray(new String[0]));
    }

    public static Result exec(List<String> cmd, int timeoutSeconds) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Path out = Files.createTempFile("lockdep4j-out", ".txt");
        Path err = Files.createTempFile("lockdep4j-err", ".txt");
        pb.redirectOutput(out.toFile());
        pb.redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError("timed out after " + timeoutSeconds + "s: " + cmd + "\n" + Files.readString(err));
        }
        Result r = new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
        return r;
    }

    public static int javaFeatureVersion() {
        return Runtime.version().feature();
    }
}
