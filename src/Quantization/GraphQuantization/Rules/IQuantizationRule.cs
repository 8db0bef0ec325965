using QuantCluster.Quantization.Graph;

namespace QuantCluster.Quantization.GraphQuantization.Rules;

/// <summary>How one kind of node is quantized: which of its values become points and which share parameters (ONNX Runtime's quantizer keeps these in operators/, one class per op).</summary>
internal interface IQuantizationRule
{
    void Apply(GraphNode node, PlanBuilder plan);
}
