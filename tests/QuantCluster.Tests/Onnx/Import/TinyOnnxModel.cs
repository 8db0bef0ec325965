using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;

namespace QuantCluster.Tests.Onnx.Import;

/// <summary>Hand-built ONNX models for the importer's error paths: input [batch, 1, 4, 4] -> Conv 1->2 3x3 -> Relu -> extra nodes.</summary>
internal sealed class TinyOnnxModel
{
    public const string Input = "input";
    public const string Relu = "relu_out";

    private readonly ModelProto _model;

    public TinyOnnxModel(long opset = 13, string heightDim = "")
    {
        var graph = new GraphProto { Name = "tiny" };
        graph.Input.Add(Value(Input, "batch", 1, heightDim.Length > 0 ? heightDim : 4, 4));
        graph.Initializer.Add(Floats("conv.weight", new float[18], 2, 1, 3, 3));
        graph.Node.Add(Node("Conv", "conv", [Input, "conv.weight"], "conv_out"));
        graph.Node.Add(Node("Relu", "relu", ["conv_out"], Relu));
        _model = new ModelProto { IrVersion = 8, Graph = graph };
        _model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = opset });
    }

    public GraphProto Graph => _model.Graph;

    /// <summary>Appends a node and makes its output the model's output.</summary>
    public TinyOnnxModel Then(string opType, string name, string[] inputs, string output = "out")
    {
        Graph.Node.Add(Node(opType, name, inputs, output));
        return this;
    }

    public string Save(string folder)
    {
        Graph.Output.Clear();
        Graph.Output.Add(Value(Graph.Node[^1].Output[0], "batch"));
        string path = Path.Combine(folder, "tiny.onnx");
        File.WriteAllBytes(path, _model.ToByteArray());
        return path;
    }

    public static TensorProto Floats(string name, float[] values, params long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float, RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan())) };
        tensor.Dims.AddRange(dims);
        return tensor;
    }

    private static NodeProto Node(string opType, string name, string[] inputs, string output)
    {
        var node = new NodeProto { OpType = opType, Name = name };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        return node;
    }

    // Each dimension an int (fixed) or a string (symbolic).
    private static ValueInfoProto Value(string name, params object[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims)
        {
            shape.Dim.Add(d is string symbol
                ? new TensorShapeProto.Types.Dimension { DimParam = symbol }
                : new TensorShapeProto.Types.Dimension { DimValue = Convert.ToInt64(d, System.Globalization.CultureInfo.InvariantCulture) });
        }
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } } };
    }
}
