namespace QuantCluster.Quantization.Evaluation;

/// <summary>
/// How much quantizing one layer costs: the SQNR of its output (10 log10 of signal power over quantization-noise power,
/// against FP32, the layer alone quantized), the model's accuracy with only this layer quantized, and with every point
/// but this layer quantized (what leaving it in FP32 would recover). Measured on the fake-quantized model; SqnrDb is null when quantization changed nothing (no noise).
/// </summary>
public sealed record LayerSensitivity(string Layer, double? SqnrDb, double AccuracyOnlyThisQuantized, double AccuracyAllButThisQuantized);
