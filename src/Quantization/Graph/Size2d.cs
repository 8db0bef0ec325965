namespace QuantCluster.Quantization.Graph;

/// <summary>A height and a width: of a kernel, a stride, a padding (on each side) or a dilation.</summary>
public readonly record struct Size2d(int Height, int Width)
{
    public static Size2d Square(int size) => new(size, size);

    public override string ToString() => Height == Width ? $"{Height}" : $"{Height}x{Width}";
}
