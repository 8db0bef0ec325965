using QuantCluster.Quantization.Graph;

namespace QuantCluster.Quantization.GraphQuantization.Rules;

/// <summary>
/// Conv, Linear, Add and Mul: the output gets a point of its own (an Add's inputs each keep theirs, so the integer Add
/// requantizes both to the output's scale, which is ONNX Runtime's QLinearAdd). When <paramref name="fusesActivation"/>
/// and the output's only reader is a Relu or Clip, the point moves after that activation instead, as FX fuses conv-relu
/// and add-relu and ONNX Runtime drops a Relu or Clip whose range the QuantizeLinear after it already clamps to.
/// </summary>
internal sealed class OutputPointRule(bool fusesActivation) : IQuantizationRule
{
    public void Apply(GraphNode node, PlanBuilder plan)
    {
        if (fusesActivation && node.Output != plan.Graph.Output
            && plan.SoleReader(node.Output) is ActivationNode { Activation: ActivationKind.Relu or ActivationKind.Clip } activation)
        {
            plan.Fuse(activation, node);
            return;
        }
        plan.Point(node.Output, $"{node.Kind} output");
    }
}
