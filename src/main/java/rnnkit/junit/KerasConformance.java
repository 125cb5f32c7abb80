package rnnkit.junit;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;
import rnnkit.golden.GoldenCorpus;
import rnnkit.kit.CaseResult;
import rnnkit.kit.CaseSelection;
import rnnkit.kit.ConformanceCase;
import rnnkit.kit.ExpectedFailures;
import rnnkit.kit.GoldenCases;
import rnnkit.kit.Implementations;
import rnnkit.kit.KitReport;
import rnnkit.kit.KitRunner;
import rnnkit.kit.Outcome;
import rnnkit.kit.PlannedCase;
import rnnkit.kit.RandomCases;
import rnnkit.kit.ToleranceCheck;
import rnnkit.kit.Verdict;
import rnnkit.model.DType;
import rnnkit.model.RnnImplementation;
import rnnkit.reference.ReferenceRnn;

/**
 * The Keras conformance kit as JUnit 5 dynamic tests: every golden case (and, on request, seeded random cases) run
 * through your {@link RnnImplementation} by the kit's runner ({@link KitRunner}), one test per case, so that your
 * own {@code mvn verify} fails when your layer diverges from Keras.
 *
 * <p>{@link #dynamicTests()} returns one {@link DynamicContainer} per corpus suite ({@code lstm}, {@code gru},
 * {@code stateful}, ...; {@code random} for the random cases), each holding one {@link DynamicTest} per case, named
 * by the case name (e.g. {@code lstm/mask_holes_sequences__float32}), and a last test, {@value #SUMMARY}. A case
 * <ul>
 * <li>that passes (every output, state and gradient within {@link rnnkit.conformance.Tolerance}) passes;</li>
 * <li>that FAILs (a wrong answer), ERRORs (an exception, a missing, misshapen or non-finite result, a time-out, a
 *     case that cannot be loaded) or passes although the expected-failure list says it fails, fails with the kit's
 *     message: the case, the outcome and {@link CaseResult#detail()} (the reason, then the worst quantity located
 *     in Keras terms — batch row, time step and unit, or gate block, row and column of a weight gradient, with the
 *     layer and direction — with expected and actual value, error ÷ tolerance and, for sequences, the first time
 *     step over tolerance; then the other quantities over tolerance);</li>
 * <li>that your implementation cannot express ({@link rnnkit.model.UnsupportedCaseException}), or that fails as the
 *     expected-failure list says, is aborted (reported as skipped) with the reason.</li>
 * </ul>
 * The summary test fails if no case passed (all unsupported or skipped verifies nothing), is aborted if not every
 * planned case ran (a filtered or concurrent run; the report then says INCOMPLETE), prints the expected-failure
 * entries that matched no case (stale, as {@code rnnkit run} does; the report lists them too) and writes the
 * Markdown, HTML and JUnit XML reports of {@link KitReport} when {@link #reports} asked for them.
 *
 * <p>The corpus comes from the class path (the {@code io.rnnkit:rnnkit:<version>:golden} test dependency, a jar
 * with the corpus under {@value GoldenCorpus#CLASSPATH_PREFIX}/, checked against its SHA-256 manifest exactly as a
 * folder is), or from {@link #corpus(Path)}. A complete test class:
 *
 * <pre>{@code
 * import java.nio.file.Path;
 * import java.util.stream.Stream;
 * import org.junit.jupiter.api.DynamicNode;
 * import org.junit.jupiter.api.TestFactory;
 * import rnnkit.junit.KerasConformance;
 *
 * class MyLstmMatchesKerasTest {
 *     @TestFactory
 *     Stream<DynamicNode> keras() {
 *         return KerasConformance.of(new MyLstm())                       // your RnnImplementation
 *                 .include("lstm/*", "stateful/lstm*")                   // globs on case names; default: all
 *                 .expectedFailures(Path.of("src/test/resources/keras-expected-failures.txt"))
 *                 .random(50, 1)                                         // 50 random float32 cases, seed 1
 *                 .reports(Path.of("target/rnnkit-reports"))             // md, html and JUnit XML at the end
 *                 .dynamicTests();
 *     }
 * }
 * }</pre>
 *
 * with these test dependencies (besides JUnit 5 itself):
 *
 * <pre>{@code
 * <dependency>
 *   <groupId>io.rnnkit</groupId> <artifactId>rnnkit</artifactId> <version>0.1.0-SNAPSHOT</version> <scope>test</scope>
 * </dependency>
 * <dependency>
 *   <groupId>io.rnnkit</groupId> <artifactId>rnnkit</artifactId> <version>0.1.0-SNAPSHOT</version>
 *   <classifier>golden</classifier> <scope>test</scope>
 * </dependency>
 * }</pre>
 *
 * rnnkit's optimized code uses the Vector API, so the test JVM needs {@code --add-modules jdk.incubator.vector}
 * (Surefire's {@code argLine}) for rnnkit's own implementations; the kit and the reference do not.
 *
 * <p>Expected-failure lines are {@code <case glob> : <reason>} ({@link ExpectedFailures}); random cases are those
 * of {@code rnnkit run --random N --seed S} (expected values from rnnkit's double-precision reference, see
 * {@link RandomCases}). Instances are immutable: each setter returns a new one.
 */
