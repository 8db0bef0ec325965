using QuantCluster.Quantization.Training;

namespace QuantCluster.Tests.Quantization;

public sealed class BatchScheduleTests
{
    [Theory]
    [InlineData(37, 8)]
    [InlineData(50, 16)]
    [InlineData(3, 4)] // fewer samples than ranks in some steps
    public void Ranks_slices_put_together_are_exactly_each_steps_global_batch(int samples, int batch)
    {
        var schedule = new BatchSchedule(samples, batch, seed: 4, epoch: 2);
        Assert.Equal((samples + batch - 1) / batch, schedule.Steps);
        Assert.Equal(samples - ((schedule.Steps - 1) * batch), schedule.GlobalCount(schedule.Steps - 1));

        for (int worldSize = 1; worldSize <= 5; worldSize++)
        {
            var seen = new List<int>();
            for (int step = 0; step < schedule.Steps; step++)
            {
                int[] global = schedule.Slice(step, 0, 1).ToArray();
                Assert.Equal(schedule.GlobalCount(step), global.Length);
                int[][] slices = [.. Enumerable.Range(0, worldSize).Select(rank => schedule.Slice(step, rank, worldSize).ToArray())];

                Assert.Equal(global, slices.SelectMany(s => s));
                Assert.True(slices.Max(s => s.Length) - slices.Min(s => s.Length) <= 1, $"world {worldSize}, step {step}: uneven slices");
                seen.AddRange(global);
            }
            // Over the epoch every sample comes exactly once.
            Assert.Equal(Enumerable.Range(0, samples), seen.Order());
        }
    }

    [Fact]
    public void Same_seed_and_epoch_give_the_same_order_and_other_epochs_or_seeds_do_not()
    {
        int[] Order(int seed, int epoch)
        {
            var schedule = new BatchSchedule(100, 10, seed, epoch);
            return [.. Enumerable.Range(0, schedule.Steps).SelectMany(s => schedule.Slice(s, 0, 1).ToArray())];
        }

        Assert.Equal(Order(7, 0), Order(7, 0));
        Assert.Equal(Order(7, 3), Order(7, 3));
        Assert.NotEqual(Order(7, 0), Order(7, 1));
        Assert.NotEqual(Order(7, 1), Order(7, 2));
        Assert.NotEqual(Order(7, 0), Order(8, 0));
        Assert.NotEqual(Enumerable.Range(0, 100), Order(7, 0));
    }

    [Fact]
    public void Order_is_fixed_across_runs_for_a_seed()
    {
        // Pinned: a replica started on another machine or .NET build computes the same batches from the seed.
        var schedule = new BatchSchedule(10, 5, seed: 1, epoch: 0);

        Assert.Equal(new[] { 6, 3, 8, 1, 5 }, schedule.Slice(0, 0, 1).ToArray());
        Assert.Equal(new[] { 9, 4, 2, 7, 0 }, schedule.Slice(1, 0, 1).ToArray());
    }
}
