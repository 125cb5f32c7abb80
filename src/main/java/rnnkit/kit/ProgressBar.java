package rnnkit.kit;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress bar on a terminal ({@code [#####     ] 120/412 case-name}), or a line every 10% when the
 * output is not a terminal (CI logs: {@code progress: 120/412 cases (29%), 8.1s}), so long runs show they are alive
 * without flooding logs. The unit ("cases" unless given) says what is counted.
 */
public final class ProgressBar {
    private final PrintStream out;
    private final int total;
    private final boolean interactive;
    private final String unit;
    private final long start = System.nanoTime();
    private int lastDecile = -1;

    public ProgressBar(PrintStream out, int total, boolean interactive) {
        this(out, total, interactive, "cases");
    }

    /** @param unit what is counted, plural ("cases", "random cases drawn", "replay steps") */
    public ProgressBar(PrintStream out, int total, boolean interactive, String unit) {
        this.out = out;
        this.total = total;
        this.interactive = interactive;
        this.unit = unit;
    }

    /** Interactive when a console is attached and CI is not set. */
    public static ProgressBar forStderr(int total) {
        return forStderr(total, "cases");
    }

    /** {@link #forStderr(int)} counting {@code unit}. */
    public static ProgressBar forStderr(int total, String unit) {
        boolean tty = System.console() != null && System.getenv("CI") == null;
        return new ProgressBar(System.err, total, tty, unit);
    }

    public void step(int done, String label) {
        if (total <= 0) {
            return;
        }
        double secs = (System.nanoTime() - start) / 1e9;
        if (interactive) {
            int width = 30;
            int filled = (int) ((long) width * done / total);
            String name = label.length() > 40 ? label.substring(0, 37) + "..." : label;
            out.printf(Locale.ROOT, "\r[%s%s] %d/%d %s %5.1fs %-40s", "#".repeat(filled), " ".repeat(width - filled), done,
                    total, unit, secs, name);
            if (done == total) {
                out.println();
            }
            out.flush();
        } else {
            int decile = (int) (10L * done / total);
            if (decile != lastDecile || done == total) {
                lastDecile = decile;
                out.printf(Locale.ROOT, "progress: %d/%d %s (%.0f%%), %.1fs%n", done, total, unit, 100.0 * done / total,
                        secs);
            }
        }
    }
}
