package io.lockdep4j.maven;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Adds the lockdep4j agent and a JFR recording to the JVM options of the test JVMs that surefire and failsafe fork,
 * by appending to the property they read ({@code argLine}), as JaCoCo's {@code prepare-agent} does. Each forked JVM
 * writes its own recording into {@code target/lockdep4j/} (JFR names a file in a directory
 * {@code hotspot-pid-<pid>-id-<n>-<time>.jfr}: JDK 17 does not expand {@code %p} in file names), which
 * {@code check} then analyzes as one lock graph.
 */
@Mojo(name = "prepare-agent", defaultPhase = LifecyclePhase.INITIALIZE, threadSafe = true)
public class PrepareAgentMojo extends LockdepMojo {
    static final String AGENT = "io.lockdep4j:lockdep4j-agent";
    static final String JFC = "lockdep4j.jfc";

    @Parameter(defaultValue = "${session}", readonly = true, required = true)
    MavenSession session;

    @Parameter(defaultValue = "${plugin.artifactMap}", readonly = true, required = true)
    Map<String, Artifact> pluginArtifactMap;

    /** The property the test plugins read their JVM options from; appended to, never replaced. */
    @Parameter(property = "lockdep4j.propertyName", defaultValue = "argLine")
    String propertyName;

    /** Agent options ({@code key=value,key=value} or {@code config=FILE}), as in the README's "Agent options". */
    @Parameter(property = "lockdep4j.agentOptions")
    String agentOptions;

    @Override
    void run() throws MojoExecutionException {
        Artifact agent = pluginArtifactMap.get(AGENT);
        if (agent == null || agent.getFile() == null) {
            throw new MojoExecutionException("lockdep4j: the plugin's dependency " + AGENT + " was not resolved");
        }
        Path dir = recordingDirectory.toPath();
        Path jfc = dir.resolve(JFC);
        try {
            Files.createDirectories(dir); // JFR refuses to start (and the fork dies) when the directory is missing
            deleteOldRecordings(dir); // a recording of an earlier build describes older code: check must not see it
            extract(agent.getFile(), JFC, jfc);
        } catch (IOException e) {
            throw new MojoExecutionException("lockdep4j: cannot prepare " + dir + ": " + e, e);
        }
        List<String> options = new ArrayList<>();
        String opts = agentOptions == null || agentOptions.isBlank() ? "" : "=" + agentOptions.trim();
        options.add("-javaagent:" + agent.getFile().getAbsolutePath() + opts);
        // A directory as the file name: each forked JVM gets its own file (the trailing separator is what says "directory").
        options.add("-XX:StartFlightRecording:settings=default,settings=" + jfc.toAbsolutePath()
                + ",filename=" + dir.toAbsolutePath() + File.separator + ",dumponexit=true");
        // JFR's start-up line goes to stdout, which is surefire's channel to its fork: it would warn "Corrupted channel".
        options.add("-Xlog:jfr+startup=off");

        // -DargLine=... on the command line wins over the project's property when surefire reads it: append to that one then.
        Properties target = session.getUserProperties().containsKey(propertyName) ? session.getUserProperties() : project.getProperties();
        String old = target.getProperty(propertyName, "");
        StringBuilder value = new StringBuilder(old.trim());
        for (String o : options) {
            value.append(value.length() == 0 ? "" : " ").append(quoted(o));
        }
        target.setProperty(propertyName, value.toString());
        getLog().info("lockdep4j: " + propertyName + " set to " + value);
    }

    /** Surefire splits its argLine at spaces unless an argument is quoted (a path with a space). */
    static String quoted(String arg) {
        return arg.indexOf(' ') < 0 ? arg : '"' + arg.replace("\"", "\\\"") + '"';
    }

    private static void deleteOldRecordings(Path dir) throws IOException {
        for (String old : CheckMojo.recordingFiles(dir)) {
            Files.deleteIfExists(Path.of(old));
        }
    }

    private static void extract(File jar, String entry, Path to) throws IOException {
        try (JarFile j = new JarFile(jar)) {
            ZipEntry e = j.getEntry(entry);
            if (e == null) {
                throw new IOException(jar + " has no " + entry);
            }
            try (InputStream in = j.getInputStream(e)) {
                Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
