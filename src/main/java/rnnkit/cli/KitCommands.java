package rnnkit.cli;

import java.io.PrintWriter;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import rnnkit.golden.BoundedFiles;
import rnnkit.golden.GoldenCase;
import rnnkit.golden.GoldenCorpus;
import rnnkit.kit.CaseExport;
import rnnkit.kit.CaseResult;
import rnnkit.kit.CaseSelection;
import rnnkit.kit.ConformanceCase;
import rnnkit.kit.ExpectedFailures;
import rnnkit.kit.GoldenCases;
import rnnkit.kit.Implementations;
import rnnkit.kit.KitReport;
import rnnkit.kit.KitRunner;
import rnnkit.kit.PlannedCase;
import rnnkit.kit.ProgressBar;
import rnnkit.kit.RandomCases;
import rnnkit.kit.RandomCoverage;
import rnnkit.kit.ReportSet;
import rnnkit.kit.ResultFiles;
import rnnkit.kit.ToleranceCheck;
import rnnkit.kit.UnusableResultException;
import rnnkit.model.DType;
import rnnkit.model.RnnImplementation;
import rnnkit.reference.ReferenceRnn;

/** The conformance-kit subcommands: run, export, verify, list-implementations. */
final class KitCommands {
    static final int SUCCESS = 0;
    static final int FAILURES = 1;
    static final int USAGE_ERROR = 2;

    private KitCommands() {
    }

    /** Case selection options shared by run and export. */
    static final class SelectionOptions {
        @Option(names = "--corpus", paramLabel = "DIR", description = CORPUS_HELP)
        Path corpus;

        @Option(names = "--include", split = ",", paramLabel = "GLOB",
                description = "only cases whose name matches one of these globs (* and ?), e.g. 'lstm/*'")
        List<String> include = new ArrayList<>();

        @Option(names = "--exclude", split = ",", paramLabel = "GLOB", description = "skip cases matching these globs")
        List<String> exclude = new ArrayList<>();

        @Option(names = "--shard", paramLabel = "i/n",
                description = "run only shard i of n (1-based); a case's shard depends only on its name (SHA-256)")
        String shard;

        CaseSelection selection() {
            return CaseSelection.of(include, exclude, shard);
        }

        GoldenCorpus open() {
            return openCorpus(corpus);
        }

        /** The selected golden case names; a selection that matches none is a usage error with a hint. */
        List<String> selectGolden(GoldenCorpus c) {
            List<String> names = selection().select(c.caseNames());
            if (names.isEmpty()) {
                throw nothingSelected(this, c.caseNames().size() + " golden cases", selection().suggestion(c.caseNames()));
            }
            return names;
        }
    }

    static final String CORPUS_HELP = "golden corpus root (default: $" + GoldenCorpus.CORPUS_ENV
            + ", else the golden/ folder next to rnnkit.jar)";

    static GoldenCorpus openCorpus(Path corpus) {
        return GoldenCorpus.open(corpus != null ? corpus : GoldenCorpus.defaultRoot());
    }

    static IllegalArgumentException nothingSelected(SelectionOptions s, String among, String hint) {
        return new IllegalArgumentException("the selection (" + selectionDescription(s) + ") matches none of the "
                + among + "; nothing to do" + (hint.isEmpty() ? "" : ": " + hint));
    }

    /** Report options shared by run and verify. */
    static final class ReportOptions {
        /** Under target/ so that an ad-hoc run never overwrites the committed reports/; those name --report-dir. */
        static final Path DEFAULT_REPORT_DIR = Path.of("target", "rnnkit-reports");

        @Option(names = "--report-dir", paramLabel = "DIR",
                description = "where reports go (default: ./target/rnnkit-reports)")
        Path reportDir = DEFAULT_REPORT_DIR;

        @Option(names = "--format", split = ",", paramLabel = "FMT", description = "md, html, junit (default: md,html,junit)")
        List<String> formats = new ArrayList<>(List.of("md", "html", "junit"));

        @Option(names = "--xfail", paramLabel = "FILE", description = "expected failures: lines '<case glob> : <reason>' or 'tags: <tag> & !<tag> : <reason>'")
        Path xfail;

        @Option(names = "--timeout", paramLabel = "SECONDS", description = "per-case time limit (default: 60)")
        long timeout = 60;

        @Option(names = "--no-gradients", description = "check outputs and states only")
        boolean noGradients;

        @Option(names = "--note", paramLabel = "TEXT",
                description = "a paragraph for the report, e.g. how the implementation was run (repeatable)")
        List<String> notes = new ArrayList<>();

        @Option(names = "--notes-file", paramLabel = "FILE",
                description = "Markdown paragraphs (separated by blank lines) to show under the report summary")
        Path notesFile;

