using Onnx;
using QuantCluster.Quantization.Graph;

namespace QuantCluster.Quantization.Onnx.Import.Converters;

/// <summary>
/// Add or Mul of two computed values (residuals, squeeze-excite gates, x * hardsigmoid(x)). A constant operand is an
/// error for now: no torchvision CNN writes one, and it would need its own quantization rule.
/// </summary>
internal sealed class ElementwiseConverter(string opType, Func<string, string, string, string, ElementwiseNode> create) : IOpConverter
{
    public string OpType => opType;

    // Opset 7 brought numpy-style broadcasting; before it, a broadcast was an attribute.
    public OpsetRange Opsets => OpsetRange.From(7);

    public void Convert(NodeProto node, ImportContext context)
    {
        foreach (string operand in node.Input)
        {
            if (context.IsConstant(operand))
                throw new NodeConversionException($"operand '{operand}' is a constant; only {opType} of two values computed from the model input is supported");
        }
        context.Add(create(node.DisplayName(), context.Value(node.Input[0]), context.Value(node.Input[1]), node.Output[0]));
    }
}
