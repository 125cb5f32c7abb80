package rnnkit.cli;

import java.io.PrintWriter;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
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
import rnnkit.kit.Outcome;
import rnnkit.kit.ProgressBar;
import rnnkit.kit.RandomCases;
import rnnkit.kit.ResultFiles;
import rnnkit.kit.ToleranceCheck;
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
        @Option(names = "--corpus", paramLabel = "DIR", description = "golden corpus root (default: ./golden)")
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
            return GoldenCorpus.open(corpus != null ? corpus : GoldenCorpus.defaultRoot());
        }
    }

    /** Report options shared by run and verify. */
    static final class ReportOptions {
        @Option(names = "--report-dir", paramLabel = "DIR", description = "where reports go (default: ./reports)")
        Path reportDir = Path.of("reports");

        @Option(names = "--format", split = ",", paramLabel = "FMT", description = "md, html, junit (default: md,html,junit)")
        List<String> formats = new ArrayList<>(List.of("md", "html", "junit"));

        @Option(names = "--xfail", paramLabel = "FILE", description = "expected failures: lines '<case glob> : <reason>'")
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
                String text;
                try {
                    text = Files.readString(notesFile);
                } catch (java.io.IOException e) {
                    throw new IllegalArgumentException("cannot read --notes-file " + notesFile + ": " + e.getMessage());
                }
                for (String para : text.split("\\R\\s*\\R")) {
                    if (!para.isBlank()) {
                        all.add(para.strip().replaceAll("\\s*\\R\\s*", " "));
                    }
                }
            }
            return all;
        }

        ExpectedFailures expectedFailures() {
            return xfail == null ? ExpectedFailures.none() : ExpectedFailures.read(xfail);
        }

        void validate() {
            for (String f : formats) {
                if (!List.of("md", "markdown", "html", "junit", "xml").contains(f)) {
                    throw new IllegalArgumentException("unknown report format '" + f + "'; expected md, html or junit");
                }
            }
            if (timeout < 1) {
                throw new IllegalArgumentException("--timeout is " + timeout + "; expected at least 1 second");
            }
        }
    }

    static String corpusDescription(GoldenCorpus corpus) {
        Map<String, String> v = corpus.versions();
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

    static int finish(PrintWriter out, KitReport report, ReportOptions r, String baseName) {
        List<Path> files = report.write(r.reportDir, baseName, r.formats);
        Map<Outcome, Integer> c = report.counts();
        int passed = c.get(Outcome.PASS);
        int failed = c.get(Outcome.FAIL) + c.get(Outcome.UNEXPECTED_PASS);
        out.printf("%d passed, %d failed, %d errors, %d unsupported, %d expected failures%s%n", passed, failed,
                c.get(Outcome.ERROR), c.get(Outcome.UNSUPPORTED), c.get(Outcome.EXPECTED_FAIL),
                report.complete() ? "" : " (INCOMPLETE: " + report.results().size() + " of " + report.planned() + " ran)");
        for (Path f : files) {
            out.println("report: " + f);
        }
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

        @Option(names = "--random", paramLabel = "N", description = "also run N seeded random cases (default 0)")
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
            if (random < 0) {
                throw new IllegalArgumentException("--random is " + random + "; expected a count >= 0");
            }
            CaseSelection sel = selection.selection();
            RnnImplementation implementation = Implementations.resolve(impl, classLoader(classpath));
            ExpectedFailures xf = report.expectedFailures();
            List<ConformanceCase> cases = new ArrayList<>();
            String corpusText = "";
            if (!noGolden) {
                GoldenCorpus corpus = selection.open();
                cases.addAll(GoldenCases.load(corpus, sel));
                corpusText = corpusDescription(corpus);
            }
            if (random > 0) {
                DType dt = DType.fromKeras(randomDtype);
                for (ConformanceCase c : RandomCases.generate(seed, random, dt, new ReferenceRnn())) {
                    if (sel.accepts(c.name())) {
                        cases.add(c);
                    }
                }
                corpusText += (corpusText.isEmpty() ? "" : " + ") + random + " random " + randomDtype
                        + " cases (seed " + seed + ", expected values from the reference)";
            }
            ProgressBar bar = ProgressBar.forStderr(cases.size());
            List<CaseResult> results = new KitRunner(new ToleranceCheck(), xf, report.timeout, !report.noGradients)
                    .run(implementation, cases, bar);
            KitReport r = new KitReport("rnnkit conformance: " + implementation.name(), implementation.name(), corpusText,
                    selectionDescription(selection), cases.size(), results, report.notes());
            return finish(spec.commandLine().getOut(), r, report, implementation.name());
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
            CaseSelection sel = selection.selection();
            GoldenCorpus corpus = selection.open();
            List<String> names = sel.select(corpus.caseNames());
            int n = CaseExport.export(corpus, names, out, ProgressBar.forStderr(names.size()));
            PrintWriter w = spec.commandLine().getOut();
            w.println("exported " + n + " cases to " + out);
            w.flush();
            return SUCCESS;
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

        @Option(names = "--corpus", paramLabel = "DIR", description = "golden corpus root (default: ./golden)")
        Path corpus;

        @Mixin
        ReportOptions report = new ReportOptions();

        @Override
        public Integer call() {
            report.validate();
            if (!name.matches("[A-Za-z0-9_.\\-]+")) {
                throw new IllegalArgumentException("--name '" + name + "' must be letters, digits, '_', '.' or '-' (it names the report files)");
            }
            List<String> names = CaseExport.readIndex(cases);
            if (!Files.isDirectory(results)) {
                throw new IllegalArgumentException("results folder " + results + " does not exist");
            }
            GoldenCorpus golden = GoldenCorpus.open(corpus != null ? corpus : GoldenCorpus.defaultRoot());
            ExpectedFailures xf = report.expectedFailures();
            KitRunner runner = new KitRunner(new ToleranceCheck(), xf, report.timeout, !report.noGradients);
            ProgressBar bar = ProgressBar.forStderr(names.size());
            List<CaseResult> out = new ArrayList<>();
            for (String caseName : names) {
                CaseResult r;
                try {
                    GoldenCase g = golden.load(caseName);
                    ResultFiles files = new ResultFiles(name, caseName, cases, results, g.dtype());
                    r = runner.run(files, List.of(GoldenCases.of(g)), null).get(0);
                } catch (RuntimeException e) {
                    r = xf.apply(new CaseResult(caseName, name, Outcome.ERROR,
                            "cannot check this case against the golden corpus: " + e.getMessage(), List.of(), 0));
                }
                out.add(r);
                bar.step(out.size(), caseName);
            }
            KitReport r = new KitReport("rnnkit conformance: " + name, name,
                    corpusDescription(golden) + "; results from " + results.getFileName() + " (case files, protocol "
                            + CaseExport.PROTOCOL_VERSION + ")", "the " + names.size() + " exported cases",
                    names.size(), out, report.notes());
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
            return SUCCESS;
        }
    }

}
