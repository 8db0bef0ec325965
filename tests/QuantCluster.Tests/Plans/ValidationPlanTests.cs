using QuantCluster.Coordinator.Plans;
using QuantCluster.Quantization.Data;
using QuantCluster.Tests.Data;

namespace QuantCluster.Tests.Plans;

/// <summary>data.validation_samples: off by default, and it may hold out at most half the training samples.</summary>
public sealed class ValidationPlanTests : IDisposable
{
    private readonly PlanWorkspace workspace = PlanWorkspace.WithData();

    public ValidationPlanTests()
    {
        File.WriteAllBytes(Path.Combine(workspace.Root, "data/mnist/train-images-idx3-ubyte.gz"), IdxBytes.Gzip(IdxBytes.Images(8, 28, 28)));
        File.WriteAllBytes(Path.Combine(workspace.Root, "data/mnist/train-labels-idx1-ubyte.gz"), IdxBytes.Gzip(IdxBytes.Labels(new byte[8])));
        File.WriteAllBytes(Path.Combine(workspace.Root, "data/mnist/t10k-images-idx3-ubyte.gz"), IdxBytes.Gzip(IdxBytes.Images(2, 28, 28)));
        File.WriteAllBytes(Path.Combine(workspace.Root, "data/mnist/t10k-labels-idx1-ubyte.gz"), IdxBytes.Gzip(IdxBytes.Labels(new byte[2])));
    }

    public void Dispose() => workspace.Dispose();

    [Fact]
    public void Nothing_is_held_out_by_default() =>
        Assert.Equal(0, workspace.Parse("name: t\nmodel: mlp\n").Data.ValidationSamples);

    [Fact]
    public void Half_the_training_samples_may_be_held_out()
    {
        var plan = workspace.Parse("name: t\nmodel: mlp\ndata:\n  validation_samples: 4\n");

        Assert.Equal(8, PlanDataSets.Open(plan, new DataSetCache()).Train.Count);
        Assert.Equal(4, plan.Data.ValidationSamples);
    }

    [Fact]
    public void A_negative_count_is_out_of_range() =>
        Assert.Equal(
            "plan.yaml:4:23: data.validation_samples: -1 is out of range; allowed: integers from 0 to 1000000",
            workspace.Reject("name: t\nmodel: mlp\ndata:\n  validation_samples: -1\n").Message);

    [Fact]
    public void Holding_out_more_than_half_the_training_samples_is_rejected_at_the_key_when_the_data_is_read() =>
        Assert.Equal(
            "plan.yaml:4:23: data.validation_samples: 5 would leave 3 of the 8 training samples to train on; allowed: integers from 0 to 4, so at least half the training samples train",
            Assert.Throws<PlanException>(() => PlanDataSets.Open(workspace.Parse("name: t\nmodel: mlp\ndata:\n  validation_samples: 5\n"), new DataSetCache())).Message);
}
