package rnnkit.model;

import java.util.List;

/**
 * Keras {@code Embedding(input_dim, output_dim, mask_zero)}: token ids (batch, time) to vectors (batch, time,
 * output_dim). With {@code mask_zero} the id 0 is padding and produces the mask {@code ids != 0}.
 * Weight: {@code embeddings (input_dim, output_dim)}.
 */
public record EmbeddingSpec(int vocabularySize, int outputDim, boolean maskZero) implements LayerSpec {
    public EmbeddingSpec {
        if (vocabularySize <= 0) {
            throw new IllegalArgumentException("Embedding input_dim is " + vocabularySize + "; expected a positive vocabulary size");
        }
        if (outputDim <= 0) {
            throw new IllegalArgumentException("Embedding output_dim is " + outputDim + "; expected a positive integer");
        }
    }

    @Override
    public String kerasClassName() {
        return "Embedding";
    }

    @Override
    public List<String> weightNames() {
        return List.of("embeddings");
    }

    /** The input "dimension" of an embedding is ignored: its input is a matrix of ids. */
    @Override
    public List<int[]> weightShapes(int inputDim) {
        return List.of(new int[] {vocabularySize, outputDim});
    }

    @Override
    public int outputDim(int inputDim) {
        return outputDim;
    }

    @Override
    public String describe() {
        return "Embedding(" + vocabularySize + ", " + outputDim + (maskZero ? ", mask_zero=True" : "") + ")";
    }
}
