namespace QuantCluster.Quantization.Onnx.Import;

/// <summary>
/// A model file the importer cannot turn into a graph. The message is for the user: it names the file and, when a node is
/// at fault, the node and its op type (and for an unsupported op, the supported ones), never a stack trace.
/// </summary>
public sealed class ModelImportException : Exception
{
    public ModelImportException()
    {
    }

    public ModelImportException(string message) : base(message)
    {
    }

    public ModelImportException(string message, Exception inner) : base(message, inner)
    {
    }
}
