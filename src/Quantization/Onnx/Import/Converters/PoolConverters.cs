using Onnx;
using QuantCluster.Quantization.Graph;

namespace QuantCluster.Quantization.Onnx.Import.Converters;

/// <summary>MaxPool becomes a <see cref="MaxPoolNode"/>; the optional indices output is left undefined.</summary>
internal sealed class MaxPoolConverter : IOpConverter
{
    public string OpType => "MaxPool";

    public OpsetRange Opsets => OpsetRange.From(1);

    public void Convert(NodeProto node, ImportContext context) =>
        context.Add(new MaxPoolNode(node.DisplayName(), context.Value(node.Input[0]), node.Output[0], WindowAttributes.Read(node, null)));
}

/// <summary>AveragePool becomes an <see cref="AveragePoolNode"/>; count_include_pad defaults to 0 in ONNX.</summary>
internal sealed class AveragePoolConverter : IOpConverter
{
    public string OpType => "AveragePool";

    public OpsetRange Opsets => OpsetRange.From(7);

    public void Convert(NodeProto node, ImportContext context) =>
        context.Add(new AveragePoolNode(node.DisplayName(), context.Value(node.Input[0]), node.Output[0], WindowAttributes.Read(node, null),
            node.Int("count_include_pad", 0) != 0));
}

/// <summary>GlobalAveragePool: the mean over height and width, kept as [C, 1, 1].</summary>
internal sealed class GlobalAveragePoolConverter : IOpConverter
{
    public string OpType => "GlobalAveragePool";

    public OpsetRange Opsets => OpsetRange.From(1);

    public void Convert(NodeProto node, ImportContext context) =>
        context.Add(new GlobalAveragePoolNode(node.DisplayName(), context.Value(node.Input[0]), node.Output[0], KeepSpatialAxes: true));
}

/// <summary>
/// ReduceMean over exactly the two spatial axes of a feature map (torch's x.mean([2, 3])) is a global average pool.
/// Up to opset 17 the axes are an attribute; 18 moved them to an input, which this converter does not read.
/// </summary>
internal sealed class ReduceMeanConverter : IOpConverter
{
    public string OpType => "ReduceMean";

    public OpsetRange Opsets => OpsetRange.From(1);

    public void Convert(NodeProto node, ImportContext context)
    {
        string input = context.Value(node.Input[0]);
        var shape = context.ShapeOf(input);
        long[] axes = node.Ints("axes") ?? throw new NodeConversionException("no axes: a mean over every axis, the batch included, is not supported");
        int[] perSample = [.. axes.Select(a => Axes.PerSample(a, shape)).Order()];
        if (shape.Rank != 3 || !perSample.SequenceEqual([1, 2]))
            throw new NodeConversionException($"a mean over axes [{string.Join(", ", axes)}] of a {shape} sample; only the mean over height and width of a feature map is supported");
        context.Add(new GlobalAveragePoolNode(node.DisplayName(), input, node.Output[0], KeepSpatialAxes: node.Int("keepdims", 1) != 0));
    }
}
