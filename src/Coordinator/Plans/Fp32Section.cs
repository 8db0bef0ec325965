using QuantCluster.Quantization.Training;

namespace QuantCluster.Coordinator.Plans;

/// <summary>Reads the plan's fp32 section: training the float model before it is quantized.</summary>
internal static class Fp32Section
{
    public static readonly IReadOnlyList<string> Keys = ["epochs", "optimizer", "learning_rate", "batch_size"];

    public static Fp32Plan Read(PlanSection fp32) => new(
        Epochs: fp32.Int("epochs", 12, 0, 1000),
        Optimizer: fp32.Choice("optimizer", OptimizerChoice.Adam, PlanVocabulary.Optimizers),
        LearningRate: fp32.Double("learning_rate", 0.003, 0, minExclusive: true, 10),
        BatchSize: fp32.Int("batch_size", 32, 1, 65536));
}
