using QuantCluster.Quantization.Data;

namespace QuantCluster.Tests.Quantization;

/// <summary>Seeded stand-ins for MNIST, so the tests need neither the shipped data nor the network.</summary>
internal static class SyntheticData
{
    /// <summary>count 28x28 images of random bytes in [minPixel, 255] with random labels 0-9.</summary>
    public static LabeledImages Images(int count, int seed, int minPixel = 0, int rows = 28, int columns = 28)
    {
        var rng = new Random(seed);
        var pixels = new byte[count * rows * columns];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = (byte)rng.Next(minPixel, 256);
        var labels = new int[count];
        for (int i = 0; i < labels.Length; i++) labels[i] = rng.Next(0, 10);
        return new LabeledImages(new ImageShape(1, rows, columns), new ByteValues(pixels), labels, Normalization.None);
    }

    /// <summary>count * size floats uniform in [0, 1).</summary>
    public static float[] Uniform(int count, int size, int seed)
    {
        var rng = new Random(seed);
        var values = new float[count * size];
        for (int i = 0; i < values.Length; i++) values[i] = rng.NextSingle();
        return values;
    }
}
