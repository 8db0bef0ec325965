using Onnx;

namespace QuantCluster.Quantization.Onnx.Import.Converters;

/// <summary>
/// Ops that return their first input at inference (Identity; Dropout, whose training mode the graph does not keep:
/// fine-tuning an imported model does not drop out) disappear: their output becomes another name for their input.
/// </summary>
internal sealed class PassThroughConverter(string opType) : IOpConverter
{
    public string OpType => opType;

    public OpsetRange Opsets => OpsetRange.From(1);

    public void Convert(NodeProto node, ImportContext context) => context.Alias(node.Output[0], node.Input[0]);
}
