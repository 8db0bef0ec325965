using static TorchSharp.torch;

namespace QuantCluster.Quantization.Observers;

/// <summary>Something that watches what a quantization point outputs (after fake quantization, when that is on), e.g. a histogram observer.</summary>
public interface IActivationTap
{
    void Seen(Tensor activation);
}
