using Onnx;
using QuantCluster.Quantization.Integer;
using QuantCluster.Quantization.Models;
using QuantCluster.Quantization.Schemes;
using static QuantCluster.Quantization.Onnx.OnnxGraphBuilder;

namespace QuantCluster.Quantization.Onnx;

/// <summary>
/// Exports an <see cref="Int8Model"/> as an ONNX QDQ graph that ONNX Runtime runs on integer kernels: every float op sits
/// between DequantizeLinear inputs and a QuantizeLinear output, so the QDQ pass turns Conv into QLinearConv, Gemm into
/// QGemm, MaxPool and Flatten into their int8 forms. Weights stay int8 per channel, biases int32 at scale s_in * s_w.
/// </summary>
/// <remarks>
/// Fully connected layers are Gemm with the bias as Gemm's third input: a MatMul + Add would be fused into a float
/// FusedGemm before the QDQ pass sees it (seen with ORT 1.31.1; the Onnx tests check the fused op types). A fused activation is left out when the output quantization
/// already clamps to the same integers (ReLU with the zero point at the type's minimum, ReLU6 with 6 above the range);
/// otherwise a Clip between a Q/DQ pair applies exactly the integer model's clamp.
/// A layer left in FP32 is a float Conv or Gemm (float weights as initializers) with its activation, whose input is
/// dequantized with Cast, Sub and Mul instead of DequantizeLinear: ONNX Runtime's WeightBiasQuantization (level 1, seen in
/// 1.31.1) quantizes the float weights of any Conv or Gemm between a per-tensor DequantizeLinear and a QuantizeLinear to
/// per-tensor int8, which would undo the fallback. The same arithmetic as three float ops is left alone.
/// </remarks>
public static class Int8OnnxExporter
{
    public static ModelProto Export(Int8Model model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var graph = new OnnxGraphBuilder($"{model.Architecture}-int8-qdq");
        // The integer tensor between layers; each consumer dequantizes it the way its kind needs.
        var q = Quantize(graph, "input", OnnxNames.Input, model.Input);
        int classes = 0;
        for (int i = 0; i < model.Layers.Count; i++)
        {
            string name = LayerNames.Layer(i);
            switch (model.Layers[i])
            {
                case Int8Conv2d conv:
                    {
                        long[] dims = [conv.OutChannels, conv.InChannels / conv.Groups, conv.Kernel, conv.Kernel];
                        var (w, b) = WeightAndBias(graph, name, conv.Weights, dims, conv.Bias, conv.WeightScales, conv.Input);
                        string x = graph.Node("Conv", name, [Dequantize(graph, name, q), w, b], Fp32OnnxExporter.ConvAttributes(conv.Kernel, conv.Stride, conv.Padding, conv.Groups));
                        q = Output(graph, name, x, conv.Output, conv.ClampMin, conv.ClampMax);
                        break;
                    }
                case Int8Linear linear:
                    {
                        var (w, b) = WeightAndBias(graph, name, linear.Weights, [linear.OutFeatures, linear.InFeatures], linear.Bias, linear.WeightScales, linear.Input);
                        string x = graph.Node("Gemm", name, [Dequantize(graph, name, q), w, b], Int("transB", 1));
                        q = Output(graph, name, x, linear.Output, linear.ClampMin, linear.ClampMax);
                        classes = linear.OutFeatures;
                        break;
                    }
                case Fp32Conv2d conv:
                    {
                        string w = graph.Initializer($"{name}.weight", conv.Weights, conv.OutChannels, conv.InChannels / conv.Groups, conv.Kernel, conv.Kernel);
                        string b = graph.Initializer($"{name}.bias", conv.Bias, conv.OutChannels);
                        string x = graph.Node("Conv", name, [DequantizeWithFloatOps(graph, name, q), w, b], Fp32OnnxExporter.ConvAttributes(conv.Kernel, conv.Stride, conv.Padding, conv.Groups));
                        q = Quantize(graph, $"{name}.output", Fp32OnnxExporter.Activate(graph, name, x, conv.Activation), conv.Output);
                        break;
                    }
                case Fp32Linear linear:
                    {
                        string w = graph.Initializer($"{name}.weight", linear.Weights, linear.OutFeatures, linear.InFeatures);
                        string b = graph.Initializer($"{name}.bias", linear.Bias, linear.OutFeatures);
                        string x = graph.Node("Gemm", name, [DequantizeWithFloatOps(graph, name, q), w, b], Int("transB", 1));
                        q = Quantize(graph, $"{name}.output", Fp32OnnxExporter.Activate(graph, name, x, linear.Activation), linear.Output);
                        classes = linear.OutFeatures;
                        break;
                    }
                case Int8MaxPool2d pool:
                    q = Quantize(graph, name, graph.Node("MaxPool", name, [Dequantize(graph, name, q)],
                        Ints("kernel_shape", pool.Kernel, pool.Kernel), Ints("strides", pool.Stride, pool.Stride)), q.Params);
                    break;
                case Int8GlobalAvgPool:
                    q = Quantize(graph, name, graph.Node("GlobalAveragePool", name, [Dequantize(graph, name, q)]), q.Params);
                    break;
                case Int8Flatten:
                    q = Quantize(graph, name, graph.Node("Flatten", name, [Dequantize(graph, name, q)], Int("axis", 1)), q.Params);
                    break;
                default:
                    throw new NotSupportedException($"layer {i}: {model.Layers[i]?.GetType().Name ?? "null"} has no ONNX form");
            }
        }
        Dequantize(graph, OnnxNames.Output, q);
        return graph.Build(OnnxNames.Input, model.InputShape, OnnxNames.Output, classes, $"{model.Architecture} INT8, QDQ");
    }

