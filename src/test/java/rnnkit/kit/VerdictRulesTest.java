package rnnkit.kit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The verdict of a run as a table over its results (the rules of {@link Verdict}), without running anything: any bad
 * outcome fails the run, a run with fewer results than planned is INCOMPLETE, no pass is NOTHING VERIFIED, and a
 * pass says how many passing cases had their gradients checked; the two summary lines count each outcome.
 */
class VerdictRulesTest {
    static CaseResult result(Outcome o, boolean gradients) {
        return new CaseResult("suite/case_" + o, "impl", o, o == Outcome.PASS ? "" : "why", List.of(), 0.5, gradients);
    }

    static KitReport report(int planned, CaseResult... rs) {
        return new KitReport("t", "impl", "corpus", "all", planned, List.of(rs), List.of());
    }

    static final CaseResult PASS = result(Outcome.PASS, true);
    static final CaseResult PASS_FORWARD = result(Outcome.PASS, false);
    static final CaseResult UNSUPPORTED = result(Outcome.UNSUPPORTED, false);
    static final CaseResult XFAIL = result(Outcome.EXPECTED_FAIL, true);

    @Test
    void badOutcomesAreFailErrorAndUnexpectedPass() {
        List<Outcome> bad = new ArrayList<>();
        for (Outcome o : Outcome.values()) {
            if (o.isBad()) {
                bad.add(o);
            }
        }
        assertThat(bad).containsExactly(Outcome.FAIL, Outcome.ERROR, Outcome.UNEXPECTED_PASS);
        List<Verdict> ok = new ArrayList<>();
        for (Verdict v : Verdict.values()) {
            if (v.isSuccess()) {
                ok.add(v);
            }
        }
        assertThat(ok).containsExactly(Verdict.PASS, Verdict.PASS_FORWARD_ONLY, Verdict.PASS_PARTLY_FORWARD_ONLY);
    }

    @Test
    void anyBadOutcomeFailsTheRunEvenAnIncompleteOne() {
        for (Outcome o : List.of(Outcome.FAIL, Outcome.ERROR, Outcome.UNEXPECTED_PASS)) {
            KitReport r = report(2, PASS, result(o, false));
            assertThat(r.verdict()).as("%s", o).isEqualTo(Verdict.FAIL);
            assertThat(r.success()).isFalse();
            assertThat(r.verdictText()).isEqualTo("FAIL");
            // a bad result last, in a run that did not finish: still FAIL, not INCOMPLETE
            assertThat(report(5, PASS, XFAIL, result(o, true)).verdict()).isEqualTo(Verdict.FAIL);
        }
    }

    @Test
    void aRunWithFewerResultsThanPlannedIsIncomplete() {
        KitReport r = report(3, PASS);
        assertThat(r.complete()).isFalse();
        assertThat(r.verdict()).isEqualTo(Verdict.INCOMPLETE);
        assertThat(r.success()).isFalse();
        assertThat(r.verdictText()).isEqualTo("INCOMPLETE: only 1 of 3 planned cases ran");
        assertThat(report(1, PASS).complete()).isTrue();
    }

    @Test
    void noPassIsNothingVerifiedWithWhatHappenedInstead() {
        KitReport r = report(3, UNSUPPORTED, UNSUPPORTED, XFAIL);
        assertThat(r.verdict()).isEqualTo(Verdict.NOTHING_VERIFIED);
        assertThat(r.success()).isFalse();
        assertThat(r.verdictText()).isEqualTo("NOTHING VERIFIED: no case passed (2 unsupported, 1 expected failures)");
        assertThat(report(0).verdict()).isEqualTo(Verdict.NOTHING_VERIFIED);
    }

    @Test
    void aPassSaysHowManyPassingCasesHadTheirGradientsChecked() {
        assertThat(report(3, PASS, PASS, UNSUPPORTED).verdict()).isEqualTo(Verdict.PASS);
        assertThat(report(3, PASS, PASS, UNSUPPORTED).verdictText()).isEqualTo("PASS");
        assertThat(report(2, PASS_FORWARD, PASS_FORWARD).verdict()).isEqualTo(Verdict.PASS_FORWARD_ONLY);
        assertThat(report(2, PASS_FORWARD, XFAIL).verdictText()).isEqualTo("PASS, forward only: gradients not checked");
        KitReport partly = report(4, PASS, PASS_FORWARD, PASS, UNSUPPORTED);
        assertThat(partly.verdict()).isEqualTo(Verdict.PASS_PARTLY_FORWARD_ONLY);
        assertThat(partly.success()).isTrue();
        assertThat(partly.forwardOnlyPasses()).isEqualTo(1);
        assertThat(partly.verdictText())
                .isEqualTo("PASS, partly forward only: gradients not checked in 1 of 3 passing cases");
        // only passes count as forward-only passes; an unsupported case never checked gradients either
        assertThat(report(3, PASS, UNSUPPORTED, XFAIL).forwardOnlyPasses()).isZero();
        assertThat(report(3, PASS, UNSUPPORTED, XFAIL).verdict()).isEqualTo(Verdict.PASS);
    }

    @Test
    void theSummaryLinesCountEveryOutcome() {
        KitReport r = report(6, PASS, PASS_FORWARD, UNSUPPORTED, XFAIL, result(Outcome.ERROR, false));
        assertThat(r.summaryLine()).isEqualTo(
                "5 of 6 cases ran: 2 pass, 0 FAIL, 1 unsupported, 1 ERROR, 1 expected fail, 0 UNEXPECTED PASS");
        assertThat(r.printedSummary()).isEqualTo(
                "2 passed, 0 failed, 1 errors, 1 unsupported, 1 expected failures, 0 unexpected passes: FAIL");
        KitReport clean = report(2, PASS, result(Outcome.UNEXPECTED_PASS, true));
        assertThat(clean.printedSummary()).isEqualTo(
                "1 passed, 0 failed, 0 errors, 0 unsupported, 0 expected failures, 1 unexpected passes: FAIL");
        assertThat(report(1, result(Outcome.FAIL, true)).printedSummary()).startsWith("0 passed, 1 failed, ");
    }
}
