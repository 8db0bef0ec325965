using QuantCluster.Quantization.Data;

namespace QuantCluster.Coordinator.Jobs;

/// <summary>A job's training and test samples, read and checked against the model before any node started.</summary>
public sealed record JobData(LabeledImages Train, LabeledImages Test);
