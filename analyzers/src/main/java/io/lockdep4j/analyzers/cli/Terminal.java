package io.lockdep4j.analyzers.cli;

import java.io.Console;
import java.lang.reflect.Method;

/** Whether stderr is a terminal, so that progress lines go to a person and never into files or pipes. */
final class Terminal {
    /** Set by the launcher, which can test stderr itself ({@code [ -t 2 ]}); Java alone cannot. */
    static final String PROPERTY = "lockdep4j.stderrIsTerminal";

    private Terminal() {}

    static boolean stderrIsTerminal() {
        String told = System.getProperty(PROPERTY);
        if (told != null) {
            return Boolean.parseBoolean(told);
        }
        // Without the launcher: a console means an interactive session (JDK 22+ returns one even when
        // redirected, and says so with isTerminal()).
        Console c = System.console();
        if (c == null) {
            return false;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(c);
        } catch (ReflectiveOperationException e) {
            return true; // JDK 17-21: System.console() is null unless stdin and stdout are terminals
        }
    }
}
