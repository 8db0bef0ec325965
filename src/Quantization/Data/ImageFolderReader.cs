using SkiaSharp;

namespace QuantCluster.Quantization.Data;

/// <summary>
/// Reads torchvision's ImageFolder layout: one subfolder per class, the subfolder names sorted ordinally giving the class
/// indices, PNG and JPEG files inside (others are skipped, as ImageFolder skips them). Every image is decoded by SkiaSharp,
/// resized to the model's height and width (bilinear) and converted to its channel count: grayscale for 1 (ITU-R 601 luma,
/// as PIL's convert("L")), RGB for 3 (alpha dropped). The result is bytes, one per value.
/// </summary>
public static class ImageFolderReader
{
    private static readonly string[] Extensions = [".png", ".jpg", ".jpeg"];

    /// <summary>The class folders' names in class-index order.</summary>
    public static string[] Classes(string folder) =>
        [.. Directory.GetDirectories(folder).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)];

    public static (byte[] Values, int[] Labels) Read(string folder, ImageShape shape)
    {
        if (shape.Channels is not (1 or 3))
            throw new DataFormatException($"{folder}: images from a folder become 1 (grayscale) or 3 (RGB) channels, the model takes {shape.Channels}");
        var classes = Classes(folder);
        if (classes.Length == 0)
            throw new DataFormatException($"{folder}: no class folders; allowed: one subfolder per class holding .png or .jpg images");
        var files = new List<(string Path, int Label)>();
        for (int label = 0; label < classes.Length; label++)
        {
            string classFolder = Path.Combine(folder, classes[label]);
            var images = Directory.GetFiles(classFolder)
                .Where(f => Extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal).ToArray();
            if (images.Length == 0)
                throw new DataFormatException($"{classFolder}: class folder '{classes[label]}' holds no .png, .jpg or .jpeg images");
            files.AddRange(images.Select(f => (f, label)));
        }

        if ((long)files.Count * shape.Size > Array.MaxLength)
            throw new DataFormatException($"{folder}: {files.Count} images of {shape} are more values than one array holds; split the folder");
        var values = new byte[files.Count * shape.Size];
        var labels = new int[files.Count];
        for (int i = 0; i < files.Count; i++)
        {
            Decode(files[i].Path, shape, values.AsSpan(i * shape.Size, shape.Size));
            labels[i] = files[i].Label;
        }
        return (values, labels);
    }

    private static void Decode(string path, ImageShape shape, Span<byte> target)
    {
        using var decoded = SKBitmap.Decode(path)
            ?? throw new DataFormatException($"{path}: does not decode as an image (a damaged or mislabelled file); allowed: PNG or JPEG");
        using var resized = new SKBitmap(new SKImageInfo(shape.Width, shape.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        if (!decoded.ScalePixels(resized, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.None)))
            throw new DataFormatException($"{path}: could not be resized to {shape.Width}x{shape.Height}");
        ReadOnlySpan<byte> rgba = resized.GetPixelSpan();
        int plane = shape.PlaneSize;
        for (int p = 0; p < plane; p++)
        {
            int r = rgba[4 * p], g = rgba[(4 * p) + 1], b = rgba[(4 * p) + 2];
            if (shape.Channels == 1)
            {
                target[p] = (byte)(((r * 299) + (g * 587) + (b * 114) + 500) / 1000);
            }
            else
            {
                target[p] = (byte)r;
                target[plane + p] = (byte)g;
                target[(2 * plane) + p] = (byte)b;
            }
        }
    }
}
