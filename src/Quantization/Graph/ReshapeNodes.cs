namespace QuantCluster.Quantization.Graph;

/// <summary>Each sample flattened to one axis: [C, H, W] to [C * H * W], the batch kept.</summary>
public sealed record FlattenNode(string Name, string Input, string Output) : GraphNode(Name, [Input], Output)
{
    public override string Kind => "Flatten";

    public override Shape OutputShape(IReadOnlyList<Shape> inputs) => new(checked((int)inputs[0].ElementCount));
}

/// <summary>Each sample reshaped to a fixed shape with as many elements, the batch kept.</summary>
public sealed record ReshapeNode(string Name, string Input, string Output, Shape Target) : GraphNode(Name, [Input], Output)
{
    public override string Kind => "Reshape";

    public override Shape OutputShape(IReadOnlyList<Shape> inputs) =>
        inputs[0].ElementCount == Target.ElementCount ? Target : throw Invalid($"cannot reshape {inputs[0]} to {Target}: element counts differ");
}

/// <summary>Values joined along one per-sample axis (0 is the channel axis of a feature map); all else must agree.</summary>
public sealed record ConcatNode(string Name, IReadOnlyList<string> Parts, string Output, int Axis) : GraphNode(Name, Parts, Output)
{
    public override string Kind => "Concat";

    public override Shape OutputShape(IReadOnlyList<Shape> inputs)
    {
        var first = inputs[0];
        if (Axis < 0 || Axis >= first.Rank) throw Invalid($"axis {Axis} is outside a sample of shape {first}");
        var dims = first.Dims.ToArray();
        foreach (var part in inputs.Skip(1))
        {
            bool fits = part.Rank == first.Rank && Enumerable.Range(0, first.Rank).All(a => a == Axis || part[a] == first[a]);
            if (!fits) throw Invalid($"cannot join {part} to {first} along axis {Axis}");
            dims[Axis] += part[Axis];
        }
        return new Shape(dims);
    }
}
