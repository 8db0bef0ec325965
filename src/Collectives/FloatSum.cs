using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace QuantCluster.Collectives;

/// <summary>The one reduction of the gradient exchange, in the rings and the coordinator's averager alike: element-wise float addition, vectorized.</summary>
public static class FloatSum
{
    /// <summary>Adds <paramref name="source"/> into <paramref name="destination"/>; lanes are independent, so the result does not depend on the vector width.</summary>
    // Fully optimized from the first call: a benchmark's first all-reduces would otherwise run the unoptimized loop.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddInPlace(Span<float> destination, ReadOnlySpan<float> source)
    {
        if (source.Length != destination.Length)
        {
            throw new ArgumentException($"Cannot add {source.Length} floats into {destination.Length}.", nameof(source));
        }

        var wide = MemoryMarshal.Cast<float, Vector<float>>(destination);
        var wideSource = MemoryMarshal.Cast<float, Vector<float>>(source);
        for (var i = 0; i < wide.Length; i++)
        {
            wide[i] += wideSource[i];
        }

        for (var i = wide.Length * Vector<float>.Count; i < destination.Length; i++)
        {
            destination[i] += source[i];
        }
    }
}
