using System.Net;
using System.Net.Sockets;
using QuantCluster.Collectives;
using QuantCluster.GpuWorker;
using QuantCluster.Messages.Training;

namespace QuantCluster.Tests.Collectives;

/// <summary>The replicas of one worker process share one place in the ring: they sum in memory, and only the process's total travels.</summary>
public sealed class ProcessRingsTests
{
    private const string Host = "127.0.0.1";

    [Fact]
    public async Task Two_replicas_in_one_process_and_one_in_another_all_end_with_the_sum_in_process_order()
    {
        var first = new ProcessRings();
        var second = new ProcessRings();
        ReplicaRing[] replicas =
        [
            await first.JoinAsync(Open(process: 0, processes: 2, local: 0, locals: 2, first: 0, replicas: 3), Host),
            await first.JoinAsync(Open(process: 0, processes: 2, local: 1, locals: 2, first: 0, replicas: 3), Host),
            await second.JoinAsync(Open(process: 1, processes: 2, local: 0, locals: 1, first: 2, replicas: 3), Host),
        ];
        Assert.Equal(replicas[0].Port, replicas[1].Port);
        Assert.NotEqual(0, replicas[0].Port);
        var allReduces = await Task.WhenAll(
            replicas[0].ConnectAsync(Host, replicas[2].Port),
            replicas[1].ConnectAsync(Host, replicas[2].Port),
            replicas[2].ConnectAsync(Host, replicas[0].Port));
        var inputs = RingHarness.RandomBuffers(3, 1_001, seed: 31);

        var outputs = await SumAllAsync(allReduces, inputs);

        // The first process adds its replicas in order, the ring adds the two processes' totals: (r0 + r1) + r2, bit for bit.
        var expected = Enumerable.Range(0, inputs[0].Length).Select(i => BitConverter.SingleToInt32Bits(inputs[0][i] + inputs[1][i] + inputs[2][i])).ToArray();
        Assert.All(outputs, o => Assert.Equal(expected, o.Select(BitConverter.SingleToInt32Bits)));
        await RingHarness.DisposeAllAsync(replicas);
    }

    [Fact]
    public async Task A_ring_of_one_process_sums_in_memory_without_a_listener()
    {
        var rings = new ProcessRings();
        var replicas = await Task.WhenAll(Enumerable.Range(0, 3).Select(local => rings.JoinAsync(Open(process: 0, processes: 1, local, locals: 3, first: 0, replicas: 3), Host)));
        Assert.All(replicas, r => Assert.Equal(0, r.Port));
        var allReduces = await Task.WhenAll(replicas.Select(r => r.ConnectAsync(Host, 0)));
        var inputs = RingHarness.RandomBuffers(3, 257, seed: 5);

        var outputs = await SumAllAsync(allReduces, inputs);

        var expected = Enumerable.Range(0, inputs[0].Length).Select(i => BitConverter.SingleToInt32Bits(inputs[0][i] + inputs[1][i] + inputs[2][i])).ToArray();
        Assert.All(outputs, o => Assert.Equal(expected, o.Select(BitConverter.SingleToInt32Bits)));
        await RingHarness.DisposeAllAsync(replicas);
    }

    [Fact]
    public async Task A_replica_whose_epoch_failed_leaves_and_its_waiting_sibling_fails_at_once()
    {
        // The worker actor leaves its ring when its epoch throws; the sibling already summing must not hang.
        var rings = new ProcessRings();
        var replicas = await Task.WhenAll(Enumerable.Range(0, 2).Select(local => rings.JoinAsync(Open(process: 0, processes: 1, local, locals: 2, first: 0, replicas: 2), Host)));
        var allReduces = await Task.WhenAll(replicas.Select(r => r.ConnectAsync(Host, 0)));
        var waiting = allReduces[0].SumAsync(new float[8], CancellationToken.None).AsTask();

        await replicas[1].DisposeAsync();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal("Local replica 1 left the group.", error.Message);
        await replicas[0].DisposeAsync();
    }

    [Fact]
    public async Task A_sibling_told_another_layout_is_refused_naming_both()
    {
        var rings = new ProcessRings();
        await rings.JoinAsync(Open(process: 0, processes: 2, local: 0, locals: 2, first: 0, replicas: 3), Host);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => rings.JoinAsync(Open(process: 1, processes: 2, local: 1, locals: 2, first: 2, replicas: 4), Host));

        Assert.Contains("told process 1 of 2 with 2 local replicas from 2 of 4, a sibling process 0 of 2 with 2 from 0 of 3", error.Message, StringComparison.Ordinal);
        var twice = await Assert.ThrowsAsync<InvalidOperationException>(() => rings.JoinAsync(Open(process: 0, processes: 2, local: 0, locals: 2, first: 0, replicas: 3), Host));
        Assert.Contains("joined twice", twice.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Siblings_opening_a_ring_at_once_by_host_name_share_one_listener()
    {
        var rings = new ProcessRings();

        // Each resolves the name outside the lock; the first back opens the session, the others join it.
        var replicas = await Task.WhenAll(Enumerable.Range(0, 3).Select(local =>
            Task.Run(() => rings.JoinAsync(Open(process: 0, processes: 2, local, locals: 3, first: 0, replicas: 4), "localhost"))));

        Assert.NotEqual(0, replicas[0].Port);
        Assert.All(replicas, r => Assert.Equal(replicas[0].Port, r.Port));
        await RingHarness.DisposeAllAsync(replicas);
    }

    [Fact]
    public async Task The_last_replica_to_leave_closes_the_listener_and_the_next_phase_opens_a_new_one()
    {
        var rings = new ProcessRings();
        var replicas = await Task.WhenAll(Enumerable.Range(0, 2).Select(local => rings.JoinAsync(Open(process: 0, processes: 2, local, locals: 2, first: 0, replicas: 4), Host)));
        int port = replicas[0].Port;

        await replicas[0].DisposeAsync();
        Assert.True(await Accepts(port), "one replica still holds the ring");
        await replicas[1].DisposeAsync();
        Assert.False(await Accepts(port), "the listener outlived its replicas");

        var next = await rings.JoinAsync(Open(process: 0, processes: 2, local: 0, locals: 2, first: 0, replicas: 4) with { Ring = "job-qat" }, Host);
        Assert.True(await Accepts(next.Port));
        await next.DisposeAsync();
    }

    private static OpenRing Open(int process, int processes, int local, int locals, int first, int replicas) =>
        new("job", process, processes, "job-fp32", local, locals, first, replicas);

    private static async Task<float[][]> SumAllAsync(IReadOnlyList<IAllReduce> replicas, float[][] buffers)
    {
        var copies = buffers.Select(b => (float[])b.Clone()).ToArray();
        using var cancel = new CancellationTokenSource(RingHarness.Timeout);
        await Task.WhenAll(replicas.Select((r, i) => Task.Run(async () => await r.SumAsync(copies[i], cancel.Token))));
        return copies;
    }

    private static async Task<bool> Accepts(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
