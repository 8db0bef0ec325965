using Onnx;
using QuantCluster.Quantization.Integer;
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
/// </remarks>
public static class Int8OnnxExporter
{
    public static ModelProto Export(Int8Model model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var graph = new OnnxGraphBuilder($"{model.Architecture}-int8-qdq");
        var current = model.Input;
        string x = QuantizeDequantize(graph, "input", OnnxNames.Input, current);
        int classes = 0;
        for (int i = 0; i < model.Layers.Count; i++)
        {
            string name = $"layer{i}";
            switch (model.Layers[i])
            {
                case Int8Conv2d conv:
                {
                    long[] dims = [conv.OutChannels, conv.InChannels / conv.Groups, conv.Kernel, conv.Kernel];
                    var (w, b) = WeightAndBias(graph, name, conv.Weights, dims, conv.Bias, conv.WeightScales, conv.Input);
                    x = graph.Node("Conv", name, [x, w, b], Fp32OnnxExporter.ConvAttributes(conv.Kernel, conv.Stride, conv.Padding, conv.Groups));
                    x = Output(graph, name, x, conv.Output, conv.ClampMin, conv.ClampMax);
                    current = conv.Output;
                    break;
                }
                case Int8Linear linear:
                {
                    var (w, b) = WeightAndBias(graph, name, linear.Weights, [linear.OutFeatures, linear.InFeatures], linear.Bias, linear.WeightScales, linear.Input);
                    x = graph.Node("Gemm", name, [x, w, b], Int("transB", 1));
                    x = Output(graph, name, x, linear.Output, linear.ClampMin, linear.ClampMax);
                    current = linear.Output;
                    classes = linear.OutFeatures;
                    break;
                }
                case Int8MaxPool2d pool:
                    x = graph.Node("MaxPool", name, [x], Ints("kernel_shape", pool.Kernel, pool.Kernel), Ints("strides", pool.Stride, pool.Stride));
                    x = QuantizeDequantize(graph, name, x, current);
                    break;
                case Int8GlobalAvgPool:
                    x = graph.Node("GlobalAveragePool", name, [x]);
                    x = QuantizeDequantize(graph, name, x, current);
                    break;
                case Int8Flatten:
                    x = graph.Node("Flatten", name, [x], Int("axis", 1));
                    x = QuantizeDequantize(graph, name, x, current);
                    break;
                default:
                    throw new NotSupportedException($"layer {i}: {model.Layers[i]?.GetType().Name ?? "null"} has no ONNX form");
            }
        }
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

    private static string Output(OnnxGraphBuilder graph, string name, string x, QuantParams output, int clampMin, int clampMax)
    {
        x = QuantizeDequantize(graph, $"{name}.output", x, output);
        var (typeMin, typeMax) = TypeRange(output);
        if (clampMin <= typeMin && clampMax >= typeMax) return x;
        string min = graph.Initializer($"{name}.clamp_min", [output.Dequantize(clampMin)]);
        string max = graph.Initializer($"{name}.clamp_max", [output.Dequantize(clampMax)]);
        x = graph.Node("Clip", name, [x, min, max]);
        return QuantizeDequantize(graph, $"{name}.clamped", x, output);
    }

    private static string QuantizeDequantize(OnnxGraphBuilder graph, string name, string x, QuantParams p)
    {
        var (scale, zeroPoint) = graph.QuantParams($"{name}.{graph.NextId()}", p);
        string q = graph.Node("QuantizeLinear", name, [x, scale, zeroPoint]);
        return graph.Node("DequantizeLinear", name, [q, scale, zeroPoint]);
    }
}
