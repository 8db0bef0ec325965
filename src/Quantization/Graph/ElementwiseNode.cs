namespace QuantCluster.Quantization.Graph;

/// <summary>
/// An element-wise operation on two values of one rank that broadcast per axis (sizes equal, or 1 on one side), as a
/// residual Add ([C, H, W] + [C, H, W]) or a squeeze-excite Mul ([C, H, W] * [C, 1, 1]) needs. Both sides carry the
/// batch, so ranks must match: numpy's right alignment of unequal ranks would pair the batch with a channel axis.
/// </summary>
public abstract record ElementwiseNode(string Name, string Left, string Right, string Output) : GraphNode(Name, [Left, Right], Output)
{
    public override Shape OutputShape(IReadOnlyList<Shape> inputs)
    {
        Shape left = inputs[0], right = inputs[1];
        if (left.Rank != right.Rank) throw Invalid($"cannot broadcast {left} with {right}: ranks differ");
        var dims = new int[left.Rank];
        for (int axis = 0; axis < dims.Length; axis++)
        {
            if (left[axis] != right[axis] && left[axis] != 1 && right[axis] != 1)
                throw Invalid($"cannot broadcast {left} with {right}: axis {axis} has {left[axis]} and {right[axis]}");
            dims[axis] = Math.Max(left[axis], right[axis]);
        }
        return new Shape(dims);
    }
}

/// <summary>Left + Right, broadcast per axis: residual connections.</summary>
public sealed record AddNode(string Name, string Left, string Right, string Output) : ElementwiseNode(Name, Left, Right, Output)
{
    public override string Kind => "Add";
}

/// <summary>Left * Right, broadcast per axis: squeeze-excite gates and hard-swish written as x * hardsigmoid(x).</summary>
public sealed record MulNode(string Name, string Left, string Right, string Output) : ElementwiseNode(Name, Left, Right, Output)
{
    public override string Kind => "Mul";
}
