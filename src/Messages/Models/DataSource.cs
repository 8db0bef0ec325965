using MessagePack;

namespace QuantCluster.Messages.Models;

/// <summary>
/// The data files every node opens itself, and how to read them alike, so samples never travel in messages: only their
/// indices do. Labels is null when Images is an .npz or a folder, which carry their labels; Mean and Std are empty when
/// the samples are not normalized, otherwise one entry per channel.
/// </summary>
[MessagePackObject]
public sealed record DataSource(
    [property: Key(0)] DataSourceFormat Format,
    [property: Key(1)] string Images,
    [property: Key(2)] string? Labels,
    [property: Key(3)] DataSourceLayout Layout,
    [property: Key(4)] float[] Mean,
    [property: Key(5)] float[] Std);

/// <summary>How a data source's files hold the samples; the values are wire values, never renumbered.</summary>
public enum DataSourceFormat
{
    IdxFiles = 0,
    NpyFiles = 1,
    Npz = 2,
    ImageFolder = 3,
}

/// <summary>Where a rank-4 images array keeps its channel axis; the values are wire values, never renumbered.</summary>
public enum DataSourceLayout
{
    Nchw = 0,
    Nhwc = 1,
}
