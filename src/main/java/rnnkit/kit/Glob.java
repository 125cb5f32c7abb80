package rnnkit.kit;

/**
 * A glob on case names: {@code *} any run of characters (also none), {@code ?} exactly one character, everything
 * else literal. Matching is greedy with one backtracking point (the last {@code *}), so it takes at most
 * (pattern length × name length) steps whatever the pattern — no regular expression, no exponential backtracking.
 * Case selection ({@code --include}, {@code --exclude}) and expected-failure lists ({@code --xfail}) share it.
 */
public record Glob(String pattern) {
    public Glob {
        if (pattern == null) {
            throw new IllegalArgumentException("glob is null");
        }
    }

    public boolean matches(String name) {
        int p = 0;
        int n = 0;
        int star = -1;
        int resume = 0;
        while (n < name.length()) {
            if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == name.charAt(n))
                    && pattern.charAt(p) != '*') {
                p++;
                n++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                resume = n;
            } else if (star >= 0) {
                p = star + 1;
                n = ++resume;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }

    @Override
    public String toString() {
        return pattern;
    }
}
