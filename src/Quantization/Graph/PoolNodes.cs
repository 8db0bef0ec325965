namespace QuantCluster.Quantization.Graph;

/// <summary>Max pooling over a sliding window; padding never wins the max.</summary>
public sealed record MaxPoolNode(string Name, string Input, string Output, SlidingWindow Window) : GraphNode(Name, [Input], Output)
{
    public override string Kind => "MaxPool";

    public override Shape OutputShape(IReadOnlyList<Shape> inputs) => Pooled(FeatureMap(inputs[0]), Window);

    internal static Shape Pooled(Shape input, SlidingWindow window)
    {
        var size = window.OutputSize(input[1], input[2]);
        return new Shape(input[0], size.Height, size.Width);
    }
}

/// <summary>
/// Average pooling over a sliding window. CountIncludePad says whether zero padding counts in the divisor (ONNX's
/// count_include_pad, torch's same-named flag). Dilation must be 1: torch's avg_pool2d has none.
/// </summary>
public sealed record AveragePoolNode(string Name, string Input, string Output, SlidingWindow Window, bool CountIncludePad) : GraphNode(Name, [Input], Output)
{
    public override string Kind => "AveragePool";

    public override Shape OutputShape(IReadOnlyList<Shape> inputs)
    {
        if (Window.Dilation != Size2d.Square(1)) throw Invalid($"average pooling with dilation {Window.Dilation}");
        return MaxPoolNode.Pooled(FeatureMap(inputs[0]), Window);
    }
}

/// <summary>
/// The mean over height and width of each channel: [C, H, W] to [C, 1, 1] (GlobalAveragePool, ReduceMean with keepdims)
/// or to [C] (ReduceMean without).
/// </summary>
public sealed record GlobalAveragePoolNode(string Name, string Input, string Output, bool KeepSpatialAxes) : GraphNode(Name, [Input], Output)
{
    public override string Kind => "GlobalAveragePool";

    public override Shape OutputShape(IReadOnlyList<Shape> inputs)
    {
        var input = FeatureMap(inputs[0]);
        return KeepSpatialAxes ? new Shape(input[0], 1, 1) : new Shape(input[0]);
    }
}
