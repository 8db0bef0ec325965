using QuantCluster.Collectives;
using QuantCluster.Collectives.Hierarchical;

namespace QuantCluster.Tests.Collectives;

public sealed class HierarchicalAllReduceTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(1, 3)]
    [InlineData(2, 2)]
    [InlineData(3, 2)]
    public async Task Replicas_of_every_process_end_with_the_sum_of_all_replicas(int processes, int devices)
    {
        var links = await RingHarness.TcpAsync(processes);
        var groups = links.Select(l => new HierarchicalAllReduce(new RingAllReduce(l, 13), devices, l.Rank * devices, processes * devices)).ToArray();
        var replicas = groups.SelectMany(g => g.Replicas).ToArray();
        var inputs = RingHarness.RandomBuffers(replicas.Length, 1_001, seed: processes * 10 + devices);

        var outputs = await RingHarness.SumAllAsync(replicas, inputs);

        var expected = ExpectedBits(inputs, processes, devices);
        Assert.All(outputs, o => Assert.Equal(expected, o.Select(BitConverter.SingleToInt32Bits)));
        var sequential = RingHarness.SequentialSum(inputs);
        Assert.All(Enumerable.Range(0, sequential.Length), i => Assert.True(Math.Abs(outputs[0][i] - sequential[i]) < 1e-2));
        Assert.Equal(Enumerable.Range(0, processes * devices), replicas.Select(r => r.Rank));
        Assert.All(replicas, r => Assert.Equal(processes * devices, r.WorldSize));
        await RingHarness.DisposeAllAsync(groups);
    }

    [Fact]
    public async Task Two_replicas_in_one_process_and_one_in_another_are_ranks_0_1_2_of_3_and_end_with_the_sum()
    {
        var links = await RingHarness.TcpAsync(2);
        HierarchicalAllReduce[] groups =
        [
            new(new RingAllReduce(links[0], 13), localReplicas: 2, firstReplica: 0, replicas: 3),
            new(new RingAllReduce(links[1], 13), localReplicas: 1, firstReplica: 2, replicas: 3),
        ];
        var replicas = groups.SelectMany(g => g.Replicas).ToArray();
        var inputs = RingHarness.RandomBuffers(replicas.Length, 1_001, seed: 21);

        var outputs = await RingHarness.SumAllAsync(replicas, inputs);

        Assert.Equal([0, 1, 2], replicas.Select(r => r.Rank));
        Assert.All(replicas, r => Assert.Equal(3, r.WorldSize));
        var expected = inputs[0].Select((x, i) => BitConverter.SingleToInt32Bits(x + inputs[1][i] + inputs[2][i])).ToArray();
        Assert.All(outputs, o => Assert.Equal(expected, o.Select(BitConverter.SingleToInt32Bits)));
        await RingHarness.DisposeAllAsync(groups);
    }

    [Theory]
    [InlineData(0, 1, "process 0 of 2 cannot hold replicas 1 to 2 of 3: every process holds at least one, so at least 0 must come before them and 1 after them")]
    [InlineData(1, 0, "process 1 of 2 cannot hold replicas 0 to 1 of 3: every process holds at least one, so at least 1 must come before them and 0 after them")]
    public async Task A_numbering_that_leaves_a_process_without_a_replica_is_refused(int process, int firstReplica, string problem)
    {
        var links = RingHarness.InProcess(2);

        var error = Assert.Throws<ArgumentException>(() => new HierarchicalAllReduce(new RingAllReduce(links[process]), 2, firstReplica, 3));

        Assert.Equal(problem, error.Message);
        foreach (var link in links)
        {
            await link.DisposeAsync();
        }
    }

    [Fact]
    public async Task Local_sum_order_does_not_depend_on_which_replica_arrives_first()
    {
        var inputs = RingHarness.RandomBuffers(3, 257, seed: 9);
        var results = new List<float[][]>();
        foreach (var order in new[] { new[] { 0, 1, 2 }, new[] { 2, 1, 0 }, new[] { 1, 2, 0 } })
        {
            var group = new HierarchicalAllReduce(new RingAllReduce(RingHarness.InProcess(1)[0]), 3, 0, 3);
            var copies = inputs.Select(b => (float[])b.Clone()).ToArray();
            var calls = new List<Task>();
            foreach (var replica in order)
            {
                calls.Add(group.Replicas[replica].SumAsync(copies[replica], CancellationToken.None).AsTask());
            }

            await Task.WhenAll(calls);
            results.Add(copies);
            await group.DisposeAsync();
        }

        var bits = results.Select(r => r[0].Select(BitConverter.SingleToInt32Bits).ToArray()).ToArray();
        Assert.All(bits, b => Assert.Equal(bits[0], b));
    }

    [Fact]
    public async Task Replicas_with_different_lengths_fail_every_replica()
    {
        var group = new HierarchicalAllReduce(new RingAllReduce(RingHarness.InProcess(1)[0]), 2, 0, 2);

        var errors = await Task.WhenAll(
            Record.ExceptionAsync(async () => await group.Replicas[0].SumAsync(new float[4], CancellationToken.None)),
            Record.ExceptionAsync(async () => await group.Replicas[1].SumAsync(new float[5], CancellationToken.None)));

        Assert.All(errors, e => Assert.Contains("Local replica 1 passed 5 floats", e?.Message, StringComparison.Ordinal));
        await group.DisposeAsync();
    }

    [Fact]
    public async Task A_replica_that_leaves_fails_the_siblings_waiting_for_it_at_once()
    {
        // Its trainer threw before its share was ready: the siblings already in the round must not wait for it.
        var group = new HierarchicalAllReduce(new RingAllReduce(RingHarness.InProcess(1)[0]), 3, 0, 3);
        var waiting = new[] { group.Replicas[0], group.Replicas[2] }.Select(r => r.SumAsync(new float[4], CancellationToken.None).AsTask()).ToArray();
        await Task.Delay(50);
        Assert.All(waiting, w => Assert.False(w.IsCompleted));

        await group.Replicas[1].DisposeAsync();

        foreach (var sibling in waiting)
        {
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => sibling.WaitAsync(TimeSpan.FromSeconds(5)));
            Assert.Equal("Local replica 1 left the group.", error.Message);
        }
        var later = await Assert.ThrowsAsync<InvalidOperationException>(async () => await group.Replicas[0].SumAsync(new float[4], CancellationToken.None));
        Assert.Contains("Local replica 1 left the group.", later.Message, StringComparison.Ordinal);
        await group.DisposeAsync();
    }

    /// <summary>Each process adds its replicas in device order; the ring then sums the processes' totals in ring order.</summary>
    private static int[] ExpectedBits(float[][] inputs, int processes, int devices)
    {
        var perProcess = Enumerable.Range(0, processes).Select(p =>
        {
            var total = (float[])inputs[p * devices].Clone();
            for (var d = 1; d < devices; d++)
            {
                for (var i = 0; i < total.Length; i++)
                {
                    total[i] += inputs[p * devices + d][i];
                }
            }

            return total;
        }).ToArray();
        return RingHarness.RingOrderSum(perProcess).Select(BitConverter.SingleToInt32Bits).ToArray();
    }
}