        List<String> notes() {
            List<String> all = new ArrayList<>(notes);
            if (notesFile != null) {
                String text = BoundedFiles.readUtf8(notesFile, BoundedFiles.TEXT_BYTES, "--notes-file");
                for (String para : text.split("\\R\\s*\\R")) {
                    if (!para.isBlank()) {
                        all.add(para.strip().replaceAll("\\s*\\R\\s*", " "));
                    }
                }
            }
            return all;
        }

        /** "; expected failures from `FILE`" for the report's selection line, or "" without --xfail. */
        String expectedFailuresDescription() {
            return xfail == null ? "" : "; expected failures from `" + xfail + "`";
        }

        ExpectedFailures expectedFailures() {
            return xfail == null ? ExpectedFailures.none() : ExpectedFailures.read(xfail);
        }

        void validate() {
            for (String f : formats) {
                if (!ReportSet.isFormat(f)) {
                    throw new IllegalArgumentException("unknown report format '" + f + "'; expected md, html or junit");
                }
            }
            if (timeout < 1) {
                throw new IllegalArgumentException("--timeout is " + timeout + "; expected at least 1 second");
            }
        }

        /** Everything about the report that can be wrong, checked before any case runs. */
        Prepared prepare(String reportName) {
            validate();
            List<String> n = notes();
            ExpectedFailures xf = expectedFailures();
            ReportSet.checkWritable(reportDir, reportName, formats);
            return new Prepared(n, xf);
        }
    }

    record Prepared(List<String> notes, ExpectedFailures expectedFailures) {
    }

    /**
     * Warns on stderr about expected-failure entries that matched no case of the run (by name or by tags), and returns
     * them for the report.
     */
    static List<String> staleEntries(CommandSpec spec, ExpectedFailures xf, List<CaseResult> results) {
        List<String> stale = xf.staleAfter(results);
        PrintWriter err = spec.commandLine().getErr();
        for (String e : stale) {
            err.println("rnnkit: warning: stale --xfail entry (matches no selected case): " + e);
        }
        err.flush();
        return stale;
    }

    static String corpusDescription(GoldenCorpus corpus) {
        java.util.Map<String, String> v = corpus.versions();
        return "golden corpus (Keras " + v.get("keras") + ", TensorFlow " + v.get("tensorflow") + ", "
                + corpus.caseNames().size() + " cases)";
    }

    static String selectionDescription(SelectionOptions s) {
        List<String> parts = new ArrayList<>();
        parts.add(s.include.isEmpty() ? "all cases" : "include " + s.include);
        if (!s.exclude.isEmpty()) {
            parts.add("exclude " + s.exclude);
        }
        if (s.shard != null) {
            parts.add("shard " + s.shard);
        }
        return String.join(", ", parts);
    }

