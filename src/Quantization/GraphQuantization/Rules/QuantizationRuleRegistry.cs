using QuantCluster.Quantization.Graph;

namespace QuantCluster.Quantization.GraphQuantization.Rules;

/// <summary>The quantization rule of each node type; a node without one stops preparation with its name and kind.</summary>
internal static class QuantizationRuleRegistry
{
    private static readonly IQuantizationRule Shared = new SharedParametersRule();

    private static readonly Dictionary<Type, IQuantizationRule> Rules = new()
    {
        [typeof(ConvNode)] = new OutputPointRule(fusesActivation: true),
        [typeof(LinearNode)] = new OutputPointRule(fusesActivation: true),
        [typeof(AddNode)] = new OutputPointRule(fusesActivation: true),
        [typeof(MulNode)] = new OutputPointRule(fusesActivation: false),
        [typeof(ActivationNode)] = new ActivationRule(),
        [typeof(ConcatNode)] = new ConcatRule(),
        [typeof(MaxPoolNode)] = Shared,
        [typeof(AveragePoolNode)] = Shared,
        [typeof(GlobalAveragePoolNode)] = Shared,
        [typeof(FlattenNode)] = Shared,
        [typeof(ReshapeNode)] = Shared,
    };

    public static IQuantizationRule For(GraphNode node) => Rules.TryGetValue(node.GetType(), out var rule)
        ? rule
        : throw new NotSupportedException(node is BatchNormNode
            ? $"node '{node.Name}' (BatchNorm): only a BatchNorm that alone reads a convolution's output can be quantized (it is folded into the convolution)"
            : $"node '{node.Name}' ({node.Kind}): no quantization rule");
}
