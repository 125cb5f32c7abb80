package rnnkit.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TensorTest {

    @Test
    void indexingIsRowMajor() {
        Tensor t = Tensor.zeros(2, 3, 4);
        t.set(7, 1, 2, 3);
        t.set(5, 0, 1, 0);
        assertThat(t.data()[1 * 12 + 2 * 4 + 3]).isEqualTo(7);
        assertThat(t.data()[4]).isEqualTo(5);
        assertThat(t.get(1, 2, 3)).isEqualTo(7);
    }

    @Test
    void outOfRangeIndexIsRejectedWithTheShape() {
        Tensor t = Tensor.zeros(2, 3);
        assertThatThrownBy(() -> t.get(2, 0)).isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("[2, 3]");
        assertThatThrownBy(() -> t.get(0, 3)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> t.get(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rank 1");
    }

    @Test
    void dataOfTheWrongLengthIsRejectedNamingTheNeededCount() {
        assertThatThrownBy(() -> Tensor.of(new double[5], 2, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[2, 3] needs 6 elements, got 5");
        assertThatThrownBy(() -> Tensor.zeros(2, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("negative dimension");
        assertThatThrownBy(() -> Tensor.matrix(new double[][] {{1, 2}, {3}}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("row 1 has 1 columns, expected 2");
    }

    @Test
    void copyIsIndependentButReshapeSharesData() {
        Tensor t = Tensor.matrix(new double[][] {{1, 2}, {3, 4}});
        Tensor c = t.copy();
        Tensor r = t.reshape(4);
        t.set(9, 0, 0);
        assertThat(c.get(0, 0)).isEqualTo(1);
        assertThat(r.get(0)).isEqualTo(9);
        assertThat(r.shape()).containsExactly(4);
    }

    @Test
    void vectorCopiesItsArgument() {
        double[] values = {1, 2};
        Tensor v = Tensor.vector(values);
        values[0] = 5;
        assertThat(v.get(0)).isEqualTo(1);
    }

    @Test
    void equalityNeedsSameShapeAndValues() {
        Tensor a = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertThat(a).isEqualTo(Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3));
        assertThat(a).isNotEqualTo(Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 3, 2));
        assertThat(a.hashCode()).isEqualTo(a.copy().hashCode());
    }

    @Test
    void firstNonFiniteFindsNanAndInfinity() {
        assertThat(Tensor.vector(1, 2).firstNonFinite()).isEqualTo(-1);
        assertThat(Tensor.vector(1, Double.NaN, Double.POSITIVE_INFINITY).firstNonFinite()).isEqualTo(1);
        assertThat(Tensor.vector(1, 0, Double.NEGATIVE_INFINITY).allFinite()).isFalse();
    }

    @Test
    void shapeAccessorReturnsACopy() {
        Tensor t = Tensor.zeros(2, 3);
        t.shape()[0] = 7;
        assertThat(t.hasShape(2, 3)).isTrue();
    }
}
