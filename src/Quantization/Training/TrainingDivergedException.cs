namespace QuantCluster.Quantization.Training;

/// <summary>Training produced a loss or a summed gradient that is not finite; the message names the epoch and step.</summary>
/// <remarks>
/// An optimizer step with a NaN or infinite gradient writes it into every weight, and every later step and the
/// INT8 model inherit it; stopping at the first such step is the only point where the cause is still visible.
/// </remarks>
public sealed class TrainingDivergedException(string message) : Exception(message);
