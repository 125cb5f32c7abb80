package rnnkit.kit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import rnnkit.golden.BoundedFiles;

/**
 * An expected-failure list, like the ONNX backend test runner's: one entry per line, either
 * <ul>
 * <li>{@code <case glob> : <reason>} — cases whose name matches the glob ({@link Glob}), or</li>
 * <li>{@code tags: <term> & <term> ... : <reason>} — cases whose tags ({@link CaseTags}: cell kinds, options, dtype,
 *     e.g. {@code tags: go_backwards & return_sequences & !T=1 : ...}) include every term; a term is a glob on one
 *     tag, {@code !term} requires that no tag matches it. Tags carry a list to cases of another corpus or to random
 *     cases whose names it cannot know.</li>
 * </ul>
 * Blank lines and lines starting with {@code #} are ignored. A reason is required: an expected failure without a
 * reason hides a bug. Matching is linear in the lengths of the entry and the name or tags (the same matcher as case
 * selection).
 */
public final class ExpectedFailures {
    /** Prefix of an entry that selects by tags. */
    public static final String TAGS_PREFIX = "tags:";

    private record Term(Glob glob, boolean negated) {
        boolean holds(List<String> tags) {
            boolean any = false;
            for (String t : tags) {
                if (glob.matches(t)) {
                    any = true;
                    break;
                }
            }
            return any != negated;
        }

        @Override
        public String toString() {
            return (negated ? "!" : "") + glob;
        }
    }

    private record Entry(int line, Glob glob, List<Term> terms, String reason) {
        boolean matches(String name, CaseTags tags) {
            if (glob != null) {
                return glob.matches(name);
            }
            List<String> all = tags.all();
            for (Term t : terms) {
                if (!t.holds(all)) {
                    return false;
                }
            }
            return true;
        }

        String selector() {
            if (glob != null) {
                return glob.toString();
            }
            List<String> parts = new ArrayList<>();
            terms.forEach(t -> parts.add(t.toString()));
            return TAGS_PREFIX + " " + String.join(" & ", parts);
        }
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
            boolean byTags = line.startsWith(TAGS_PREFIX);
            String body = byTags ? line.substring(TAGS_PREFIX.length()) : line;
            int colon = body.indexOf(':');
            if (colon < 0 || body.substring(0, colon).isBlank() || body.substring(colon + 1).isBlank()) {
                throw new IllegalArgumentException(source + " line " + (i + 1) + ": '" + line + "' is not of the form "
                        + "'<case glob> : <reason>' or 'tags: <tag> & <tag> ... : <reason>' (a reason is required)");
            }
            String reason = body.substring(colon + 1).strip();
            String selector = body.substring(0, colon).strip();
            if (!byTags) {
                entries.add(new Entry(i + 1, new Glob(selector), List.of(), reason));
                continue;
            }
            List<Term> terms = new ArrayList<>();
            for (String raw : selector.split("&", -1)) {
                String t = raw.strip();
                boolean negated = t.startsWith("!");
                String tag = (negated ? t.substring(1) : t).strip();
                if (tag.isEmpty()) {
                    throw new IllegalArgumentException(source + " line " + (i + 1) + ": '" + line + "' has an empty tag "
                            + "term; expected tags joined by '&', each optionally negated with '!', e.g. "
                            + "'tags: go_backwards & return_sequences & !T=1 : <reason>'");
                }
                terms.add(new Term(new Glob(tag), negated));
            }
            entries.add(new Entry(i + 1, null, List.copyOf(terms), reason));
        }
        return new ExpectedFailures(entries);
    }

    /** Reads a list: a regular UTF-8 file of at most {@link BoundedFiles#TEXT_BYTES} bytes. */
    public static ExpectedFailures read(Path file) {
        String text = BoundedFiles.readUtf8(file, BoundedFiles.TEXT_BYTES, "expected-failure list");
        return parse(text.lines().toList(), file.toString());
    }

    /**
     * Entries that match none of {@code selected} by name ("line 3: gru/* : reason"), e.g. left over after a fix.
     * Entries by tags are not judged here (a case's tags are known once it is loaded): see {@link #staleAfter}.
     */
    public List<String> stale(List<String> selected) {
        List<String> out = new ArrayList<>();
        for (Entry e : entries) {
            if (e.glob != null && selected.stream().noneMatch(e.glob::matches)) {
                out.add(describe(e));
            }
        }
        return out;
    }

    /** Entries (by name or by tags) that matched none of the results of a run. */
    public List<String> staleAfter(Collection<CaseResult> results) {
        List<String> out = new ArrayList<>();
        for (Entry e : entries) {
            if (results.stream().noneMatch(r -> e.matches(r.caseName(), r.tags()))) {
                out.add(describe(e));
            }
        }
        return out;
    }

    private static String describe(Entry e) {
        return "line " + e.line + ": " + e.selector() + " : " + e.reason;
    }

    /** The reason a case is expected to fail, if listed by name (entries by tags need the case's tags). */
    public Optional<String> reasonFor(String caseName) {
        return reasonFor(caseName, null);
    }

    /** The reason a case with these tags is expected to fail, if listed (first matching entry). */
    public Optional<String> reasonFor(String caseName, CaseTags tags) {
        return entryFor(caseName, tags).map(e -> e.reason + " [" + e.selector() + "]");
    }

    private Optional<Entry> entryFor(String caseName, CaseTags tags) {
        for (Entry e : entries) {
            if ((e.glob != null || tags != null) && e.matches(caseName, tags)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /**
     * Applies the list to a raw outcome: a FAIL or ERROR of a listed case becomes EXPECTED_FAIL, a PASS of a listed
     * case becomes UNEXPECTED_PASS; unsupported stays unsupported. An expected failure's reason is the listed reason
     * on its first line, then the entry that matched and the raw reason: {@code <reason>\n[<entry>] (<raw reason>)}.
     * Reports group results by first line ({@link KitReport#byReason}), so the cases a list names one per line under
     * one reason are one group, whatever the entry and whichever quantity failed.
     */
    public CaseResult apply(CaseResult r) {
        Optional<Entry> e = entryFor(r.caseName(), r.tags());
        if (e.isEmpty()) {
            return r;
        }
        return switch (r.outcome()) {
            case FAIL, ERROR -> r.withOutcome(Outcome.EXPECTED_FAIL,
                    e.get().reason + "\n[" + e.get().selector() + "] (" + r.reason() + ")");
            case PASS -> r.withOutcome(Outcome.UNEXPECTED_PASS, "listed as expected failure: " + e.get().reason + " ["
                    + e.get().selector() + "]");
            default -> r;
        };
    }
}
