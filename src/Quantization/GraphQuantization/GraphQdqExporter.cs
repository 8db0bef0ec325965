using Onnx;
using QuantCluster.Quantization.Graph;
using QuantCluster.Quantization.Onnx;
using static QuantCluster.Quantization.Onnx.OnnxGraphBuilder;

namespace QuantCluster.Quantization.GraphQuantization;

/// <summary>
/// Exports a calibrated <see cref="QuantizedGraphNetwork"/> as an ONNX QDQ model: a QuantizeLinear on every value with a
/// point, a DequantizeLinear before every reader of it, each node as its own float ONNX op in between, int8 per-channel
/// weights and int32 biases (at s_in * s_w) through DequantizeLinear so ONNX Runtime forms QLinearConv and QGemm. The
/// model takes the imported graph's input and gives its output, under the same names and per-sample shapes.
/// </summary>
/// <remarks>
/// Values without a point (a convolution's output before its fused Relu or Clip) stay float tensors, so Conv, Relu and
/// the QuantizeLinear after them form the pattern ONNX Runtime fuses into one QLinearConv. Every reader gets its own
/// DequantizeLinear, the shape ONNX Runtime's QDQ selectors expect.
/// </remarks>
public static class GraphQdqExporter
{
    /// <summary>Opset 17: HardSwish needs 14, and 17 is the newest the importer reads (18 changed ReduceMean's axes).</summary>
    public const long Opset = 17;

    public static ModelProto Export(QuantizedGraphNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return new Writer(network).Write();
    }

    private sealed class Writer(QuantizedGraphNetwork network)
    {
        private readonly ModelGraph _graph = network.Graph;
        private readonly OnnxGraphBuilder _onnx = new($"{network.Graph.Name} INT8 QDQ", Opset);
        private readonly Dictionary<string, string> _float = new(StringComparer.Ordinal);
        private readonly Dictionary<string, Quantized> _quantized = new(StringComparer.Ordinal);
        private readonly Dictionary<string, (string Scale, string ZeroPoint)> _pointParams = new(StringComparer.Ordinal);

        public ModelProto Write()
        {
            Store(_graph.Input, _graph.Input, "input");
            foreach (var node in _graph.Nodes) Store(node.Output, Emit(node), node.Name);
            if (!_quantized.ContainsKey(_graph.Output)) throw new InvalidOperationException($"the output '{_graph.Output}' has no quantization point");
            // The last node written is the output's DequantizeLinear; Build gives it the user's output name.
            Read(_graph.Output, "output");
            return _onnx.Build(_graph.Input, [.. _graph.InputShape.Dims], _graph.Output, [.. _graph.OutputShape.Dims], $"{_graph.Name}: INT8 QDQ by QuantCluster");
        }

        private string Emit(GraphNode node) => node switch
        {
            ConvNode conv => Conv(conv),
            LinearNode linear => Gemm(linear),
            ActivationNode activation => Activation(activation),
            AddNode add => _onnx.Node("Add", add.Name, [Read(add.Left, add.Name), Read(add.Right, add.Name)]),
            MulNode mul => _onnx.Node("Mul", mul.Name, [Read(mul.Left, mul.Name), Read(mul.Right, mul.Name)]),
            MaxPoolNode pool => _onnx.Node("MaxPool", pool.Name, [Read(pool.Input, pool.Name)],
                [.. WindowAttributes(pool.Window), Ints("dilations", pool.Window.Dilation.Height, pool.Window.Dilation.Width), Int("ceil_mode", pool.Window.CeilMode ? 1 : 0)]),
            AveragePoolNode pool => _onnx.Node("AveragePool", pool.Name, [Read(pool.Input, pool.Name)],
                [.. WindowAttributes(pool.Window), Int("ceil_mode", pool.Window.CeilMode ? 1 : 0), Int("count_include_pad", pool.CountIncludePad ? 1 : 0)]),
            GlobalAveragePoolNode { KeepSpatialAxes: true } pool => _onnx.Node("GlobalAveragePool", pool.Name, [Read(pool.Input, pool.Name)]),
            GlobalAveragePoolNode pool => _onnx.Node("ReduceMean", pool.Name, [Read(pool.Input, pool.Name)], Ints("axes", 2, 3), Int("keepdims", 0)),
            FlattenNode flatten => _onnx.Node("Flatten", flatten.Name, [Read(flatten.Input, flatten.Name)], Int("axis", 1)),
            ReshapeNode reshape => Reshape(reshape),
            ConcatNode concat => _onnx.Node("Concat", concat.Name, [.. concat.Inputs.Select(v => Read(v, concat.Name))], Int("axis", concat.Axis + 1)),
            _ => throw new NotSupportedException($"node '{node.Name}' ({node.Kind}): no QDQ form"),
        };

