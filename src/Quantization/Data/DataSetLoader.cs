using QuantCluster.Quantization.Models;

namespace QuantCluster.Quantization.Data;

/// <summary>
/// Opens a data set in any of its formats and checks it against the model that will read it: every sample of the model's
/// shape, every label one of its classes. Each failure is one <see cref="DataFormatException"/> naming the file and the item.
/// </summary>
public static class DataSetLoader
{
    public static LabeledImages Load(DataSetSpec spec, ModelSignature model)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(model);
        var shape = ImageShape.Of(model.InputShape);
        var (imageShape, values, labels, imagesName, labelsName) = spec.Format switch
        {
            DataFormat.IdxFiles => FromIdx(spec),
            DataFormat.NpyFiles => FromArrays(
                NpyReader.Read(spec.Images), spec.Images, NpyReader.Read(Labels(spec)), Labels(spec), spec.Layout),
            DataFormat.Npz => FromArrays(
                NpzReader.Read(spec.Images, "images"), $"{spec.Images}: array 'images'",
                NpzReader.Read(spec.Images, "labels"), $"{spec.Images}: array 'labels'", spec.Layout),
            DataFormat.ImageFolder => FromFolder(spec, shape, model.Classes),
            _ => throw new ArgumentException($"unknown data format {spec.Format}", nameof(spec)),
        };
        if (labels.Length == 0) throw new DataFormatException($"{imagesName}: holds no samples");
        if (imageShape != shape)
            throw new DataFormatException($"{imagesName}: samples are {imageShape}, the model takes {shape} (channels x height x width)");
        int bad = Array.FindIndex(labels, l => l < 0 || l >= model.Classes);
        if (bad >= 0)
            throw new DataFormatException($"{labelsName}: label {labels[bad]} at index {bad} is outside the model's {model.Classes} classes (0-{model.Classes - 1})");
        return new LabeledImages(shape, values, labels, spec.Normalization);
    }

    private static string Labels(DataSetSpec spec) =>
        spec.Labels ?? throw new ArgumentException($"{spec.Format} data needs a labels file", nameof(spec));

    private static (ImageShape, SampleValues, int[], string, string) FromIdx(DataSetSpec spec)
    {
        var images = IdxReader.ReadImages(spec.Images);
        var labels = IdxReader.ReadLabels(Labels(spec));
        CheckCounts(images.Dimensions[0], spec.Images, labels.Dimensions[0], Labels(spec));
        var shape = new ImageShape(1, images.Dimensions[1], images.Dimensions[2]);
        return (shape, new ByteValues(images.Data), [.. labels.Data.Select(b => (int)b)], spec.Images, Labels(spec));
    }

    private static (ImageShape, SampleValues, int[], string, string) FromFolder(DataSetSpec spec, ImageShape shape, int classes)
    {
        // The labels are the class folders: the first one beyond the model's classes is named before any image is decoded.
        var folders = ImageFolderReader.Classes(spec.Images);
        if (folders.Length > classes)
            throw new DataFormatException(
                $"{Path.Combine(spec.Images, folders[classes])}: class folder {classes + 1} of {folders.Length} would be class {classes}, outside the model's {classes} classes (0-{classes - 1})");
        var (values, labels) = ImageFolderReader.Read(spec.Images, shape);
        return (shape, new ByteValues(values), labels, spec.Images, spec.Images);
    }

    private static (ImageShape, SampleValues, int[], string, string) FromArrays(
        NpyArray images, string imagesName, NpyArray labels, string labelsName, ArrayLayout layout)
    {
        if (images.Type is not (NpyType.UInt8 or NpyType.Float32))
            throw new DataFormatException($"{imagesName}: images are {Name(images.Type)}; allowed: uint8 (0-255, scaled to 0-1) or float32 (taken as they are)");
        if (images.Shape.Length is not (3 or 4))
            throw new DataFormatException($"{imagesName}: images are {images.ShapeText}, rank {images.Shape.Length}; allowed: N x H x W, N x C x H x W, or N x H x W x C with data.layout: nhwc");
        if (labels.Type is not (NpyType.UInt8 or NpyType.Int32 or NpyType.Int64))
            throw new DataFormatException($"{labelsName}: labels are {Name(labels.Type)}; allowed: integer class indices (uint8, int32, int64)");
        if (labels.Shape.Length != 1)
            throw new DataFormatException($"{labelsName}: labels are {labels.ShapeText}, rank {labels.Shape.Length}; allowed: one label per sample (rank 1)");
        CheckCounts(images.Shape[0], imagesName, labels.Shape[0], labelsName);

        var s = images.Shape;
        bool channelsLast = s.Length == 4 && layout == ArrayLayout.Nhwc;
        var shape = s.Length == 3 ? new ImageShape(1, s[1], s[2]) : channelsLast ? new ImageShape(s[3], s[1], s[2]) : new ImageShape(s[1], s[2], s[3]);
        SampleValues values = images.Values switch
        {
            byte[] b => new ByteValues(channelsLast ? ChannelsFirst(b, shape) : b),
            float[] f => new FloatValues(channelsLast ? ChannelsFirst(f, shape) : f),
            _ => throw new InvalidOperationException("checked above"),
        };
        return (shape, values, Labels(labels, labelsName), imagesName, labelsName);
    }

    private static void CheckCounts(int images, string imagesName, int labels, string labelsName)
    {
        if (images != labels) throw new DataFormatException($"{labelsName}: {labels} labels, but {imagesName} has {images} images");
    }

    private static int[] Labels(NpyArray labels, string name)
    {
        switch (labels.Values)
        {
            case byte[] b:
                return [.. b.Select(v => (int)v)];
            case int[] i:
                return i;
            case long[] l:
                int wide = Array.FindIndex(l, v => v is < int.MinValue or > int.MaxValue);
                if (wide >= 0) throw new DataFormatException($"{name}: label {l[wide]} at index {wide} is not a class index");
                return [.. l.Select(v => (int)v)];
            default:
                throw new InvalidOperationException("checked above");
        }
    }

    // N x H x W x C to N x C x H x W: the model and every batch read channel-major samples.
    private static T[] ChannelsFirst<T>(T[] nhwc, ImageShape shape)
    {
        var nchw = new T[nhwc.Length];
        int plane = shape.PlaneSize, size = shape.Size, channels = shape.Channels;
        for (long n = 0; n < nhwc.LongLength / size; n++)
        {
            long offset = n * size;
            for (int p = 0; p < plane; p++)
                for (int c = 0; c < channels; c++) nchw[offset + (c * plane) + p] = nhwc[offset + (p * channels) + c];
        }
        return nchw;
    }

    private static string Name(NpyType type) => type.ToString().ToLowerInvariant();
}
