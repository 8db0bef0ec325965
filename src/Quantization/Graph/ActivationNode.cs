namespace QuantCluster.Quantization.Graph;

/// <summary>
/// An element-wise activation. Min and Max are the bounds of <see cref="ActivationKind.Clip"/>; Alpha and Beta the slope
/// and offset of <see cref="ActivationKind.HardSigmoid"/>; other kinds ignore them. Use the factory methods.
/// </summary>
public sealed record ActivationNode(string Name, string Input, string Output, ActivationKind Activation, float Min, float Max, float Alpha, float Beta)
    : GraphNode(Name, [Input], Output)
{
    public override string Kind => Activation.ToString();

    public static ActivationNode Relu(string name, string input, string output) => Of(name, input, output, ActivationKind.Relu);

    public static ActivationNode Sigmoid(string name, string input, string output) => Of(name, input, output, ActivationKind.Sigmoid);

    public static ActivationNode HardSwish(string name, string input, string output) => Of(name, input, output, ActivationKind.HardSwish);

    public static ActivationNode Clip(string name, string input, string output, float min, float max) =>
        new(name, input, output, ActivationKind.Clip, min, max, 0, 0);

    public static ActivationNode HardSigmoid(string name, string input, string output, float alpha, float beta) =>
        new(name, input, output, ActivationKind.HardSigmoid, float.NegativeInfinity, float.PositiveInfinity, alpha, beta);

    public override Shape OutputShape(IReadOnlyList<Shape> inputs)
    {
        if (Activation == ActivationKind.Clip && !(Min <= Max)) throw Invalid($"clip bounds {Min} and {Max} are not an interval");
        return inputs[0];
    }

    private static ActivationNode Of(string name, string input, string output, ActivationKind kind) =>
        new(name, input, output, kind, float.NegativeInfinity, float.PositiveInfinity, 0, 0);
}
