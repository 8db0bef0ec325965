using QuantCluster.Quantization.Graph;

namespace QuantCluster.Quantization.GraphQuantization.Rules;

/// <summary>
/// Every activation's output is a point: a fused Relu or Clip carries the point of the node it is fused onto; any other
/// (a Relu after a value others read too, Sigmoid, HardSigmoid, HardSwish) changes the range, so it needs its own.
/// </summary>
internal sealed class ActivationRule : IQuantizationRule
{
    public void Apply(GraphNode node, PlanBuilder plan)
    {
        var activation = (ActivationNode)node;
        string? producer = plan.FusedInto(activation);
        plan.Point(node.Output, producer is null ? $"{node.Kind} output" : $"output of '{producer}' with its {node.Kind} fused");
    }
}
