using Onnx;
using QuantCluster.Quantization.Integer;
using QuantCluster.Quantization.Models;
using static QuantCluster.Quantization.Onnx.OnnxGraphBuilder;

namespace QuantCluster.Quantization.Onnx;

/// <summary>Exports a network's FP32 inference graph (BatchNorm folded into the convolutions) as an ONNX model.</summary>
public static class Fp32OnnxExporter
{
    public static ModelProto Export(QuantizableNetwork network)
    {
        var graph = new OnnxGraphBuilder($"{network.Architecture}-fp32");
        string x = OnnxNames.Input;
        int classes = 0;
        for (int i = 0; i < network.Specs.Count; i++)
        {
            string name = LayerNames.Layer(i);
            switch (network.Specs[i])
            {
                case ConvSpec spec:
                    {
                        var (weight, bias) = ((QuantizableLayer)network.Layers[i]).FoldedWeightAndBiasArrays();
                        string w = graph.Initializer($"{name}.weight", weight, spec.OutChannels, spec.InChannels / spec.Groups, spec.Kernel, spec.Kernel);
                        string b = graph.Initializer($"{name}.bias", bias, spec.OutChannels);
                        x = graph.Node("Conv", name, [x, w, b], ConvAttributes(spec.Kernel, spec.Stride, spec.Padding, spec.Groups));
                        x = Activate(graph, name, x, spec.Activation);
                        break;
                    }
                case LinearSpec spec:
                    {
                        var (weight, bias) = ((QuantizableLayer)network.Layers[i]).FoldedWeightAndBiasArrays();
                        string w = graph.Initializer($"{name}.weight", weight, spec.OutFeatures, spec.InFeatures);
                        string b = graph.Initializer($"{name}.bias", bias, spec.OutFeatures);
                        x = graph.Node("Gemm", name, [x, w, b], Int("transB", 1));
                        x = Activate(graph, name, x, spec.Activation);
                        classes = spec.OutFeatures;
                        break;
                    }
                case MaxPoolSpec pool:
                    x = graph.Node("MaxPool", name, [x], Ints("kernel_shape", pool.Kernel, pool.Kernel), Ints("strides", pool.Stride, pool.Stride));
                    break;
                case GlobalAvgPoolSpec:
                    x = graph.Node("GlobalAveragePool", name, [x]);
                    break;
                case FlattenSpec:
                    x = graph.Node("Flatten", name, [x], Int("axis", 1));
                    break;
                default:
                    throw new NotSupportedException($"layer {i}: {network.Specs[i].GetType().Name} has no ONNX form");
            }
        }
        return graph.Build(OnnxNames.Input, network.Signature.InputShape, OnnxNames.Output, classes, $"{network.Architecture} FP32, BatchNorm folded");
    }

    internal static AttributeProto[] ConvAttributes(int kernel, int stride, int padding, int groups) =>
    [
        Ints("kernel_shape", kernel, kernel),
        Ints("strides", stride, stride),
        Ints("pads", padding, padding, padding, padding),
        Int("group", groups),
    ];

    internal static string Activate(OnnxGraphBuilder graph, string name, string x, FusedActivation activation) => activation switch
    {
        FusedActivation.None => x,
        FusedActivation.Relu => graph.Node("Relu", name, [x]),
        FusedActivation.Relu6 => graph.Node("Clip", name, [x, graph.Initializer($"{name}.clip_min", [0f]), graph.Initializer($"{name}.clip_max", [6f])]),
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown fused activation."),
    };
}
