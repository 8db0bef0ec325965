using QuantCluster.Quantization.Graph;

namespace QuantCluster.Tests.Graph;

/// <summary>A graph is checked once when built: shapes resolved through every node, errors naming the node at fault.</summary>
public sealed class ModelGraphTests
{
    private static readonly SlidingWindow Stride2 = new(Size2d.Square(3), Size2d.Square(2), Size2d.Square(1), Size2d.Square(1));

    [Fact]
    public void Shapes_are_resolved_through_a_branch_and_a_join()
    {
        var graph = new ModelGraph("residual", "x", new Shape(2, 8, 8), "y",
        [
            new ConvNode("conv", "x", "c", 2, 4, 1, Stride2, new float[4 * 2 * 9], null),
            ActivationNode.Relu("relu", "c", "r"),
            new ConvNode("skip", "x", "s", 2, 4, 2, Stride2, new float[4 * 1 * 9], new float[4]),
            new AddNode("add", "r", "s", "sum"),
            new GlobalAveragePoolNode("pool", "sum", "p", KeepSpatialAxes: false),
            new LinearNode("fc", "p", "y", 4, 10, new float[40], new float[10]),
        ]);

        Assert.Equal(new Shape(4, 4, 4), graph.ShapeOf("sum"));
        Assert.Equal(new Shape(10), graph.OutputShape);
        Assert.Equal(["x", "c", "r", "s", "sum", "p", "y"], graph.Values);
    }

    [Fact]
    public void A_value_read_before_it_is_written_names_the_node()
    {
        var error = Assert.Throws<InvalidGraphException>(() => new ModelGraph("g", "x", new Shape(1, 4, 4), "y",
        [
            ActivationNode.Relu("early", "later", "y"),
            ActivationNode.Sigmoid("late", "x", "later"),
        ]));

        Assert.Equal("node 'early' (Relu): reads 'later' before any node defines it", error.Message);
    }

    [Fact]
    public void Shapes_that_do_not_broadcast_name_the_node_and_both_shapes()
    {
        var error = Assert.Throws<InvalidGraphException>(() => new ModelGraph("g", "x", new Shape(2, 4, 4), "y",
        [
            new ConvNode("widen", "x", "w", 2, 3, 1, new SlidingWindow(Size2d.Square(1), Size2d.Square(1), Size2d.Square(0), Size2d.Square(1)), new float[6], null),
            new AddNode("add", "x", "w", "y"),
        ]));

        Assert.Equal("node 'add' (Add): cannot broadcast [2, 4, 4] with [3, 4, 4]: axis 0 has 2 and 3", error.Message);
    }

    [Fact]
    public void A_convolution_given_the_wrong_channel_count_names_the_node()
    {
        var error = Assert.Throws<InvalidGraphException>(() => new ModelGraph("g", "x", new Shape(3, 8, 8), "y",
            [new ConvNode("conv", "x", "y", 1, 4, 1, Stride2, new float[4 * 9], null)]));

        Assert.Equal("node 'conv' (Conv): input [3, 8, 8] has 3 channels, the weights expect 1", error.Message);
    }

    [Fact]
    public void A_window_larger_than_the_input_names_the_node()
    {
        var window = new SlidingWindow(Size2d.Square(5), Size2d.Square(1), Size2d.Square(0), Size2d.Square(1));

        var error = Assert.Throws<InvalidGraphException>(() => new ModelGraph("g", "x", new Shape(1, 3, 3), "y", [new MaxPoolNode("pool", "x", "y", window)]));

        Assert.Equal("node 'pool' (MaxPool): a 5 kernel (stride 1, padding 0, dilation 1) does not fit a 3x3 input", error.Message);
    }
}
