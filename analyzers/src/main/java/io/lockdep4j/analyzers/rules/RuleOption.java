package io.lockdep4j.analyzers.rules;

import java.util.Locale;

/**
 * One knob a rule declares and documents (see {@link Rule#options()}): its name, which is also the
 * command-line flag ({@code --name}), the label of its value in the help, its default, the range it
 * accepts and a one-line description. Values are whole numbers; a rule reads its value with
 * {@link RuleContext#option(RuleOption)}. Messages that tell the reader to raise a limit name it
 * with {@link #flag()}, so the advice and the command line cannot drift apart.
 *
 * <pre>{@code
 * public static final RuleOption BUDGET = RuleOption.of("cycle-budget", "STEPS", 200_000_000L,
 *         "Stop the cycle search after looking at STEPS edges").atLeast(1);
 * }</pre>
 *
 * @param name kebab-case, unique among all rules' options
 * @param paramLabel how the help shows the value, e.g. {@code N}, {@code SECONDS}
 * @param defaultValue the value when none is given
 * @param min smallest accepted value
 * @param max largest accepted value
 * @param doc one line for the help; the default is appended there
 */
public record RuleOption(String name, String paramLabel, long defaultValue, long min, long max, String doc) {
    public RuleOption {
        if (!name.matches("[a-z][a-z0-9]*(-[a-z0-9]+)*")) {
            throw new IllegalArgumentException("an option name is kebab-case: " + name);
        }
        if (defaultValue < min || defaultValue > max) {
            throw new IllegalArgumentException("the default of " + name + " is outside its range");
        }
    }

    /** An option accepting any non-negative value; narrow it with {@link #atLeast} / {@link #atMost}. */
    public static RuleOption of(String name, String paramLabel, long defaultValue, String doc) {
        return new RuleOption(name, paramLabel, defaultValue, 0, Long.MAX_VALUE, doc);
    }

    public RuleOption atLeast(long newMin) {
        return new RuleOption(name, paramLabel, defaultValue, newMin, max, doc);
    }

    public RuleOption atMost(long newMax) {
        return new RuleOption(name, paramLabel, defaultValue, min, newMax, doc);
    }

    /** The command-line flag: {@code --name}. */
    public String flag() {
        return "--" + name;
    }

    /** {@code value} if it is in range; otherwise an {@link IllegalArgumentException} naming the flag. */
    public long check(long value) {
        if (value < min) {
            throw new IllegalArgumentException(flag() + " must be at least " + min + suffix());
        }
        if (value > max) {
            throw new IllegalArgumentException(flag() + " must be at most " + max + suffix());
        }
        return value;
    }

    private String suffix() {
        return paramLabel.equals("N") ? "" : " (" + paramLabel.toLowerCase(Locale.ROOT) + ")";
    }
}
