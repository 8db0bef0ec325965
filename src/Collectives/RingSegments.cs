namespace QuantCluster.Collectives;

/// <summary>How a ring splits a buffer: one segment per rank (sizes differ by at most one) and fixed-size chunks inside it.</summary>
internal static class RingSegments
{
    /// <summary>Segment <paramref name="index"/> of a buffer of <paramref name="total"/> floats split among <paramref name="worldSize"/> ranks.</summary>
    public static (int Offset, int Length) Segment(int total, int worldSize, int index)
    {
        var size = total / worldSize;
        var remainder = total % worldSize;
        return (index * size + Math.Min(index, remainder), size + (index < remainder ? 1 : 0));
    }

    /// <summary>How many frames a segment of <paramref name="length"/> floats takes.</summary>
    public static int ChunkCount(int length, int chunkFloats) => (length + chunkFloats - 1) / chunkFloats;

    /// <summary>The segment a rank sends at <paramref name="step"/>; it receives the one before it.</summary>
    public static int SentAt(int rank, int step, int worldSize) => ((rank - step) % worldSize + worldSize) % worldSize;
}