    /** Writes the report, prints where it went, and prints the summary as the last line. */
    static int finish(PrintWriter out, KitReport report, ReportOptions r, String baseName) {
        List<Path> files = report.write(r.reportDir, baseName, r.formats);
        for (Path f : files) {
            out.println("report: " + f);
        }
        out.println(report.printedSummary());
        out.flush();
        return report.success() ? SUCCESS : FAILURES;
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = {"Runs the golden corpus (and optionally seeded random cases checked against the reference) "
                    + "through an implementation on the JVM and writes a conformance report.",
                    "Exit code: 0 all selected cases pass (or are unsupported / expected failures), 1 failures or "
                            + "errors, 2 usage error."})
    static final class Run implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--impl", required = true, paramLabel = "NAME|CLASS",
                description = "registered implementation name (see list-implementations) or adapter class name")
        String impl;

        @Option(names = "--classpath", split = "[:;,]", paramLabel = "JARS", description = "extra jars/folders holding the adapter")
        List<Path> classpath = new ArrayList<>();

        @Mixin
        SelectionOptions selection = new SelectionOptions();

        @Mixin
        ReportOptions report = new ReportOptions();

        @Option(names = "--random", paramLabel = "N", description = "also run N seeded random cases, 0 to " + RandomCases.MAX_COUNT + " (default 0)")
        int random;

        @Option(names = "--seed", paramLabel = "S", description = "seed of the random cases (default 1)")
        long seed = 1;

        @Option(names = "--random-dtype", paramLabel = "DTYPE", description = "float32 or float64 (default float32)")
        String randomDtype = "float32";

        @Option(names = "--no-golden", description = "skip the golden corpus (random cases only)")
        boolean noGolden;

        @Override
        public Integer call() {
            report.validate();
            if (random < 0 || random > RandomCases.MAX_COUNT) {
                throw new IllegalArgumentException("--random is " + random + "; expected 0 to " + RandomCases.MAX_COUNT
                        + " cases per run (run several --seed values for more)");
            }
            if (noGolden && random == 0) {
                throw new IllegalArgumentException("--no-golden without --random N selects no case; add --random N "
                        + "(e.g. --random 200) or drop --no-golden");
            }
            CaseSelection sel = selection.selection();
            DType dt = DType.fromKeras(randomDtype);
            RnnImplementation implementation = Implementations.resolve(impl, classLoader(classpath));
            String name = implementation.name();
            Prepared prep = report.prepare(name);
            List<PlannedCase> plan = new ArrayList<>();
            String corpusText = "";
            int available = 0;
            if (!noGolden) {
                GoldenCorpus corpus = selection.open();
                List<String> names = sel.select(corpus.caseNames());
                available += corpus.caseNames().size();
                plan.addAll(GoldenCases.plan(corpus, names));
                corpusText = corpusDescription(corpus);
            }
            RandomCoverage coverage = new RandomCoverage();
            if (random > 0) {
                ReferenceRnn oracle = new ReferenceRnn();
                ProgressBar drawing = ProgressBar.forStderr(random, "random cases drawn");
                for (PlannedCase p : RandomCases.plan(seed, random, dt, oracle, sel, drawing)) {
                    plan.add(new PlannedCase(p.name(), () -> {
                        ConformanceCase c = p.loader().get();
                        coverage.add(c);
                        return c;
                    }));
                }
                available += random;
                corpusText += (corpusText.isEmpty() ? "" : " + ") + random + " random " + randomDtype
                        + " cases (seed " + seed + ", expected values from the reference)";
            }
            if (plan.isEmpty()) {
                GoldenCorpus forHint = noGolden ? null : selection.open();
                throw nothingSelected(selection, available + " cases" + (random > 0 ? " (golden and random)" : ""),
                        forHint == null ? "" : sel.suggestion(forHint.caseNames()));
            }
            ProgressBar bar = ProgressBar.forStderr(plan.size());
            List<CaseResult> results = new KitRunner(new ToleranceCheck(), prep.expectedFailures(), report.timeout,
                    !report.noGradients).runPlan(implementation, plan, bar);
            List<String> stale = staleEntries(spec, prep.expectedFailures(), results);
            KitReport r = new KitReport("rnnkit conformance: " + name, name, corpusText,
                    selectionDescription(selection) + report.expectedFailuresDescription(), plan.size(), results,
                    prep.notes(), stale, coverage.toMap());
            return finish(spec.commandLine().getOut(), r, report, name);
        }
    }

    static ClassLoader classLoader(List<Path> classpath) {
        if (classpath.isEmpty()) {
            return KitCommands.class.getClassLoader();
        }
        List<URL> urls = new ArrayList<>();
        for (Path p : classpath) {
            if (!Files.exists(p)) {
                throw new IllegalArgumentException("--classpath entry " + p + " does not exist");
            }
            try {
                urls.add(p.toUri().toURL());
            } catch (MalformedURLException e) {
                throw new IllegalArgumentException("--classpath entry " + p + " is not a valid path: " + e.getMessage());
            }
        }
        return new URLClassLoader(urls.toArray(URL[]::new), KitCommands.class.getClassLoader());
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = {"Writes the selected golden cases for an implementation in another language: inputs, "
                    + "weights, configuration and cotangents, with no expected values (protocol version 1, see "
                    + "docs/validating-an-implementation.md)."})
    static final class Export implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "export folder (created)")
        Path out;

        @Mixin
        SelectionOptions selection = new SelectionOptions();

        @Override
        public Integer call() {
            CaseExport.checkOutputFolder(out);
            GoldenCorpus corpus = selection.open();
            List<String> names = selection.selectGolden(corpus);
            CaseExport.ExportIndex idx = CaseExport.export(corpus, names, out, ProgressBar.forStderr(names.size()));
            PrintWriter err = spec.commandLine().getErr();
            idx.errors().forEach((n, why) -> err.println("ERROR " + n + ": " + why));
            err.flush();
            PrintWriter w = spec.commandLine().getOut();
            w.println("exported " + idx.cases().size() + " of " + names.size() + " cases to " + out
                    + (idx.errors().isEmpty() ? "" : "; " + idx.errors().size()
                    + " could not be exported (ERROR, listed under \"errors\" in " + CaseExport.INDEX_FILE + ")"));
            w.flush();
            return idx.errors().isEmpty() ? SUCCESS : FAILURES;
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {"Compares the result files an implementation wrote for exported cases with the golden "
                    + "values and writes a conformance report.",
                    "Exit code: 0 success, 1 failures or errors (including missing or unusable result files), 2 usage error."})
    static final class Verify implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--cases", required = true, paramLabel = "DIR", description = "the folder written by export")
        Path cases;

        @Option(names = "--results", required = true, paramLabel = "DIR", description = "the implementation's result folder")
        Path results;

        @Option(names = "--name", paramLabel = "NAME", description = "implementation name for the report (default: external)")
        String name = "external";

        /** --corpus, and --include/--exclude/--shard: which of the exported cases to verify. */
        @Mixin
        SelectionOptions selection = new SelectionOptions();

        @Mixin
        ReportOptions report = new ReportOptions();

        @Override
        public Integer call() {
            report.validate();
            CaseSelection sel = selection.selection();
            if (!name.matches(Implementations.NAME_PATTERN)) {
                throw new IllegalArgumentException("--name '" + name + "' must be letters, digits, '_', '.' or '-' (it names the report files)");
            }
            if (!Files.isDirectory(results)) {
                throw new IllegalArgumentException("--results " + results + (Files.exists(results) ? " is not a directory"
                        : " does not exist"));
            }
            CaseExport.ExportIndex idx = CaseExport.readExport(cases);
            if (idx.cases().isEmpty() && idx.errors().isEmpty()) {
                throw new IllegalArgumentException("the export " + cases + " lists no cases; nothing to verify (export "
                        + "again with a selection that matches cases)");
            }
            List<String> exported = new ArrayList<>(idx.cases());
            exported.addAll(idx.errors().keySet());
            if (sel.select(exported).isEmpty()) {
                throw nothingSelected(selection, exported.size() + " exported cases", sel.suggestion(exported));
            }
            GoldenCorpus golden = selection.open();
            Prepared prep = report.prepare(name);
            List<PlannedCase> plan = new ArrayList<>();
            for (String caseName : sel.select(idx.cases())) {
                plan.add(new PlannedCase(caseName, () -> {
                    GoldenCase g = golden.load(caseName);
                    CaseExport.checkExportedFrom(golden, g, cases); // results of other inputs are an ERROR
                    return GoldenCases.of(g);
                }));
            }
            idx.errors().forEach((caseName, why) -> {
                if (sel.accepts(caseName)) {
                    plan.add(new PlannedCase(caseName, () -> {
                        throw new UnusableResultException("export could not write this case: " + why);
                    }));
                }
            });
            KitRunner runner = new KitRunner(new ToleranceCheck(), prep.expectedFailures(), report.timeout, !report.noGradients);
            List<CaseResult> out = runner.runPlan(name, plan,
                    c -> new ResultFiles(name, c.name(), cases, results, c.steps().get(0).call().dtype()),
                    ProgressBar.forStderr(plan.size()));
            List<String> stale = staleEntries(spec, prep.expectedFailures(), out);
            KitReport r = new KitReport("rnnkit conformance: " + name, name,
                    corpusDescription(golden) + "; results from " + results.getFileName() + " (case files, protocol "
                            + CaseExport.PROTOCOL_VERSION + ")", (sel.isAll() ? "the " + plan.size() + " exported cases"
                            : plan.size() + " of the " + exported.size() + " exported cases (" + selectionDescription(selection)
                            + ")") + report.expectedFailuresDescription(),
                    plan.size(), out, prep.notes(), stale, java.util.Map.of());
            return finish(spec.commandLine().getOut(), r, report, name);
        }
    }

    @Command(name = "list-implementations", mixinStandardHelpOptions = true,
            description = "Lists the implementations registered with ServiceLoader (usable as --impl NAME), then "
                    + "those registered but unavailable here, with the reason (e.g. an optional dependency is absent).")
    static final class ListImplementations implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--classpath", split = "[:;,]", paramLabel = "JARS", description = "extra jars/folders to search")
        List<Path> classpath = new ArrayList<>();

        @Override
        public Integer call() {
            PrintWriter w = spec.commandLine().getOut();
            Implementations.Registry registry = Implementations.registry(classLoader(classpath));
            for (RnnImplementation i : registry.available()) {
                w.println(i.name() + "\t" + i.getClass().getName());
            }
            for (Implementations.Unavailable u : registry.unavailable()) {
                w.println("(unavailable)\t" + u.provider() + "\t" + u.reason());
            }
            w.flush();
            String dup = Implementations.duplicateNames(registry.available());
            if (dup != null) {
                PrintWriter err = spec.commandLine().getErr();
                err.println("rnnkit: " + dup);
                err.flush();
                return USAGE_ERROR;
            }
            return SUCCESS;
        }
    }

}
