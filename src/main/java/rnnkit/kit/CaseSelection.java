package rnnkit.kit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * Which cases a run takes: include and exclude glob patterns on case names (`*` any run of characters, `?` one
 * character; a case is taken if it matches some include, or there are none, and no exclude), and a shard
 * {@code i/n} that splits the corpus across machines deterministically. A case's shard depends only on its
 * name (SHA-256), so adding cases never moves others between shards.
 */
public final class CaseSelection {
    private final List<Glob> includes;
    private final List<Glob> excludes;
    private final int shardIndex;
    private final int shardCount;

    private CaseSelection(List<Glob> includes, List<Glob> excludes, int shardIndex, int shardCount) {
        this.includes = includes;
        this.excludes = excludes;
        this.shardIndex = shardIndex;
        this.shardCount = shardCount;
    }

    public static CaseSelection all() {
        return new CaseSelection(List.of(), List.of(), 0, 1);
    }

    public static CaseSelection of(List<String> include, List<String> exclude, String shard) {
        int[] s = parseShard(shard);
        return new CaseSelection(globs(include), globs(exclude), s[0], s[1]);
    }

    /** Parses "i/n" with 1 &lt;= i &lt;= n (1-based, as CI matrices count); null means the whole corpus. */
    static int[] parseShard(String shard) {
        if (shard == null || shard.isBlank()) {
            return new int[] {0, 1};
        }
        String[] p = shard.trim().split("/");
        try {
            if (p.length == 2) {
                int i = Integer.parseInt(p[0].trim());
                int n = Integer.parseInt(p[1].trim());
                if (n >= 1 && i >= 1 && i <= n) {
                    return new int[] {i - 1, n};
                }
            }
        } catch (NumberFormatException e) {
            // fall through to the error below
        }
        throw new IllegalArgumentException("shard '" + shard + "' is not of the form i/n with 1 <= i <= n (e.g. 2/4)");
    }

    private static List<Glob> globs(List<String> patterns) {
        List<Glob> out = new ArrayList<>();
        if (patterns != null) {
            for (String g : patterns) {
                if (g != null && !g.isBlank()) {
                    out.add(new Glob(g.trim()));
                }
            }
        }
        return out;
    }

    static boolean matchesAny(List<Glob> patterns, String name) {
        for (Glob p : patterns) {
            if (p.matches(name)) {
                return true;
            }
        }
        return false;
    }

    /** True when the selection takes every case (no include, no exclude, no shard). */
    public boolean isAll() {
        return includes.isEmpty() && excludes.isEmpty() && shardCount == 1;
    }

    /**
     * For a selection that matched nothing: a hint naming include globs that would match, e.g. "did you mean
     * 'lstm/*'?" for {@code --include lstm}; empty when there is none.
     */
    public String suggestion(List<String> caseNames) {
        List<String> hints = new ArrayList<>();
        for (Glob g : includes) {
            for (String candidate : List.of(g.pattern() + "/*", "*" + g.pattern() + "*")) {
                Glob c = new Glob(candidate);
                if (!hints.contains(candidate) && caseNames.stream().anyMatch(c::matches)) {
                    hints.add("'" + candidate + "'");
                    break;
                }
            }
        }
        return hints.isEmpty() ? "" : "did you mean " + String.join(" or ", hints) + "?";
    }

    /** The shard (0-based) a case name falls in for n shards. */
    public static int shardOf(String caseName, int shardCount) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(caseName.getBytes(StandardCharsets.UTF_8));
            long v = ((h[0] & 0xFFL) << 24) | ((h[1] & 0xFFL) << 16) | ((h[2] & 0xFFL) << 8) | (h[3] & 0xFFL);
            return (int) (v % shardCount);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    public boolean accepts(String caseName) {
        if (!includes.isEmpty() && !matchesAny(includes, caseName)) {
            return false;
        }
        if (matchesAny(excludes, caseName)) {
            return false;
        }
        return shardCount == 1 || shardOf(caseName, shardCount) == shardIndex;
    }

    /** The accepted names, in the given order. */
    public List<String> select(List<String> caseNames) {
        List<String> out = new ArrayList<>();
        for (String n : caseNames) {
            if (accepts(n)) {
                out.add(n);
            }
        }
        return out;
    }

    /** "shard 2/4" or "all shards", for reports. */
    public String describeShard() {
        return shardCount == 1 ? "whole corpus" : "shard " + (shardIndex + 1) + "/" + shardCount;
    }
}
