package rnnkit.kit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import rnnkit.cli.Main;
import rnnkit.golden.GoldenCall;
import rnnkit.golden.GoldenCase;
import rnnkit.golden.GoldenCorpus;
import rnnkit.golden.NpyArray;
import rnnkit.golden.NpyReader;
import rnnkit.golden.NpyWriter;
import rnnkit.model.DType;
import rnnkit.model.LayerGradients;
import rnnkit.model.LayerOutputs;
import rnnkit.model.Tensor;
import rnnkit.reference.ReferenceRnn;
import org.w3c.dom.Document;

/** The command line: exit codes, shards, JUnit XML, and the export → external driver → verify round trip. */
class KitCliTest {
    @TempDir
    Path tmp;

    record Run(int exit, String out, String err) {
    }

    static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    static int passed(Run r) {
        Matcher m = Pattern.compile("(\\d+) passed").matcher(r.out());
        assertThat(m.find()).as(r.out() + r.err()).isTrue();
        return Integer.parseInt(m.group(1));
    }

    /** Outcome label and reason per case from the Markdown "All cases" table (Markdown escapes removed). */
    static Map<String, String[]> table(Path md) throws IOException {
        Map<String, String[]> m = new HashMap<>();
        boolean in = false;
        for (String line : Files.readAllLines(md)) {
            if (line.startsWith("## All cases")) {
                in = true;
            } else if (in && line.startsWith("| ") && !line.startsWith("| case ")) {
                String[] cells = line.split(" \\| ", -1);
                m.put(cells[0].substring(2), new String[] {cells[1], unescape(cells[cells.length - 1])});
            }
        }
        return m;
    }

    static String unescape(String markdown) {
        return markdown.replaceAll("\\\\(\\p{Punct})", "$1");
    }

    @Test
    void runExitCodes() {
        Run ok = cli("run", "--impl", "reference", "--include", "lstm/t1*", "--report-dir", tmp.toString(), "--format", "md");
        assertThat(ok.exit()).as(ok.out() + ok.err()).isZero();
        assertThat(passed(ok)).isPositive();
        assertThat(ok.out()).contains(" 0 failed, 0 errors");

        Run broken = cli("run", "--impl", BrokenAdapterTest.GoBackwardsFlipped.class.getName(), "--include",
                "*/go_backwards_*__float64", "--report-dir", tmp.toString(), "--format", "md");
        assertThat(broken.exit()).as(broken.out() + broken.err()).isEqualTo(1);
        assertThat(broken.out()).containsPattern("[1-9]\\d* failed");

        Run unknown = cli("run", "--impl", "no-such-impl", "--report-dir", tmp.toString());
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("no implementation named 'no-such-impl'").contains("reference");

        Run badShard = cli("run", "--impl", "reference", "--shard", "0/3", "--report-dir", tmp.toString());
        assertThat(badShard.exit()).isEqualTo(2);
        assertThat(badShard.err()).contains("shard");

        assertThat(cli("run", "--impl").exit()).isEqualTo(2); // missing option value: picocli usage error
    }

    @Test
    void shardsSplitTheSelectionDisjointlyAndCompletely() throws Exception {
        String[] base = {"run", "--impl", "reference", "--include", "simple_rnn/*", "--no-gradients", "--format", "junit"};
        Run all = cli(concat(base, "--report-dir", tmp.resolve("all").toString()));
        Run s1 = cli(concat(base, "--shard", "1/2", "--report-dir", tmp.resolve("s1").toString()));
        Run s2 = cli(concat(base, "--shard", "2/2", "--report-dir", tmp.resolve("s2").toString()));
        assertThat(List.of(all.exit(), s1.exit(), s2.exit())).containsOnly(0);
        assertThat(passed(s1)).isPositive();
        assertThat(passed(s2)).isPositive();
        assertThat(passed(s1) + passed(s2)).isEqualTo(passed(all));
        // the JUnit XML parses and lists every case of its shard
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(tmp.resolve("s1/reference.xml").toFile());
        assertThat(doc.getElementsByTagName("testcase").getLength()).isEqualTo(passed(s1));
    }

