namespace QuantCluster.Quantization.Data;

/// <summary>One sample's shape, channels x height x width, as the model takes it.</summary>
public readonly record struct ImageShape(int Channels, int Height, int Width)
{
    /// <summary>Values in one sample.</summary>
    public int Size => Channels * Height * Width;

    public int PlaneSize => Height * Width;

    public static ImageShape Of(IReadOnlyList<int> chw)
    {
        if (chw.Count != 3 || chw.Any(d => d <= 0))
            throw new ArgumentException($"an image shape is channels x height x width, all positive; got [{string.Join(", ", chw)}]", nameof(chw));
        return new ImageShape(chw[0], chw[1], chw[2]);
    }

    public override string ToString() => $"{Channels}x{Height}x{Width}";
}
