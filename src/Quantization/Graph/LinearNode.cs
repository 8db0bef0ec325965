namespace QuantCluster.Quantization.Graph;

/// <summary>
/// A fully connected layer on the last axis, y = x W^T + b (Gemm, or MatMul by a constant). Weight is [OutFeatures,
/// InFeatures] row-major, torch's layout; Gemm's alpha and beta are already multiplied in. Bias may be null.
/// </summary>
public sealed record LinearNode(string Name, string Input, string Output, int InFeatures, int OutFeatures, float[] Weight, float[]? Bias)
    : GraphNode(Name, [Input], Output)
{
    public override string Kind => "Linear";

    public override Shape OutputShape(IReadOnlyList<Shape> inputs)
    {
        var input = inputs[0];
        if (input[input.Rank - 1] != InFeatures) throw Invalid($"input {input} ends in {input[input.Rank - 1]} features, the weights expect {InFeatures}");
        if (Weight.LongLength != (long)InFeatures * OutFeatures) throw Invalid($"{Weight.Length} weights do not fill [{OutFeatures}, {InFeatures}]");
        if (Bias is not null && Bias.Length != OutFeatures) throw Invalid($"{Bias.Length} biases for {OutFeatures} outputs");
        return new Shape([.. input.Dims.Take(input.Rank - 1), OutFeatures]);
    }
}
