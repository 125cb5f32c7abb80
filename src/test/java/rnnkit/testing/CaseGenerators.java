package rnnkit.testing;

import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import org.quicktheories.core.Gen;
import rnnkit.model.Activation;
import rnnkit.model.CellType;
import rnnkit.model.MergeMode;

/**
 * QuickTheories generators of random cases. Every choice (structure, options, sizes, seed) is drawn from the
 * QuickTheories randomness source, so shrinking simplifies the recipe itself: toward the first listed value of each
 * dimension (the simplest: SINGLE, SimpleRNN, tanh, no mask, no dropout), the smallest sizes and seed 0. The
 * numbers inside a case are then drawn from the recipe's seed, so a printed falsifying recipe rebuilds the case.
 */
public final class CaseGenerators {
    private CaseGenerators() {
    }

    /** Recipes from the given space. */
    public static Gen<CaseRecipe> recipes(CaseSpace space) {
        Gen<LayerKind> kind = arbitrary().pick(space.kinds());
        Gen<CellType> cell = arbitrary().pick(space.cellTypes());
        Gen<Activation> act = arbitrary().pick(space.activations());
        Gen<Activation> ract = arbitrary().pick(space.recurrentActivations());
        Gen<MergeMode> merge = arbitrary().pick(space.mergeModes());
        Gen<MaskPattern> mask = arbitrary().pick(space.masks());
        Gen<DropoutPattern> dropout = arbitrary().pick(space.dropouts());
        Gen<Boolean> flag = space.optionalFlags() ? booleans().all() : arbitrary().constant(false);
        Gen<Boolean> resetAfter = booleans().all();
        Gen<Integer> batch = integers().between(1, space.maxBatch());
        Gen<Integer> time = integers().between(1, space.maxTime());
        Gen<Integer> features = integers().between(1, space.maxFeatures());
        Gen<Integer> units = integers().between(1, space.maxUnits());
        Gen<Long> seed = longs().between(0, 1_000_000_000L);
        Gen<CaseRecipe> recipes = in -> new CaseRecipe(
                kind.generate(in),
                cell.generate(in),
                units.generate(in),
                act.generate(in),
                ract.generate(in),
                !flag.generate(in),
                resetAfter.generate(in),
                cell.generate(in),
                units.generate(in),
                batch.generate(in),
                time.generate(in),
                features.generate(in),
                flag.generate(in),
                flag.generate(in),
                flag.generate(in),
                merge.generate(in),
                mask.generate(in),
                flag.generate(in),
                dropout.generate(in),
                seed.generate(in));
        return recipes.describedAs(CaseRecipe::toString);
    }

    /** Built cases from the given space; printed (on failure) as recipe plus mask rows. */
    public static Gen<RnnCase> cases(CaseSpace space) {
        return recipes(space).map(CaseRecipe::build).describedAs(RnnCase::toString);
    }
}
