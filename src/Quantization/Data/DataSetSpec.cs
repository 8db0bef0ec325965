namespace QuantCluster.Quantization.Data;

/// <summary>
/// Everything a node needs to open the same samples as every other node: the files, their format, the axis order of
/// rank-4 arrays and the normalization. Labels is null when the images file or folder carries the labels itself.
/// </summary>
public sealed record DataSetSpec(DataFormat Format, string Images, string? Labels, ArrayLayout Layout, Normalization Normalization)
{
    /// <summary>Says which file or folder the samples come from, for messages.</summary>
    public string Description => Labels is null ? Images : $"{Images} with {Labels}";

    /// <summary>Tells two specs apart for caching (a record's arrays compare by reference).</summary>
    public string Key => $"{Format}|{Images}|{Labels}|{Layout}|{Normalization.Key}";
}