public final class KerasConformance {
    /** Display name of the last dynamic test, which checks the run verified something and writes the reports. */
    public static final String SUMMARY = "conformance summary";

    /** Formats {@link #reports(Path, String...)} writes: the names {@link KitReport#write} takes. */
    public static final List<String> ALL_FORMATS = List.of("md", "html", "junit");

    private final RnnImplementation implementation;
    private List<String> include = List.of();
    private List<String> exclude = List.of();
    private String shard;
    private ExpectedFailures expectedFailures = ExpectedFailures.none();
    private String expectedFailuresSource;
    private Path corpusFolder;
    private boolean golden = true;
    private int randomCount;
    private long randomSeed = 1;
    private DType randomDtype = DType.FLOAT32;
    private boolean gradients = true;
    private Duration timeout = Duration.ofSeconds(60);
    private Path reportDir;
    private List<String> reportFormats = List.of();

    private KerasConformance(RnnImplementation implementation) {
        this.implementation = implementation;
    }

    /**
     * The whole golden corpus through {@code implementation}, gradients included, 60 s per case, no reports.
     *
     * @throws IllegalArgumentException if the implementation's {@code name()} is not letters, digits, '_', '.' or
     *     '-' (it names the report files, as for {@code rnnkit run})
     */
    public static KerasConformance of(RnnImplementation implementation) {
        return new KerasConformance(Implementations.checkName(Objects.requireNonNull(implementation, "implementation")));
    }

    private KerasConformance copy() {
        KerasConformance c = new KerasConformance(implementation);
        c.include = include;
        c.exclude = exclude;
        c.shard = shard;
        c.expectedFailures = expectedFailures;
        c.expectedFailuresSource = expectedFailuresSource;
        c.corpusFolder = corpusFolder;
        c.golden = golden;
        c.randomCount = randomCount;
        c.randomSeed = randomSeed;
        c.randomDtype = randomDtype;
        c.gradients = gradients;
        c.timeout = timeout;
        c.reportDir = reportDir;
        c.reportFormats = reportFormats;
        return c;
    }

    /** Only cases whose name matches one of these globs ({@code *}, {@code ?}), e.g. {@code "lstm/*"}; adds up. */
    public KerasConformance include(String... globs) {
        KerasConformance c = copy();
        c.include = concat(include, globs);
        return c;
    }

    /** Leaves out cases whose name matches one of these globs, e.g. {@code "*__float64"}; adds up. */
    public KerasConformance exclude(String... globs) {
        KerasConformance c = copy();
        c.exclude = concat(exclude, globs);
        return c;
    }

    /** Only shard {@code i/n} (1-based) of the selection: a case's shard depends only on its name. */
    public KerasConformance shard(String iOverN) {
        CaseSelection.of(List.of(), List.of(), iOverN); // validates now, where the caller wrote it
        KerasConformance c = copy();
        c.shard = iOverN;
        return c;
    }

    /** Expected failures from a file of {@code <case glob> : <reason>} lines (read now; a bad line is an error). */
    public KerasConformance expectedFailures(Path file) {
        KerasConformance c = copy();
        c.expectedFailures = ExpectedFailures.read(file);
        c.expectedFailuresSource = file.toString();
        return c;
    }

    /** Expected failures given as {@code <case glob> : <reason>} lines. */
    public KerasConformance expectedFailures(String... lines) {
        KerasConformance c = copy();
        c.expectedFailuresSource = "expected-failure lines given in the test";
        c.expectedFailures = ExpectedFailures.parse(Arrays.asList(lines), c.expectedFailuresSource);
        return c;
    }

    /** The golden corpus in this folder instead of the one on the class path. */
    public KerasConformance corpus(Path folder) {
        KerasConformance c = copy();
        c.corpusFolder = Objects.requireNonNull(folder, "folder");
        return c;
    }

    /** No golden cases: random cases only. */
    public KerasConformance withoutGolden() {
        KerasConformance c = copy();
        c.golden = false;
        return c;
    }

    /** Also {@code count} seeded random float32 cases, expected values from rnnkit's reference. */
    public KerasConformance random(int count, long seed) {
        return random(count, seed, DType.FLOAT32);
    }

