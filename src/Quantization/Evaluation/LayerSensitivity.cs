namespace QuantCluster.Quantization.Evaluation;

/// <summary>
/// How much quantizing one layer costs: the SQNR of its output (10 log10 of signal power over quantization-noise power,
/// against FP32, the layer alone quantized), the model's accuracy with only this layer quantized, with every point but
/// this layer quantized (its weights and its output activation in FP32), and with everything quantized but this layer's
/// weights and bias (what accuracy-driven fallback builds when it leaves this layer in FP32: its input and output stay
/// int8). Measured on the fake-quantized model; SqnrDb is null when quantization changed nothing (no noise).
/// </summary>
public sealed record LayerSensitivity(
    string Layer, double? SqnrDb, double AccuracyOnlyThisQuantized, double AccuracyAllButThisQuantized, double AccuracyLeftInFp32);
