namespace QuantCluster.Quantization.Data;

/// <summary>Keeps the data sets an owner has read, so each pair of IDX files is parsed once rather than once per request.</summary>
public sealed class DataSetCache
{
    private readonly Dictionary<(string Images, string Labels), LabeledImages> _loaded = [];

    public LabeledImages Get(string images, string labels)
    {
        if (!_loaded.TryGetValue((images, labels), out var data))
        {
            data = LabeledImages.Load(images, labels);
            _loaded[(images, labels)] = data;
        }
        return data;
    }
}
