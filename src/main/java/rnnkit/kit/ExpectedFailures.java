package rnnkit.kit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An expected-failure list, like the ONNX backend test runner's: one entry per line, {@code <case glob> : <reason>}.
 * Blank lines and lines starting with {@code #} are ignored. A reason is required: an expected failure without a
 * reason hides a bug.
 */
public final class ExpectedFailures {
    private record Entry(String glob, Pattern pattern, String reason) {
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
            entries.add(new Entry(glob, CaseSelection.glob(glob), line.substring(colon + 1).strip()));
        }
        return new ExpectedFailures(entries);
    }

    public static ExpectedFailures read(Path file) {
        try {
            return parse(Files.readAllLines(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read expected-failure list " + file + ": " + e.getMessage(), e);
        }
    }

    /** The reason a case is expected to fail, if listed. */
    public Optional<String> reasonFor(String caseName) {
        for (Entry e : entries) {
            if (e.pattern.matcher(caseName).matches()) {
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
            case FAIL, ERROR -> new CaseResult(r.caseName(), r.implementation(), Outcome.EXPECTED_FAIL,
                    why.get() + " (" + r.reason() + ")", r.errors(), r.seconds());
            case PASS -> new CaseResult(r.caseName(), r.implementation(), Outcome.UNEXPECTED_PASS,
                    "listed as expected failure: " + why.get(), r.errors(), r.seconds());
            default -> r;
        };
    }
}
