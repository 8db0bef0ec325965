using Onnx;
using QuantCluster.Quantization.Graph;

namespace QuantCluster.Quantization.Onnx.Import.Converters;

/// <summary>
/// Concat of computed values becomes a <see cref="ConcatNode"/>; Concat of 1-D integer constants (the pieces of a target
/// shape) is folded to a constant.
/// </summary>
internal sealed class ConcatConverter : IOpConverter
{
    public string OpType => "Concat";

    public OpsetRange Opsets => OpsetRange.From(4);

    public void Convert(NodeProto node, ImportContext context)
    {
        long axis = node.Int("axis", long.MaxValue);
        if (axis == long.MaxValue) throw new NodeConversionException("no axis");
        int constants = node.Input.Count(context.IsConstant);
        if (constants == node.Input.Count)
        {
            var parts = node.Input.Select(i => context.Constant(i, "a part")).ToArray();
            if (parts.Any(p => p.Dims.Length != 1 || p.Integers is null) || (axis != 0 && axis != -1))
                throw new NodeConversionException("only constants that are 1-D integer tensors (pieces of a shape) can be joined at import");
            long[] joined = [.. parts.SelectMany(p => p.Integers!)];
            context.DefineConstant(node.Output[0], ConstantTensor.FromIntegers(joined, joined.Length));
            return;
        }
        if (constants > 0) throw new NodeConversionException("joins constants with computed values; only all of one kind is supported");
        string[] values = [.. node.Input.Select(context.Value)];
        context.Add(new ConcatNode(node.DisplayName(), values, node.Output[0], Axes.PerSample(axis, context.ShapeOf(values[0]))));
    }
}
