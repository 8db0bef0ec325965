namespace QuantCluster.Messages.Training;

/// <summary>
/// Cuts a gradient share into slices that fit Akka.Remote's default 128,000-byte frame, so the coordinator gradient
/// exchange works at any model size without raising the frame limit on every node.
/// </summary>
public static class GradientChunks
{
    /// <summary>64 KB of floats per message: half the default frame, leaving room for the envelope.</summary>
    public const int Floats = 16 * 1024;

    /// <summary>The slices of values as (offset, slice); an empty share is one empty slice, so a step still has a message.</summary>
    public static IEnumerable<(int Offset, float[] Values)> Split(ReadOnlyMemory<float> values)
    {
        if (values.Length == 0) yield return (0, []);
        for (int offset = 0; offset < values.Length; offset += Floats)
            yield return (offset, values[offset..Math.Min(values.Length, offset + Floats)].ToArray());
    }
}

/// <summary>Reassembles one share from its slices, refusing slices that overlap, overrun or disagree on the length.</summary>
public sealed class ChunkAssembly(int total)
{
    private readonly float[] _values = new float[Math.Max(0, total)];
    private readonly bool[] _arrived = new bool[Math.Max(1, (Math.Max(0, total) + GradientChunks.Floats - 1) / GradientChunks.Floats)];
    private int _received;
    private int _slices;

    public int Total { get; } = total;

    public bool Complete => _slices > 0 && _received == Total;

    public float[] Values => Complete ? _values : throw new InvalidOperationException($"{_received} of {Total} values received");

    /// <summary>
    /// <paramref name="current"/> when it can take the next share of <paramref name="total"/> values (it has no slice yet
    /// and the same length), else a new assembly: a share per training step must not cost a new buffer per step.
    /// </summary>
    public static ChunkAssembly For(ChunkAssembly? current, int total) =>
        current is not null && (current._slices > 0 || current.Total == total) ? current : new ChunkAssembly(total);

    /// <summary>Forgets the slices received, keeping the buffer for the next share; <see cref="Values"/> is then stale.</summary>
    public void Reset()
    {
        Array.Clear(_arrived);
        _received = 0;
        _slices = 0;
    }

    /// <summary>Adds a slice; returns null, or what is wrong with the slice.</summary>
    public string? Add(int offset, int total, float[] slice)
    {
        if (Complete) return "the share arrived twice";
        if (total != Total) return $"a slice claims a share of {total} values, earlier slices {Total}";
        if (offset < 0 || offset > Total - slice.Length || (slice.Length == 0 && Total != 0))
            return $"a slice of {slice.Length} values at {offset} does not fit a share of {Total}";
        if (offset % GradientChunks.Floats != 0 || (slice.Length != GradientChunks.Floats && offset + slice.Length != Total))
            return $"the slice of {slice.Length} values at {offset} is not one of the share's {GradientChunks.Floats}-value slices";
        if (_arrived[offset / GradientChunks.Floats]) return $"the slice at {offset} arrived twice";
        _arrived[offset / GradientChunks.Floats] = true;
        slice.CopyTo(_values, offset);
        _received += slice.Length;
        _slices++;
        return null;
    }
}
