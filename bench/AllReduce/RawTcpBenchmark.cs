using System.Diagnostics;
using System.Net.Sockets;

namespace QuantCluster.Bench.AllReduce;

/// <summary>The wire's own speed: a one-way stream between two processes, with the same socket settings as the ring.</summary>
internal static class RawTcpBenchmark
{
    private const int BufferBytes = 4 * 1024 * 1024;

    /// <summary>Receives each message in full, then answers one byte so the sender's clock covers delivery.</summary>
    public static async Task<int> SinkAsync(BenchArgs args, CancellationToken cancel)
    {
        using var listener = new Socket(SocketType.Stream, ProtocolType.Tcp);
        listener.ReceiveBufferSize = BufferBytes;
        listener.Bind(BenchArgs.Endpoint(args.Text("listen")));
        listener.Listen(1);
        using var socket = await listener.AcceptAsync(cancel);
        Tune(socket);
        await using var stream = new NetworkStream(socket);
        var header = new byte[8];
        var buffer = new byte[BufferBytes];
        while (await stream.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, cancel) == header.Length)
        {
            var remaining = BitConverter.ToInt64(header);
            while (remaining > 0)
            {
                var got = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)), cancel);
                if (got == 0)
                {
                    return 1;
                }

                remaining -= got;
            }

            await stream.WriteAsync(new byte[] { 1 }, cancel);
        }

        return 0;
    }

    public static async Task<int> SourceAsync(BenchArgs args, CancellationToken cancel)
    {
        var iterations = args.Int("iterations", 20);
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        Tune(socket);
        var sink = BenchArgs.Endpoint(args.Text("connect"));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                await socket.ConnectAsync(sink, cancel);
                break;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused && DateTime.UtcNow < deadline)
            {
                // The sink process may still be starting.
                await Task.Delay(50, cancel);
            }
        }

        await using var stream = new NetworkStream(socket);
        var ack = new byte[1];
        foreach (var megabytes in args.SizesMb())
        {
            var payload = new byte[(int)(megabytes * 1_000_000)];
            var warmup = args.WarmupIterations(megabytes);
            var times = new List<double>();
            var cpu = TimeSpan.Zero;
            for (var i = 0; i < warmup + iterations; i++)
            {
                var cpuBefore = Environment.CpuUsage.TotalTime;
                var clock = Stopwatch.StartNew();
                await stream.WriteAsync(BitConverter.GetBytes((long)payload.Length), cancel);
                await stream.WriteAsync(payload, cancel);
                await stream.ReadExactlyAsync(ack, cancel);
                if (i >= warmup)
                {
                    times.Add(clock.Elapsed.TotalMilliseconds);
                    cpu += Environment.CpuUsage.TotalTime - cpuBefore;
                }
            }

            Results.Print("tcp", 2, megabytes, times, cpu);
        }

        return 0;
    }

    private static void Tune(Socket socket)
    {
        socket.NoDelay = true;
        socket.SendBufferSize = BufferBytes;
        socket.ReceiveBufferSize = BufferBytes;
    }
}
