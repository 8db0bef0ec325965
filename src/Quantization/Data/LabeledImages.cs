namespace QuantCluster.Quantization.Data;

/// <summary>A labelled image dataset held in memory (MNIST-style: byte pixels, digit labels 0-9), from which training and calibration batches are cut.</summary>
public sealed class LabeledImages
{
    private const int ClassCount = 10;

    // pixel / 255f for every byte: exact (a multiply by 1/255f can differ in the last bit) and cheaper than a division per pixel.
    private static readonly float[] UnitScale = Enumerable.Range(0, 256).Select(b => b / 255f).ToArray();

    /// <param name="rows">Height of each image.</param>
    /// <param name="columns">Width of each image.</param>
    /// <param name="pixels">Count * rows * columns bytes, image after image, each row-major. Kept, not copied: the caller hands it over.</param>
    /// <param name="labels">One label in 0-9 per image; kept, not copied.</param>
    public LabeledImages(int rows, int columns, byte[] pixels, byte[] labels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(labels);
        if ((long)labels.Length * rows * columns != pixels.Length)
        {
            throw new ArgumentException($"{pixels.Length} pixels do not make {labels.Length} images of {rows}x{columns}", nameof(pixels));
        }

        int bad = FirstLabelOutOfRange(labels);
        if (bad >= 0)
        {
            throw new ArgumentException($"label {labels[bad]} at index {bad} is outside 0-{ClassCount - 1}", nameof(labels));
        }

        Rows = rows;
        Columns = columns;
        Pixels = pixels;
        Labels = labels;
    }

    public int Count => Labels.Length;

    public int Rows { get; }

    public int Columns { get; }

    public int PixelsPerImage => Rows * Columns;

    public byte[] Pixels { get; }

    public byte[] Labels { get; }

    /// <summary>Loads an IDX images file and its IDX labels file (gzipped or raw) and checks that they belong together.</summary>
    /// <exception cref="DataFormatException">Either file is malformed, the counts differ, or a label is not 0-9.</exception>
    public static LabeledImages Load(string imagesPath, string labelsPath)
    {
        IdxArray images = IdxReader.ReadImages(imagesPath);
        IdxArray labels = IdxReader.ReadLabels(labelsPath);
        int imageCount = images.Dimensions[0];
        int labelCount = labels.Dimensions[0];
        if (imageCount != labelCount)
        {
            throw new DataFormatException($"{labelsPath}: {labelCount} labels, but {imagesPath} has {imageCount} images");
        }

        int bad = FirstLabelOutOfRange(labels.Data);
        if (bad >= 0)
        {
            throw new DataFormatException($"{labelsPath}: label {labels.Data[bad]} at index {bad} is outside 0-{ClassCount - 1}");
        }

        int rows = images.Dimensions[1];
        int columns = images.Dimensions[2];
        if (rows == 0 || columns == 0)
        {
            throw new DataFormatException($"{imagesPath}: images of {rows}x{columns} pixels hold nothing");
        }

        return new LabeledImages(rows, columns, images.Data, labels.Data);
    }

    /// <summary>A copy holding only the selected images, in the order given.</summary>
    public LabeledImages Subset(int[] indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        int size = PixelsPerImage;
        var pixels = new byte[checked(indices.Length * size)];
        var labels = new byte[indices.Length];
        for (int i = 0; i < indices.Length; i++)
        {
            int index = indices[i];
            if ((uint)index >= (uint)Count)
            {
                throw new ArgumentOutOfRangeException(nameof(indices), index, $"indices[{i}] is {index}, outside 0-{Count - 1}");
            }

            Pixels.AsSpan(index * size, size).CopyTo(pixels.AsSpan(i * size, size));
            labels[i] = Labels[index];
        }

        return new LabeledImages(Rows, Columns, pixels, labels);
    }

    /// <summary>The selected images' pixels scaled to [0, 1] (pixel / 255f), one after another: a ready input batch of indices.Length x Rows x Columns.</summary>
    public float[] PixelsAsFloats(int[] indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        int size = PixelsPerImage;
        var batch = new float[checked(indices.Length * size)];
        for (int i = 0; i < indices.Length; i++)
        {
            int index = indices[i];
            if ((uint)index >= (uint)Count)
            {
                throw new ArgumentOutOfRangeException(nameof(indices), index, $"indices[{i}] is {index}, outside 0-{Count - 1}");
            }

            ReadOnlySpan<byte> source = Pixels.AsSpan(index * size, size);
            Span<float> target = batch.AsSpan(i * size, size);
            for (int p = 0; p < size; p++)
            {
                target[p] = UnitScale[source[p]];
            }
        }

        return batch;
    }

    private static int FirstLabelOutOfRange(byte[] labels) => labels.AsSpan().IndexOfAnyExceptInRange((byte)0, (byte)(ClassCount - 1));
}
