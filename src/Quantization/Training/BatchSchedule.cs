namespace QuantCluster.Quantization.Training;

/// <summary>
/// The order in which an epoch visits the training samples, and which part of each global batch a replica takes.
/// Every replica computes the same schedule from the seed, so no sample indices need to travel.
/// </summary>
public sealed class BatchSchedule
{
    private readonly int[] _order;

    public BatchSchedule(int sampleCount, int globalBatchSize, int seed, int epoch)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(globalBatchSize, 1);
        GlobalBatchSize = globalBatchSize;
        _order = Enumerable.Range(0, sampleCount).ToArray();
        // Seeded System.Random uses a fixed algorithm across runs and platforms (HashCode.Combine would not: it is salted
        // per process), so the order depends only on seed and epoch.
        new Random((int)(((seed * 1_000_003L) + epoch) & int.MaxValue)).Shuffle(_order);
    }

    public int GlobalBatchSize { get; }

    public int Steps => (_order.Length + GlobalBatchSize - 1) / GlobalBatchSize;

    public int GlobalCount(int step) => Math.Min(GlobalBatchSize, _order.Length - (step * GlobalBatchSize));

    /// <summary>Replica rank's contiguous slice of the step's global batch; sizes differ by at most one across ranks.</summary>
    public ReadOnlySpan<int> Slice(int step, int rank, int worldSize)
    {
        int count = GlobalCount(step);
        int start = (int)((long)count * rank / worldSize);
        int end = (int)((long)count * (rank + 1) / worldSize);
        return _order.AsSpan((step * GlobalBatchSize) + start, end - start);
    }
}
