using QuantCluster.Quantization.Schemes;
using TorchSharp;
using static TorchSharp.torch;

namespace QuantCluster.Quantization.FakeQuant;

/// <summary>
/// Fake-quantizes a weight tensor symmetrically to int8 [-127, 127], with scales taken from the weight itself on every call
/// (so they follow training), one per output channel or one for the tensor.
/// </summary>
public sealed class WeightFakeQuantizer(FakeQuantKernels kernels)
{
    public WeightGranularity Granularity { get; set; } = WeightGranularity.PerChannel;

    // Per-tensor weights are per-channel with every channel given the same scale: one kernel, identical arithmetic.
    public Tensor Apply(Tensor weight)
    {
        using var scales = Scales(weight);
        return Apply(weight, scales);
    }

    /// <summary>Fake-quantizes with scales already taken from <paramref name="weight"/> by <see cref="Scales"/>.</summary>
    public Tensor Apply(Tensor weight, Tensor scales) => kernels.PerChannelSymmetric(weight, scales);

    /// <summary>The scale of each output channel (all equal for per-tensor): max |w| / 127, as float32 without gradient.</summary>
    public Tensor Scales(Tensor weight)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var absMax = Granularity == WeightGranularity.PerTensor
            ? weight.abs().max().expand(weight.shape[0])
            : weight.abs().reshape(weight.shape[0], -1).amax([1]);
        // Explicit Scalars: TorchSharp does not keep implicitly converted ones alive through the native call.
        using var qmax = ((float)QuantParamsCalculator.WeightQMax).ToScalar();
        using var floor = 1e-8f.ToScalar();
        var scales = absMax.div(qmax).clamp_min(floor).to(ScalarType.Float32).contiguous();
        return scales.MoveToOuterDisposeScope();
    }
}
