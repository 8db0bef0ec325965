using Onnx;
using QuantCluster.Quantization.Graph;

namespace QuantCluster.Quantization.Onnx.Import.Converters;

/// <summary>An element-wise activation with no inputs but the value (Relu, Sigmoid, HardSigmoid, HardSwish).</summary>
internal sealed class ActivationConverter(string opType, OpsetRange opsets, Func<string, string, string, NodeProto, ActivationNode> create) : IOpConverter
{
    public string OpType => opType;

    public OpsetRange Opsets => opsets;

    public void Convert(NodeProto node, ImportContext context) =>
        context.Add(create(node.DisplayName(), context.Value(node.Input[0]), node.Output[0], node));
}
