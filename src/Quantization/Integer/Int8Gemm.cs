using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace QuantCluster.Quantization.Integer;

/// <summary>
/// The int32 dot products of a fully connected layer on a tile of samples: acc[o * samples + s] = sum_k weights[o * n + k] * x[s * n + k].
/// Channel-major, so each output channel's tile of accumulators is contiguous for the vectorized requantization.
/// </summary>
/// <remarks>
/// Per sample, a fully connected layer is a matrix-vector product bound by streaming its weights. Blocking 4 weight rows x 2 samples
/// keeps 8 accumulators in registers, so each widened weight vector serves 2 samples and each input vector 4 rows, and a 4-row
/// weight block stays in L1 while the whole tile passes over it. Int32 addition wraps, so any summation order gives the same
/// bits as <see cref="VectorMath.Dot(ReadOnlySpan{sbyte}, ReadOnlySpan{short})"/>; each vpmaddwd / vpdpwssd pair
/// |w0 x0 + w1 x1| &lt;= 2 * 128 * 32768 cannot overflow on its own.
/// </remarks>
internal static class Int8Gemm
{
    private const int Rows = 4;
    private const int Samples = 2;

    public static void Multiply(ReadOnlySpan<sbyte> weights, int rows, int n, ReadOnlySpan<short> x, int samples, Span<int> acc)
    {
        if (weights.Length < rows * n || x.Length < samples * n || acc.Length < samples * rows)
            throw new ArgumentException("The weights, inputs or accumulators are shorter than rows, n and samples need.");

        int o = 0;
        int s = 0;
        if (Avx2.IsSupported)
        {
            for (; o <= rows - Rows; o += Rows)
            {
                for (s = 0; s <= samples - Samples; s += Samples)
                    Block4x2(weights, n, x, samples, o, s, acc);
                // An odd last sample of the tile takes the per-row dot product.
                for (; s < samples; s++)
                    DotEach(weights, n, x, samples, o, Rows, s, acc);
            }
        }

        // Rows left over from the 4-row blocks (or all of them without AVX2).
        for (s = 0; s < samples; s++)
            DotEach(weights, n, x, samples, o, rows - o, s, acc);
    }

    private static void DotEach(ReadOnlySpan<sbyte> weights, int n, ReadOnlySpan<short> x, int samples, int firstRow, int count, int s, Span<int> acc)
    {
        ReadOnlySpan<short> sample = x.Slice(s * n, n);
        for (int o = firstRow; o < firstRow + count; o++)
            acc[(o * samples) + s] = VectorMath.Dot(weights.Slice(o * n, n), sample);
    }

    private static void Block4x2(ReadOnlySpan<sbyte> weights, int n, ReadOnlySpan<short> x, int samples, int o, int s, Span<int> acc)
    {
        ref sbyte w0 = ref Unsafe.Add(ref MemoryMarshal.GetReference(weights), o * n);
        ref sbyte w1 = ref Unsafe.Add(ref w0, n);
        ref sbyte w2 = ref Unsafe.Add(ref w1, n);
        ref sbyte w3 = ref Unsafe.Add(ref w2, n);
        ref short x0 = ref Unsafe.Add(ref MemoryMarshal.GetReference(x), s * n);
        ref short x1 = ref Unsafe.Add(ref x0, n);

        Vector256<int> c00 = default, c01 = default, c10 = default, c11 = default;
        Vector256<int> c20 = default, c21 = default, c30 = default, c31 = default;
        int k = 0;
        for (; k <= n - 16; k += 16)
        {
            var a = Vector256.LoadUnsafe(ref x0, (nuint)k);
            var b = Vector256.LoadUnsafe(ref x1, (nuint)k);
            var w = Widen(ref w0, k);
            c00 = MultiplyAdd(c00, w, a);
            c01 = MultiplyAdd(c01, w, b);
            w = Widen(ref w1, k);
            c10 = MultiplyAdd(c10, w, a);
            c11 = MultiplyAdd(c11, w, b);
            w = Widen(ref w2, k);
            c20 = MultiplyAdd(c20, w, a);
            c21 = MultiplyAdd(c21, w, b);
            w = Widen(ref w3, k);
            c30 = MultiplyAdd(c30, w, a);
            c31 = MultiplyAdd(c31, w, b);
        }

        // Row o + r, sample s + j lands at (o + r) * samples + s + j.
        int a0 = (o * samples) + s;
        acc[a0] = Vector256.Sum(c00) + Tail(ref w0, ref x0, k, n);
        acc[a0 + 1] = Vector256.Sum(c01) + Tail(ref w0, ref x1, k, n);
        acc[a0 + samples] = Vector256.Sum(c10) + Tail(ref w1, ref x0, k, n);
        acc[a0 + samples + 1] = Vector256.Sum(c11) + Tail(ref w1, ref x1, k, n);
        acc[a0 + (2 * samples)] = Vector256.Sum(c20) + Tail(ref w2, ref x0, k, n);
        acc[a0 + (2 * samples) + 1] = Vector256.Sum(c21) + Tail(ref w2, ref x1, k, n);
        acc[a0 + (3 * samples)] = Vector256.Sum(c30) + Tail(ref w3, ref x0, k, n);
        acc[a0 + (3 * samples) + 1] = Vector256.Sum(c31) + Tail(ref w3, ref x1, k, n);
    }

    /// <summary>16 int8 weights sign-extended to int16 lanes (vpmovsxbw): the weights travel from memory as bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<short> Widen(ref sbyte row, int k) => Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref row, (nuint)k));

    /// <summary>acc + pairwise w * x: one vpdpwssd where AVX-VNNI exists, else vpmaddwd + vpaddd (the same wrapped int32 sums).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> MultiplyAdd(Vector256<int> acc, Vector256<short> w, Vector256<short> x) =>
        AvxVnni.IsSupported ? AvxVnni.MultiplyWideningAndAdd(acc, w, x) : Avx2.Add(acc, Avx2.MultiplyAddAdjacent(w, x));

    private static int Tail(ref sbyte w, ref short x, int k, int n)
    {
        int total = 0;
        for (; k < n; k++)
            total += Unsafe.Add(ref w, k) * Unsafe.Add(ref x, k);
        return total;
    }
}
