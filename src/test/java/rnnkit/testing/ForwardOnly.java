package rnnkit.testing;

import java.util.function.Function;
import rnnkit.model.LayerCall;
import rnnkit.model.LayerOutputs;
import rnnkit.model.RnnImplementation;

/** An implementation made of a name and a forward function (no gradients), for tests that plant a behaviour. */
public final class ForwardOnly {
    private ForwardOnly() {
    }

    public static RnnImplementation of(String name, Function<LayerCall, LayerOutputs> forward) {
        return new RnnImplementation() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public LayerOutputs forward(LayerCall call) {
                return forward.apply(call);
            }
        };
    }
}
