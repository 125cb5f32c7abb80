package rnnkit.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import rnnkit.model.DType;
import rnnkit.model.Tensor;

/**
 * rnnkit's SGD and Adam against values Keras 3.15.1 printed (float64 variable [0.5, -0.3, 0.2], constant gradient
 * [0.1, 1e-3, 1e-9], three steps of {@code Adam()}), the float32 rounding of every operation, the options refused,
 * and the cross-entropy's gradient against finite differences.
 */
class OptimizerTest {

    @Test
    void adamMatchesKerasBitForBitInFloat64() {
        double[] w = {0.5, -0.3, 0.2};
        double[] g = {0.1, 1e-3, 1e-9};
        Optimizer adam = OptimizerSpec.adam().create(DType.FLOAT64, List.of(new int[] {3}));
        for (int step = 0; step < 3; step++) {
            adam.apply(List.of(w), List.of(g));
        }
        // Keras: v.numpy() after three opt.apply_gradients([(g, v)]) with keras.config.set_floatx("float64")
        assertThat(w).containsExactly(0.4970000922336611, -0.3029927727980707, 0.19999868982977437);
        assertThat(adam.iterations()).isEqualTo(3);
    }

    @Test
    void sgdIsOneMultiplyAndOneSubtractionInTheDtype() {
        double[] w64 = {0.5};
        OptimizerSpec.sgd().create(DType.FLOAT64, List.of(new int[] {1})).apply(List.of(w64), List.of(new double[] {0.3}));
        assertThat(w64[0]).isEqualTo(0.5 - 0.3 * 0.01);
        double[] w32 = {0.5};
        OptimizerSpec.sgd().create(DType.FLOAT32, List.of(new int[] {1})).apply(List.of(w32), List.of(new double[] {0.3}));
        assertThat(w32[0]).isEqualTo((double) (0.5f - 0.3f * 0.01f));
    }

    @Test
    void unsupportedOptimizerOptionsAreRefused() throws Exception {
        ObjectMapper json = new ObjectMapper();
        assertThatThrownBy(() -> OptimizerSpec.fromKeras(json.readTree(
                "{\"class_name\": \"SGD\", \"config\": {\"learning_rate\": 0.01, \"momentum\": 0.9}}")))
                .hasMessageContaining("momentum");
        assertThatThrownBy(() -> OptimizerSpec.fromKeras(json.readTree(
                "{\"class_name\": \"Adam\", \"config\": {\"learning_rate\": 0.001, \"beta_1\": 0.9, \"beta_2\": 0.999,"
                        + " \"epsilon\": 1e-7, \"clipnorm\": 1.0}}"))).hasMessageContaining("clipnorm");
        assertThatThrownBy(() -> OptimizerSpec.fromKeras(json.readTree(
                "{\"class_name\": \"RMSprop\", \"config\": {\"learning_rate\": 0.001}}"))).hasMessageContaining("RMSprop");
        assertThat(OptimizerSpec.fromKeras(json.readTree("{\"class_name\": \"Adam\", \"config\": {\"learning_rate\": 0.001,"
                + " \"beta_1\": 0.9, \"beta_2\": 0.999, \"epsilon\": 1e-7, \"amsgrad\": false, \"weight_decay\": null}}")))
                .isEqualTo(OptimizerSpec.adam());
    }

    @Test
    void crossEntropyGradientEqualsFiniteDifferences() {
        Tensor z = Tensor.of(new double[] {0.3, -1.2, 2.0, 0.1, 0.5, -0.4}, 2, 3);
        Tensor t = Tensor.of(new double[] {0, 0, 1, 1, 0, 0}, 2, 3);
        SoftmaxCrossEntropy.Result r = SoftmaxCrossEntropy.of(z, t);
        // loss of row 0: logsumexp(z0) - 2.0; row 1: logsumexp(z1) - 0.1
        double lse0 = Math.log(Math.exp(0.3) + Math.exp(-1.2) + Math.exp(2.0));
        double lse1 = Math.log(Math.exp(0.1) + Math.exp(0.5) + Math.exp(-0.4));
        assertThat(r.loss()).isCloseTo((lse0 - 2.0 + lse1 - 0.1) / 2, within(1e-15));
        List<Double> numeric = new ArrayList<>();
        for (int i = 0; i < z.size(); i++) {
            double h = 1e-6;
            double[] up = z.data().clone();
            double[] down = z.data().clone();
            up[i] += h / 2;
            down[i] -= h / 2;
            numeric.add((SoftmaxCrossEntropy.of(Tensor.of(up, 2, 3), t).loss()
                    - SoftmaxCrossEntropy.of(Tensor.of(down, 2, 3), t).loss()) / h);
        }
        for (int i = 0; i < z.size(); i++) {
            assertThat(r.logitGradient().data()[i]).as("dL/dz[%d]", i).isCloseTo(numeric.get(i), within(1e-8));
        }
    }
}
