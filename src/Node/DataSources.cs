using QuantCluster.Messages.Models;
using QuantCluster.Quantization.Data;

namespace QuantCluster.Node;

/// <summary>Translates between the wire's <see cref="DataSource"/> and the data library's <see cref="DataSetSpec"/>, in both directions, field by field.</summary>
public static class DataSources
{
    public static DataSource ToWire(DataSetSpec spec) => new(
        spec.Format switch
        {
            DataFormat.IdxFiles => DataSourceFormat.IdxFiles,
            DataFormat.NpyFiles => DataSourceFormat.NpyFiles,
            DataFormat.Npz => DataSourceFormat.Npz,
            DataFormat.ImageFolder => DataSourceFormat.ImageFolder,
            _ => throw new ArgumentException($"unknown data format {spec.Format}", nameof(spec)),
        },
        spec.Images,
        spec.Labels,
        spec.Layout == ArrayLayout.Nhwc ? DataSourceLayout.Nhwc : DataSourceLayout.Nchw,
        spec.Normalization.Mean,
        spec.Normalization.Std);

    public static DataSetSpec FromWire(DataSource source) => new(
        source.Format switch
        {
            DataSourceFormat.IdxFiles => DataFormat.IdxFiles,
            DataSourceFormat.NpyFiles => DataFormat.NpyFiles,
            DataSourceFormat.Npz => DataFormat.Npz,
            DataSourceFormat.ImageFolder => DataFormat.ImageFolder,
            _ => throw new InvalidDataException($"data source format {(int)source.Format} is not one this node knows"),
        },
        source.Images,
        source.Labels,
        source.Layout switch
        {
            DataSourceLayout.Nchw => ArrayLayout.Nchw,
            DataSourceLayout.Nhwc => ArrayLayout.Nhwc,
            _ => throw new InvalidDataException($"data source layout {(int)source.Layout} is not one this node knows"),
        },
        source.Mean.Length == 0 ? Normalization.None : new Normalization(source.Mean, source.Std));
}
