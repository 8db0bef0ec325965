namespace QuantCluster.Quantization.Training;

/// <summary>The optimizers replicas can run; a plan names one as adam or sgd.</summary>
public enum OptimizerChoice
{
    Adam,
    Sgd,
}
