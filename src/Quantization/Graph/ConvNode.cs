namespace QuantCluster.Quantization.Graph;

/// <summary>
/// A 2-D convolution. Weight is [OutChannels, InChannels / Groups, kernel height, kernel width] row-major, as torch and
/// ONNX hold it; Bias is one value per output channel or null.
/// </summary>
public sealed record ConvNode(
    string Name, string Input, string Output, int InChannels, int OutChannels, int Groups, SlidingWindow Window, float[] Weight, float[]? Bias)
    : GraphNode(Name, [Input], Output)
{
    public override string Kind => "Conv";

    public long[] WeightShape => [OutChannels, InChannels / Groups, Window.Kernel.Height, Window.Kernel.Width];

    public override Shape OutputShape(IReadOnlyList<Shape> inputs)
    {
        var input = FeatureMap(inputs[0]);
        if (input[0] != InChannels) throw Invalid($"input {input} has {input[0]} channels, the weights expect {InChannels}");
        if (Groups <= 0 || InChannels % Groups != 0 || OutChannels % Groups != 0)
            throw Invalid($"{Groups} groups do not divide {InChannels} input and {OutChannels} output channels");
        if (Weight.LongLength != WeightShape.Aggregate(1L, (p, d) => p * d))
            throw Invalid($"{Weight.Length} weights do not fill [{string.Join(", ", WeightShape)}]");
        if (Bias is not null && Bias.Length != OutChannels) throw Invalid($"{Bias.Length} biases for {OutChannels} output channels");
        var size = Window.OutputSize(input[1], input[2]);
        return new Shape(OutChannels, size.Height, size.Width);
    }
}
