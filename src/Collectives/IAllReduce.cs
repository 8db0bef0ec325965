namespace QuantCluster.Collectives;

/// <summary>Sums a buffer in place across every rank of a data-parallel group (here are my values, give me the sum).</summary>
/// <remarks>
/// Every rank calls <see cref="SumAsync"/> with a buffer of the same length, in the same sequence of calls; the caller
/// weights its share (for example by slice size / global batch) so that the sum is the average. Every rank ends with
/// bit-identical values.
/// </remarks>
public interface IAllReduce : IAsyncDisposable
{
    /// <summary>This participant's index, 0 to <see cref="WorldSize"/> - 1.</summary>
    int Rank { get; }

    /// <summary>How many participants contribute to each sum.</summary>
    int WorldSize { get; }

    /// <summary>Replaces <paramref name="values"/> with the element-wise sum of every rank's values.</summary>
    ValueTask SumAsync(Memory<float> values, CancellationToken cancel);
}
