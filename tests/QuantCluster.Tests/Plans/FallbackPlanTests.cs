using QuantCluster.Coordinator.Plans;

namespace QuantCluster.Tests.Plans;

/// <summary>The ptq.fallback mapping: its defaults per mode, and every way to get it wrong, each pointed at by line and column.</summary>
public sealed class FallbackPlanTests : IDisposable
{
    private readonly PlanWorkspace workspace = PlanWorkspace.WithData();

    public void Dispose() => workspace.Dispose();

    [Theory]
    [InlineData("auto", 1)]
    [InlineData("ptq", 0)]
    [InlineData("qat", 0)]
    public void Fallback_is_on_for_one_layer_in_auto_and_off_otherwise_by_default(string mode, int maxLayers)
    {
        var fallback = workspace.Parse($"name: t\nmodel: lenet\nmode: {mode}\n").Ptq.Fallback;

        Assert.Equal(maxLayers, fallback.MaxLayers);
        Assert.Null(fallback.Allow);
    }

    [Fact]
    public void Max_layers_and_allow_are_read_in_block_style()
    {
        var fallback = workspace.Parse("name: t\nmodel: lenet\nmode: ptq\nptq:\n  fallback:\n    max_layers: 2\n    allow:\n      - layer5\n      - layer0\n").Ptq.Fallback;

        Assert.Equal(2, fallback.MaxLayers);
        Assert.Equal(["layer5", "layer0"], fallback.Allow);
    }

    [Fact]
    public void Max_layers_and_allow_are_read_in_flow_style()
    {
        var fallback = workspace.Parse("name: t\nmodel: mlp\nptq:\n  fallback: {max_layers: 3, allow: [layer1, layer3]}\n").Ptq.Fallback;

        Assert.Equal(3, fallback.MaxLayers);
        Assert.Equal(["layer1", "layer3"], fallback.Allow);
    }

    [Fact]
    public void Zero_turns_fallback_off_in_auto() =>
        Assert.False(workspace.Parse("name: t\nmodel: lenet\nptq:\n  fallback:\n    max_layers: 0\n").Ptq.Fallback.Enabled);

    [Theory]
    [InlineData("    max_layers: 5\n", "plan.yaml:5:17: ptq.fallback.max_layers: 5 is out of range; allowed: integers from 0 to 4")]
    [InlineData("    max_layers: -1\n", "plan.yaml:5:17: ptq.fallback.max_layers: -1 is out of range; allowed: integers from 0 to 4")]
    [InlineData("    max_layer: 1\n", "plan.yaml:5:5: ptq.fallback.max_layer: unknown key 'max_layer' (did you mean 'max_layers'?); allowed keys: max_layers, allow")]
    [InlineData("    allow: [layer0, layer3]\n", "plan.yaml:5:21: ptq.fallback.allow: unknown value 'layer3' (did you mean 'layer0'?); allowed: a list of layer0, layer2, layer5, layer6")]
    [InlineData("    allow: [layer2, layer2]\n", "plan.yaml:5:21: ptq.fallback.allow: 'layer2' is listed twice; list each once")]
    [InlineData("    allow: layer2\n", "plan.yaml:5:12: ptq.fallback.allow: expected a list, found 'layer2'; allowed: a list of layer0, layer2, layer5, layer6")]
    [InlineData("    allow: [[layer2]]\n", "plan.yaml:5:13: ptq.fallback.allow: expected a word, found a list; allowed: a list of layer0, layer2, layer5, layer6")]
    [InlineData("    allow: []\n", "plan.yaml:5:12: ptq.fallback.allow: an empty list allows no layer; allowed: one or more of layer0, layer2, layer5, layer6; leave allow out to allow every layer, or set max_layers: 0 to turn fallback off")]
    public void Mistakes_are_rejected_at_their_line_and_column(string line, string expected) =>
        Assert.Equal(expected, workspace.Reject("name: t\nmodel: lenet\nptq:\n  fallback:\n" + line).Message);

    [Fact]
    public void Fallback_with_mode_qat_is_rejected_because_qat_never_falls_back() =>
        Assert.Equal(
            "plan.yaml:5:13: ptq.fallback: mode qat fine-tunes every layer in INT8 and never leaves one in FP32; allowed: fallback with mode ptq or auto",
            workspace.Reject("name: t\nmodel: lenet\nmode: qat\nptq:\n  fallback: {max_layers: 1}\n").Message);

    [Fact]
    public void Fallback_that_is_not_a_mapping_is_rejected() =>
        Assert.Equal(
            "plan.yaml:4:13: ptq.fallback: expected a mapping of keys, found '2'; allowed keys: max_layers, allow",
            workspace.Reject("name: t\nmodel: lenet\nptq:\n  fallback: 2\n").Message);
}
