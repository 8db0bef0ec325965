using QuantCluster.Quantization.FakeQuant;
using QuantCluster.Quantization.Integer;
using static TorchSharp.torch;

namespace QuantCluster.Quantization.Models;

/// <summary>
/// A compute layer (convolution or fully connected) with its activation and the quantization point on its output.
/// In the INT8 model it becomes one integer layer: folded weights, int32 bias, requantization, clamp.
/// </summary>
public abstract class QuantizableLayer(string name) : nn.Module<Tensor, Tensor>(name)
{
    public abstract FusedActivation Activation { get; }

    public abstract ActivationFakeQuantize Output { get; }

    public abstract WeightFakeQuantizer WeightQuantizer { get; }

    /// <summary>Whether weights are fake-quantized in the forward pass.</summary>
    public bool FakeQuantWeights { get; set; }

    /// <summary>The weight and bias the integer layer uses, BatchNorm folded in, as fresh tensors without gradient.</summary>
    public abstract (Tensor Weight, Tensor Bias) FoldedWeightAndBias();

    protected Tensor Activate(Tensor x) => Activation switch
    {
        FusedActivation.Relu => nn.functional.relu(x),
        FusedActivation.Relu6 => PinnedScalars.Relu6(x),
        _ => x,
    };
}
