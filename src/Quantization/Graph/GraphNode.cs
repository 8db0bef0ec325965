namespace QuantCluster.Quantization.Graph;

/// <summary>
/// One operation of a <see cref="ModelGraph"/>. It reads named values and writes one named value, as torch.fx and ONNX
/// nodes do, so a pass can put a quantization point on any value without knowing which operation made it. Each kind
/// of operation is its own record and knows the shape it produces from the shapes it reads.
/// </summary>
public abstract record GraphNode(string Name, IReadOnlyList<string> Inputs, string Output)
{
    /// <summary>A short name of the operation for messages and tables ("Conv", "Add").</summary>
    public abstract string Kind { get; }

    /// <summary>The per-sample shape of <see cref="Output"/>, given the shapes of <see cref="Inputs"/> in order.</summary>
    /// <exception cref="InvalidGraphException">The input shapes do not fit this operation; the message says how, not where.</exception>
    public abstract Shape OutputShape(IReadOnlyList<Shape> inputs);

    protected static InvalidGraphException Invalid(string problem) => new(problem);

    /// <summary>Checks that a feature map [C, H, W] comes in and returns it.</summary>
    protected static Shape FeatureMap(Shape input, string what = "input") =>
        input.Rank == 3 ? input : throw Invalid($"{what} {input} is not a feature map [C, H, W]");
}
