using Onnx;

namespace QuantCluster.Quantization.Onnx.Import.Converters;

// Constants and the shape arithmetic torch.onnx.export writes for x.view(x.size(0), -1): each op here folds at import,
// so no graph node is made; a Reshape then reads the result as a constant target shape.

/// <summary>Constant: its value, from the tensor attribute or (opset 12+) value_float(s) / value_int(s).</summary>
internal sealed class ConstantConverter : IOpConverter
{
    public string OpType => "Constant";

    public OpsetRange Opsets => OpsetRange.From(1);

    public void Convert(NodeProto node, ImportContext context)
    {
        var attribute = node.Attribute.Count == 1 ? node.Attribute[0] : throw new NodeConversionException($"a Constant needs exactly one value attribute; this one has {node.Attribute.Count}");
        var value = attribute.Name switch
        {
            "value" => TensorReader.Read(attribute.T),
            "value_float" => ConstantTensor.FromFloats([attribute.F]),
            "value_floats" => ConstantTensor.FromFloats([.. attribute.Floats], attribute.Floats.Count),
            "value_int" => ConstantTensor.FromIntegers([attribute.I]),
            "value_ints" => ConstantTensor.FromIntegers([.. attribute.Ints], attribute.Ints.Count),
            _ => throw new NodeConversionException($"a {attribute.Name} constant; only tensor, float and integer constants are supported"),
        };
        context.DefineConstant(node.Output[0], value);
    }
}

/// <summary>
/// Shape of a computed value: its static per-sample shape behind the batch, which stays symbolic
/// (<see cref="ConstantTensor.Batch"/>). Opset 15's start and end take a slice of it.
/// </summary>
internal sealed class ShapeConverter : IOpConverter
{
    public string OpType => "Shape";

    public OpsetRange Opsets => OpsetRange.From(1);

    public void Convert(NodeProto node, ImportContext context)
    {
        long[] dims = context.IsConstant(node.Input[0])
            ? context.Constant(node.Input[0], "the input").Dims
            : [ConstantTensor.Batch, .. context.ShapeOf(node.Input[0]).Dims.Select(d => (long)d)];
        long start = Clamp(node.Int("start", 0), dims.Length), end = Clamp(node.Int("end", dims.Length), dims.Length);
        long[] slice = dims[(int)start..(int)Math.Max(start, end)];
        context.DefineConstant(node.Output[0], ConstantTensor.FromIntegers(slice, slice.Length));
    }

    private static long Clamp(long index, int rank) => Math.Clamp(index < 0 ? index + rank : index, 0, rank);
}

/// <summary>Gather along axis 0 of a 1-D constant (one entry of a shape) with constant indices.</summary>
internal sealed class GatherConverter : IOpConverter
{
    public string OpType => "Gather";

    public OpsetRange Opsets => OpsetRange.From(1);

    public void Convert(NodeProto node, ImportContext context)
    {
        var data = context.Constant(node.Input[0], "the data");
        var indices = context.Constant(node.Input[1], "the indices");
        if (data.Dims.Length != 1 || data.Integers is null || node.Int("axis", 0) != 0 || indices.Dims.Length > 1)
            throw new NodeConversionException($"Gather of {data} by {indices}; only picking entries of a 1-D integer constant (a shape) is supported");
        long length = data.Dims[0];
        long[] picked = [.. indices.AsIntegers("the indices").Select(i => i >= -length && i < length
            ? data.Integers[i < 0 ? i + length : i]
            : throw new NodeConversionException($"index {i} is outside {length} entries"))];
        context.DefineConstant(node.Output[0], ConstantTensor.FromIntegers(picked, indices.Dims));
    }
}

/// <summary>Unsqueeze of a constant up to opset 12: the new axes are an attribute.</summary>
internal sealed class UnsqueezeWithAttributeConverter : IOpConverter
{
    public string OpType => "Unsqueeze";

    public OpsetRange Opsets => new(1, 12);

    public void Convert(NodeProto node, ImportContext context) =>
        context.DefineConstant(node.Output[0], Unsqueeze.Of(context.Constant(node.Input[0], "the data"), node.Ints("axes") ?? throw new NodeConversionException("no axes")));
}

/// <summary>Unsqueeze of a constant from opset 13: the new axes are a constant input.</summary>
internal sealed class UnsqueezeWithInputConverter : IOpConverter
{
    public string OpType => "Unsqueeze";

    public OpsetRange Opsets => OpsetRange.From(13);

    public void Convert(NodeProto node, ImportContext context) =>
        context.DefineConstant(node.Output[0], Unsqueeze.Of(context.Constant(node.Input[0], "the data"), context.Constant(node.Input[1], "the axes").AsIntegers("the axes")));
}

internal static class Unsqueeze
{
    /// <summary>The same values with size-1 axes inserted at the given positions of the result.</summary>
    public static ConstantTensor Of(ConstantTensor data, long[] axes)
    {
        int rank = data.Dims.Length + axes.Length;
        var inserted = axes.Select(a => a < 0 ? a + rank : a).ToHashSet();
        if (inserted.Count != axes.Length || inserted.Any(a => a < 0 || a >= rank))
            throw new NodeConversionException($"axes [{string.Join(", ", axes)}] do not fit a rank-{rank} result");
        var dims = new long[rank];
        for (int axis = 0, source = 0; axis < rank; axis++) dims[axis] = inserted.Contains(axis) ? 1 : data.Dims[source++];
        return data with { Dims = dims };
    }
}
