package rnnkit.reference;

import java.util.List;
import rnnkit.model.EmbeddingSpec;
import rnnkit.model.LayerGradients;
import rnnkit.model.LayerOutputs;
import rnnkit.model.SequenceMask;
import rnnkit.model.Tensor;

/**
 * Keras {@code Embedding}: {@code y[b, t] = embeddings[ids[b, t]]}. With mask_zero the output mask is
 * {@code ids != 0}; without it Keras's compute_mask returns None (an incoming mask is not passed on).
 * The gradient w.r.t. the embeddings matrix adds each output cotangent into its id's row; token ids have none.
 */
final class ReferenceEmbedding implements LayerRun {

    private final EmbeddingSpec spec;
    private final Tensor ids;
    private final Tensor output;

    private ReferenceEmbedding(EmbeddingSpec spec, Tensor embeddings, Tensor ids) {
        this.spec = spec;
        this.ids = ids;
        int batch = ids.dim(0);
        int time = ids.dim(1);
        int d = spec.outputDim();
        this.output = Tensor.zeros(batch, time, d);
        for (int k = 0; k < batch * time; k++) {
            int id = (int) ids.data()[k];
            System.arraycopy(embeddings.data(), id * d, output.data(), k * d, d);
        }
    }

    static ReferenceEmbedding run(EmbeddingSpec spec, List<Tensor> weights, Tensor ids) {
        return new ReferenceEmbedding(spec, weights.get(0), ids);
    }

    @Override
    public LayerOutputs outputs() {
        return LayerOutputs.of(output, List.of());
    }

    @Override
    public SequenceMask outputMask() {
        if (!spec.maskZero()) {
            return null;
        }
        boolean[][] m = new boolean[ids.dim(0)][ids.dim(1)];
        for (int b = 0; b < ids.dim(0); b++) {
            for (int t = 0; t < ids.dim(1); t++) {
                m[b][t] = ids.data()[b * ids.dim(1) + t] != 0;
            }
        }
        return SequenceMask.of(m);
    }

    @Override
    public LayerGradients backward(LayerOutputs cotangent) {
        Tensor g = cotangent.output();
        int d = spec.outputDim();
        Tensor dEmbeddings = Tensor.zeros(spec.vocabularySize(), d);
        for (int k = 0; k < ids.size(); k++) {
            int id = (int) ids.data()[k];
            for (int j = 0; j < d; j++) {
                dEmbeddings.data()[id * d + j] += g.data()[k * d + j];
            }
        }
        return new LayerGradients(null, List.of(dEmbeddings), List.of());
    }
}
