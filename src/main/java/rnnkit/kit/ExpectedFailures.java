package rnnkit.kit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import rnnkit.golden.BoundedFiles;

/**
 * An expected-failure list, like the ONNX backend test runner's: one entry per line, {@code <case glob> : <reason>}.
 * Blank lines and lines starting with {@code #} are ignored. A reason is required: an expected failure without a
 * reason hides a bug.
 */
public final class ExpectedFailures {
    private record Entry(int line, Glob glob, String reason) {
    }

    private final List<Entry> entries;

    private ExpectedFailures(List<Entry> entries) {
        this.entries = entries;
    }

    public static ExpectedFailures none() {
        return new ExpectedFailures(List.of());
    }

    public static ExpectedFailures parse(List<String> lines, String source) {
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || line.substring(colon + 1).isBlank()) {
                throw new IllegalArgumentException(source + " line " + (i + 1) + ": '" + line
                        + "' is not of the form '<case glob> : <reason>' (a reason is required)");
            }
            String glob = line.substring(0, colon).strip();
            entries.add(new Entry(i + 1, new Glob(glob), line.substring(colon + 1).strip()));
        }
        return new ExpectedFailures(entries);
    }

    /** Reads a list: a regular UTF-8 file of at most {@link BoundedFiles#TEXT_BYTES} bytes. */
    public static ExpectedFailures read(Path file) {
        String text = BoundedFiles.readUtf8(file, BoundedFiles.TEXT_BYTES, "expected-failure list");
        return parse(text.lines().toList(), file.toString());
    }

    /** Entries that match none of {@code selected} ("line 3: gru/* : reason"), e.g. left over after a fix. */
    public List<String> stale(List<String> selected) {
        List<String> out = new ArrayList<>();
        for (Entry e : entries) {
            if (selected.stream().noneMatch(e.glob::matches)) {
                out.add("line " + e.line + ": " + e.glob + " : " + e.reason);
            }
        }
        return out;
    }

    /** The reason a case is expected to fail, if listed. */
    public Optional<String> reasonFor(String caseName) {
        for (Entry e : entries) {
            if (e.glob.matches(caseName)) {
                return Optional.of(e.reason + " [" + e.glob + "]");
            }
        }
        return Optional.empty();
    }

    /**
     * Applies the list to a raw outcome: a FAIL or ERROR of a listed case becomes EXPECTED_FAIL, a PASS of a listed
     * case becomes UNEXPECTED_PASS; unsupported stays unsupported.
     */
    public CaseResult apply(CaseResult r) {
        Optional<String> why = reasonFor(r.caseName());
        if (why.isEmpty()) {
            return r;
        }
        return switch (r.outcome()) {
            case FAIL, ERROR -> r.withOutcome(Outcome.EXPECTED_FAIL, why.get() + " (" + r.reason() + ")");
            case PASS -> r.withOutcome(Outcome.UNEXPECTED_PASS, "listed as expected failure: " + why.get());
            default -> r;
        };
    }
}
