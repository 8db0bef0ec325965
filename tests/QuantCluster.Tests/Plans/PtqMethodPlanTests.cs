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
}
