package rnnkit.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import rnnkit.checks.KerasCheckValues;
import rnnkit.model.Tensor;
import rnnkit.reference.ReferenceRnn;

/** The rnnkit command line: {@code rnnkit <command>}. */
@Command(name = "rnnkit", mixinStandardHelpOptions = true, version = "rnnkit 0.1.0",
        description = "Reference-verification harness for Keras-semantics recurrent layers (SimpleRNN, LSTM, GRU).",
        subcommands = {Main.Check.class, KitCommands.Run.class, KitCommands.Export.class, KitCommands.Verify.class,
                KitCommands.ListImplementations.class, TrainCheck.class, CommandLine.HelpCommand.class})
public final class Main implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line (exit codes: 0 success, 1 failures, 2 usage errors). */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((e, cmd, parseResult) -> {
            if (e instanceof IllegalArgumentException || e instanceof java.io.UncheckedIOException) {
                cmd.getErr().println("rnnkit: " + e.getMessage());
                cmd.getErr().flush();
                return KitCommands.USAGE_ERROR;
            }
            throw e;
        });
        return cl;
    }

    /** {@code rnnkit check}: the independent Keras check values on the reference implementation. */
    @Command(name = "check", mixinStandardHelpOptions = true,
            description = {"Runs the independent check values from Keras's own test suite on the reference "
                    + "implementation and prints one row per check.",
                    "Exit code 0 only if every check passes (absolute tolerance "
                            + KerasCheckValues.TOLERANCE + " against the float32 Keras values)."})
    static final class Check implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            List<KerasCheckValues.Result> results = KerasCheckValues.run(new ReferenceRnn());
            String format = "%-52s %-12s %-12s %-9s %s%n";
            out.printf(Locale.ROOT, format, "check", "expected", "got", "error", "result");
            out.println("-".repeat(96));
            int passed = 0;
            for (KerasCheckValues.Result r : results) {
                String error = Double.isNaN(r.maxAbsError()) ? "-" : String.format(Locale.ROOT, "%.1e", r.maxAbsError());
                out.printf(Locale.ROOT, format, r.check().name(), first(r.check().expected()),
                        r.got() == null ? "-" : first(r.got()), error, r.passed() ? "PASS" : "FAIL");
                if (!r.passed()) {
                    out.println("    " + r.failure());
                }
                passed += r.passed() ? 1 : 0;
            }
            out.println("-".repeat(96));
            out.println("expected/got show the first element; error is the max abs error over the whole output.");
            out.printf(Locale.ROOT, "%d passed, %d failed%n", passed, results.size() - passed);
            out.flush();
            return passed == results.size() ? 0 : 1;
        }

        private static String first(Tensor t) {
            return String.format(Locale.ROOT, "%.8f", t.data()[0]);
        }
    }
}
