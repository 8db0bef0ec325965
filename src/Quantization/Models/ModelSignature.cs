namespace QuantCluster.Quantization.Models;

/// <summary>
/// What a model takes and gives: one sample's input shape (channels, height, width) and how many classes it scores. The
/// data a plan names is checked against it before any node starts, and images from a folder are brought to it.
/// </summary>
public sealed record ModelSignature(int[] InputShape, int Classes)
{
    public int Channels => InputShape[0];

    public int Height => InputShape[1];

    public int Width => InputShape[2];

    /// <summary>Values in one sample: channels x height x width.</summary>
    public int SampleSize => InputShape.Aggregate(1, (a, b) => a * b);

    /// <summary>As a message says it: 1x28x28.</summary>
    public string ShapeText => string.Join('x', InputShape);
}
