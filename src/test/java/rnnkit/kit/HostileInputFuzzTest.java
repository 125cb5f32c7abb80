package rnnkit.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rnnkit.golden.GoldenCorpus;
import rnnkit.golden.MiniCorpus;
import rnnkit.golden.NpyReader;

/**
 * Seeded, bounded fuzzing of everything that reads outside input — {@link NpyReader}, case.json / corpus.json /
 * manifest loading, export, and verify's reading of result files — by mutating real corpus files (bit flips,
 * interesting bytes, cuts, splices, and JSON-aware replacements of values, keys and types). Each reader may only
 * throw its documented exception types ({@link IllegalArgumentException}, {@link UncheckedIOException}); the runner
 * never throws and never reports a "runner failure"; export never writes outside its folder; no input takes more
 * than {@link #PER_INPUT_SECONDS}. Jazzer runs one fuzz target per JVM in fuzzing mode, so this loop is used instead.
 */
class HostileInputFuzzTest {
    static final long SEED = 20_261_201L;
    static final double PER_INPUT_SECONDS = 2;
    static final String[] CASES = {"gru/initial_state__float32", "stateful/lstm_sequences__float32"};
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> TOKENS = List.of("-1", "0", "1.5", "4294967297", "1e400", "-0", "99999999999999999999",
            "null", "true", "[]", "{}", "\"\"", "\"../../x.npy\"", "\"/etc/passwd\"", "\"c0_inputs.npy\"", "[1,2,3]",
            "\"\\u0000\"", "{\"a\":1,\"a\":2}", "[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]", "\"<f4\"", "\"|b1\"");
    static final byte[] INTERESTING = {0, (byte) 0xff, '9', '-', '"', '{', '}', '[', ']', ',', ':', ' ', '\n',
            (byte) 0x80, '\'', '(', ')', 'L', '.', 'e'};
    static int total;

    @TempDir
    Path tmp;

    @AfterAll
    static void printCount() {
        System.out.println("HostileInputFuzzTest: " + total + " fuzz inputs");
    }

    /** A byte-level mutation of {@code in}: one to four edits. */
    static byte[] mutateBytes(byte[] in, SplittableRandom r) {
        byte[] b = in.clone();
        for (int edits = 1 + r.nextInt(4); edits > 0 && b.length > 0; edits--) {
            int at = r.nextInt(b.length);
            switch (r.nextInt(7)) {
                case 0 -> b[at] ^= (byte) (1 << r.nextInt(8));
                case 1 -> b[at] = INTERESTING[r.nextInt(INTERESTING.length)];
                case 2 -> b = java.util.Arrays.copyOf(b, at);
                case 3 -> {
                    int len = Math.min(b.length - at, 1 + r.nextInt(16));
                    byte[] c = new byte[b.length - len];
                    System.arraycopy(b, 0, c, 0, at);
                    System.arraycopy(b, at + len, c, at, b.length - at - len);
                    b = c;
                }
                case 4 -> {
                    byte[] ins = TOKENS.get(r.nextInt(TOKENS.size())).getBytes(StandardCharsets.UTF_8);
                    byte[] c = new byte[b.length + ins.length];
                    System.arraycopy(b, 0, c, 0, at);
                    System.arraycopy(ins, 0, c, at, ins.length);
                    System.arraycopy(b, at, c, at + ins.length, b.length - at);
                    b = c;
                }
                case 5 -> {
                    for (int i = 0; i < 4 && at + i < b.length; i++) {
                        b[at + i] = (byte) r.nextInt(256);
                    }
                }
                default -> {
                    int len = Math.min(b.length - at, 1 + r.nextInt(32));
                    byte[] c = new byte[b.length + len];
                    System.arraycopy(b, 0, c, 0, at + len);
                    System.arraycopy(b, at, c, at + len, b.length - at);
                    b = c;
                }
            }
        }
        return b;
    }

