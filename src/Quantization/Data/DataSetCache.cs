using System.Collections.Concurrent;
using QuantCluster.Quantization.Models;

namespace QuantCluster.Quantization.Data;

/// <summary>
/// The data sets one process has opened, one read-only copy each, shared by every actor of the process (replicas and
/// calibration actors alike), so N actors over a data set of B bytes hold B, not N x B. Thread-safe: two actors asking at
/// once wait for one load.
/// </summary>
public sealed class DataSetCache
{
    private readonly ConcurrentDictionary<string, Lazy<LabeledImages>> _loaded = new(StringComparer.Ordinal);

    public LabeledImages Get(DataSetSpec spec, ModelSignature model)
    {
        string key = $"{spec.Key}|{model.ShapeText}|{model.Classes}";
        var entry = _loaded.GetOrAdd(key, _ => new Lazy<LabeledImages>(() => DataSetLoader.Load(spec, model)));
        try
        {
            return entry.Value;
        }
        catch (Exception)
        {
            // A failed load is not kept: the file may be fixed before the next job asks.
            _loaded.TryRemove(new KeyValuePair<string, Lazy<LabeledImages>>(key, entry));
            throw;
        }
    }
}
