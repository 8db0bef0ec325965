using Onnx;
using QuantCluster.Quantization.Graph;

namespace QuantCluster.Quantization.Onnx.Import.Converters;

/// <summary>Conv with constant weights (and bias) over a 2-D feature map becomes a <see cref="ConvNode"/>.</summary>
internal sealed class ConvConverter : IOpConverter
{
    public string OpType => "Conv";

    public OpsetRange Opsets => OpsetRange.From(1);

    public void Convert(NodeProto node, ImportContext context)
    {
        string input = context.Value(node.Input[0]);
        var weight = context.Constant(node.Input[1], "the weight");
        if (weight.Dims.Length != 4) throw new NodeConversionException($"weight {weight}; only 2-D convolutions ([M, C/group, kH, kW] weights) are supported");
        var bias = node.OptionalInput(2) is { } b ? context.Constant(b, "the bias").AsFloats("the bias") : null;
        int groups = checked((int)node.Int("group", 1));
        var window = WindowAttributes.Read(node, weight.Dims[2..]);
        context.Add(new ConvNode(node.DisplayName(), input, node.Output[0], checked((int)weight.Dims[1] * groups), checked((int)weight.Dims[0]), groups, window,
            weight.AsFloats("the weight"), bias));
    }
}
