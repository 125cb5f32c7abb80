package rnnkit.kit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import rnnkit.cli.Main;

/**
 * Writes the committed report {@code reports/onnxruntime.md} and {@code .html} by running the very command the
 * README gives for it (read from README.md, so the two cannot drift apart), and checks what the report's notes
 * claim: the expected-failure list is exact (no unexpected FAIL, ERROR or pass), every cell kind has passing cases,
 * and each documented difference and unsupported feature is backed by cases.
 */
class OnnxRuntimeConformanceTest {
    static final Path README = Path.of("README.md");
    static final Pattern COMMAND = Pattern.compile("`\\./rnnkit (run --impl onnxruntime [^`]+)`");

    /** The arguments of the README's ONNX Runtime command (after {@code ./rnnkit}). */
    static List<String> readmeCommand() throws IOException {
        Matcher m = COMMAND.matcher(Files.readString(README, StandardCharsets.UTF_8));
        assertThat(m.find()).as("README.md gives `./rnnkit run --impl onnxruntime ...`").isTrue();
        List<String> args = new ArrayList<>(Arrays.asList(m.group(1).trim().split("\\s+")));
        assertThat(m.find()).as("README.md gives one ONNX Runtime command").isFalse();
        return args;
    }

    static String option(List<String> args, String name) {
        int i = args.indexOf(name);
        assertThat(i).as("the README command has %s", name).isGreaterThanOrEqualTo(0);
        return args.get(i + 1);
    }

    /** Outcome label and reason of every case in the report's table ("| case | outcome | ... | reason |"). */
    static Map<String, String[]> outcomes(String md) {
        Map<String, String[]> out = new LinkedHashMap<>();
        Matcher row = Pattern.compile("(?m)^\\| ([a-z0-9_]+/[^ |]+) \\| ([^|]+) \\|.*\\| (.*) \\|$").matcher(md);
        while (row.find()) {
            out.put(row.group(1), new String[] {row.group(2).trim(), row.group(3)});
        }
        return out;
    }

    @Test
    void theReadmeCommandWritesTheCommittedReportAndOnnxRuntimeFailsExactlyTheListedCases() throws IOException {
        List<String> args = readmeCommand();
        assertThat(option(args, "--report-dir")).isEqualTo("reports");
        StringWriter out = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        int exit = cl.execute(args.toArray(String[]::new));
        assertThat(exit).as(out.toString()).isZero();

        String md = Files.readString(Path.of("reports/onnxruntime.md"), StandardCharsets.UTF_8);
        assertThat(Path.of("reports/onnxruntime.html")).exists();
        assertThat(md).doesNotContain("INCOMPLETE").contains("Verdict: **PASS");
        Map<String, String[]> rows = outcomes(md);
        int random = Integer.parseInt(option(args, "--random"));
        assertThat(rows.keySet()).filteredOn(n -> n.startsWith("random/")).hasSize(random);
        Map<String, String> outcome = new LinkedHashMap<>();
        rows.forEach((name, r) -> outcome.put(name, r[0]));
        assertThat(outcome.values()).doesNotContain("FAIL", "ERROR", "UNEXPECTED PASS");
        for (String cell : List.of("simple_rnn/", "lstm/", "gru/", "gru_reset_before/")) {
            assertThat(outcome).as("passing %s cases", cell)
                    .anySatisfy((name, o) -> assertThat(name.startsWith(cell) && o.equals("pass")).isTrue());
        }
        // the documented differences, each backed by golden and random cases
        assertThat(outcome.entrySet()).filteredOn(e -> e.getValue().equals("expected fail")).extracting(Map.Entry::getKey)
                .anyMatch(n -> n.endsWith("go_backwards_sequences__float32"))
                .anyMatch(n -> n.startsWith("random/") && n.contains("_seq_") && n.contains("_padded_"));
        assertThat(outcome.entrySet()).filteredOn(e -> e.getKey().startsWith("random/") && e.getKey().contains("_padded_")
                        && !e.getKey().contains("_seq_") && !e.getValue().equals("unsupported"))
                .as("right-padded cases returning only the last output").isNotEmpty()
                .allSatisfy(e -> assertThat(e.getValue()).as(e.getKey()).isEqualTo("pass"));
        // the documented unsupported features, as the adapter's reasons
        List<String> unsupported = rows.values().stream().filter(r -> r[0].equals("unsupported")).map(r -> r[1]).toList();
        assertThat(unsupported).anyMatch(s -> s.contains("float32 only")).anyMatch(s -> s.contains("mask with holes"))
                .anyMatch(s -> s.contains("stacked-cells")).anyMatch(s -> s.contains("dropout"))
                .anyMatch(s -> s.contains("no activation equal"));
    }
}
