namespace QuantCluster.Quantization.Onnx.Import;

/// <summary>A converter's complaint about the node it converts; the importer adds the file, node name and op type.</summary>
internal sealed class NodeConversionException : Exception
{
    public NodeConversionException()
    {
    }

    public NodeConversionException(string problem) : base(problem)
    {
    }

    public NodeConversionException(string problem, Exception inner) : base(problem, inner)
    {
    }
}
