using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace QuantCluster.Quantization.Integer;

/// <summary>Int32 span kernels shared by the integer layers, vectorized with <see cref="Vector{T}"/>.</summary>
internal static class VectorMath
{
    /// <summary>Most taps one pass folds into the accumulator; bounds the stack space for the broadcast weights.</summary>
    public const int MaxTapsPerPass = 16;

    /// <summary>acc[i] += sum_t weights[t] * source[offsets[t] + i] for i in [0, acc.Length): several taps per pass cut the acc traffic.</summary>
    public static void MultiplyAccumulateTaps(Span<int> acc, ReadOnlySpan<int> source, ReadOnlySpan<int> offsets, ReadOnlySpan<int> weights)
    {
        int n = acc.Length;
        int taps = offsets.Length;
        if (taps > MaxTapsPerPass || weights.Length != taps)
            throw new ArgumentException($"Between 0 and {MaxTapsPerPass} taps with one weight each.", nameof(offsets));
        Span<Vector<int>> broadcast = stackalloc Vector<int>[taps];
        for (int t = 0; t < taps; t++)
        {
            if ((uint)offsets[t] > (uint)source.Length || source.Length - offsets[t] < n)
                throw new ArgumentOutOfRangeException(nameof(offsets));
            broadcast[t] = new Vector<int>(weights[t]);
        }

        ref int accRef = ref MemoryMarshal.GetReference(acc);
        ref int srcRef = ref MemoryMarshal.GetReference(source);
        ref int offRef = ref MemoryMarshal.GetReference(offsets);
        ref Vector<int> wRef = ref MemoryMarshal.GetReference(broadcast);
        int width = Vector<int>.Count;
        int i = 0;
        for (; i <= n - width; i += width)
        {
            var a = Vector.LoadUnsafe(ref accRef, (nuint)i);
            for (int t = 0; t < taps; t++)
                a += Vector.LoadUnsafe(ref srcRef, (nuint)(Unsafe.Add(ref offRef, t) + i)) * Unsafe.Add(ref wRef, t);
            a.StoreUnsafe(ref accRef, (nuint)i);
        }

        for (; i < n; i++)
        {
            int a = Unsafe.Add(ref accRef, i);
            for (int t = 0; t < taps; t++)
                a += Unsafe.Add(ref srcRef, Unsafe.Add(ref offRef, t) + i) * weights[t];
            Unsafe.Add(ref accRef, i) = a;
        }
    }

    /// <summary>
    /// sum_i weights[i] * x[i] in int32, reading int8 weights as they are stored: a layer's weights are the memory traffic
    /// of a fully connected layer, so widening them in registers (vpmovsxbw, then vpmaddwd) instead of keeping an int32
    /// copy moves a quarter of the bytes. |w * x| &lt;= 127 * 255, so each adjacent pair fits in int32.
    /// </summary>
    public static int Dot(ReadOnlySpan<sbyte> weights, ReadOnlySpan<short> x)
    {
        if (weights.Length != x.Length)
            throw new ArgumentException("Dot product operands differ in length.", nameof(x));
        int n = weights.Length;
        int i = 0;
        int total = 0;
        if (Avx2.IsSupported)
        {
            ref sbyte wRef = ref MemoryMarshal.GetReference(weights);
            ref short xRef = ref MemoryMarshal.GetReference(x);
            var sum = Vector256<int>.Zero;
            for (; i <= n - 16; i += 16)
            {
                var w = Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref wRef, (nuint)i));
                var v = Vector256.LoadUnsafe(ref xRef, (nuint)i);
                sum = Avx2.Add(sum, Avx2.MultiplyAddAdjacent(w, v));
            }
            total = Vector256.Sum(sum);
        }
        for (; i < n; i++) total += weights[i] * x[i];
        return total;
    }
}
