using QuantCluster.Coordinator.Plans;

namespace QuantCluster.Tests.Plans;

/// <summary>The calibration keys of the ptq section: method, percentile and bins.</summary>
public sealed class PtqMethodPlanTests : IDisposable
{
    private readonly PlanWorkspace workspace = PlanWorkspace.WithData();

    public void Dispose() => workspace.Dispose();

    [Theory]
    [InlineData("minmax", CalibrationMethod.MinMax)]
    [InlineData("percentile", CalibrationMethod.Percentile)]
    [InlineData("entropy", CalibrationMethod.Entropy)]
    [InlineData("mse", CalibrationMethod.Mse)]
    public void Every_method_is_read(string word, CalibrationMethod method) =>
        Assert.Equal(method, workspace.Parse($"name: t\nmodel: lenet\nptq:\n  method: {word}\n").Ptq.Method);

    [Fact]
    public void Percentile_and_bins_default_to_99_99_and_2048()
    {
        var ptq = workspace.Parse("name: t\nmodel: lenet\nptq:\n  method: percentile\n").Ptq;

        Assert.Equal(99.99, ptq.Percentile);
        Assert.Equal(2048, ptq.Bins);
    }

    [Fact]
    public void Percentile_and_bins_are_read()
    {
        var ptq = workspace.Parse("name: t\nmodel: lenet\nptq:\n  method: percentile\n  percentile: 99.9\n  bins: 512\n").Ptq;

        Assert.Equal(99.9, ptq.Percentile);
        Assert.Equal(512, ptq.Bins);
    }

    [Theory]
    [InlineData("  percentile: 101\n", "plan.yaml:4:15: ptq.percentile: 101 is out of range; allowed: numbers >= 50 and <= 100")]
    [InlineData("  bins: 100\n", "plan.yaml:4:9: ptq.bins: 100 is out of range; allowed: integers from 256 to 1048576")]
    [InlineData("  method: kl\n", "plan.yaml:4:11: ptq.method: unknown value 'kl'; allowed: minmax, percentile, entropy, mse")]
    public void Out_of_range_values_are_rejected_naming_what_is_allowed(string line, string expected) =>
        Assert.Equal(expected, workspace.Reject("name: t\nmodel: lenet\nptq:\n" + line).Message);

    [Fact]
    public void Layers_override_the_method_of_named_points_only()
    {
        var ptq = workspace.Parse("name: t\nmodel: lenet\nptq:\n  method: mse\n  layers:\n    layer0.output: {method: percentile, percentile: 99.9}\n    input: {method: minmax}\n").Ptq;

        Assert.Equal(new PointCalibration(CalibrationMethod.Percentile, 99.9), ptq.For("layer0.output"));
        Assert.Equal(new PointCalibration(CalibrationMethod.MinMax, 99.99), ptq.For("input"));
        Assert.Equal(new PointCalibration(CalibrationMethod.Mse, 99.99), ptq.For("layer2.output"));
    }

    [Fact]
    public void No_layers_means_every_point_uses_the_section() =>
        Assert.Null(workspace.Parse("name: t\nmodel: lenet\n").Ptq.Layers);

    [Fact]
    public void A_point_the_model_does_not_have_is_rejected_with_the_model_s_points()
    {
        var error = workspace.Reject("name: t\nmodel: lenet\nptq:\n  layers:\n    layer1.output: {method: mse}\n");

        Assert.Contains("ptq.layers.layer1.output: unknown key 'layer1.output'", error.Message, StringComparison.Ordinal);
        Assert.Contains("allowed keys: input, layer0.output, layer2.output", error.Message, StringComparison.Ordinal);
    }
}