    /** A JSON-aware mutation: a random value, key or element replaced, removed or duplicated. */
    static byte[] mutateJson(byte[] in, SplittableRandom r) throws IOException {
        JsonNode root = JSON.readTree(in);
        List<ContainerNode<?>> containers = new ArrayList<>();
        collect(root, containers);
        for (int edits = 1 + r.nextInt(3); edits > 0; edits--) {
            ContainerNode<?> c = containers.get(r.nextInt(containers.size()));
            JsonNode value = JSON.readTree(TOKENS.get(r.nextInt(TOKENS.size())));
            if (c instanceof ObjectNode o && o.size() > 0) {
                List<String> keys = new ArrayList<>();
                o.fieldNames().forEachRemaining(keys::add);
                String k = keys.get(r.nextInt(keys.size()));
                switch (r.nextInt(4)) {
                    case 0 -> o.remove(k);
                    case 1 -> o.set("x" + k, o.get(k));
                    default -> o.set(k, value);
                }
            } else if (c instanceof ArrayNode a) {
                if (a.size() > 0 && r.nextBoolean()) {
                    a.set(r.nextInt(a.size()), value);
                } else if (a.size() > 0 && r.nextBoolean()) {
                    a.remove(r.nextInt(a.size()));
                } else {
                    a.add(value);
                }
            }
        }
        return JSON.writeValueAsBytes(root);
    }

    private static void collect(JsonNode n, List<ContainerNode<?>> out) {
        if (n instanceof ContainerNode<?> c) {
            out.add(c);
            for (Iterator<JsonNode> it = n.elements(); it.hasNext(); ) {
                collect(it.next(), out);
            }
        }
    }

    static byte[] mutate(byte[] in, SplittableRandom r, boolean json) throws IOException {
        return json && r.nextBoolean() ? mutateJson(in, r) : mutateBytes(in, r);
    }

    interface Input {
        void run() throws Exception;
    }

    /** Runs one input: only documented exceptions, within the per-input time. */
    static void check(String what, int i, Input input) {
        long t0 = System.nanoTime();
        try {
            input.run();
        } catch (IllegalArgumentException | UncheckedIOException e) {
            // documented: a clear error naming the problem
        } catch (Throwable e) {
            fail("fuzz input " + i + " (seed " + SEED + ") of " + what + " threw an undocumented " + e, e);
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        assertThat(secs).as("fuzz input %d of %s took %.2f s", i, what, secs).isLessThan(PER_INPUT_SECONDS);
        total++;
    }

    @Test
    void npyReaderOnMutatedCorpusArrays() throws IOException {
        List<byte[]> seeds = new ArrayList<>();
        Path root = GoldenCorpus.defaultRoot();
        for (String c : List.of("gru/initial_state__float32", "lstm/mask_holes_sequences__float64", "tutorial")) {
            try (Stream<Path> s = Files.walk(root.resolve(c))) {
                for (Path p : s.filter(p -> p.toString().endsWith(".npy")).sorted().limit(12).toList()) {
                    seeds.add(Files.readAllBytes(p));
                }
            }
        }
        SplittableRandom r = new SplittableRandom(SEED);
        for (int i = 0; i < 30_000; i++) {
            byte[] in = mutateBytes(seeds.get(r.nextInt(seeds.size())), r);
            check("NpyReader.parse", i, () -> NpyReader.parse(in, "fuzz.npy"));
        }
    }

    @Test
    void corpusLoadingOnMutatedCaseCorpusAndManifestFiles() throws IOException {
        Path mini = MiniCorpus.copy(tmp.resolve("golden"), CASES);
        List<Path> targets = List.of(mini.resolve(CASES[0]).resolve("case.json"), mini.resolve(CASES[1]).resolve("case.json"),
                mini.resolve("corpus.json"), mini.resolve("manifest.json"));
        List<byte[]> pristine = new ArrayList<>();
        for (Path t : targets) {
            pristine.add(Files.readAllBytes(t));
        }
        SplittableRandom r = new SplittableRandom(SEED + 1);
        byte[] manifest = pristine.get(3);
        for (int i = 0; i < 300; i++) {
            int k = r.nextInt(targets.size());
            Files.write(targets.get(k), mutate(pristine.get(k), r, true));
            if (k != 3) { // past the hash check, so the parser itself meets the defect
                MiniCorpus.rehash(mini, mini.relativize(targets.get(k)).toString());
            }
            check("GoldenCorpus open/load", i, () -> {
                GoldenCorpus c = GoldenCorpus.open(mini);
                for (String n : c.caseNames()) {
                    GoldenCases.of(c.load(n));
                }
            });
            Files.write(targets.get(k), pristine.get(k));
            Files.write(targets.get(3), manifest);
        }
    }

    @Test
    void exportOfMutatedCasesWritesOnlyInsideItsFolder() throws IOException {
        Path mini = MiniCorpus.copy(tmp.resolve("golden"), CASES);
        Path cj = mini.resolve(CASES[0]).resolve("case.json");
        byte[] pristine = Files.readAllBytes(cj);
        SplittableRandom r = new SplittableRandom(SEED + 2);
        TreeSet<String> before = tree(tmp);
        for (int i = 0; i < 80; i++) {
            Files.write(cj, mutate(pristine, r, true));
            MiniCorpus.rehash(mini, CASES[0] + "/case.json");
            Path out = tmp.resolve("out" + i);
            check("export", i, () -> {
                GoldenCorpus c = GoldenCorpus.open(mini);
                CaseExport.ExportIndex idx = CaseExport.export(c, c.caseNames(), out, null);
                assertThat(idx.cases().size() + idx.errors().size()).isEqualTo(c.caseNames().size());
            });
            TreeSet<String> now = tree(tmp);
            String mine = "out" + i;
            now.removeIf(p -> p.startsWith(mine + "/") || p.equals(mine));
            assertThat(now).as("files outside --out after input %d", i).isEqualTo(before);
            if (Files.exists(out)) {
                KitCliTest.deleteTree(out);
            }
        }
        Files.write(cj, pristine);
    }

    static TreeSet<String> tree(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            TreeSet<String> out = new TreeSet<>();
            s.filter(p -> !p.equals(root)).forEach(p -> out.add(root.relativize(p).toString()));
            out.removeIf(p -> p.startsWith("golden/") && p.endsWith("manifest.json"));
            return out;
        }
    }

