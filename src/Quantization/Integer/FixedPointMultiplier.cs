using System.Runtime.Intrinsics;

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

    /// <summary>
    /// destination[i] = clamp(Apply(accumulators[i] + bias, r) + zeroPoint, min, max): a layer's whole output channel at once,
    /// bit-identical to the scalar <see cref="Apply"/> but eight lanes at a time where the hardware allows.
    /// </summary>
    public static void Requantize(
        ReadOnlySpan<int> accumulators, int bias, Requantizer r, int zeroPoint, int min, int max, Span<int> destination)
    {
        if (destination.Length < accumulators.Length)
            throw new ArgumentException("The destination is shorter than the accumulators.", nameof(destination));
        int i = 0;
        // The vector path covers right shifts only, and a multiplier that cannot hit the INT_MIN * INT_MIN saturation;
        // left shifts (m >= 1) are rare and take the scalar path.
        if (Vector256.IsHardwareAccelerated && r.Shift is >= 0 and <= 31 && r.Multiplier >= 0)
        {
            var biasV = Vector256.Create(bias);
            var multiplier = Vector256.Create((long)r.Multiplier);
            var positiveNudge = Vector256.Create(1L << 30);
            var negativeNudge = Vector256.Create(1 - (1L << 30));
            var roundTowardZero = Vector256.Create(Q31One - 1);
            int mask = (int)((1L << r.Shift) - 1);
            var maskV = Vector256.Create(mask);
            var halfMask = Vector256.Create(mask >> 1);
            var zeroPointV = Vector256.Create(zeroPoint);
            var minV = Vector256.Create(min);
            var maxV = Vector256.Create(max);
            for (; i <= accumulators.Length - Vector256<int>.Count; i += Vector256<int>.Count)
            {
                var x = Vector256.Create(accumulators.Slice(i, Vector256<int>.Count)) + biasV;
                (Vector256<long> low, Vector256<long> high) = Vector256.Widen(x);
                var product = Vector256.Narrow(
                    HighMul(low, multiplier, positiveNudge, negativeNudge, roundTowardZero),
                    HighMul(high, multiplier, positiveNudge, negativeNudge, roundTowardZero));
                var remainder = product & maskV;
                // x >> 31 is -1 for negative x: threshold = (mask >> 1) + (x < 0 ? 1 : 0).
                var threshold = halfMask - Vector256.ShiftRightArithmetic(product, 31);
                // A true comparison is all ones (-1), so subtracting it adds 1.
                var rounded = Vector256.ShiftRightArithmetic(product, r.Shift) - Vector256.GreaterThan(remainder, threshold);
                Vector256.Min(Vector256.Max(rounded + zeroPointV, minV), maxV).CopyTo(destination.Slice(i, Vector256<int>.Count));
            }
        }

        for (; i < accumulators.Length; i++)
            destination[i] = Math.Clamp(Apply(accumulators[i] + bias, r) + zeroPoint, min, max);
    }

    /// <summary>SaturatingRoundingDoublingHighMul on four 64-bit lanes: (a*b + nudge) / 2^31, truncated toward zero.</summary>
    private static Vector256<long> HighMul(
        Vector256<long> a, Vector256<long> b, Vector256<long> positiveNudge, Vector256<long> negativeNudge, Vector256<long> roundTowardZero)
    {
        var ab = a * b;
        var negative = Vector256.LessThan(ab, Vector256<long>.Zero);
        var sum = ab + Vector256.ConditionalSelect(negative, negativeNudge, positiveNudge);
        // An arithmetic shift floors; adding 2^31 - 1 to negative values first makes it truncate toward zero like C division.
        sum += Vector256.ConditionalSelect(Vector256.LessThan(sum, Vector256<long>.Zero), roundTowardZero, Vector256<long>.Zero);
        return Vector256.ShiftRightArithmetic(sum, 31);
    }

    private static int SaturatingLeftShift(int x, int shift)
    {
        // The left shift never exceeds 31 (FromReal caps m below 2^31), so the long cannot overflow.
        long v = (long)x << shift;
        return (int)Math.Clamp(v, int.MinValue, int.MaxValue);
    }
}
