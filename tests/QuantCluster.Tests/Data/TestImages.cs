using QuantCluster.Quantization.Data;
using QuantCluster.Quantization.Models;

namespace QuantCluster.Tests.Data;

/// <summary>Small labelled data sets built in memory or read from files a test wrote, without the shipped data.</summary>
internal static class TestImages
{
    /// <summary>uint8 samples of channels x height x width, values sample after sample.</summary>
    public static LabeledImages Of(int channels, int height, int width, byte[] values, int[] labels, Normalization? normalization = null) =>
        new(new ImageShape(channels, height, width), new ByteValues(values), labels, normalization ?? Normalization.None);

    /// <summary>Reads files as a job would, for a model taking the given shape and scoring the given classes.</summary>
    public static LabeledImages Load(DataFormat format, string images, string? labels, int[] inputShape, int classes = 10,
        ArrayLayout layout = ArrayLayout.Nchw, Normalization? normalization = null) =>
        DataSetLoader.Load(new DataSetSpec(format, images, labels, layout, normalization ?? Normalization.None), new ModelSignature(inputShape, classes));

    /// <summary>The uint8 values a data set reads from (all of them, for a view too).</summary>
    public static byte[] Bytes(this LabeledImages data) => ((ByteValues)data.Values).Values;
}