    @Test
    void verifyOnMutatedResultAndExportedCaseFiles() throws IOException {
        Path cases = tmp.resolve("cases");
        GoldenCorpus golden = GoldenCorpus.open(GoldenCorpus.defaultRoot());
        CaseExport.export(golden, List.of(CASES), cases, null);
        Path results = tmp.resolve("results");
        for (String n : CASES) {
            KitCliTest.writeReferenceResults(golden.load(n), cases.resolve(n), results.resolve(n));
        }
        List<Path> targets = new ArrayList<>();
        for (String n : CASES) {
            try (Stream<Path> s = Files.list(results.resolve(n))) {
                targets.addAll(s.sorted().toList());
            }
            targets.add(cases.resolve(n).resolve("case.json"));
        }
        List<byte[]> pristine = new ArrayList<>();
        for (Path t : targets) {
            pristine.add(Files.readAllBytes(t));
        }
        KitRunner runner = new KitRunner(new ToleranceCheck(), ExpectedFailures.none(), 30, true);
        SplittableRandom r = new SplittableRandom(SEED + 3);
        java.util.Map<String, ConformanceCase> loaded = new java.util.HashMap<>();
        for (String n : CASES) {
            loaded.put(n, GoldenCases.of(golden.load(n)));
        }
        for (int i = 0; i < 240; i++) {
            int k = r.nextInt(targets.size());
            Path target = targets.get(k);
            boolean json = target.getFileName().toString().endsWith(".json");
            Files.write(target, mutate(pristine.get(k), r, json));
            Path extra = null;
            if (r.nextInt(8) == 0) {
                extra = target.resolveSibling(r.nextBoolean() ? ResultFiles.UNSUPPORTED_FILE : ResultFiles.ERROR_FILE);
                Files.write(extra, mutateBytes("cannot run this".getBytes(StandardCharsets.UTF_8), r));
            }
            String caseName = target.getParent().getFileName().toString();
            String name = target.getParent().getParent().getFileName() + "/" + caseName;
            List<PlannedCase> plan = List.of(PlannedCase.of(loaded.get(name)));
            check("verify result reading", i, () -> {
                List<CaseResult> rs = runner.runPlan("fuzz", plan,
                        c -> new ResultFiles("fuzz", c.name(), cases, results, c.steps().get(0).call().dtype()), null);
                assertThat(rs).hasSize(1);
                assertThat(rs.get(0).reason()).doesNotContain("runner failure");
            });
            Files.write(target, pristine.get(k));
            if (extra != null) {
                Files.delete(extra);
            }
        }
    }
}
