using QuantCluster.Messages.Models;

namespace QuantCluster.Messages.Calibration;

/// <summary>Asks a calibration actor to run the FP32 model over its shard of samples and report activation statistics.</summary>
public sealed record CalibrateShard(
    string JobId, int Shard, ModelSnapshot Model, QuantizationSettings Quantization, DataSource Data, int[] SampleIndices, int BatchSize, string TraceParent);
