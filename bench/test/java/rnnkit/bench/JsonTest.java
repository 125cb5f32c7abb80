package rnnkit.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void readsJmhResultShapes() {
        String jmh = "[ { \"benchmark\" : \"a.B.c\", \"threads\" : 2, \"params\" : { \"shape\" : \"1x2x3x4\" },\n"
                + "  \"primaryMetric\" : { \"score\" : 1.5E-3, \"scoreError\" : \"NaN\", \"rawData\" : [ [ 1, -2.5e2 ] ] },\n"
                + "  \"ok\" : true, \"none\" : null, \"text\" : \"q\\\"\\\\\\n\\u00e9\" } ]";
        List<Object> list = Json.arr(Json.parse(jmh));
        Map<String, Object> r = Json.obj(list.get(0));
        assertThat(r.get("benchmark")).isEqualTo("a.B.c");
        assertThat(Json.num(r.get("threads"))).isEqualTo(2.0);
        Map<String, Object> pm = Json.obj(r.get("primaryMetric"));
        assertThat(Json.num(pm.get("score"))).isEqualTo(0.0015);
        assertThat(Json.num(pm.get("scoreError"))).isNaN();
        assertThat(Json.arr(Json.arr(pm.get("rawData")).get(0))).containsExactly(1.0, -250.0);
        assertThat(r.get("ok")).isEqualTo(true);
        assertThat(r).containsKey("none");
        assertThat(r.get("text")).isEqualTo("q\"\\\né");
    }

    @Test
    void writtenJsonReadsBackEqual() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("x", 1.25);
        m.put("nan", Double.NaN);
        m.put("list", List.of("a\tb", true, 3));
        m.put("empty", Map.of());
        Map<String, Object> back = Json.obj(Json.parse(Json.write(m)));
        assertThat(Json.num(back.get("x"))).isEqualTo(1.25);
        assertThat(Json.num(back.get("nan"))).isNaN();
        assertThat(Json.arr(back.get("list"))).containsExactly("a\tb", true, 3.0);
        assertThat(Json.obj(back.get("empty"))).isEmpty();
    }

    @Test
    void malformedJsonNamesWhereItBroke() {
        assertThatThrownBy(() -> Json.parse("{\"a\" 1}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected ':'");
        assertThatThrownBy(() -> Json.parse("[1, 2] x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("trailing text");
    }
}
