package rnnkit.testing;

/** The layer structures a generated case can have. */
public enum LayerKind {
    /** SimpleRNN / LSTM / GRU with one cell. */
    SINGLE,
    /** {@code RNN([cell, cell2])}: two stacked cells in one layer. */
    STACKED_CELLS,
    /** {@code Bidirectional(layer, merge_mode)}. */
    BIDIRECTIONAL,
    /** {@code Sequential([Embedding(mask_zero=<has mask>), recurrent, Dense])} fed token ids. */
    SEQUENTIAL_EMBEDDING,
    /** {@code Sequential([recurrent(return_sequences=True), recurrent2, Dense])} fed features. */
    SEQUENTIAL_STACK
}