    /** Also {@code count} seeded random cases of {@code dtype}, expected values from rnnkit's reference. */
    public KerasConformance random(int count, long seed, DType dtype) {
        if (count < 0 || count > RandomCases.MAX_COUNT) {
            throw new IllegalArgumentException("random case count is " + count + "; expected a count >= 0 and at most "
                    + RandomCases.MAX_COUNT + " (use several seeds for more)");
        }
        KerasConformance c = copy();
        c.randomCount = count;
        c.randomSeed = seed;
        c.randomDtype = Objects.requireNonNull(dtype, "dtype");
        return c;
    }

    /** Checks outputs and states only (for an implementation without gradients, or a faster run). */
    public KerasConformance forwardOnly() {
        KerasConformance c = copy();
        c.gradients = false;
        return c;
    }

    /** Per-case time limit (default 60 s); a case still running then is an ERROR and the run goes on. */
    public KerasConformance timeout(Duration perCase) {
        if (perCase.toSeconds() < 1) {
            throw new IllegalArgumentException("per-case timeout is " + perCase + "; expected at least 1 second");
        }
        KerasConformance c = copy();
        c.timeout = perCase;
        return c;
    }

    /**
     * Writes the reports into {@code directory} when the summary test runs: {@code <name>.md}, {@code .html} and
     * {@code .xml} (JUnit XML), or the {@code formats} given (md, html, junit).
     */
    public KerasConformance reports(Path directory, String... formats) {
        List<String> f = formats.length == 0 ? ALL_FORMATS : List.of(formats);
        for (String s : f) {
            if (!ALL_FORMATS.contains(s)) {
                throw new IllegalArgumentException("unknown report format '" + s + "'; expected one of " + ALL_FORMATS);
            }
        }
        KerasConformance c = copy();
        c.reportDir = Objects.requireNonNull(directory, "directory");
        c.reportFormats = f;
        return c;
    }

    private static List<String> concat(List<String> before, String[] globs) {
        List<String> out = new ArrayList<>(before);
        for (String g : globs) {
            if (g == null || g.isBlank()) {
                throw new IllegalArgumentException("empty case glob; expected e.g. 'lstm/*'");
            }
            out.add(g.strip());
        }
        return List.copyOf(out);
    }

    /**
     * The dynamic tests: a container per corpus suite in corpus order, then {@code random} if asked for, then
     * {@value #SUMMARY}. Opening the corpus happens here (a missing or damaged corpus fails the factory with the
     * reason); each case is loaded and run when its test executes.
     *
     * @throws IllegalStateException if no corpus is on the class path and none was given
     */
    public Stream<DynamicNode> dynamicTests() {
        Run run = new Run();
        List<DynamicNode> nodes = new ArrayList<>();
        if (golden) {
            GoldenCorpus corpus = openCorpus();
            run.corpusText = corpus.caseNames().size() + " golden cases (Keras " + corpus.versions().get("keras")
                    + ", TensorFlow " + corpus.versions().get("tensorflow") + ")";
            Map<String, List<String>> bySuite = new LinkedHashMap<>();
            for (String name : run.selection.select(corpus.caseNames())) {
                bySuite.computeIfAbsent(suiteOf(name), k -> new ArrayList<>()).add(name);
                run.planned.incrementAndGet();
            }
            for (Map.Entry<String, List<String>> suite : bySuite.entrySet()) {
                List<DynamicTest> tests = new ArrayList<>();
                for (String name : suite.getValue()) {
                    tests.add(DynamicTest.dynamicTest(name, caseSource(corpus, name),
                            () -> run.check(name, () -> GoldenCases.of(corpus.load(name)))));
                }
                nodes.add(DynamicContainer.dynamicContainer(suite.getKey(), tests));
            }
        }
        if (randomCount > 0) {
            String text = randomCount + " random " + randomDtype.kerasName() + " cases (seed " + randomSeed
                    + ", expected values from the reference)";
            run.corpusText = run.corpusText.isEmpty() ? text : run.corpusText + " + " + text;
            run.planned.addAndGet(randomCount); // corrected to the selected count when the cases are made
            // Made when the container runs, not when the factory is called: generating runs the reference.
            Stream<DynamicTest> randomTests = Stream.of(randomSeed).flatMap(seed -> {
                List<ConformanceCase> made = RandomCases.generate(seed, randomCount, randomDtype, new ReferenceRnn());
                List<DynamicTest> tests = new ArrayList<>();
                for (ConformanceCase c : made) {
                    if (run.selection.accepts(c.name())) {
                        tests.add(DynamicTest.dynamicTest(c.name(), () -> run.check(c.name(), () -> c)));
                    }
                }
                run.planned.addAndGet(tests.size() - randomCount);
                return tests.stream();
            });
            nodes.add(DynamicContainer.dynamicContainer("random", randomTests));
        }
        nodes.add(DynamicTest.dynamicTest(SUMMARY, run::summarize));
        return nodes.stream();
    }

