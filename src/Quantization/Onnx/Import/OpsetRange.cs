namespace QuantCluster.Quantization.Onnx.Import;

/// <summary>The default-domain opset versions (inclusive) for which a converter reads an op as the ONNX spec defines it.</summary>
internal readonly record struct OpsetRange(long First, long Last)
{
    /// <summary>The newest opset the importer has been checked against; ops changed after it (ReduceMean's axes moved to
    /// an input in 18) must not be read with the old rules.</summary>
    public const long Newest = 17;

    public static OpsetRange From(long first) => new(first, Newest);

    public bool Contains(long opset) => opset >= First && opset <= Last;

    public override string ToString() => $"{First}-{Last}";
}
