using QuantCluster.Quantization.Graph;
using QuantCluster.Quantization.GraphQuantization;
using QuantCluster.Tests.Quantization;
using static TorchSharp.torch;

namespace QuantCluster.Tests.GraphQuantization;

/// <summary>Prepare puts the points where FX and ONNX Runtime's QDQ quantizer put them: one test per rule, on small hand-made graphs.</summary>
[Collection(TorchTests.Name)]
public sealed class PrepareTests
{
    private static readonly SlidingWindow Same3x3 = new(Size2d.Square(3), Size2d.Square(1), Size2d.Square(1), Size2d.Square(1));
    private static readonly SlidingWindow Pool2x2 = new(Size2d.Square(2), Size2d.Square(2), Size2d.Square(0), Size2d.Square(1));

    [Fact]
    public void The_input_is_a_point_and_a_relu_after_a_convolution_is_fused_onto_its_output()
    {
        var plan = GraphQuantizer.Prepare(Graph(new Shape(2, 8, 8), "r",
            Conv("conv", "x", "c", 2, 4),
            ActivationNode.Relu("relu", "c", "r")));

        Assert.Equal("graph input", plan.Reasons["x"]);
        Assert.True(plan.IsObserved("x"));
        Assert.Null(plan.PointOf("c"));
        Assert.Equal("conv", plan.FusedActivations["relu"]);
        Assert.Equal("output of 'conv' with its Relu fused", plan.Reasons["r"]);
        Assert.Equal(["x", "r"], plan.Points.Select(p => p.Name));
    }

    [Fact]
    public void A_clip_is_fused_but_not_onto_a_convolution_whose_output_another_node_reads()
    {
        var plan = GraphQuantizer.Prepare(Graph(new Shape(2, 8, 8), "sum",
            Conv("conv", "x", "c", 2, 2),
            ActivationNode.Clip("relu6", "c", "r", 0, 6),
            new AddNode("add", "r", "c", "sum")));

        Assert.Empty(plan.FusedActivations);
        Assert.Equal("Conv output", plan.Reasons["c"]);
        Assert.Equal("Clip output", plan.Reasons["r"]);
    }

    [Fact]
    public void A_batchnorm_alone_after_a_convolution_is_folded_and_the_relu_after_it_fused()
    {
        var plan = GraphQuantizer.Prepare(Graph(new Shape(2, 8, 8), "r",
            Conv("conv", "x", "c", 2, 4),
            BatchNorm("bn", "c", "b", 4),
            ActivationNode.Relu("relu", "b", "r")));

        Assert.Equal(["bn"], plan.FoldedBatchNorms);
        Assert.Equal(["conv", "relu"], plan.Graph.Nodes.Select(n => n.Name));
        Assert.Equal("b", plan.Graph.Nodes[0].Output);
        Assert.Equal("conv", plan.FusedActivations["relu"]);
        Assert.Null(plan.PointOf("b"));
    }

    [Fact]
    public void Folding_a_batchnorm_gives_the_convolution_the_same_outputs_in_eval()
    {
        var graph = Graph(new Shape(2, 8, 8), "b", Conv("conv", "x", "c", 2, 4), BatchNorm("bn", "c", "b", 4));
        using var original = new GraphNetwork(graph);
        using var folded = new GraphNetwork(BatchNormFolding.Fold(graph));
        original.eval();
        folded.eval();
        using var scope = NewDisposeScope();
        random.manual_seed(3);
        var x = randn(5, 2, 8, 8);

        Assert.True(original.call(x).allclose(folded.call(x), rtol: 1e-5, atol: 1e-5));
    }

    [Fact]
    public void An_add_gets_its_own_point_and_its_inputs_keep_theirs()
    {
        var plan = GraphQuantizer.Prepare(Graph(new Shape(2, 8, 8), "r",
            Conv("conv", "x", "c", 2, 2),
            new AddNode("add", "c", "x", "sum"),
            ActivationNode.Relu("relu", "sum", "r")));

        Assert.Equal(["x", "c", "r"], plan.Points.Select(p => p.Name));
        Assert.Equal("add", plan.FusedActivations["relu"]);
        Assert.All(plan.Points, p => Assert.Single(p.Values));
    }

