using System.Runtime.Intrinsics;

namespace QuantCluster.Quantization.Integer;

/// <summary>Integer-only requantization: splits a real multiplier into a Q31 multiplier and a shift, and applies it to an int32 accumulator.</summary>
/// <remarks>
/// Jacob et al. 2018, "Quantization and Training of Neural Networks for Efficient Integer-Arithmetic-Only Inference", section 2.2:
/// the real multiplier M = S1 * S2 / S3 is written M = 2^-n * M0 with M0 in [0.5, 1) (eq. 6), M0 stored as the int32 round(M0 * 2^31)
/// (TFLite's <c>QuantizeMultiplier</c>). Applying it rounds once: the exact 64-bit product accumulator * M0 is shifted right by
/// 31 + Shift, ties to even. That is what the exported QDQ graph means (QuantizeLinear rounds real / scale half to even) and what
/// ONNX Runtime's int8 kernels and the fake-quantized torch model compute. gemmlowp / TFLite instead round twice (the Q31 high
/// multiply, then the shift, both ties away from zero), which is off by one step whenever the product lies within 2^-(Shift+1)
/// of a half; on mobilenet-tiny that was ~3% of the depthwise activations.
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
    /// round(accumulator * M0 * 2^-(31 + Shift)), rounded once, ties to even, saturated to int32. |accumulator * M0| &lt; 2^62,
    /// so the product is exact in 64 bits for every Shift in [-31, 31].
    /// </summary>
    public static int Apply(int accumulator, Requantizer r)
    {
        long rounded = RoundingShiftRightHalfToEven((long)accumulator * r.Multiplier, 31 + r.Shift);
        return (int)Math.Clamp(rounded, int.MinValue, int.MaxValue);
    }

    /// <summary>x / 2^exponent rounded to nearest, ties to even, for exponent in [0, 62].</summary>
    internal static long RoundingShiftRightHalfToEven(long x, int exponent)
    {
        if ((uint)exponent > 62)
            throw new ArgumentOutOfRangeException(nameof(exponent), exponent, "The rounding shift must be in [0, 62].");
        if (exponent == 0)
            return x;
        // An arithmetic shift floors, so the remainder is in [0, 2^exponent) whatever the sign of x.
        long floor = x >> exponent;
        long remainder = x & ((1L << exponent) - 1);
        long half = 1L << (exponent - 1);
        return remainder > half || (remainder == half && (floor & 1) != 0) ? floor + 1 : floor;
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
        // The vector path covers right shifts (M < 1), where the rounded product always fits an int; left shifts are rare and
        // take the scalar path.
        if (Vector256.IsHardwareAccelerated && r.Shift is >= 0 and <= 31 && r.Multiplier >= 0)
        {
            int exponent = 31 + r.Shift;
            var biasV = Vector256.Create(bias);
            var multiplier = Vector256.Create((long)r.Multiplier);
            var mask = Vector256.Create((1L << exponent) - 1);
            var half = Vector256.Create(1L << (exponent - 1));
            var zeroPointV = Vector256.Create(zeroPoint);
            var minV = Vector256.Create(min);
            var maxV = Vector256.Create(max);
            for (; i <= accumulators.Length - Vector256<int>.Count; i += Vector256<int>.Count)
            {
                var x = Vector256.Create(accumulators.Slice(i, Vector256<int>.Count)) + biasV;
                (Vector256<long> low, Vector256<long> high) = Vector256.Widen(x);
                var rounded = Vector256.Narrow(
                    RoundingShiftRightHalfToEven(low * multiplier, exponent, mask, half),
                    RoundingShiftRightHalfToEven(high * multiplier, exponent, mask, half));
                Vector256.Min(Vector256.Max(rounded + zeroPointV, minV), maxV).CopyTo(destination.Slice(i, Vector256<int>.Count));
            }
        }

        for (; i < accumulators.Length; i++)
            destination[i] = (int)Math.Clamp((long)Apply(accumulators[i] + bias, r) + zeroPoint, min, max);
    }

    /// <summary><see cref="RoundingShiftRightHalfToEven(long, int)"/> on four 64-bit lanes, for exponent in [1, 62].</summary>
    private static Vector256<long> RoundingShiftRightHalfToEven(Vector256<long> x, int exponent, Vector256<long> mask, Vector256<long> half)
    {
        var floor = Vector256.ShiftRightArithmetic(x, exponent);
        var remainder = x & mask;
        var odd = ~Vector256.Equals(floor & Vector256<long>.One, Vector256<long>.Zero);
        var up = Vector256.GreaterThan(remainder, half) | (Vector256.Equals(remainder, half) & odd);
        // A true comparison is all ones (-1), so subtracting it adds 1.
        return floor - up;
    }
}
