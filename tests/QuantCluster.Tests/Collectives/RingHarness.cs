using System.Net;
using QuantCluster.Collectives;
using QuantCluster.Collectives.InProcess;
using QuantCluster.Collectives.Tcp;

namespace QuantCluster.Tests.Collectives;

/// <summary>Builds rings for tests and computes what a ring must produce.</summary>
internal static class RingHarness
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    public static IReadOnlyList<IRingLink> InProcess(int worldSize) => InProcessRing.Create(worldSize);

    /// <summary>A TCP ring on 127.0.0.1 with ports the kernel picks; every frame on TCP unless <paramref name="transports"/> allows shared memory.</summary>
    public static async Task<IReadOnlyList<TcpRingLink>> TcpAsync(int worldSize, string jobId = "job-test", RingTransportOptions? transports = null) =>
        await TcpAsync(Enumerable.Repeat(transports ?? RingTransportOptions.TcpOnly, worldSize).ToArray(), jobId);

    /// <summary>A TCP ring on 127.0.0.1 where rank r may use the transports <paramref name="transports"/>[r] allows.</summary>
    public static async Task<IReadOnlyList<TcpRingLink>> TcpAsync(RingTransportOptions[] transports, string jobId = "job-test")
    {
        var worldSize = transports.Length;
        var listeners = Enumerable.Range(0, worldSize).Select(_ => TcpRingListener.Bind(new IPEndPoint(IPAddress.Loopback, 0))).ToArray();
        try
        {
            var links = await Task.WhenAll(Enumerable.Range(0, worldSize).Select(rank =>
                listeners[rank].ConnectAsync(
                    new RingIdentity(jobId, rank, worldSize), listeners[(rank + 1) % worldSize].LocalEndPoint, Timeout, CancellationToken.None, transports[rank])));
            return links;
        }
        finally
        {
            foreach (var listener in listeners)
            {
                await listener.DisposeAsync();
            }
        }
    }

    public static float[][] RandomBuffers(int worldSize, int length, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, worldSize)
            .Select(_ => Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() * 2 - 1) * 1e3f).ToArray())
            .ToArray();
    }

    /// <summary>The bits a ring must produce: segment j summed as x_j + x_(j+1) + ... + x_(j-1), left to right.</summary>
    public static float[] RingOrderSum(float[][] buffers)
    {
        var n = buffers.Length;
        var length = buffers[0].Length;
        var sum = new float[length];
        for (var j = 0; j < n; j++)
        {
            var (offset, count) = RingSegments.Segment(length, n, j);
            for (var i = offset; i < offset + count; i++)
            {
                var acc = buffers[j][i];
                for (var k = 1; k < n; k++)
                {
                    acc += buffers[(j + k) % n][i];
                }

                sum[i] = acc;
            }
        }

        return sum;
    }

    public static double[] SequentialSum(float[][] buffers) =>
        Enumerable.Range(0, buffers[0].Length).Select(i => buffers.Sum(b => (double)b[i])).ToArray();

    /// <summary>Runs one SumAsync per rank at once, each on its own copy, and returns the copies.</summary>
    public static async Task<float[][]> SumAllAsync(IReadOnlyList<IAllReduce> ranks, float[][] buffers)
    {
        var copies = buffers.Select(b => (float[])b.Clone()).ToArray();
        using var cancel = new CancellationTokenSource(Timeout);
        await Task.WhenAll(ranks.Select((r, i) => Task.Run(async () => await r.SumAsync(copies[i], cancel.Token))));
        return copies;
    }

    public static async Task DisposeAllAsync(IEnumerable<IAsyncDisposable> items)
    {
        foreach (var item in items)
        {
            await item.DisposeAsync();
        }
    }
}
