using QuantCluster.Quantization.Graph;

namespace QuantCluster.Quantization.GraphQuantization.Rules;

/// <summary>
/// Concat joins its inputs' points into one, observed over all of them, and its output shares it: with one scale and
/// zero point the join copies integers and needs no requantization (FX and ONNX Runtime's quantizer do the same).
/// </summary>
internal sealed class ConcatRule : IQuantizationRule
{
    public void Apply(GraphNode node, PlanBuilder plan)
    {
        foreach (string part in node.Inputs.Skip(1)) plan.Join(node.Inputs[0], part);
        plan.Share(node.Output, node.Inputs[0], "Concat shares one scale with its inputs");
    }
}
