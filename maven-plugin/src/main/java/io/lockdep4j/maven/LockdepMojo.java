package io.lockdep4j.maven;

import java.io.File;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/** What both goals share: the project, the directory of recordings and reports, and {@code skip}. */
abstract class LockdepMojo extends AbstractMojo {
    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    MavenProject project;

    /** Where the test JVMs write their recordings and {@code check} its reports. */
    @Parameter(property = "lockdep4j.recordingDirectory", defaultValue = "${project.build.directory}/lockdep4j")
    File recordingDirectory;

    /** Neither goal does anything: no agent in the test JVMs, no check. */
    @Parameter(property = "lockdep4j.skip", defaultValue = "false")
    boolean skip;

    @Override
    public final void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("lockdep4j: skipped (lockdep4j.skip)");
            return;
        }
        run();
    }

    abstract void run() throws MojoExecutionException, MojoFailureException;
}