    private GoldenCorpus openCorpus() {
        if (corpusFolder != null) {
            return GoldenCorpus.open(corpusFolder);
        }
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        Optional<GoldenCorpus> onClasspath = GoldenCorpus.onClasspath(loader != null ? loader
                : KerasConformance.class.getClassLoader());
        if (onClasspath.isPresent()) {
            return onClasspath.get();
        }
        Path checkout = GoldenCorpus.defaultRoot();
        if (Files.isRegularFile(checkout.resolve("manifest.json"))) {
            return GoldenCorpus.open(checkout);
        }
        throw new IllegalStateException("no golden corpus: none on the class path (" + GoldenCorpus.CLASSPATH_PREFIX
                + "/manifest.json) and none at " + checkout.toAbsolutePath() + "; add the test dependency "
                + "io.rnnkit:rnnkit:<version>:golden (classifier golden) or call corpus(Path)");
    }

    static String suiteOf(String caseName) {
        int slash = caseName.indexOf('/');
        return slash < 0 ? caseName : caseName.substring(0, slash);
    }

    private static URI caseSource(GoldenCorpus corpus, String name) {
        try {
            return corpus.root().resolve(name).resolve("case.json").toUri();
        } catch (RuntimeException e) {
            return null; // only a link for IDEs; no source is better than a wrong one
        }
    }

    /** The state of one {@link #dynamicTests()} call: the runner, and the results the summary reports. */
    private final class Run {
        final CaseSelection selection = CaseSelection.of(include, exclude, shard);
        final KitRunner runner = new KitRunner(new ToleranceCheck(), expectedFailures, timeout.toSeconds(), gradients);
        final List<CaseResult> results = new ArrayList<>();
        final AtomicInteger planned = new AtomicInteger();
        String corpusText = "";

        /** Loads (inside the runner's per-case guard and time limit) and runs one case, then gives its verdict. */
        void check(String name, Supplier<ConformanceCase> loader) {
            CaseResult r = runner.runPlan(implementation, List.of(new PlannedCase(name, loader)), null).get(0);
            synchronized (results) {
                results.add(r);
            }
            verdict(r);
        }

        void summarize() {
            List<CaseResult> done;
            synchronized (results) {
                done = List.copyOf(results);
            }
            String selectionText = (include.isEmpty() ? "all cases" : "include " + include)
                    + (exclude.isEmpty() ? "" : ", exclude " + exclude) + (shard == null ? "" : ", shard " + shard)
                    + (expectedFailuresSource == null ? "" : "; expected failures from " + expectedFailuresSource)
                    + (gradients ? "" : "; forward only");
            List<String> stale = expectedFailures.staleAfter(done);
            for (String e : stale) {
                System.out.println("rnnkit " + implementation.name() + ": stale expected-failure entry (matches no "
                        + "selected case): " + e);
            }
            KitReport report = new KitReport("rnnkit conformance: " + implementation.name(), implementation.name(),
                    corpusText, selectionText, planned.get(), done, List.of(), stale, Map.of());
            if (reportDir != null) {
                for (Path p : report.write(reportDir, implementation.name(), reportFormats)) {
                    System.out.println("rnnkit report: " + p.toAbsolutePath());
                }
            }
            Verdict verdict = report.verdict();
            String line = verdict.label() + " — " + report.summaryLine();
            System.out.println("rnnkit " + implementation.name() + ": " + line);
            // The cases carry their own failures; the summary adds what no single case can say.
            switch (verdict) {
                case INCOMPLETE -> throw new TestAbortedException("only " + done.size() + " of " + planned.get()
                        + " planned cases ran (a filtered or concurrent run), so there is no verdict for the whole "
                        + "selection" + (reportDir == null ? "" : "; the reports say INCOMPLETE"));
                case NOTHING_VERIFIED -> throw new AssertionFailedError("no case passed, so nothing was verified: " + line);
                case PASS, PASS_FORWARD_ONLY, PASS_PARTLY_FORWARD_ONLY, FAIL -> { }
            }
        }
    }

    /**
     * What a result means to JUnit: nothing for a pass, a failure for FAIL, ERROR and UNEXPECTED PASS, an abort
     * (skipped) for unsupported cases and expected failures. The message is the case name, the outcome and
     * {@link CaseResult#detail()}.
     */
    static void verdict(CaseResult r) {
        String message = r.caseName() + ": " + r.outcome().label() + ": " + r.detail();
        // A switch expression: a new Outcome does not compile until it is given a JUnit meaning here.
        Outcome passed = switch (r.outcome()) {
            case PASS -> r.outcome();
            case FAIL, ERROR, UNEXPECTED_PASS -> throw new AssertionFailedError(message);
            case UNSUPPORTED, EXPECTED_FAIL -> throw new TestAbortedException(message);
        };
        Objects.requireNonNull(passed);
    }
}
