namespace QuantCluster.Collectives;

/// <summary>Who a rank is in which ring: checked by the handshake so a neighbour from another job or layout is refused.</summary>
public sealed record RingIdentity
{
    /// <summary>Creates an identity after checking that the rank lies inside the world.</summary>
    public RingIdentity(string jobId, int rank, int worldSize)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        ArgumentOutOfRangeException.ThrowIfLessThan(worldSize, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(rank);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(rank, worldSize);
        JobId = jobId;
        Rank = rank;
        WorldSize = worldSize;
    }

    /// <summary>The job both neighbours must belong to.</summary>
    public string JobId { get; }

    /// <summary>This rank.</summary>
    public int Rank { get; }

    /// <summary>How many ranks the ring has.</summary>
    public int WorldSize { get; }

    /// <summary>The rank this one receives from.</summary>
    public int PreviousRank => (Rank + WorldSize - 1) % WorldSize;

    /// <summary>The rank this one sends to.</summary>
    public int NextRank => (Rank + 1) % WorldSize;
}
