using QuantCluster.Quantization.FakeQuant;
using QuantCluster.Quantization.Models;
using QuantCluster.Quantization.Schemes;
using static TorchSharp.torch;

namespace QuantCluster.Tests.Quantization;

/// <summary>In eval the convolution with BatchNorm must be exactly the folded convolution the integer model will hold.</summary>
[Collection(TorchTests.Name)]
public sealed class BatchNormFoldingTests
{
    private const double Tolerance = 1e-5;

    [Theory]
    [InlineData(0, 28)] // stem: 1 -> 16, stride 2
    [InlineData(1, 14)] // depthwise 3x3, groups 16
    [InlineData(2, 14)] // pointwise 16 -> 32
    public void Eval_output_equals_the_folded_convolution_and_conv_then_batchnorm_then_relu6(int layerIndex, int size)
    {
        using var network = new QuantizableNetwork("mobilenet-tiny", ActivationScheme.AsymmetricUInt8, seed: 3);
        network.Configure(ObserverMode.Off, fakeQuantize: false, WeightGranularity.PerChannel);
        var layer = (QuantizableConv)network.Layers[layerIndex];
        var spec = layer.Spec;
        var bn = layer.BatchNorm!;
        using var generator = new TorchSharp.torch.Generator(17);
        using (no_grad())
        {
            bn.running_mean!.copy_(randn(spec.OutChannels, generator: generator) * 0.5);
            bn.running_var!.copy_(rand(spec.OutChannels, generator: generator) * 1.5 + 0.2);
            bn.weight!.copy_(randn(spec.OutChannels, generator: generator));
            bn.bias!.copy_(randn(spec.OutChannels, generator: generator) * 0.5);
        }
        network.eval();
        using var x = randn([2, spec.InChannels, size, size], generator: generator);
        using var rawWeight = layer.named_parameters().Single(p => p.name == "conv.weight").parameter.detach();

        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var output = layer.call(x);

        var (folded, bias) = layer.FoldedWeightAndBias();
        var viaFolded = nn.functional.relu6(Convolve(x, folded, spec) + bias.reshape(1, -1, 1, 1));

        var convolved = Convolve(x, rawWeight, spec);
        var normalized = (convolved - bn.running_mean!.reshape(1, -1, 1, 1)) / (bn.running_var!.reshape(1, -1, 1, 1) + bn.eps).sqrt()
            * bn.weight!.reshape(1, -1, 1, 1) + bn.bias!.reshape(1, -1, 1, 1);
        var byHand = nn.functional.relu6(normalized);

        Assert.Equal(byHand.shape, output.shape);
        Assert.True(MaxAbsDifference(output, viaFolded) <= Tolerance, $"folded: max difference {MaxAbsDifference(output, viaFolded)}");
        Assert.True(MaxAbsDifference(output, byHand) <= Tolerance, $"conv-BN-ReLU6: max difference {MaxAbsDifference(output, byHand)}");
        // Most outputs lie inside (0, 6), where a wrong fold would show, and BatchNorm really changed the convolution.
        double inside = output.gt(0).logical_and(output.lt(6)).to(ScalarType.Float32).mean().item<float>();
        Assert.True(inside > 0.2, $"only {inside:P0} of outputs inside (0, 6)");
        Assert.True(MaxAbsDifference(folded, rawWeight) > 0.01, "BatchNorm scale left the weights unchanged");
    }

    [Fact]
    public void Folded_bias_is_beta_minus_mean_times_the_batchnorm_scale()
    {
        using var network = new QuantizableNetwork("mobilenet-tiny", ActivationScheme.AsymmetricUInt8, seed: 3);
        var layer = (QuantizableConv)network.Layers[0];
        var bn = layer.BatchNorm!;
        using (no_grad())
        {
            bn.running_mean!.copy_(linspace(-1, 1, 16));
            bn.running_var!.fill_(3.0 - 1e-5); // gamma / sqrt(var + eps) = 2 / sqrt(3)
            bn.weight!.fill_(2.0);
            bn.bias!.fill_(0.25);
        }

        var (weight, bias) = layer.FoldedWeightAndBias();
        using (weight)
        using (bias)
        {
            double factor = 2 / Math.Sqrt(3);
            float[] b = bias.data<float>().ToArray();
            for (int c = 0; c < 16; c++)
            {
                double mean = -1 + (2.0 * c / 15);
                Assert.Equal(0.25 - (mean * factor), b[c], 1e-5);
            }
            using var raw = layer.named_parameters().Single(p => p.name == "conv.weight").parameter.detach();
            using var expected = raw * factor;
            Assert.True(MaxAbsDifference(weight, expected) <= 1e-6, $"weight: {MaxAbsDifference(weight, expected)}");
        }
    }

    private static Tensor Convolve(Tensor x, Tensor weight, ConvSpec spec) =>
        nn.functional.conv2d(x, weight, null, [spec.Stride, spec.Stride], [spec.Padding, spec.Padding], groups: spec.Groups);

    private static double MaxAbsDifference(Tensor a, Tensor b)
    {
        using var difference = (a - b).abs().max();
        return difference.item<float>();
    }
}
