using QuantCluster.Quantization.Integer;
using QuantCluster.Quantization.Models;
using QuantCluster.Quantization.Schemes;
using static TorchSharp.torch;

namespace QuantCluster.Quantization.Conversion;

/// <summary>
/// The convert step: turns a calibrated (or QAT-trained) network into an integer-only model. Each compute layer gets int8
/// weights w_q = clamp(round(w / s_w), -127, 127) from its BN-folded weights, an int32 bias b_q = round(b / (s_in * s_w)),
/// and per-channel requantizers for M = s_in * s_w / s_out (Jacob et al. 2018, eq. 5-6); activations fuse into the clamp.
/// The weight scales are the ones fake quantization used, so the integer model computes what QAT trained.
/// A layer <see cref="QuantizableLayer.KeptInFp32"/> becomes an FP32 layer with its folded float weights and bias between
/// the same int8 activations, as the fake-quantized network computes it.
/// </summary>
public static class Int8Converter
{
    public static Int8Model Convert(QuantizableNetwork network, WeightGranularity weights)
    {
        var input = network.Input.Params;
        var current = input;
        var layers = new List<Int8Layer>();
        for (int i = 0; i < network.Specs.Count; i++)
        {
            switch (network.Specs[i])
            {
                case ConvSpec spec when network.Layers[i] is QuantizableLayer { KeptInFp32: true } layer:
                    {
                        var (w, b) = layer.FoldedWeightAndBiasArrays();
                        layers.Add(new Fp32Conv2d(spec.InChannels, spec.OutChannels, spec.Kernel, spec.Stride, spec.Padding, spec.Groups,
                            w, b, current, layer.Output.Params, spec.Activation));
                        current = layer.Output.Params;
                        break;
                    }
                case LinearSpec spec when network.Layers[i] is QuantizableLayer { KeptInFp32: true } layer:
                    {
                        var (w, b) = layer.FoldedWeightAndBiasArrays();
                        layers.Add(new Fp32Linear(spec.InFeatures, spec.OutFeatures, w, b, current, layer.Output.Params, spec.Activation));
                        current = layer.Output.Params;
                        break;
                    }
                case ConvSpec spec:
                    {
                        var layer = (QuantizableLayer)network.Layers[i];
                        var q = QuantizeLayer(layer, current, weights);
                        layers.Add(new Int8Conv2d(spec.InChannels, spec.OutChannels, spec.Kernel, spec.Stride, spec.Padding, spec.Groups,
                            q.Weights, q.Bias, q.Scales, q.Requantizers, current, q.Output, spec.Activation, q.ClampMin, q.ClampMax));
                        current = q.Output;
                        break;
                    }
                case LinearSpec spec:
                    {
                        var layer = (QuantizableLayer)network.Layers[i];
                        var q = QuantizeLayer(layer, current, weights);
                        layers.Add(new Int8Linear(spec.InFeatures, spec.OutFeatures,
                            q.Weights, q.Bias, q.Scales, q.Requantizers, current, q.Output, spec.Activation, q.ClampMin, q.ClampMax));
                        current = q.Output;
                        break;
                    }
                case MaxPoolSpec pool:
                    layers.Add(new Int8MaxPool2d(pool.Kernel, pool.Stride));
                    break;
                case GlobalAvgPoolSpec:
                    layers.Add(new Int8GlobalAvgPool());
                    break;
                case FlattenSpec:
                    layers.Add(new Int8Flatten());
                    break;
                default:
                    throw new NotSupportedException($"layer {i}: {network.Specs[i].GetType().Name} has no integer form");
            }
        }
        return new Int8Model(network.Architecture, network.Signature.InputShape, input, layers);
    }

    private sealed record QuantizedLayer(
        sbyte[] Weights, int[] Bias, float[] Scales, Requantizer[] Requantizers, QuantParams Output, int ClampMin, int ClampMax);

    private static QuantizedLayer QuantizeLayer(QuantizableLayer layer, QuantParams input, WeightGranularity granularity)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var (weight, bias) = layer.FoldedWeightAndBias();
        weight = weight.cpu().contiguous();
        layer.WeightQuantizer.Granularity = granularity;
        float[] scales = layer.WeightQuantizer.Scales(weight).cpu().data<float>().ToArray();
        int outChannels = scales.Length;
        int perChannel = (int)(weight.numel() / outChannels);
        float[] w = weight.data<float>().ToArray();
        float[] b = bias.cpu().data<float>().ToArray();
        var output = layer.Output.Params;

        var q = new sbyte[w.Length];
        var qBias = new int[outChannels];
        var requantizers = new Requantizer[outChannels];
        for (int c = 0; c < outChannels; c++)
        {
            for (int k = 0; k < perChannel; k++)
            {
                int index = (c * perChannel) + k;
                // Same arithmetic as fake_quantize: round half to even of w / s in float32.
                q[index] = (sbyte)Math.Clamp((int)MathF.Round(w[index] / scales[c], MidpointRounding.ToEven),
                    -QuantParamsCalculator.WeightQMax, QuantParamsCalculator.WeightQMax);
            }
            // float32, as the fake-quantized forward pass rounds the bias (QuantizableLayer.QuantizeBias), so both agree.
            float accumulatorScale = input.Scale * scales[c];
            qBias[c] = (int)Math.Clamp(Math.Round((double)(b[c] / accumulatorScale), MidpointRounding.ToEven), int.MinValue, int.MaxValue);
            requantizers[c] = FixedPointMultiplier.FromReal((double)accumulatorScale / output.Scale);
        }
        var (clampMin, clampMax) = ActivationClamp.For(layer.Activation, output);
        return new QuantizedLayer(q, qBias, scales, requantizers, output, clampMin, clampMax);
    }
}
