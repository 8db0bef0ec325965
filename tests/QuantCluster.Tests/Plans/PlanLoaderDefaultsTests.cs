using QuantCluster.Coordinator.Plans;
using QuantCluster.Quantization.Data;
using QuantCluster.Quantization.Schemes;
using QuantCluster.Quantization.Training;

namespace QuantCluster.Tests.Plans;

public sealed class PlanLoaderDefaultsTests : IDisposable
{
    private readonly PlanWorkspace workspace = PlanWorkspace.WithData();

    public void Dispose() => workspace.Dispose();

    [Fact]
    public void Minimal_plan_gets_every_documented_default()
    {
        var plan = workspace.Parse("name: tiny\nmodel: mlp\n");

        Assert.Equal("tiny", plan.Name);
        Assert.Equal(42, plan.Seed);
        Assert.Equal(Path.Combine(workspace.Root, "runs", "tiny"), plan.Output);
        Assert.Equal(JobMode.Auto, plan.Mode);
        Assert.Equal(0.5, plan.Tolerance);
        Assert.Equal("mlp", plan.Model);
        Assert.Null(plan.Weights);

        var data = Path.Combine(workspace.Root, "data", "mnist");
        Assert.Equal(DataFormat.IdxFiles, plan.Data.Train.Format);
        Assert.Equal(Path.Combine(data, "train-images-idx3-ubyte.gz"), plan.Data.Train.Images);
        Assert.Equal(Path.Combine(data, "train-labels-idx1-ubyte.gz"), plan.Data.Train.Labels);
        Assert.Equal(DataFormat.IdxFiles, plan.Data.Test.Format);
        Assert.Equal(Path.Combine(data, "t10k-images-idx3-ubyte.gz"), plan.Data.Test.Images);
        Assert.Equal(Path.Combine(data, "t10k-labels-idx1-ubyte.gz"), plan.Data.Test.Labels);
        Assert.Equal((1000, 500, 1, 0), (plan.Data.CalibrationSamples, plan.Data.BatchSize, plan.Data.AugmentShift, plan.Data.ValidationSamples));
        Assert.Equal(ArrayLayout.Nchw, plan.Data.Layout);
        Assert.Same(Normalization.None, plan.Data.Normalization);
        Assert.Equal(new Fp32Plan(12, OptimizerChoice.Adam, 0.003, 32), plan.Fp32);
        // Mode auto, the default, may leave one layer in FP32 before it turns to QAT.
        Assert.Equal(new PtqPlan(CalibrationMethod.MinMax, WeightGranularity.PerChannel, ActivationScheme.AsymmetricUInt8, 2) { Fallback = new FallbackPlan(1, null) }, plan.Ptq);
        Assert.Equal(new QatPlan(2, OptimizerChoice.Adam, 0.0001, 2, 64, 1, 1, "cpu", 1), plan.Qat);
    }

    [Fact]
    public void Blank_values_mean_not_given()
    {
        var plan = workspace.Parse("name: tiny\nmodel: mlp\nseed:\nweights: ~\nqat:\n");

        Assert.Equal(42, plan.Seed);
        Assert.Null(plan.Weights);
        Assert.Equal(2, plan.Qat.Workers);
    }

    [Fact]
    public void Output_override_wins_over_the_plan()
    {
        var plan = workspace.Parse("name: tiny\nmodel: mlp\noutput: runs/from-plan\n", outputOverride: "elsewhere/out");

        Assert.Equal(Path.Combine(workspace.Root, "elsewhere", "out"), plan.Output);
    }

    [Fact]
    public void Empty_output_override_is_ignored()
    {
        var plan = workspace.Parse("name: tiny\nmodel: mlp\n", outputOverride: "");

        Assert.Equal(Path.Combine(workspace.Root, "runs", "tiny"), plan.Output);
    }

    [Fact]
    public void Output_from_the_plan_wins_over_the_default()
    {
        var plan = workspace.Parse("name: tiny\nmodel: mlp\noutput: runs/from-plan\n");

        Assert.Equal(Path.Combine(workspace.Root, "runs", "from-plan"), plan.Output);
    }

    [Fact]
    public void Default_data_is_found_from_a_subfolder()
    {
        var subfolder = Path.Combine(workspace.Root, "src", "Coordinator");
        Directory.CreateDirectory(subfolder);

        var plan = PlanLoader.Parse("name: tiny\nmodel: mlp\n", "plan.yaml", null, subfolder);

        Assert.Equal(Path.Combine(workspace.Root, "data", "mnist", "train-images-idx3-ubyte.gz"), plan.Data.Train.Images);
    }

    [Fact]
    public void Given_files_are_stored_as_absolute_paths()
    {
        workspace.Touch("ckpt/model.fp32.ckpt");
        workspace.Touch("mine/train.gz");

        var plan = workspace.Parse("name: tiny\nmodel: lenet\nweights: ckpt/model.fp32.ckpt\ndata:\n  train_images: mine/train.gz\n");

        Assert.Equal(Path.Combine(workspace.Root, "ckpt", "model.fp32.ckpt"), plan.Weights);
        Assert.Equal(Path.Combine(workspace.Root, "mine", "train.gz"), plan.Data.Train.Images);
    }

    [Fact]
    public void Device_location_is_kept_for_device_selection()
    {
        var plan = workspace.Parse("name: tiny\nmodel: mlp\nqat:\n  device: cuda:1\n");

        Assert.Equal("cuda:1", plan.Qat.Device);
        Assert.Equal(new PlanLocation("plan.yaml", 4, 11), plan.Qat.DeviceLocation);
    }
}
