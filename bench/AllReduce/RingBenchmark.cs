using System.Diagnostics;
using QuantCluster.Collectives;
using QuantCluster.Collectives.Tcp;

namespace QuantCluster.Bench.AllReduce;

/// <summary>One rank of the all-reduce benchmark: joins the ring on loopback (--transport shm, the default between processes on one host, or tcp) and times SumAsync on each gradient size.</summary>
internal static class RingBenchmark
{
    public static async Task<int> RunAsync(BenchArgs args, CancellationToken cancel)
    {
        var peers = args.Text("peers").Split(',').Select(BenchArgs.Endpoint).ToArray();
        var rank = args.Int("rank", -1);
        var iterations = args.Int("iterations", 20);
        var chunkFloats = args.Int("chunk-kb", RingAllReduce.DefaultChunkFloats * sizeof(float) / 1024) * 1024 / sizeof(float);
        var identity = new RingIdentity(args.Text("job", "allreduce-bench"), rank, peers.Length);
        var transport = args.Text("transport", "shm");
        var options = transport switch
        {
            "tcp" => RingTransportOptions.TcpOnly,
            "shm" => RingTransportOptions.Default with { PipeBytes = args.Int("pipe-kb", RingTransportOptions.Default.PipeBytes / 1024) * 1024 },
            _ => throw new ArgumentException($"--transport {transport}: expected tcp or shm"),
        };

        await using var listener = TcpRingListener.Bind(peers[rank]);
        var link = await listener.ConnectAsync(identity, peers[identity.NextRank], TimeSpan.FromSeconds(30), cancel, options);
        if (transport == "shm" && link.Transport.Contains("by tcp", StringComparison.Ordinal))
        {
            // The figure would be labelled shared memory while measuring TCP.
            Console.Error.WriteLine($"rank {rank}: shared memory was asked for but not agreed: {link.Transport}");
            return 2;
        }

        await using var ring = new RingAllReduce(link, chunkFloats);
        foreach (var megabytes in args.SizesMb())
        {
            var values = new float[(int)(megabytes * 1_000_000 / sizeof(float))];
            var warmup = args.WarmupIterations(megabytes);
            var times = new List<double>();
            var cpu = TimeSpan.Zero;
            for (var i = 0; i < warmup + iterations; i++)
            {
                Array.Fill(values, rank + 1);
                var cpuBefore = Environment.CpuUsage.TotalTime;
                var clock = Stopwatch.StartNew();
                await ring.SumAsync(values, cancel);
                if (i >= warmup)
                {
                    times.Add(clock.Elapsed.TotalMilliseconds);
                    cpu += Environment.CpuUsage.TotalTime - cpuBefore;
                }
            }

            var expected = peers.Length * (peers.Length + 1) / 2f;
            if (values.Any(v => v != expected))
            {
                Console.Error.WriteLine($"rank {rank}: wrong sum, expected {expected} everywhere");
                return 2;
            }

            if (rank == 0)
            {
                Results.Print($"ring-{transport}", peers.Length, megabytes, times, cpu);
                if (transport == "tcp")
                {
                    Console.WriteLine($"crc impl=ring-tcp world={peers.Length} mb={megabytes} crc_cpu_ms={ChecksumCost(values, peers.Length):0.000}");
                }
            }
        }

        return 0;
    }

    /// <summary>CPU ms that CRC-32 over the bytes one rank sends and receives in one all-reduce costs, measured alone.</summary>
    private static double ChecksumCost(float[] values, int worldSize)
    {
        // Each rank checksums what it sends and what it receives: 2 x 2(N-1)/N of the buffer.
        var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan());
        var passes = 4.0 * (worldSize - 1) / worldSize;
        var before = Environment.CpuUsage.TotalTime;
        const int Repeats = 5;
        uint sink = 0;
        for (var r = 0; r < Repeats; r++)
        {
            for (var offset = 0; offset < bytes.Length; offset += 256 * 1024)
            {
                sink ^= System.IO.Hashing.Crc32.HashToUInt32(bytes.Slice(offset, Math.Min(256 * 1024, bytes.Length - offset)));
            }
        }

        GC.KeepAlive(sink);
        return (Environment.CpuUsage.TotalTime - before).TotalMilliseconds / Repeats * passes;
    }
}
