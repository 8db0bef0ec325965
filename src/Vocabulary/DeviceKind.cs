namespace QuantCluster.Quantization.Training;

/// <summary>Which kind of torch device a replica trains on.</summary>
public enum DeviceKind
{
    Cpu,
    Cuda,
}
