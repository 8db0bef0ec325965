using QuantCluster.Quantization.Graph;

namespace QuantCluster.Quantization.GraphQuantization.Rules;

/// <summary>
/// MaxPool, AveragePool, GlobalAveragePool, Flatten and Reshape keep their input's scale and zero point (FX's "shared
/// qparams" ops): the output lies inside the input's range, so no new observer is needed, and with equal parameters ONNX
/// Runtime drops the Q/DQ pair around MaxPool, Flatten and Reshape and runs the pools on int8.
/// </summary>
internal sealed class SharedParametersRule : IQuantizationRule
{
    public void Apply(GraphNode node, PlanBuilder plan) => plan.Share(node.Output, node.Inputs[0], $"{node.Kind} keeps its input's parameters");
}
