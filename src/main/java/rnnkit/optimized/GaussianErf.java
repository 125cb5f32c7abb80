package rnnkit.optimized;

/**
 * The error function and the standard normal distribution, written for the optimized path (exact GELU needs
 * {@code Phi(x) = (1 + erf(x / sqrt 2)) / 2}; Java has no erf). Computed in double for both precisions.
 *
 * <ul>
 * <li>|y| &lt; 1.5: erf(y) = 2/sqrt(pi) · exp(-y²) · Σ_{n≥0} (2y²)^n · y / (1·3·5···(2n+1)) — all terms positive,
 * no cancellation (Abramowitz &amp; Stegun 7.1.6); erfc = 1 - erf.</li>
 * <li>y ≥ 1.5: erfc(y) = exp(-y²)/sqrt(pi) · 1/(y + (1/2)/(y + 1/(y + (3/2)/(y + ...)))) — the Laplace continued
 * fraction (A&amp;S 7.1.14), evaluated by the modified Lentz method; erfc(-y) = 2 - erfc(y).</li>
 * </ul>
 * Both converge to about one ulp of 1 for erf; erfc for large y keeps full relative accuracy.
 */
public final class GaussianErf {
    /** Below this |y| the series, above it the continued fraction (which keeps erfc relatively accurate). */
    private static final double SERIES_LIMIT = 1.5;
    private static final double TWO_OVER_SQRT_PI = 1.1283791670955125738961589031215452;
    private static final double ONE_OVER_SQRT_PI = 0.5641895835477562869480794515607726;
    private static final double ONE_OVER_SQRT_TWO = 0.7071067811865475244008443621048490;
    private static final double ONE_OVER_SQRT_TWO_PI = 0.3989422804014326779399460599343819;

    private GaussianErf() {
    }

    /** erf(y). */
    public static double erf(double y) {
        if (Math.abs(y) < SERIES_LIMIT) {
            return erfSeries(y);
        }
        return y > 0 ? 1 - erfcFraction(y) : erfcFraction(-y) - 1;
    }

    /** erfc(y) = 1 - erf(y), accurate in the tail y ≫ 0. */
    public static double erfc(double y) {
        if (Math.abs(y) < SERIES_LIMIT) {
            return 1 - erfSeries(y);
        }
        return y > 0 ? erfcFraction(y) : 2 - erfcFraction(-y);
    }

    /** Standard normal CDF Phi(x) = erfc(-x/sqrt 2)/2 (= (1 + erf(x/sqrt 2))/2 without cancellation for x ≪ 0). */
    public static double cdf(double x) {
        return 0.5 * erfc(-x * ONE_OVER_SQRT_TWO);
    }

    /** Standard normal density phi(x) = exp(-x²/2)/sqrt(2 pi). */
    public static double density(double x) {
        return ONE_OVER_SQRT_TWO_PI * Math.exp(-0.5 * x * x);
    }

    private static double erfSeries(double y) {
        double y2 = y * y;
        double term = y;
        double sum = y;
        for (int n = 1; n < 200; n++) {
            term *= 2 * y2 / (2 * n + 1);
            sum += term;
            if (Math.abs(term) <= 1e-17 * Math.abs(sum)) {
                break;
            }
        }
        return TWO_OVER_SQRT_PI * Math.exp(-y2) * sum;
    }

    /** erfc(y) for y ≥ 1.5 by the continued fraction y + a1/(y + a2/(y + ...)), a_n = n/2. */
    private static double erfcFraction(double y) {
        final double tiny = 1e-300;
        double f = y;
        double c = f;
        double d = 0;
        for (int n = 1; n < 500; n++) {
            double an = n * 0.5;
            d = y + an * d;
            d = d == 0 ? tiny : d;
            c = y + an / c;
            c = c == 0 ? tiny : c;
            d = 1 / d;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1) < 1e-16) {
                break;
            }
        }
        return ONE_OVER_SQRT_PI * Math.exp(-y * y) / f;
    }
}
