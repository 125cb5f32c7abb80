package example.lstm;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import rnnkit.junit.KerasConformance;

/**
 * Every golden Keras case, and 40 seeded random cases, through this project's LSTM: one test per case. Cases the
 * adapter cannot map (GRU, SimpleRNN, Bidirectional, dropout, other activations...) are skipped with the reason;
 * a wrong answer fails with the case, the quantity, its error and the tolerance. Reports: target/rnnkit-reports/.
 */
class LstmMatchesKerasTest {

    @TestFactory
    Stream<DynamicNode> keras() {
        return KerasConformance.of(new KerasLstmAdapter())
                .forwardOnly()                                   // Lstm has no backward pass
                .random(40, 7)
                .reports(Path.of("target/rnnkit-reports"))
                .dynamicTests();
    }
}
