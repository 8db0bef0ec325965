using Onnx;
using QuantCluster.Quantization.Graph;

namespace QuantCluster.Quantization.Onnx.Import.Converters;

/// <summary>Flatten at axis 1 (torch.flatten(x, 1)) flattens each sample; any other axis would merge samples or keep axes.</summary>
internal sealed class FlattenConverter : IOpConverter
{
    public string OpType => "Flatten";

    public OpsetRange Opsets => OpsetRange.From(1);

    public void Convert(NodeProto node, ImportContext context)
    {
        string input = context.Value(node.Input[0]);
        long axis = node.Int("axis", 1);
        int rank = context.ShapeOf(input).Rank + 1;
        if ((axis < 0 ? axis + rank : axis) != 1)
            throw new NodeConversionException($"axis {axis} of a rank-{rank} tensor; only axis 1 (each sample to one axis) is supported");
        context.Add(new FlattenNode(node.DisplayName(), input, node.Output[0]));
    }
}
