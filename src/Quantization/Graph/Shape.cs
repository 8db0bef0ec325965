namespace QuantCluster.Quantization.Graph;

/// <summary>
/// The static shape of one sample of a value, without the batch dimension: [C, H, W] for feature maps, [F] for features.
/// The batch is the one dynamic dimension a <see cref="ModelGraph"/> allows, so every other size is known when the graph
/// is built and a later pass can size quantization points and integer buffers from it.
/// </summary>
public sealed class Shape : IEquatable<Shape>
{
    private readonly int[] _dims;

    public Shape(params int[] dims)
    {
        ArgumentNullException.ThrowIfNull(dims);
        foreach (int d in dims)
        {
            if (d <= 0) throw new ArgumentOutOfRangeException(nameof(dims), $"[{string.Join(", ", dims)}]: every dimension must be positive");
        }
        _dims = [.. dims];
    }

    public int Rank => _dims.Length;

    public int this[int axis] => _dims[axis];

    public IReadOnlyList<int> Dims => _dims;

    /// <summary>Elements in one sample.</summary>
    public long ElementCount => _dims.Aggregate(1L, (product, d) => product * d);

    /// <summary>The shape with the batch dimension in front, as torch wants it for a batch of n samples.</summary>
    public long[] WithBatch(long n) => [n, .. _dims.Select(d => (long)d)];

    public bool Equals(Shape? other) => other is not null && _dims.AsSpan().SequenceEqual(other._dims);

    public override bool Equals(object? obj) => Equals(obj as Shape);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (int d in _dims) hash.Add(d);
        return hash.ToHashCode();
    }

    public override string ToString() => $"[{string.Join(", ", _dims)}]";
}
