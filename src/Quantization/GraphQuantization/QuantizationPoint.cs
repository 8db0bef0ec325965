namespace QuantCluster.Quantization.GraphQuantization;

/// <summary>
/// One set of quantization parameters in a prepared graph and the values that carry it. Observed values define the range
/// (each is watched by the point's observer); sharing values are fake-quantized with the same scale and zero point but
/// not watched, because their range lies inside the observed ones (a pool's output inside its input's, a Concat's output
/// inside the union of its inputs'). Name is the first observed value in graph order.
/// </summary>
public sealed record QuantizationPoint(string Name, IReadOnlyList<string> Observed, IReadOnlyList<string> Sharing)
{
    public IEnumerable<string> Values => Observed.Concat(Sharing);
}
