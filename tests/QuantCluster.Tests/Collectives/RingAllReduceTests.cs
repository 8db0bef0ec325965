using QuantCluster.Collectives;

namespace QuantCluster.Tests.Collectives;

public sealed class RingAllReduceTests
{
    public static TheoryData<int, int, int> Layouts()
    {
        var data = new TheoryData<int, int, int>();
        foreach (var n in new[] { 1, 2, 3, 4, 5 })
        {
            // Lengths below N (empty segments), not divisible by N, and long enough to span several chunks of 7.
            foreach (var length in new[] { 1, 3, 10, 101, 1_003 })
            {
                data.Add(n, length, 7);
            }

            data.Add(n, 200_003, RingAllReduce.DefaultChunkFloats);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public async Task In_process_ring_gives_every_rank_the_same_bits_as_the_fixed_order_sum(int n, int length, int chunk)
    {
        var ranks = RingHarness.InProcess(n).Select(l => (IAllReduce)new RingAllReduce(l, chunk)).ToArray();
        await AssertSumsAsync(ranks, length, seed: n * 31 + length);
        await RingHarness.DisposeAllAsync(ranks);
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public async Task Tcp_ring_on_loopback_gives_every_rank_the_same_bits_as_the_fixed_order_sum(int n, int length, int chunk)
    {
        var ranks = (await RingHarness.TcpAsync(n)).Select(l => (IAllReduce)new RingAllReduce(l, chunk)).ToArray();
        await AssertSumsAsync(ranks, length, seed: n * 37 + length);
        await RingHarness.DisposeAllAsync(ranks);
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public async Task Shared_memory_ring_gives_every_rank_the_same_bits_as_the_fixed_order_sum(int n, int length, int chunk)
    {
        // A 1 KiB pipe: long frames wrap around it many times and writers and readers keep waking each other.
        using var pipes = new SharedMemoryDirectory();
        var links = await RingHarness.TcpAsync(n, transports: pipes.Options(pipeBytes: 1024));
        Assert.All(links.Where(_ => n > 1), l => Assert.DoesNotContain("tcp", l.Transport, StringComparison.Ordinal));
        var ranks = links.Select(l => (IAllReduce)new RingAllReduce(l, chunk)).ToArray();
        await AssertSumsAsync(ranks, length, seed: n * 41 + length);
        await RingHarness.DisposeAllAsync(ranks);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Empty_buffer_is_a_no_op_and_the_ring_stays_usable(int n)
    {
        var ranks = (await RingHarness.TcpAsync(n)).Select(l => (IAllReduce)new RingAllReduce(l)).ToArray();

        var empty = await RingHarness.SumAllAsync(ranks, Enumerable.Range(0, n).Select(_ => Array.Empty<float>()).ToArray());
        Assert.All(empty, Assert.Empty);
        await AssertSumsAsync(ranks, 17, seed: 5);
        await RingHarness.DisposeAllAsync(ranks);
    }

    [Fact]
    public async Task Repeated_sums_on_one_ring_stay_in_step()
    {
        var ranks = (await RingHarness.TcpAsync(3)).Select(l => (IAllReduce)new RingAllReduce(l, 16)).ToArray();
        for (var round = 0; round < 5; round++)
        {
            await AssertSumsAsync(ranks, 100 + round * 13, seed: round);
        }

        await RingHarness.DisposeAllAsync(ranks);
    }

    [Fact]
    public async Task Ranks_report_their_place_in_the_ring()
    {
        var ranks = RingHarness.InProcess(4).Select(l => (IAllReduce)new RingAllReduce(l)).ToArray();

        Assert.Equal([0, 1, 2, 3], ranks.Select(r => r.Rank));
        Assert.All(ranks, r => Assert.Equal(4, r.WorldSize));
        await RingHarness.DisposeAllAsync(ranks);
    }

    [Fact]
    public async Task Buffers_of_different_lengths_are_an_error_not_a_wrong_sum()
    {
        var ranks = RingHarness.InProcess(2).Select(l => (IAllReduce)new RingAllReduce(l)).ToArray();
        using var cancel = new CancellationTokenSource(RingHarness.Timeout);

        var results = await Task.WhenAll(
            Record.ExceptionAsync(async () => await ranks[0].SumAsync(new float[10], cancel.Token)),
            Record.ExceptionAsync(async () => await ranks[1].SumAsync(new float[12], cancel.Token)));

        Assert.Contains(results, e => e is RingTransportException && e.Message.Contains("were expected", StringComparison.Ordinal));
        await RingHarness.DisposeAllAsync(ranks);
    }

    [Fact]
    public async Task Cancelled_sum_is_reported_as_cancellation_and_the_ring_is_not_reused()
    {
        // Rank 1 never joins, so rank 0 waits until its caller gives up.
        var links = RingHarness.InProcess(2);
        var ring = new RingAllReduce(links[0]);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await ring.SumAsync(new float[10], cancel.Token));

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await ring.SumAsync(new float[10], CancellationToken.None));
        await ring.DisposeAsync();
        await links[1].DisposeAsync();
    }

    private static async Task AssertSumsAsync(IAllReduce[] ranks, int length, int seed)
    {
        var inputs = RingHarness.RandomBuffers(ranks.Length, length, seed);

        var outputs = await RingHarness.SumAllAsync(ranks, inputs);

        var expected = RingHarness.RingOrderSum(inputs);
        var sequential = RingHarness.SequentialSum(inputs);
        foreach (var output in outputs)
        {
            // Bit-identical on every rank, and the bits a fixed summation order gives: deterministic, not just close.
            Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), output.Select(BitConverter.SingleToInt32Bits));
        }

        for (var i = 0; i < length; i++)
        {
            Assert.True(Math.Abs(outputs[0][i] - sequential[i]) <= 1e-6 * ranks.Length * 1e3, $"element {i}: {outputs[0][i]} vs {sequential[i]}");
        }
    }
}
