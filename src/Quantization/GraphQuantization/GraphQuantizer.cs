using QuantCluster.Quantization.Graph;
using QuantCluster.Quantization.GraphQuantization.Rules;

namespace QuantCluster.Quantization.GraphQuantization;

/// <summary>
/// Prepare, the first of the three verbs (prepare, calibrate, convert): folds BatchNorm into the convolutions and decides
/// the quantization points of a graph, node by node, with the rule registered for each node type.
/// </summary>
public static class GraphQuantizer
{
    /// <exception cref="NotSupportedException">A node has no quantization rule; the message names it.</exception>
    public static QuantizationPlan Prepare(ModelGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var folded = BatchNormFolding.Fold(graph);
        var foldedNames = graph.Nodes.OfType<BatchNormNode>().Select(n => n.Name).Except(folded.Nodes.Select(n => n.Name)).ToArray();
        var plan = new PlanBuilder(folded);
        plan.Point(folded.Input, "graph input");
        foreach (var node in folded.Nodes) QuantizationRuleRegistry.For(node).Apply(node, plan);
        return plan.Build(foldedNames);
    }
}