        private string Conv(ConvNode conv)
        {
            var (weight, bias) = WeightAndBias(conv);
            var window = conv.Window;
            return _onnx.Node("Conv", conv.Name, [Read(conv.Input, conv.Name), weight, bias],
                [.. WindowAttributes(window), Ints("dilations", window.Dilation.Height, window.Dilation.Width), Int("group", conv.Groups)]);
        }

        // Gemm with the bias as its third input: a MatMul + Add would become a float FusedGemm before the QDQ pass sees it.
        private string Gemm(LinearNode linear)
        {
            if (_graph.ShapeOf(linear.Input).Rank != 1)
                throw new NotSupportedException($"node '{linear.Name}' (Linear): input {_graph.ShapeOf(linear.Input)} per sample; the QDQ export takes [features] only (Gemm is 2-D)");
            var (weight, bias) = WeightAndBias(linear);
            return _onnx.Node("Gemm", linear.Name, [Read(linear.Input, linear.Name), weight, bias], Int("transB", 1));
        }

        private (string Weight, string Bias) WeightAndBias(GraphNode node)
        {
            var q = network.QuantizedWeightsOf(node);
            int channels = q.WeightScales.Length;
            var perChannel = Int("axis", 0);
            string weight = _onnx.Node("DequantizeLinear", node.Name,
            [
                _onnx.Initializer($"{node.Name}.weight_quantized", q.Weight, q.Shape),
                _onnx.Initializer($"{node.Name}.weight_scale", q.WeightScales, channels),
                _onnx.Initializer($"{node.Name}.weight_zero_point", new sbyte[channels], channels),
            ], perChannel);
            string bias = _onnx.Node("DequantizeLinear", node.Name,
            [
                _onnx.Initializer($"{node.Name}.bias_quantized", q.Bias, channels),
                _onnx.Initializer($"{node.Name}.bias_scale", q.BiasScales, channels),
                _onnx.Initializer($"{node.Name}.bias_zero_point", new int[channels], channels),
            ], perChannel);
            return (weight, bias);
        }

        private string Activation(ActivationNode node)
        {
            string x = Read(node.Input, node.Name);
            return node.Activation switch
            {
                ActivationKind.Relu => _onnx.Node("Relu", node.Name, [x]),
                ActivationKind.Clip => _onnx.Node("Clip", node.Name,
                    [x, _onnx.Initializer($"{node.Name}.min", [node.Min]), _onnx.Initializer($"{node.Name}.max", [node.Max])]),
                ActivationKind.Sigmoid => _onnx.Node("Sigmoid", node.Name, [x]),
                ActivationKind.HardSigmoid => _onnx.Node("HardSigmoid", node.Name, [x], Float("alpha", node.Alpha), Float("beta", node.Beta)),
                ActivationKind.HardSwish => _onnx.Node("HardSwish", node.Name, [x]),
                _ => throw new NotSupportedException($"node '{node.Name}': no QDQ form for activation {node.Activation}"),
            };
        }

        // Dimension 0 of the target copies the batch (Reshape's 0 without allowzero), so any batch size runs.
        private string Reshape(ReshapeNode reshape)
        {
            long[] target = [0, .. reshape.Target.Dims.Select(d => (long)d)];
            string shape = _onnx.Initializer($"{reshape.Name}.shape", target, target.Length);
            return _onnx.Node("Reshape", reshape.Name, [Read(reshape.Input, reshape.Name), shape]);
        }

        private static AttributeProto[] WindowAttributes(SlidingWindow window) =>
        [
            Ints("kernel_shape", window.Kernel.Height, window.Kernel.Width),
            Ints("strides", window.Stride.Height, window.Stride.Width),
            Ints("pads", window.Padding.Height, window.Padding.Width, window.Padding.Height, window.Padding.Width),
        ];

        // A value with a point is quantized where it is made; one without stays the float tensor.
        private void Store(string value, string tensor, string nodeName)
        {
            var point = network.Plan.PointOf(value);
            if (point is null)
            {
                _float[value] = tensor;
                return;
            }
            var p = network.ParamsOf(value);
            if (!_pointParams.TryGetValue(point.Name, out var initializers))
                _pointParams[point.Name] = initializers = _onnx.QuantParams($"{point.Name}.{_onnx.NextId()}", p);
            string q = _onnx.Node("QuantizeLinear", nodeName, [tensor, initializers.Scale, initializers.ZeroPoint]);
            _quantized[value] = new Quantized(q, initializers.Scale, initializers.ZeroPoint);
        }

        private string Read(string value, string reader) => _quantized.TryGetValue(value, out var q)
            ? _onnx.Node("DequantizeLinear", reader, [q.Tensor, q.Scale, q.ZeroPoint])
            : _float[value];
    }

    private readonly record struct Quantized(string Tensor, string Scale, string ZeroPoint);
}
