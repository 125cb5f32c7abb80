package rnnkit.kit;

import rnnkit.model.LayerCall;
import rnnkit.model.LayerOutputs;
import rnnkit.model.RnnImplementation;
import rnnkit.reference.ReferenceRnn;

/**
 * The reference under another name, forward only: the base of the test adapters that the command line loads by
 * class name (each a public class with a public no-argument constructor that changes one thing).
 */
public abstract class NamedReference implements RnnImplementation {
    private final ReferenceRnn reference = new ReferenceRnn();
    private final String name;

    protected NamedReference(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public LayerOutputs forward(LayerCall call) {
        return reference.forward(call);
    }
}
