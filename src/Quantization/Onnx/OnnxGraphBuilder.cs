using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;
using QuantCluster.Quantization.Schemes;

namespace QuantCluster.Quantization.Onnx;

/// <summary>Assembles one ONNX graph node by node: unique value names, raw little-endian initializers, a float input and output.</summary>
internal sealed class OnnxGraphBuilder
{
    // Opset 13 is the first with per-axis DequantizeLinear; ONNX Runtime's QDQ fusions cover it.
    public const long Opset = 13;
    private const long IrVersion = 8;

    private readonly GraphProto _graph;
    private readonly long _opset;
    private int _values;

    /// <param name="opset">The default-domain opset the model declares; the zoo's exports use <see cref="Opset"/>.</param>
    public OnnxGraphBuilder(string name, long opset = Opset)
    {
        _graph = new GraphProto { Name = name };
        _opset = opset;
    }

    public string Initializer(string name, ReadOnlySpan<float> values, params long[] dims) =>
        AddInitializer(name, TensorProto.Types.DataType.Float, MemoryMarshal.AsBytes(values), dims);

    public string Initializer(string name, ReadOnlySpan<sbyte> values, params long[] dims) =>
        AddInitializer(name, TensorProto.Types.DataType.Int8, MemoryMarshal.AsBytes(values), dims);

    public string Initializer(string name, ReadOnlySpan<int> values, params long[] dims) =>
        AddInitializer(name, TensorProto.Types.DataType.Int32, MemoryMarshal.AsBytes(values), dims);

    public string Initializer(string name, ReadOnlySpan<long> values, params long[] dims) =>
        AddInitializer(name, TensorProto.Types.DataType.Int64, MemoryMarshal.AsBytes(values), dims);

    /// <summary>A scalar scale and zero point; the zero point's type (uint8 or int8) is what QuantizeLinear produces.</summary>
    public (string Scale, string ZeroPoint) QuantParams(string name, QuantParams p)
    {
        string scale = Initializer($"{name}.scale", [p.Scale]);
        string zeroPoint = IsUnsigned(p)
            ? AddInitializer($"{name}.zero_point", TensorProto.Types.DataType.Uint8, [checked((byte)p.ZeroPoint)], [])
            : Initializer($"{name}.zero_point", [checked((sbyte)p.ZeroPoint)]);
        return (scale, zeroPoint);
    }

    /// <summary>A number unique within this graph, to tell apart initializers that share a layer name.</summary>
    public int NextId() => ++_values;

    /// <summary>Adds a node with one output and returns that output's name.</summary>
    public string Node(string opType, string name, IEnumerable<string> inputs, params AttributeProto[] attributes)
    {
        string output = $"{name}.{++_values}";
        var node = new NodeProto { OpType = opType, Name = output };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        _graph.Node.Add(node);
        return output;
    }

    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Float(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    public static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    public static bool IsUnsigned(QuantParams p) => p.QMin >= 0;

    /// <summary>The range QuantizeLinear clamps to for p's integer type.</summary>
    public static (int Min, int Max) TypeRange(QuantParams p) => IsUnsigned(p) ? (0, 255) : (-128, 127);

    /// <summary>Names the input ([batch, 1, 28, 28] float) and output ([batch, classes] float) and wraps the graph in a model.</summary>
    public ModelProto Build(string input, int[] inputShape, string output, int classes, string docString) =>
        Build(input, inputShape, output, [classes], docString);

    /// <summary>Names the input and output, each [batch, ..per-sample shape] float, and wraps the graph in a model.</summary>
    public ModelProto Build(string input, int[] inputShape, string output, int[] outputShape, string docString)
    {
        // The exporters chain generated names; the last one becomes the stable name callers bind to.
        var renamed = _graph.Node.SelectMany(n => n.Output).Last();
        foreach (var node in _graph.Node)
        {
            for (int i = 0; i < node.Output.Count; i++)
            {
                if (node.Output[i] == renamed) node.Output[i] = output;
            }
        }
        _graph.Input.Add(FloatValue(input, [-1, .. inputShape.Select(d => (long)d)]));
        _graph.Output.Add(FloatValue(output, [-1, .. outputShape.Select(d => (long)d)]));
        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "QuantCluster",
            DocString = docString,
            Graph = _graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = _opset });
        return model;
    }

    private string AddInitializer(string name, TensorProto.Types.DataType type, ReadOnlySpan<byte> bytes, long[] dims)
    {
        // ONNX raw_data is little-endian, which is what MemoryMarshal gives on every platform .NET runs torch on.
        var tensor = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(bytes) };
        tensor.Dims.AddRange(dims);
        _graph.Initializer.Add(tensor);
        return name;
    }

    // -1 marks the batch dimension, left symbolic so any batch size runs.
    private static ValueInfoProto FloatValue(string name, long[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (long d in dims)
            shape.Dim.Add(d < 0 ? new TensorShapeProto.Types.Dimension { DimParam = "batch" } : new TensorShapeProto.Types.Dimension { DimValue = d });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }
}
