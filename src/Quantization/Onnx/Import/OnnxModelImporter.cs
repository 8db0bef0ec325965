using Google.Protobuf;
using Onnx;
using QuantCluster.Quantization.Graph;

namespace QuantCluster.Quantization.Onnx.Import;

/// <summary>
/// Reads an FP32 ONNX model (as torch.onnx.export writes CNNs, opsets 11 to 17) into a <see cref="ModelGraph"/>: every
/// value's shape resolved from the input's, shape computations folded, pass-through ops removed, each node turned into
/// graph nodes by the converter registered for its op. Any failure is a <see cref="ModelImportException"/> naming the
/// file and, where one is at fault, the node and its op type.
/// </summary>
public static class OnnxModelImporter
{
    public static ModelGraph Import(string path) => Import(path, OpConverterRegistry.Default);

    internal static ModelGraph Import(string path, OpConverterRegistry registry)
    {
        var model = Read(path);
        var graph = model.Graph;
        long opset = DefaultOpset(model, path);
        foreach (var initializer in graph.Initializer.Where(TensorReader.IsExternal))
            throw new ModelImportException($"{path}: initializer '{initializer.Name}' is stored as external data, outside the .onnx file; the importer reads only self-contained models (under 2 GB, torch.onnx.export's default)");
        var (input, inputShape, staticBatch) = TheInput(graph, path);
        var context = new ImportContext(opset, input, inputShape, staticBatch, graph.Initializer);
        foreach (var node in graph.Node) Convert(node, context, registry, path);
        string output = TheOutput(graph, context, path);
        try
        {
            return new ModelGraph(graph.Name.Length > 0 ? graph.Name : Path.GetFileNameWithoutExtension(path), input, inputShape, output, context.NodesReaching(output));
        }
        catch (InvalidGraphException e)
        {
            throw new ModelImportException($"{path}: {e.Message}", e);
        }
    }

    private static ModelProto Read(string path)
    {
        var file = new FileInfo(path);
        if (!file.Exists) throw new ModelImportException($"{path}: no such file");
        if (file.Length == 0) throw new ModelImportException($"{path}: empty file, not an ONNX model");
        if (file.Length > TensorReader.MaxBytes)
            throw new ModelImportException($"{path}: {file.Length:N0} bytes, over the 2 GB a protobuf model can hold; such models keep their weights as external data, which the importer does not read");
        ModelProto model;
        try
        {
            // From the stream, not a byte array: the weights then sit in memory once (as the tensors' bytes), not twice.
            using var stream = file.OpenRead();
            model = ModelProto.Parser.ParseFrom(stream);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new ModelImportException($"{path}: not an ONNX model, or truncated (the protobuf does not parse: {e.Message})", e);
        }
        // Protobuf reads many byte strings as a message of unknown fields; a model without a graph and an opset is not one.
        if (model.Graph is null || model.Graph.Node.Count == 0 || model.IrVersion <= 0 || model.OpsetImport.Count == 0)
            throw new ModelImportException($"{path}: not an ONNX model, or truncated (no graph, IR version or opset)");
        return model;
    }

    private static long DefaultOpset(ModelProto model, string path) =>
        model.OpsetImport.FirstOrDefault(o => o.Domain is "" or "ai.onnx")?.Version
        ?? throw new ModelImportException($"{path}: the model imports no version of the default ONNX operator set");

    private static (string Name, Shape Shape, long? StaticBatch) TheInput(GraphProto graph, string path)
    {
        // Before IR version 4 initializers were listed among the inputs as well; they are not what the model is fed.
        var initializers = graph.Initializer.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var inputs = graph.Input.Where(v => !initializers.Contains(v.Name)).ToArray();
        if (inputs.Length != 1)
            throw new ModelImportException($"{path}: {inputs.Length} inputs ({string.Join(", ", inputs.Select(v => $"'{v.Name}'"))}); the importer takes models with one image input");
        var input = inputs[0];
        var tensor = input.Type?.TensorType ?? throw new ModelImportException($"{path}: input '{input.Name}' is not a tensor");
        if (tensor.ElemType != (int)TensorProto.Types.DataType.Float)
            throw new ModelImportException($"{path}: input '{input.Name}' holds {(TensorProto.Types.DataType)tensor.ElemType}; the importer takes float32 models");
        var dims = tensor.Shape?.Dim ?? throw new ModelImportException($"{path}: input '{input.Name}' declares no shape");
        if (dims.Count < 2) throw new ModelImportException($"{path}: input '{input.Name}' has rank {dims.Count}; expected [batch, ...sample]");
        var sample = new int[dims.Count - 1];
        for (int axis = 1; axis < dims.Count; axis++)
        {
            if (!IsFixed(dims[axis]))
                throw new ModelImportException($"{path}: input '{input.Name}' has a dynamic dimension {axis} ('{(dims[axis].DimParam.Length > 0 ? dims[axis].DimParam : "unknown")}'), so the shapes cannot be resolved; "
                    + "every dimension but the batch must be fixed (export with dynamic_axes on axis 0 only)");
            sample[axis - 1] = checked((int)dims[axis].DimValue);
        }
        return (input.Name, new Shape(sample), IsFixed(dims[0]) ? dims[0].DimValue : null);
    }

    private static bool IsFixed(TensorShapeProto.Types.Dimension dim) =>
        dim.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue && dim.DimValue > 0;

    private static void Convert(NodeProto node, ImportContext context, OpConverterRegistry registry, string path)
    {
        string where = $"{path}: node '{node.DisplayName()}' ({node.OpType})";
        try
        {
            if (node.Domain is not ("" or "ai.onnx"))
                throw new ModelImportException($"{path}: node '{node.DisplayName()}' ({node.Domain}.{node.OpType}): unsupported op from domain '{node.Domain}'; supported (default domain): {string.Join(", ", registry.SupportedOps)}");
            var converter = registry.Find(node.OpType, context.Opset)
                ?? throw new ModelImportException($"{where}: unsupported op; supported: {string.Join(", ", registry.SupportedOps)}");
            converter.Convert(node, context);
        }
        catch (NodeConversionException e)
        {
            throw new ModelImportException($"{where}: {e.Message}", e);
        }
        catch (InvalidGraphException e)
        {
            throw new ModelImportException($"{where}: {e.Message}", e);
        }
        catch (OverflowException e)
        {
            throw new ModelImportException($"{where}: a size or count is too large", e);
        }
        catch (ArgumentOutOfRangeException e)
        {
            // RepeatedField's indexer: the node lacks an input or output its op requires.
            throw new ModelImportException($"{where}: fewer inputs or outputs than the op requires", e);
        }
    }

    private static string TheOutput(GraphProto graph, ImportContext context, string path)
    {
        if (graph.Output.Count != 1)
            throw new ModelImportException($"{path}: {graph.Output.Count} outputs ({string.Join(", ", graph.Output.Select(v => $"'{v.Name}'"))}); the importer takes models with one output");
        try
        {
            string named = graph.Output[0].Name, computed = context.Value(named);
            // An output written by a pass-through (Identity, Dropout) is computed under another name; give it back the
            // user's, so the exported models answer under the output name the user's own file has.
            return computed == named || !context.RenameComputed(computed, named) ? computed : named;
        }
        catch (NodeConversionException e)
        {
            throw new ModelImportException($"{path}: output '{graph.Output[0].Name}': {e.Message}", e);
        }
    }
}
