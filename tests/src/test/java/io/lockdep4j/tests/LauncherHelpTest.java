package io.lockdep4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command of the real launcher (and of the CLI jar it calls) answers {@code --help} and
 * {@code -h} on stdout with exit 0 and a usage line, its options and an example; and a run keeps
 * the program's stdout its own.
 */
class LauncherHelpTest {
    static final List<List<String>> COMMANDS = List.of(List.of(), List.of("run"), List.of("analyze"), List.of("check"),
            List.of("attach"), List.of("detach"), List.of("watch"), List.of("demo"), List.of("jmc-report"), List.of("build"));

    @TempDir
    Path dir;

    @Test
    void everyCommandAnswersHelpOnStdout() throws Exception {
        for (List<String> command : COMMANDS) {
            for (String flag : List.of("--help", "-h")) {
                List<String> args = new ArrayList<>(command);
                args.add(flag);
                Launcher.Result r = Launcher.lockdep4j(args.toArray(new String[0]));
                String what = "lockdep4j " + String.join(" ", args);
                assertEquals(0, r.exitCode(), what + ": " + r.stderr());
                assertEquals("", r.stderr(), what);
                String out = r.stdout();
                assertTrue(out.startsWith("Usage: lockdep4j") || out.contains("./lockdep4j " + command.get(0)), what + ": " + out);
                assertTrue(out.contains("Example"), what + " has an example: " + out);
                assertTrue(out.endsWith("\n") && !out.contains("\n\n\n"), what + " ends cleanly: " + out);
            }
        }
    }

    @Test
    void topLevelHelpNamesEveryCommand() throws Exception {
        String out = Launcher.lockdep4j("--help").stdout();
        for (List<String> command : COMMANDS.subList(1, COMMANDS.size())) {
            assertTrue(out.contains("\n  " + command.get(0) + " "), command + " in " + out);
        }
    }

    @Test
    void cliJarAnswersHelpForEveryCommand() throws Exception {
        String jar = Launcher.ROOT.resolve("analyzers/target/lockdep4j-analyzers-cli.jar").toString();
        for (String command : List.of("", "analyze", "check")) {
            List<String> cmd = new ArrayList<>(List.of(Launcher.JAVA, "-jar", jar));
            if (!command.isEmpty()) {
                cmd.add(command);
            }
            cmd.add("-h");
            Launcher.Result r = Launcher.exec(cmd, 120);
            assertEquals(0, r.exitCode(), command + ": " + r.stderr());
            assertTrue(r.stdout().startsWith("Usage: lockdep4j"), r.stdout());
            assertTrue(r.stdout().contains("Example"), r.stdout());
            if (!command.isEmpty()) { // the option that points titles at the user's code (issue 16.5)
                assertTrue(r.stdout().contains("--include=PREFIX"), command + " lists --include: " + r.stdout());
            }
        }
    }

    @Test
    void aRunsStdoutIsTheProgramsOwn() throws Exception {
        // onCycle=off: the agent's online report of this inversion would be a second stderr message
        Launcher.Result r = Launcher.runScenario(dir.resolve("own.jfr"), "inversion-reentrant", "--agent-opts", "onCycle=off");
        assertEquals(0, r.exitCode(), r.stderr());
        assertEquals("scenario inversion-reentrant done\n", r.stdout(), "no JFR start-up lines");
        assertTrue(!r.stderr().contains("Sharing is only supported"), "no CDS warning: " + r.stderr());
        assertTrue(r.stderr().strip().startsWith("lockdep4j: recording written to"), r.stderr());
        assertEquals(1, r.stderrLines().size(), "only the launcher's own line: " + r.stderr());
    }
}
