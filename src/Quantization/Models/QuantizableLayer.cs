using QuantCluster.Quantization.FakeQuant;
using QuantCluster.Quantization.Integer;
using TorchSharp;
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

    /// <summary>Whether weights (and with them the bias) are fake-quantized in the forward pass.</summary>
    public bool FakeQuantWeights { get; set; }

    /// <summary>
    /// Left in FP32 by accuracy-driven fallback: weights and bias are never fake-quantized, whatever <see cref="FakeQuantWeights"/>
    /// says, while the input and output points still are (a float island between int8 activations). The converter then
    /// writes an FP32 layer, so the fake-quantized network and the integer model compute the same thing.
    /// </summary>
    public bool KeptInFp32 { get; set; }

    /// <summary>The quantization point of this layer's input, whose scale the int32 bias is expressed in.</summary>
    public ActivationFakeQuantize? InputPoint { get; set; }

    /// <summary>The weight and bias the integer layer uses, BatchNorm folded in, as fresh tensors without gradient.</summary>
    public abstract (Tensor Weight, Tensor Bias) FoldedWeightAndBias();

    /// <summary><see cref="FoldedWeightAndBias"/> copied out as float arrays, for the FP32 layers of exported models.</summary>
    public (float[] Weight, float[] Bias) FoldedWeightAndBiasArrays()
    {
        using var scope = NewDisposeScope();
        var (weight, bias) = FoldedWeightAndBias();
        return (weight.cpu().contiguous().data<float>().ToArray(), bias.cpu().contiguous().data<float>().ToArray());
    }

    /// <summary>
    /// The bias as the integer model holds it: rounded (half to even) to the accumulator's grid s_in * s_w[c], with a
    /// straight-through gradient. Without this the fake-quantized model adds the float bias and can round an output one
    /// step away from the integer model's.
    /// </summary>
    /// <param name="weightScales">The scales the weight was fake-quantized with (<see cref="WeightScales"/>); null when it was not.</param>
    protected Tensor QuantizeBias(Tensor bias, Tensor? weightScales)
    {
        if (weightScales is null || InputPoint is not { FakeQuantEnabled: true } input) return bias;
        using var inputScale = input.Params.Scale.ToScalar();
        using var grid = weightScales.mul(inputScale);
        using var frozen = bias.detach();
        using var rounded = frozen.div(grid).round().mul(grid);
        using var correction = PinnedScalars.Minus(rounded, frozen);
        return PinnedScalars.Plus(bias, correction);
    }

    /// <summary>
    /// This pass's weight scales, or null when it leaves the weight in float: taken once per forward pass and shared by
    /// the weight and the bias grid, so a QAT step does not compute them twice.
    /// </summary>
    protected Tensor? WeightScales(Tensor weight) => QuantizesWeights ? WeightQuantizer.Scales(weight) : null;

    /// <summary>Whether this forward pass fake-quantizes weights and bias.</summary>
    protected bool QuantizesWeights => FakeQuantWeights && !KeptInFp32;

    protected Tensor Activate(Tensor x) => Activation switch
    {
        FusedActivation.Relu => nn.functional.relu(x),
        FusedActivation.Relu6 => PinnedScalars.Relu6(x),
        _ => x,
    };
}