    @Test
    void exportThenVerifyWithTheReferenceAsExternalDriverPassesAndBadFilesAreErrors() throws Exception {
        Path cases = tmp.resolve("cases");
        Path results = tmp.resolve("results");
        Run ex = cli("export", "--out", cases.toString(), "--include", "lstm/*__float64,stateful/*__float32,bidirectional/gru_none*");
        assertThat(ex.exit()).as(ex.err()).isZero();
        List<String> names = CaseExport.readIndex(cases);
        assertThat(names).hasSizeGreaterThan(20);
        // No expected values leak into the export.
        JsonNode c0 = new ObjectMapper().readTree(cases.resolve(names.get(0)).resolve("case.json").toFile());
        assertThat(c0.path("calls").get(0).has("outputs")).isFalse();
        assertThat(c0.path("calls").get(0).has("gradients")).isFalse();
        assertThat(c0.path("calls").get(0).path("expected").path("outputs").size()).isPositive();
        assertThat(Files.exists(cases.resolve(names.get(0)).resolve("c0_output_0.npy"))).isFalse();

        GoldenCorpus corpus = GoldenCorpus.open(GoldenCorpus.defaultRoot());
        for (String n : names) {
            writeReferenceResults(corpus.load(n), cases.resolve(n), results.resolve(n));
        }
        Run good = cli("verify", "--cases", cases.toString(), "--results", results.toString(), "--name", "fake",
                "--report-dir", tmp.resolve("rep").toString(), "--format", "md,junit");
        assertThat(good.exit()).as(good.out() + good.err()).isZero();
        assertThat(passed(good)).isEqualTo(names.size());

        // Now break one case per kind of bad input.
        String truncated = names.get(0);
        String missingFile = names.get(1);
        String nan = names.get(2);
        String wrongDtype = names.get(3);
        String missingFolder = names.get(4);
        String unsupported = names.get(5);
        String partialGradients = names.get(6);
        String reportedError = names.get(7);
        String wrongShape = names.get(8);
        Path f = results.resolve(truncated).resolve("c0_output_0.npy");
        byte[] b = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(b, b.length - 5));
        Files.delete(results.resolve(missingFile).resolve("c0_output_0.npy"));
        rewrite(results.resolve(nan).resolve("c0_output_0.npy"), a -> {
            double[] v = a.values().clone();
            v[0] = Double.NaN;
            return new NpyArray(a.descr(), a.shape(), v);
        });
        rewrite(results.resolve(wrongDtype).resolve("c0_output_0.npy"),
                a -> new NpyArray(NpyReader.FLOAT32, a.shape(), a.values()));
        deleteTree(results.resolve(missingFolder));
        deleteTree(results.resolve(unsupported));
        Files.createDirectories(results.resolve(unsupported));
        Files.writeString(results.resolve(unsupported).resolve("unsupported.txt"), "no LSTM with peepholes here\n");
        Files.delete(results.resolve(partialGradients).resolve("c0_grad_inputs.npy"));
        Files.writeString(results.resolve(reportedError).resolve("error.txt"), "RuntimeError: boom\n");
        rewrite(results.resolve(wrongShape).resolve("c0_output_0.npy"),
                a -> new NpyArray(a.descr(), new int[] {a.values().length}, a.values()));

        Path rep = tmp.resolve("rep2");
        Run bad = cli("verify", "--cases", cases.toString(), "--results", results.toString(), "--name", "fake",
                "--report-dir", rep.toString(), "--format", "md,html,junit");
        assertThat(bad.exit()).isEqualTo(1);
        Map<String, String[]> t = table(rep.resolve("fake.md"));
        assertThat(t).hasSize(names.size());
        assertThat(t.get(truncated)).containsExactly("ERROR", t.get(truncated)[1]);
        assertThat(t.get(truncated)[1]).contains("truncated");
        assertThat(t.get(missingFile)[0]).isEqualTo("ERROR");
        assertThat(t.get(missingFile)[1]).contains("c0_output_0.npy is missing");
        assertThat(t.get(nan)[0]).isEqualTo("ERROR");
        assertThat(t.get(nan)[1]).contains("non-finite");
        assertThat(t.get(wrongDtype)[0]).isEqualTo("ERROR");
        assertThat(t.get(wrongDtype)[1]).contains("dtype <f4; expected <f8");
        assertThat(t.get(missingFolder)[0]).isEqualTo("ERROR");
        assertThat(t.get(missingFolder)[1]).contains("no result folder");
        assertThat(t.get(unsupported)[0]).isEqualTo("unsupported");
        assertThat(t.get(unsupported)[1]).contains("no LSTM with peepholes here");
        assertThat(t.get(partialGradients)[0]).isEqualTo("ERROR");
        assertThat(t.get(partialGradients)[1]).contains("partial gradients");
        assertThat(t.get(reportedError)[0]).isEqualTo("ERROR");
        assertThat(t.get(reportedError)[1]).contains("RuntimeError: boom");
        assertThat(t.get(wrongShape)[0]).isEqualTo("ERROR");
        assertThat(t.get(wrongShape)[1]).contains("has shape");
        assertThat(t.values().stream().filter(v -> v[0].equals("pass")).count()).isEqualTo(names.size() - 9L);
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(rep.resolve("fake.xml").toFile());
        assertThat(doc.getElementsByTagName("testcase").getLength()).isEqualTo(names.size());

