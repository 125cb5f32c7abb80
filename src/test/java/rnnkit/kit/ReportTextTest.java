package rnnkit.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import rnnkit.model.CellSpec;
import rnnkit.model.DType;
import rnnkit.model.RnnLayerSpec;
import rnnkit.model.Tensor;

/**
 * The text a report is made of, from results chosen by hand: how reasons are grouped (first non-blank line, numbers
 * ignored), cut and cleaned of terminal escapes, how numbers are written, what a report keeps of its inputs (coverage,
 * host, implementations), how a value is written in its case's dtype, and which format each name renders.
 */
class ReportTextTest {

    private static CaseResult result(String name, String implementation, Outcome outcome, String reason) {
        return new CaseResult(name, implementation, outcome, reason, List.of(), 0.5, true);
    }

    private static KitReport report(List<CaseResult> results) {
        return new KitReport("t", "impl", "corpus", "all", results.size(), results, List.of());
    }

    @Test
    void reasonsAreGroupedByTheirFirstNonBlankLineWithNumbersIgnored() {
        KitReport r = report(List.of(
                result("s/a", "impl", Outcome.FAIL, "\n   \n  input [2, 3] has rank 2  \nat line 7"),
                result("s/b", "impl", Outcome.FAIL, "input [4, 5] has rank 2"),
                result("s/c", "impl", Outcome.FAIL, "dtype float64 is not supported"),
                result("s/d", "impl", Outcome.ERROR, "input [2, 3] has rank 2"),
                result("s/e", "impl", Outcome.FAIL, " \n ")));
        Map<String, List<CaseResult>> groups = r.byReason(Outcome.FAIL);
        // a group shows its first case's line
        assertThat(groups.keySet()).containsExactly("input [2, 3] has rank 2", "dtype float64 is not supported", "");
        assertThat(groups.get("input [2, 3] has rank 2")).extracting(CaseResult::caseName).containsExactly("s/a", "s/b");
        assertThat(r.byReason(Outcome.ERROR).keySet()).containsExactly("input [2, 3] has rank 2");
        assertThat(KitReport.firstLine("\n\t\n second line \r\nthird")).isEqualTo("second line");
        assertThat(KitReport.cause("call 4/output 12 of 30")).isEqualTo("call #/output # of #");
    }

    @Test
    void aReasonIsShownOnOneLineAndCutAfterTheLimitWithTheCountLeftOut() {
        String limit = "x".repeat(KitReport.MAX_REASON_CHARS);
        assertThat(KitReport.capped(limit)).isEqualTo(limit);
        assertThat(KitReport.capped(limit + "yz")).isEqualTo(limit + "… (2 more characters)");
        assertThat(KitReport.capped("a\nb\r\n\tc")).isEqualTo("a b c");
    }

    @Test
    void terminalEscapesAndControlCharactersAreDroppedButLineBreaksAndTabsKept() {
        String traceback = "\u001B[1;31mValueError\u001B[0m: bad\u0007\u0000 shape\u007F\u001B]0;title\u0007\tok\r\nnext";
        assertThat(KitReport.plain(traceback)).isEqualTo("ValueError: bad shape\tok\r\nnext");
        // a reason is stored plain
        assertThat(result("s/a", "impl", Outcome.FAIL, "\u001B[31mred\u001B[0m\u0008!").reason()).isEqualTo("red!");
    }

    @Test
    void numbersAreWrittenWithThreeSignificantDigitsAndTheSpecialValuesByName() {
        assertThat(KitReport.fmt(0)).isEqualTo("0");
        assertThat(KitReport.fmt(-0.0)).isEqualTo("0");
        assertThat(KitReport.fmt(Double.NaN)).isEqualTo("NaN");
        assertThat(KitReport.fmt(Double.POSITIVE_INFINITY)).isEqualTo("inf");
        assertThat(KitReport.fmt(Double.NEGATIVE_INFINITY)).isEqualTo("-inf");
        assertThat(KitReport.fmt(1234.5)).isEqualTo("1.23e+03");
        assertThat(KitReport.fmt(-4.77e-6)).isEqualTo("-4.77e-06");
    }

    @Test
    void aReportKeepsItsCoverageAndHostAndNamesItsImplementationsInOrderOfFirstResult() throws Exception {
        Map<String, String> coverage = new LinkedHashMap<>();
        coverage.put("cells", "LSTM 3, GRU 2");
        coverage.put("masks", "holes 1");
        KitReport withCoverage = new KitReport("t", "impl", "corpus", "all", 0, List.of(), List.of(), List.of(),
                coverage, Map.of(), Instant.EPOCH, "build-host");
        assertThat(withCoverage.coverage()).containsExactlyEntriesOf(coverage);
        assertThat(withCoverage.hostname()).isEqualTo("build-host");
        KitReport defaults = new KitReport("t", "impl", "corpus", "all", 0, List.of(), null, null, null, null,
                null, null);
        assertThat(defaults.coverage()).isEmpty();
        assertThat(defaults.notes()).isEmpty();
        assertThat(defaults.hostname()).isEqualTo(InetAddress.getLocalHost().getHostName()).isNotBlank();
        // no results: the report's own implementation; else every implementation once, in order of first result
        assertThat(defaults.implementations()).containsExactly("impl");
        assertThat(report(List.of(result("s/a", "b", Outcome.PASS, ""), result("s/a", "a", Outcome.PASS, ""),
                result("s/b", "b", Outcome.PASS, ""))).implementations()).containsExactly("b", "a");
    }

