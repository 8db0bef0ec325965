namespace QuantCluster.Quantization.Integer;

/// <summary>Integer-only requantization: splits a real multiplier into a Q31 multiplier and a shift, and applies it to an int32 accumulator.</summary>
/// <remarks>
/// Jacob et al. 2018, "Quantization and Training of Neural Networks for Efficient Integer-Arithmetic-Only Inference", section 2.2:
/// the real multiplier M = S1 * S2 / S3 is written M = 2^-n * M0 with M0 in [0.5, 1) (eq. 6), M0 stored as the int32 round(M0 * 2^31).
/// Applying it is a rounding doubling high multiply followed by a rounding right shift, exactly as gemmlowp's
/// <c>fixedpoint.h</c> and TFLite's <c>QuantizeMultiplier</c> / <c>MultiplyByQuantizedMultiplier</c> do, so results match those bit for bit.
/// </remarks>
public static class FixedPointMultiplier
{
    private const long Q31One = 1L << 31;

    /// <summary>
    /// Decomposes m >= 0 as m ~= Multiplier * 2^-31 * 2^-Shift with Multiplier in [2^30, 2^31).
    /// A negative Shift is a left shift (m >= 1). m == 0, and m so small that the right shift would exceed 31
    /// (m &lt; 2^-32), give (0, 0): every accumulator then maps to 0, as in TFLite.
    /// </summary>
    public static Requantizer FromReal(double m)
    {
        if (!double.IsFinite(m) || m < 0 || m >= Q31One)
            throw new ArgumentOutOfRangeException(nameof(m), m, "A requantization multiplier must be finite and in [0, 2^31).");
        if (m == 0)
            return new Requantizer(0, 0);

        // frexp: m = q * 2^exponent with q in [0.5, 1).
        int exponent = Math.ILogB(m) + 1;
        double q = Math.ScaleB(m, -exponent);
        long q31 = (long)Math.Round(q * Q31One, MidpointRounding.AwayFromZero);
        if (q31 == Q31One)
        {
            // q rounded up to 1.0: renormalize so the multiplier stays in int32.
            q31 /= 2;
            exponent++;
        }

        int shift = -exponent;
        if (shift > 31)
            return new Requantizer(0, 0);
        return new Requantizer((int)q31, shift);
    }

    /// <summary>
    /// round(accumulator * M) in integers: RoundingDivideByPOT(SaturatingRoundingDoublingHighMul(acc &lt;&lt; left, M0), right)
    /// where left = max(-Shift, 0) (saturating) and right = max(Shift, 0).
    /// </summary>
    public static int Apply(int accumulator, Requantizer r)
    {
        int x = r.Shift < 0 ? SaturatingLeftShift(accumulator, -r.Shift) : accumulator;
        return RoundingDivideByPOT(SaturatingRoundingDoublingHighMul(x, r.Multiplier), Math.Max(r.Shift, 0));
    }

    /// <summary>
    /// gemmlowp: the high 32 bits of 2*a*b, rounded to nearest (ties away from zero): (a*b + nudge) / 2^31 truncated toward zero,
    /// nudge = 2^30 if a*b >= 0 else 1 - 2^30. The single overflowing case a = b = INT_MIN saturates to INT_MAX.
    /// </summary>
    public static int SaturatingRoundingDoublingHighMul(int a, int b)
    {
        if (a == int.MinValue && b == int.MinValue)
            return int.MaxValue;
        long ab = (long)a * b;
        long nudge = ab >= 0 ? 1L << 30 : 1 - (1L << 30);
        // C# long division truncates toward zero, like the C++ that defines this function.
        return (int)((ab + nudge) / Q31One);
    }

    /// <summary>
    /// gemmlowp: x / 2^exponent rounded to nearest, ties away from zero: (x >> e) + (remainder > threshold),
    /// remainder = x &amp; (2^e - 1), threshold = (2^e - 1) >> 1, plus 1 when x &lt; 0.
    /// </summary>
    public static int RoundingDivideByPOT(int x, int exponent)
    {
        if ((uint)exponent > 31)
            throw new ArgumentOutOfRangeException(nameof(exponent), exponent, "The rounding shift must be in [0, 31].");
        int mask = (int)((1L << exponent) - 1);
        int remainder = x & mask;
        int threshold = (mask >> 1) + (x < 0 ? 1 : 0);
        return (x >> exponent) + (remainder > threshold ? 1 : 0);
    }

    private static int SaturatingLeftShift(int x, int shift)
    {
        // The left shift never exceeds 31 (FromReal caps m below 2^31), so the long cannot overflow.
        long v = (long)x << shift;
        return (int)Math.Clamp(v, int.MinValue, int.MaxValue);
    }
}
