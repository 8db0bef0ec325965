using QuantCluster.Quantization.Observers;

namespace QuantCluster.Tests.Observers;

public sealed class MovingAverageMinMaxTests
{
    [Fact]
    public void First_batch_sets_the_range() =>
        Assert.Equal(new RangeStatistics(-1f, 3f), MovingAverageMinMax.Update(RangeStatistics.Empty, new RangeStatistics(-1f, 3f)));

    [Fact]
    public void Later_batches_move_it_by_the_constant_times_the_difference() =>
        // min: 0 + 0.5 * (-2 - 0) = -1; max: 4 + 0.5 * (8 - 4) = 6.
        Assert.Equal(new RangeStatistics(-1f, 6f), MovingAverageMinMax.Update(new RangeStatistics(0f, 4f), new RangeStatistics(-2f, 8f), 0.5f));
}