    @Test
    void aLocatedValueIsTheShortestDecimalInTheCasesDtype() {
        RnnLayerSpec layer = RnnLayerSpec.of(CellSpec.lstm(1));
        double near1 = 1.0000000001; // not a float32: 1.0 in float32
        double tenth = (float) 0.1; // a float32 value, as a double 0.10000000149011612
        Tensor expected = Tensor.of(new double[] {near1, tenth}, 1, 2);
        Tensor got = Tensor.of(new double[] {near1, tenth}, 1, 2);
        String f64 = QuantityError.measure("output", QuantityCheck.Kind.OUTPUT, 0, layer, DType.FLOAT64, expected, got,
                new double[] {1, 0}, 0.5, "5.0e-01").located();
        assertThat(f64).contains("expected 1.0000000001, got 1.0000000001");
        String f32 = QuantityError.measure("output", QuantityCheck.Kind.OUTPUT, 0, layer, DType.FLOAT32, expected, got,
                new double[] {0, 1}, 0.5, "5.0e-01").located();
        assertThat(f32).contains("expected 0.1, got 0.1");
    }

    @Test
    void eachFormatNameRendersItsFormatTaggedWithTheSetId() {
        KitReport r = report(List.of(result("lstm/a", "impl", Outcome.PASS, ""),
                result("lstm/b", "impl", Outcome.FAIL, "output off")));
        String md = r.render("md", "set-7", null);
        assertThat(md).startsWith("<!-- rnnkit report set set-7 -->\n").doesNotContain("![");
        assertThat(r.render("markdown", "set-7")).isEqualTo(md);
        assertThat(r.render("md", null, null)).doesNotStartWith("<!--").contains("lstm/b");
        String withCharts = r.render("md", null, "run1");
        assertThat(withCharts).contains("](run1.").doesNotStartWith("<!--");
        String html = r.render("html", "set-7");
        assertThat(html).contains("<html").contains("rnnkit-report-set").contains("set-7");
        assertThat(r.render("html", null)).doesNotContain("rnnkit-report-set");
        String xml = r.render("junit", "set-7");
        assertThat(xml).contains("<testsuite").contains("lstm/b").contains("set-7");
        assertThat(r.render("xml", "set-7")).isEqualTo(xml);
        assertThatThrownBy(() -> r.render("pdf", null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown report format 'pdf'; expected md, html or junit");
    }

    @Test
    void aResultsSuiteIsTheNameBeforeTheFirstSlash() {
        assertThat(result("lstm/go_backwards/a", "impl", Outcome.PASS, "").suite()).isEqualTo("lstm");
        assertThat(result("random", "impl", Outcome.PASS, "").suite()).isEqualTo("random");
        assertThat(result("/a", "impl", Outcome.PASS, "").suite()).isEmpty();
    }

    @Test
    void theWorstQuantityIsTheFirstOfThoseOverToleranceSoTheDetailNamesEachOnce() {
        // two quantities exactly as far over: the first in the case's order is the worst, the other comes next
        QuantityError output = new QuantityError("call0/output", null, 1, 2, 1, "1", false, null);
        QuantityError state = new QuantityError("call0/state[0]", null, 1, 2, 1, "1", false, null);
        QuantityError within = new QuantityError("call0/grad/inputs", null, 1, 0.5, 1, "1", true, null);
        CaseResult r = new CaseResult("s/a", "impl", Outcome.FAIL, "", List.of(within, output, state), 0.5, true);
        assertThat(r.overTolerance()).containsExactly(output, state);
        assertThat(r.worst()).isSameAs(r.overTolerance().get(0));
        assertThat(r.detail()).isEqualTo("worst: " + output.located() + "; also over tolerance: " + state.located());
    }

    @Test
    void atAZeroBoundAStepWithoutErrorHasRatioZeroAndAnyErrorIsInfinitelyOver() {
        Tensor e = Tensor.of(new double[] {1, 1, 1}, 1, 3, 1);
        QuantityError q = QuantityError.measure("output", QuantityCheck.Kind.OUTPUT, 0,
                RnnLayerSpec.of(CellSpec.lstm(1)).withReturnSequences(true), DType.FLOAT64, e, e,
                new double[] {0, 1e-300, 0}, 0, "0");
        assertThat(q.worst().stepRatios()).containsExactly(0.0, Double.POSITIVE_INFINITY, 0.0);
        assertThat(q.worst().firstStepOver()).isEqualTo(1);
        assertThat(q.withinTolerance()).isFalse();
    }
}