        // A forward-only implementation (no gradient files at all) passes with a note.
        String forwardOnly = names.get(9);
        try (var files = Files.list(results.resolve(forwardOnly))) {
            for (Path p : files.toList()) {
                if (p.getFileName().toString().contains("_grad_")) {
                    Files.delete(p);
                }
            }
        }
        Path rep3 = tmp.resolve("rep3");
        cli("verify", "--cases", cases.toString(), "--results", results.toString(), "--name", "fake",
                "--report-dir", rep3.toString(), "--format", "md");
        String[] fo = table(rep3.resolve("fake.md")).get(forwardOnly);
        assertThat(fo[0]).isEqualTo("pass");
        assertThat(fo[1]).contains("gradients not checked");
    }

    /** A fake external driver: the reference run per exported call record, written with NpyWriter. */
    static void writeReferenceResults(GoldenCase g, Path exportCase, Path out) throws IOException {
        JsonNode c = new ObjectMapper().readTree(exportCase.resolve("case.json").toFile());
        Files.createDirectories(out);
        ReferenceRnn ref = new ReferenceRnn();
        String descr = g.dtype() == DType.FLOAT32 ? NpyReader.FLOAT32 : NpyReader.FLOAT64;
        int k = 0;
        for (JsonNode rec : c.path("calls")) {
            if (rec.path("reset_state").asBoolean(false)) {
                continue;
            }
            GoldenCall call = g.calls().get(k++);
            JsonNode exp = rec.path("expected");
            LayerOutputs o = ref.forward(call.call());
            for (int i = 0; i < exp.path("outputs").size(); i++) {
                write(out.resolve(exp.path("outputs").get(i).asText()), o.outputs().get(i), descr);
            }
            for (int i = 0; i < exp.path("states").size(); i++) {
                write(out.resolve(exp.path("states").get(i).asText()), o.states().get(i), descr);
            }
            LayerGradients gr = ref.backward(call.call(), call.cotangent());
            JsonNode ge = exp.path("gradients");
            if (ge.hasNonNull("inputs")) {
                write(out.resolve(ge.get("inputs").asText()), gr.inputs(), descr);
            }
            for (int i = 0; i < ge.path("weights").size(); i++) {
                write(out.resolve(ge.path("weights").get(i).asText()), gr.weights().get(i), descr);
            }
            for (int i = 0; i < ge.path("initial_states").size(); i++) {
                write(out.resolve(ge.path("initial_states").get(i).asText()), gr.initialStates().get(i), descr);
            }
        }
    }

    static void write(Path p, Tensor t, String descr) throws IOException {
        double[] v = t.data().clone();
        if (descr.equals(NpyReader.FLOAT32)) {
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) v[i];
            }
        }
        Files.write(p, NpyWriter.write(new NpyArray(descr, t.shape(), v)));
    }

    static void rewrite(Path p, java.util.function.UnaryOperator<NpyArray> f) throws IOException {
        Files.write(p, NpyWriter.write(f.apply(NpyReader.read(p))));
    }

    static void deleteTree(Path p) throws IOException {
        try (var s = Files.walk(p)) {
            for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }

    static String[] concat(String[] a, String... b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
