using QuantCluster.Coordinator.Plans;

namespace QuantCluster.Tests.Plans;

public sealed class ExamplePlanTests : IDisposable
{
    private readonly PlanWorkspace workspace = PlanWorkspace.WithData();

    public void Dispose() => workspace.Dispose();

    [Theory]
    [InlineData("qat.yaml", "lenet-qat", "lenet", JobMode.Qat)]
    [InlineData("ptq.yaml", "lenet-ptq", "lenet", JobMode.Ptq)]
    [InlineData("auto.yaml", "mobilenet-tiny-auto", "mobilenet-tiny", JobMode.Auto)]
    [InlineData("mlp.yaml", "mlp-auto", "mlp", JobMode.Auto)]
    [InlineData("mobilenet-qat.yaml", "mobilenet-tiny-qat", "mobilenet-tiny", JobMode.Qat)]
    [InlineData("fallback.yaml", "mobilenet-tiny-fallback", "mobilenet-tiny", JobMode.Auto)]
    [InlineData("fashion-lenet.yaml", "fashion-lenet", "lenet", JobMode.Qat)]
    [InlineData("fashion-mobilenet-tiny.yaml", "fashion-mobilenet-tiny", "mobilenet-tiny", JobMode.Auto)]
    public void Example_plan_loads(string file, string name, string model, JobMode mode)
    {
        var path = Path.Combine(Repository.Root(), "examples", file);
        foreach (var data in PlanWorkspace.DefaultDataFiles) workspace.Touch(data.Replace("data/mnist/", "data/fashion-mnist/", StringComparison.Ordinal));

        var plan = PlanLoader.Parse(File.ReadAllText(path), path, null, workspace.Root);

        Assert.Equal(name, plan.Name);
        Assert.Equal(model, plan.Model);
        Assert.Equal(mode, plan.Mode);
    }

    [Fact]
    public void Every_example_file_is_covered()
    {
        var files = Directory.GetFiles(Path.Combine(Repository.Root(), "examples"), "*.yaml").Select(Path.GetFileName).Order();

        Assert.Equal(["auto.yaml", "fallback.yaml", "fashion-lenet.yaml", "fashion-mobilenet-tiny.yaml", "mlp.yaml", "mobilenet-qat.yaml", "ptq.yaml", "qat.yaml"], files);
    }

    [Fact]
    public void Qat_example_matches_the_documented_job()
    {
        var path = Path.Combine(Repository.Root(), "examples", "qat.yaml");

        var plan = PlanLoader.Parse(File.ReadAllText(path), path, null, workspace.Root);

        Assert.Equal(2, plan.Qat.Workers);
        Assert.Equal(12, plan.Fp32.Epochs);
        Assert.Equal(2, plan.Qat.Epochs);
        Assert.Equal(2, plan.Ptq.Shards);
    }

    [Fact]
    public void Complete_example_in_the_docs_loads_with_every_default()
    {
        var doc = File.ReadAllText(Path.Combine(Repository.Root(), "docs", "plan.md"));
        var start = doc.IndexOf("```yaml\n", StringComparison.Ordinal) + "```yaml\n".Length;
        var yaml = doc[start..doc.IndexOf("```", start, StringComparison.Ordinal)];

        var plan = PlanLoader.Parse(yaml, "docs/plan.md", null, workspace.Root);
        var minimal = PlanLoader.Parse("name: lenet-full\nmodel: lenet\n", "minimal.yaml", null, workspace.Root);

        // Only where keys were written differs: the minimal plan writes neither the device nor the data.
        Assert.Equal(WithoutLocations(minimal), WithoutLocations(plan));
    }

    private static Plan WithoutLocations(Plan plan) => plan with
    {
        Qat = plan.Qat with { DeviceLocation = null },
        Data = plan.Data with
        {
            Train = plan.Data.Train with { Location = null, KeyPath = "" },
            Test = plan.Data.Test with { Location = null, KeyPath = "" },
            ValidationLocation = null,
        },
    };
}