    [Fact]
    public void A_concat_shares_one_point_observed_over_its_inputs()
    {
        var plan = GraphQuantizer.Prepare(Graph(new Shape(2, 8, 8), "j",
            Conv("left", "x", "l", 2, 3),
            ActivationNode.Sigmoid("gate", "x", "g"),
            new ConcatNode("join", ["l", "g"], "j", 0)));

        var point = plan.PointOf("j")!;
        Assert.Equal("l", point.Name);
        Assert.Equal(["l", "g"], point.Observed);
        Assert.Equal(["j"], point.Sharing);
        Assert.Same(point, plan.PointOf("g"));
        Assert.Equal("Concat shares one scale with its inputs", plan.Reasons["j"]);
    }

    [Fact]
    public void Pools_flatten_and_reshape_keep_their_inputs_parameters()
    {
        var plan = GraphQuantizer.Prepare(Graph(new Shape(2, 8, 8), "f",
            Conv("conv", "x", "c", 2, 4),
            new MaxPoolNode("max", "c", "m", Pool2x2),
            new AveragePoolNode("avg", "m", "a", Pool2x2, CountIncludePad: false),
            new GlobalAveragePoolNode("gap", "a", "g", KeepSpatialAxes: true),
            new FlattenNode("flatten", "g", "f")));

        var point = plan.PointOf("f")!;
        Assert.Equal("c", point.Name);
        Assert.Equal(["c"], point.Observed);
        Assert.Equal(["m", "a", "g", "f"], point.Sharing);
        Assert.Equal("AveragePool keeps its input's parameters", plan.Reasons["a"]);
    }

    [Fact]
    public void Sigmoid_hardsigmoid_hardswish_and_mul_outputs_are_points()
    {
        var plan = GraphQuantizer.Prepare(Graph(new Shape(2, 8, 8), "m",
            ActivationNode.Sigmoid("sigmoid", "x", "s"),
            ActivationNode.HardSigmoid("hardsigmoid", "s", "h", 1 / 6f, 0.5f),
            ActivationNode.HardSwish("hardswish", "h", "w"),
            new MulNode("mul", "w", "x", "m")));

        Assert.Equal(["x", "s", "h", "w", "m"], plan.Points.Select(p => p.Name));
        Assert.Equal("HardSwish output", plan.Reasons["w"]);
        Assert.Equal("Mul output", plan.Reasons["m"]);
        Assert.Empty(plan.FusedActivations);
    }

    [Fact]
    public void A_batchnorm_that_does_not_follow_a_convolution_is_refused_by_name()
    {
        var error = Assert.Throws<NotSupportedException>(() => GraphQuantizer.Prepare(Graph(new Shape(2, 8, 8), "b", BatchNorm("bn", "x", "b", 2))));

        Assert.Equal("node 'bn' (BatchNorm): only a BatchNorm that alone reads a convolution's output can be quantized (it is folded into the convolution)", error.Message);
    }

    private static ModelGraph Graph(Shape input, string output, params GraphNode[] nodes) => new("test", "x", input, output, nodes);

    private static ConvNode Conv(string name, string input, string output, int inChannels, int outChannels)
    {
        var random = new Random(name.Length);
        float[] weight = [.. Enumerable.Range(0, outChannels * inChannels * 9).Select(_ => (float)(random.NextDouble() - 0.5))];
        return new ConvNode(name, input, output, inChannels, outChannels, 1, Same3x3, weight, [.. Enumerable.Range(0, outChannels).Select(c => c * 0.1f)]);
    }

    private static BatchNormNode BatchNorm(string name, string input, string output, int channels) => new(
        name, input, output,
        [.. Enumerable.Range(0, channels).Select(c => 0.5f + c)], [.. Enumerable.Range(0, channels).Select(c => c * 0.2f - 0.3f)],
        [.. Enumerable.Range(0, channels).Select(c => c * 0.1f)], [.. Enumerable.Range(0, channels).Select(c => 0.3f + c)], 1e-5f, 0.1f);
}
