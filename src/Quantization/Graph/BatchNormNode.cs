namespace QuantCluster.Quantization.Graph;

/// <summary>
/// Batch normalization over the channel axis of a feature map, kept as its own node (a train-mode export) so that
/// fine-tuning can update the statistics and a later pass can fold it into the convolution before it. Momentum is
/// torch's: running = (1 - Momentum) * running + Momentum * batch statistic.
/// </summary>
public sealed record BatchNormNode(
    string Name, string Input, string Output, float[] Scale, float[] Bias, float[] RunningMean, float[] RunningVariance, float Epsilon, float Momentum)
    : GraphNode(Name, [Input], Output)
{
    public override string Kind => "BatchNorm";

    public int Channels => Scale.Length;

    public override Shape OutputShape(IReadOnlyList<Shape> inputs)
    {
        var input = FeatureMap(inputs[0]);
        if (input[0] != Channels) throw Invalid($"input {input} has {input[0]} channels, the statistics are for {Channels}");
        if (Bias.Length != Channels || RunningMean.Length != Channels || RunningVariance.Length != Channels)
            throw Invalid($"scale, bias, mean and variance have {Channels}, {Bias.Length}, {RunningMean.Length} and {RunningVariance.Length} values; they must agree");
        return input;
    }
}
