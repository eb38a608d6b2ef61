package io.lockdep4j.agent;

import com.sun.tools.attach.VirtualMachine;
import java.io.File;

/**
 * Loads the agent into a running JVM: {@code java -cp lockdep4j-agent.jar
 * io.lockdep4j.agent.AttachMain PID [OPTIONS]}. The {@code ./lockdep4j attach} command wraps it
 * and starts a recording with jcmd. Already-loaded classes are retransformed; locks created
 * before the attach are named by where they are first locked, not by their field.
 */
public final class AttachMain {
    private AttachMain() {}

    public static void main(String[] args) {
        if (args.length < 1 || !args[0].matches("\\d+")) {
            System.err.println("lockdep4j: attach needs a process id (usage: lockdep4j attach PID [--agent-opts OPTS])");
            System.exit(2);
        }
        String jar;
        try {
            jar = new File(AttachMain.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getAbsolutePath();
        } catch (Exception e) {
            System.err.println("lockdep4j: cannot locate the agent jar: " + e.getMessage());
            System.exit(2);
            return;
        }
        try {
            VirtualMachine vm = VirtualMachine.attach(args[0]);
            try {
                vm.loadAgent(jar, args.length > 1 ? args[1] : "");
            } finally {
                vm.detach();
            }
            if (args.length > 1 && args[1].equals("stop")) {
                System.err.println("lockdep4j: asked the agent in process " + args[0] + " to stop");
            } else {
                System.err.println("lockdep4j: agent loaded into process " + args[0]);
            }
        } catch (Exception e) {
            System.err.println("lockdep4j: could not attach to process " + args[0] + ": " + e.getMessage());
            System.exit(2);
        }
    }
}
