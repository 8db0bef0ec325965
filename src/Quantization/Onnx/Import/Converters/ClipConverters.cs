using Onnx;
using QuantCluster.Quantization.Graph;

namespace QuantCluster.Quantization.Onnx.Import.Converters;

/// <summary>Clip up to opset 10: the bounds are the min and max attributes (ONNX's defaults are the float range).</summary>
internal sealed class ClipWithAttributesConverter : IOpConverter
{
    public string OpType => "Clip";

    public OpsetRange Opsets => new(6, 10);

    public void Convert(NodeProto node, ImportContext context) =>
        context.Add(ActivationNode.Clip(node.DisplayName(), context.Value(node.Input[0]), node.Output[0],
            node.Float("min", float.MinValue), node.Float("max", float.MaxValue)));
}

/// <summary>
/// Clip from opset 11: the bounds are optional inputs, constants (Constant nodes or initializers, as torch.onnx.export
/// writes ReLU6), each a single value; a missing one is unbounded.
/// </summary>
internal sealed class ClipWithInputsConverter : IOpConverter
{
    public string OpType => "Clip";

    public OpsetRange Opsets => OpsetRange.From(11);

    public void Convert(NodeProto node, ImportContext context)
    {
        string input = context.Value(node.Input[0]);
        float min = node.OptionalInput(1) is { } lower ? context.Constant(lower, "the minimum").AsScalar("the minimum") : float.NegativeInfinity;
        float max = node.OptionalInput(2) is { } upper ? context.Constant(upper, "the maximum").AsScalar("the maximum") : float.PositiveInfinity;
        context.Add(ActivationNode.Clip(node.DisplayName(), input, node.Output[0], min, max));
    }
}
