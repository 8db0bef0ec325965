using System.Threading.Channels;

namespace QuantCluster.Collectives.InProcess;

/// <summary>Builds rings whose ranks live in one process (tests, and replicas that share memory), linked by channels.</summary>
public static class InProcessRing
{
    /// <summary>One link per rank, rank i sending to rank (i + 1) mod <paramref name="worldSize"/>.</summary>
    public static IReadOnlyList<IRingLink> Create(int worldSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(worldSize, 1);
        // Channel i carries frames from rank i to rank i + 1.
        var channels = Enumerable.Range(0, worldSize).Select(_ => Channel.CreateUnbounded<float[]>(
            new UnboundedChannelOptions { SingleReader = true, SingleWriter = true })).ToArray();
        return Enumerable.Range(0, worldSize)
            .Select(rank => (IRingLink)new InProcessRingLink(rank, worldSize, channels[rank].Writer, channels[(rank + worldSize - 1) % worldSize].Reader))
            .ToArray();
    }
}
