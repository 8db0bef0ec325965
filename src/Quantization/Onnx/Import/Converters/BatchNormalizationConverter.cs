using Onnx;
using QuantCluster.Quantization.Graph;

namespace QuantCluster.Quantization.Onnx.Import.Converters;

/// <summary>
/// BatchNormalization with constant parameters becomes a <see cref="BatchNormNode"/>. A train-mode export writes up to
/// four more outputs (running and saved statistics); they are left undefined, so a node that reads one fails by name.
/// ONNX's momentum weighs the old running value, torch's the new batch statistic: torch's is 1 - ONNX's.
/// </summary>
internal sealed class BatchNormalizationConverter : IOpConverter
{
    public string OpType => "BatchNormalization";

    public OpsetRange Opsets => OpsetRange.From(7);

    public void Convert(NodeProto node, ImportContext context)
    {
        string input = context.Value(node.Input[0]);
        float[] Parameter(int index, string what) => context.Constant(node.Input[index], what).AsFloats(what);
        context.Add(new BatchNormNode(node.DisplayName(), input, node.Output[0],
            Parameter(1, "the scale"), Parameter(2, "the bias"), Parameter(3, "the running mean"), Parameter(4, "the running variance"),
            node.Float("epsilon", 1e-5f), 1 - node.Float("momentum", 0.9f)));
    }
}