    private static (string Weight, string Bias) WeightAndBias(
        OnnxGraphBuilder graph, string name, sbyte[] weights, long[] dims, int[] bias, float[] weightScales, QuantParams input)
    {
        int channels = weightScales.Length;
        var perChannel = Int("axis", 0);
        string qWeight = graph.Initializer($"{name}.weight_quantized", weights, dims);
        string wScale = graph.Initializer($"{name}.weight_scale", weightScales, channels);
        string wZero = graph.Initializer($"{name}.weight_zero_point", new sbyte[channels], channels);
        string weight = graph.Node("DequantizeLinear", name, [qWeight, wScale, wZero], perChannel);

        // The converter rounded the bias at s_in * s_w in double; float is what ONNX stores, and the int32 values are what count.
        float[] biasScales = Array.ConvertAll(weightScales, s => (float)((double)input.Scale * s));
        string qBias = graph.Initializer($"{name}.bias_quantized", bias, channels);
        string bScale = graph.Initializer($"{name}.bias_scale", biasScales, channels);
        string bZero = graph.Initializer($"{name}.bias_zero_point", new int[channels], channels);
        string dequantizedBias = graph.Node("DequantizeLinear", name, [qBias, bScale, bZero], perChannel);
        return (weight, dequantizedBias);
    }

    private static Quantized Output(OnnxGraphBuilder graph, string name, string x, QuantParams output, int clampMin, int clampMax)
    {
        var q = Quantize(graph, $"{name}.output", x, output);
        var (typeMin, typeMax) = TypeRange(output);
        if (clampMin <= typeMin && clampMax >= typeMax) return q;
        string min = graph.Initializer($"{name}.clamp_min", [output.Dequantize(clampMin)]);
        string max = graph.Initializer($"{name}.clamp_max", [output.Dequantize(clampMax)]);
        string clipped = graph.Node("Clip", name, [Dequantize(graph, name, q), min, max]);
        return Quantize(graph, $"{name}.clamped", clipped, output);
    }

    private static Quantized Quantize(OnnxGraphBuilder graph, string name, string x, QuantParams p)
    {
        var (scale, zeroPoint) = graph.QuantParams($"{name}.{graph.NextId()}", p);
        return new Quantized(graph.Node("QuantizeLinear", name, [x, scale, zeroPoint]), scale, zeroPoint, p);
    }

    private static string Dequantize(OnnxGraphBuilder graph, string name, Quantized q) =>
        graph.Node("DequantizeLinear", name, [q.Tensor, q.Scale, q.ZeroPoint]);

    /// <summary>scale * (float(q) - zero point): DequantizeLinear's arithmetic, spelled so ONNX Runtime keeps the next op in float.</summary>
    private static string DequantizeWithFloatOps(OnnxGraphBuilder graph, string name, Quantized q)
    {
        string real = graph.Node("Cast", name, [q.Tensor], Int("to", (long)TensorProto.Types.DataType.Float));
        string zeroPoint = graph.Initializer($"{name}.input_zero_point.{graph.NextId()}", [(float)q.Params.ZeroPoint]);
        string centered = graph.Node("Sub", name, [real, zeroPoint]);
        return graph.Node("Mul", name, [centered, q.Scale]);
    }

    /// <summary>An integer tensor in the graph with the scale and zero point initializers it was quantized with.</summary>
    private readonly record struct Quantized(string Tensor, string Scale, string ZeroPoint, QuantParams Params);
}
