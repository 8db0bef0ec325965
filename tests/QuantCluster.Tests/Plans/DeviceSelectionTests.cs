using QuantCluster.Coordinator.Plans;

namespace QuantCluster.Tests.Plans;

public sealed class DeviceSelectionTests
{
    [Theory]
    [InlineData("cpu", false, 0, "cpu")]
    [InlineData("cpu", true, 2, "cpu")]
    [InlineData("auto", false, 0, "cpu")]
    [InlineData("auto", true, 0, "cpu")]
    [InlineData("auto", true, 2, "cuda:0")]
    [InlineData("cuda", true, 1, "cuda:0")]
    [InlineData("cuda:1", true, 2, "cuda:1")]
    public void Resolves_to_a_concrete_device(string device, bool cudaBuild, int count, string expected)
    {
        Assert.Equal(expected, DeviceSelection.Resolve(device, cudaBuild, count));
    }

    [Fact]
    public void Cuda_on_a_cpu_build_says_how_to_rebuild()
    {
        var error = Assert.Throws<PlanException>(() => DeviceSelection.Resolve("cuda", cudaBuildReferenced: false, cudaDeviceCount: 0));

        Assert.Equal("qat.device: cuda requested but this build references the CPU libtorch; rebuild with -p:TorchBackend=cuda", error.Message);
    }

    [Fact]
    public void Error_points_at_the_plan_line_when_given_one()
    {
        var error = Assert.Throws<PlanException>(
            () => DeviceSelection.Resolve("cuda:3", cudaBuildReferenced: true, cudaDeviceCount: 2, new PlanLocation("plan.yaml", 9, 11)));

        Assert.Equal(
            "plan.yaml:9:11: qat.device: cuda:3 requested but only 2 CUDA device(s) are visible; allowed: cuda:0 to cuda:1, cpu, auto",
            error.Message);
    }

    [Fact]
    public void Cuda_without_a_visible_device_is_rejected()
    {
        var error = Assert.Throws<PlanException>(() => DeviceSelection.Resolve("cuda", cudaBuildReferenced: true, cudaDeviceCount: 0));

        Assert.StartsWith("qat.device: cuda requested but no CUDA device is visible;", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cpu", true)]
    [InlineData("auto", true)]
    [InlineData("cuda", true)]
    [InlineData("cuda:12", true)]
    [InlineData("gpu", false)]
    [InlineData("cuda:", false)]
    [InlineData("cuda:-1", false)]
    [InlineData("CUDA", false)]
    public void Checks_device_syntax(string device, bool valid)
    {
        Assert.Equal(valid, DeviceSelection.IsValidSyntax(device));
    }
}
