package rnnkit.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CaseSelectionTest {
    private static List<String> names(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add((i % 3 == 0 ? "lstm" : i % 3 == 1 ? "gru" : "simple_rnn") + "/case_" + i + "/" + (i % 2 == 0 ? "float32" : "float64"));
        }
        return out;
    }

    @Test
    void shardsPartitionTheCorpusExactlyOnce() {
        List<String> all = names(500);
        Set<String> seen = new HashSet<>();
        int total = 0;
        for (int i = 1; i <= 4; i++) {
            List<String> shard = CaseSelection.of(List.of(), List.of(), i + "/4").select(all);
            assertThat(shard).as("shard %d is not empty", i).isNotEmpty();
            total += shard.size();
            seen.addAll(shard);
        }
        assertThat(total).isEqualTo(all.size());
        assertThat(seen).hasSize(all.size());
    }

    @Test
    void aCasesShardDoesNotDependOnOtherCases() {
        List<String> all = names(100);
        List<String> shardBefore = CaseSelection.of(List.of(), List.of(), "2/3").select(all);
        List<String> grown = new ArrayList<>(all);
        grown.addAll(List.of("new/a", "new/b", "new/c"));
        List<String> shardAfter = CaseSelection.of(List.of(), List.of(), "2/3").select(grown);
        assertThat(shardAfter).containsAll(shardBefore);
    }

    @Test
    void includeAndExcludeGlobs() {
        CaseSelection s = CaseSelection.of(List.of("lstm/*", "gru/*"), List.of("*float64"), null);
        assertThat(s.accepts("lstm/a/float32")).isTrue();
        assertThat(s.accepts("lstm/a/float64")).isFalse();
        assertThat(s.accepts("simple_rnn/a/float32")).isFalse();
        assertThat(CaseSelection.of(List.of("gru/case_?/float32"), List.of(), null).accepts("gru/case_1/float32")).isTrue();
        assertThat(CaseSelection.of(List.of("a.b"), List.of(), null).accepts("axb")).as("dots are literal").isFalse();
    }

    @Test
    void badShardIsAClearError() {
        for (String bad : List.of("0/4", "5/4", "x/2", "1-2", "2/0")) {
            assertThatThrownBy(() -> CaseSelection.of(List.of(), List.of(), bad))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("i/n");
        }
    }

    @Test
    void expectedFailureWithoutReasonIsRejected() {
        assertThatThrownBy(() -> ExpectedFailures.parse(List.of("gru/*"), "xfail.txt"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("xfail.txt line 1")
                .hasMessageContaining("reason is required");
        assertThatThrownBy(() -> ExpectedFailures.parse(List.of("gru/* :  "), "xfail.txt"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
