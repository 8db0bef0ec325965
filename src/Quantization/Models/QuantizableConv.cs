using QuantCluster.Quantization.FakeQuant;
using QuantCluster.Quantization.Integer;
using QuantCluster.Quantization.Schemes;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace QuantCluster.Quantization.Models;

/// <summary>
/// Convolution (+ BatchNorm) + activation + output quantization point. With BatchNorm, the weight is fake-quantized *after*
/// folding the BN scale gamma / sqrt(running_var + eps) into it, so QAT sees the weights the INT8 model will hold
/// (Krishnamoorthi 2018, section 3.2; PyTorch's ConvBn2d). Until BN is frozen the output is un-scaled and normalised with
/// batch statistics; once frozen (and in eval) the running statistics are folded into a bias and the layer is exactly the
/// folded convolution.
/// </summary>
public sealed class QuantizableConv : QuantizableLayer
{
    private readonly ConvSpec _spec;
    private readonly Conv2d conv;
    private readonly BatchNorm2d? bn;
    private readonly ActivationFakeQuantize output;
    private readonly WeightFakeQuantizer _weightQuantizer;

    public QuantizableConv(string name, ConvSpec spec, ActivationScheme scheme, FakeQuantKernels kernels) : base(name)
    {
        _spec = spec;
        Activation = spec.Activation;
        conv = nn.Conv2d(spec.InChannels, spec.OutChannels, spec.Kernel, spec.Stride, spec.Padding, groups: spec.Groups, bias: !spec.BatchNorm);
        bn = spec.BatchNorm ? nn.BatchNorm2d(spec.OutChannels) : null;
        output = new ActivationFakeQuantize("output", scheme, kernels);
        _weightQuantizer = new WeightFakeQuantizer(kernels);
        RegisterComponents();
    }

    public override FusedActivation Activation { get; }

    public override ActivationFakeQuantize Output => output;

    public override WeightFakeQuantizer WeightQuantizer => _weightQuantizer;

    public ConvSpec Spec => _spec;

    /// <summary>Use BatchNorm's running statistics even in training (freeze_bn_after).</summary>
    public bool BatchNormFrozen { get; set; }

    public BatchNorm2d? BatchNorm => bn;

    public override Tensor forward(Tensor input)
    {
        if (bn is null)
        {
            using var weightScales = WeightScales(conv.weight!);
            var weight = weightScales is null ? conv.weight! : _weightQuantizer.Apply(conv.weight!, weightScales);
            return output.forward(Activate(Convolve(input, weight, QuantizeBias(conv.bias!, weightScales))));
        }

        using var scaleFactor = BnScaleFactor();
        var scaled = conv.weight! * scaleFactor.reshape(-1, 1, 1, 1);
        using var scales = WeightScales(scaled);
        var quantized = scales is null ? scaled : _weightQuantizer.Apply(scaled, scales);
        var convolved = Convolve(input, quantized, null);
        Tensor normalized;
        if (!training || BatchNormFrozen)
        {
            using var foldedBias = QuantizeBias(FoldedBias(scaleFactor), scales);
            normalized = PinnedScalars.Plus(convolved, foldedBias.reshape(1, -1, 1, 1));
        }
        else
        {
            normalized = BatchNormTraining.Forward(bn!, convolved / scaleFactor.reshape(1, -1, 1, 1));
        }
        return output.forward(Activate(normalized));
    }

    public override (Tensor Weight, Tensor Bias) FoldedWeightAndBias()
    {
        using var _ = no_grad();
        if (bn is null) return (conv.weight!.detach().clone(), conv.bias!.detach().clone());
        using var scaleFactor = BnScaleFactor();
        return ((conv.weight! * scaleFactor.reshape(-1, 1, 1, 1)).detach(), FoldedBias(scaleFactor).detach());
    }

    private Tensor Convolve(Tensor input, Tensor weight, Tensor? bias) =>
        nn.functional.conv2d(input, weight, bias, [_spec.Stride, _spec.Stride], [_spec.Padding, _spec.Padding], groups: _spec.Groups);

    // gamma / sqrt(running_var + eps): the per-channel factor BatchNorm multiplies by at inference.
    private Tensor BnScaleFactor()
    {
        using var eps = bn!.eps.ToScalar();
        return bn.weight! / PinnedScalars.Plus(bn.running_var!, eps).sqrt();
    }

    // beta - running_mean * gamma / sqrt(running_var + eps).
    private Tensor FoldedBias(Tensor scaleFactor) => PinnedScalars.Minus(bn!.bias!, bn.running_mean! * scaleFactor);
}
