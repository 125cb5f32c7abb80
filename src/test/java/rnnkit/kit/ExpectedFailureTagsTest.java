package rnnkit.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import rnnkit.model.DType;
import rnnkit.reference.ReferenceRnn;

/** Expected-failure entries that select by case tags carry a list to cases whose names it does not know. */
class ExpectedFailureTagsTest {
    static final CaseTags GO_BACK_SEQ = new CaseTags(List.of("LSTM"), List.of("go_backwards", "return_sequences"), DType.FLOAT32);
    static final CaseTags GO_BACK_T1 = new CaseTags(List.of("LSTM"), List.of("go_backwards", "return_sequences", "T=1"),
            DType.FLOAT32);

    static CaseResult failed(String name, CaseTags tags) {
        return new CaseResult(name, "x", Outcome.FAIL, "output differs beyond tolerance", List.of(), 0).withTags(tags);
    }

    @Test
    void allTermsMustHoldNegatedTermsMustNotAndTermsAreGlobs() {
        ExpectedFailures xf = ExpectedFailures.parse(List.of("tags: go_backwards & return_sequences & !T=1 : reverse order",
                "tags: activation=* & float64 : no such activation"), "list");
        assertThat(xf.apply(failed("any/name", GO_BACK_SEQ)).outcome()).isEqualTo(Outcome.EXPECTED_FAIL);
        assertThat(xf.apply(failed("any/name", GO_BACK_SEQ)).reason())
                .isEqualTo("reverse order\n[tags: go_backwards & return_sequences & !T=1] (output differs beyond tolerance)");
        assertThat(xf.apply(failed("any/name", GO_BACK_T1)).outcome()).isEqualTo(Outcome.FAIL);
        CaseTags act = new CaseTags(List.of("GRU"), List.of("activation=selu"), DType.FLOAT64);
        assertThat(xf.apply(failed("x", act)).outcome()).isEqualTo(Outcome.EXPECTED_FAIL);
        assertThat(xf.apply(failed("x", new CaseTags(List.of("GRU"), List.of("activation=selu"), DType.FLOAT32))).outcome())
                .isEqualTo(Outcome.FAIL);
        // a passing listed case is an unexpected pass, by tags as by name
        CaseResult passed = new CaseResult("p", "x", Outcome.PASS, "", List.of(), 0).withTags(GO_BACK_SEQ);
        assertThat(xf.apply(passed).outcome()).isEqualTo(Outcome.UNEXPECTED_PASS);
    }

    @Test
    void randomCasesCarryTheTagsTheGoldenCorpusUses() {
        List<ConformanceCase> cs = RandomCases.generate(3, 60, DType.FLOAT32, new ReferenceRnn());
        assertThat(cs).anySatisfy(c -> assertThat(c.tags().options()).contains("go_backwards", "return_sequences"));
        for (ConformanceCase c : cs) {
            // the names say what the tags say (random names: _backwards, _seq, _t<T>, _padded)
            String n = c.name();
            assertThat(c.tags().options().contains("return_sequences")).as(n).isEqualTo(n.contains("_seq_"));
            assertThat(c.tags().options().contains("T=1")).as(n).isEqualTo(n.contains("_t1_"));
            boolean masked = c.tags().options().contains("post_padding") || c.tags().options().contains("mask_holes");
            assertThat(masked).as(n).isEqualTo(n.contains("_padded_"));
            assertThat(c.tags().dtype()).isEqualTo(DType.FLOAT32);
            assertThat(c.tags().cells()).isNotEmpty();
        }
    }

    @Test
    void staleTagEntriesAreFoundAfterTheRunAndBadLinesAreRefused() {
        ExpectedFailures xf = ExpectedFailures.parse(List.of("tags: go_backwards : a", "tags: stateful & LSTM : b",
                "lstm/* : c"), "list");
        List<String> stale = xf.staleAfter(List.of(failed("gru/x", GO_BACK_SEQ)));
        assertThat(stale).containsExactly("line 2: tags: stateful & LSTM : b", "line 3: lstm/* : c");
        assertThat(xf.stale(List.of("gru/x"))).containsExactly("line 3: lstm/* : c");
        assertThatThrownBy(() -> ExpectedFailures.parse(List.of("tags: a & & b : r"), "list"))
                .hasMessageContaining("line 1").hasMessageContaining("empty tag term");
        assertThatThrownBy(() -> ExpectedFailures.parse(List.of("tags: go_backwards"), "list"))
                .hasMessageContaining("a reason is required");
    }

    @Test
    void tagMatchingIsLinearInTheEntryAndTheTags() {
        ExpectedFailures xf = ExpectedFailures.parse(List.of("tags: *?*?*?*?*?*?*?*?*?*?*?*?Z : slow globs"), "list");
        CaseTags many = new CaseTags(List.of("a".repeat(3000)), List.of("b".repeat(3000), "c".repeat(3000)), DType.FLOAT32);
        long start = System.nanoTime();
        assertThat(xf.reasonFor("n", many)).isEmpty();
        assertThat((System.nanoTime() - start) / 1e9).isLessThan(2);
    }

    @Test
    void aReasonIsLookedUpByNameAloneOrByNameAndTagsAndNamesTheEntry() {
        ExpectedFailures xf = ExpectedFailures.parse(List.of("tags: go_backwards : reverse order", "gru/* : gru bug"),
                "list");
        // by name alone an entry by tags cannot be judged: it is skipped, not matched
        assertThat(xf.reasonFor("lstm/a")).isEmpty();
        assertThat(xf.reasonFor("gru/a")).contains("gru bug [gru/*]");
        assertThat(xf.reasonFor("lstm/a", GO_BACK_SEQ)).contains("reverse order [tags: go_backwards]");
        assertThat(xf.reasonFor("gru/a", CaseTags.NONE)).contains("gru bug [gru/*]");
        assertThat(xf.reasonFor("lstm/a", CaseTags.NONE)).isEmpty();
        // a line starting with the colon has no selector
        assertThatThrownBy(() -> ExpectedFailures.parse(List.of(": no selector"), "list"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("list line 1: ': no selector'");
    }
}
