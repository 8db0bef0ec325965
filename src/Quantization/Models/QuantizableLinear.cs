using QuantCluster.Quantization.FakeQuant;
using QuantCluster.Quantization.Integer;
using QuantCluster.Quantization.Schemes;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace QuantCluster.Quantization.Models;

/// <summary>Fully connected layer + activation + output quantization point.</summary>
public sealed class QuantizableLinear : QuantizableLayer
{
    private readonly Linear linear;
    private readonly ActivationFakeQuantize output;
    private readonly WeightFakeQuantizer _weightQuantizer;

    public QuantizableLinear(string name, LinearSpec spec, ActivationScheme scheme, FakeQuantKernels kernels) : base(name)
    {
        Activation = spec.Activation;
        linear = nn.Linear(spec.InFeatures, spec.OutFeatures);
        output = new ActivationFakeQuantize("output", scheme, kernels);
        _weightQuantizer = new WeightFakeQuantizer(kernels);
        RegisterComponents();
    }

    public override FusedActivation Activation { get; }

    public override ActivationFakeQuantize Output => output;

    public override WeightFakeQuantizer WeightQuantizer => _weightQuantizer;

    public override Tensor forward(Tensor input)
    {
        using var scales = WeightScales(linear.weight!);
        var weight = scales is null ? linear.weight! : _weightQuantizer.Apply(linear.weight!, scales);
        var bias = QuantizeBias(linear.bias!, scales);
        return output.forward(Activate(nn.functional.linear(input, weight, bias)));
    }

    public override (Tensor Weight, Tensor Bias) FoldedWeightAndBias()
    {
        using var _ = no_grad();
        return (linear.weight!.detach().clone(), linear.bias!.detach().clone());
    }
}
