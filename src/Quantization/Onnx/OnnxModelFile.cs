using Google.Protobuf;
using Onnx;

namespace QuantCluster.Quantization.Onnx;

/// <summary>Writes ONNX models atomically and reads them back with errors that name the file and what is wrong with it.</summary>
public static class OnnxModelFile
{
    public static void Write(string path, ModelProto model) => AtomicFile.WriteAllBytes(path, model.ToByteArray());

    public static ModelProto Read(string path) => Parse(File.ReadAllBytes(path), path);

    /// <summary>Parses and checks the parts every reader relies on; source names the origin in errors.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a complete ONNX model with a graph, an opset, inputs and outputs.</exception>
    public static ModelProto Parse(byte[] bytes, string source)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.Length == 0) throw new InvalidDataException($"{source}: empty file, not an ONNX model");
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException($"{source}: not a valid ONNX model (corrupt or truncated protobuf: {e.Message})", e);
        }
        // Protobuf accepts many byte strings as a message with unknown or missing fields; a model without these is not one.
        if (model.Graph is null || model.Graph.Node.Count == 0)
            throw new InvalidDataException($"{source}: not a valid ONNX model (no graph nodes; corrupt or truncated?)");
        if (model.OpsetImport.Count == 0 || model.IrVersion <= 0)
            throw new InvalidDataException($"{source}: not a valid ONNX model (no IR version or opset import)");
        if (model.Graph.Input.Count == 0 || model.Graph.Output.Count == 0)
            throw new InvalidDataException($"{source}: ONNX graph has no inputs or outputs");
        var known = new HashSet<string>(model.Graph.Input.Select(v => v.Name).Concat(model.Graph.Initializer.Select(t => t.Name)).Concat(model.Graph.Node.SelectMany(n => n.Output)));
        var dangling = model.Graph.Node.SelectMany(n => n.Input).Where(i => i.Length > 0 && !known.Contains(i)).Distinct().ToList();
        if (dangling.Count > 0)
            throw new InvalidDataException($"{source}: ONNX graph uses undefined values {string.Join(", ", dangling.Take(5))} (corrupt or truncated?)");
        return model;
    }
}
