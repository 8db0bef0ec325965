using QuantCluster.Quantization.GraphQuantization;
using QuantCluster.Quantization.Schemes;
using QuantCluster.Tests.Quantization;
using static TorchSharp.torch;

namespace QuantCluster.Tests.GraphQuantization;

/// <summary>An average of grid values lands where an integer kernel puts it: ties half to even, whatever the float noise of the mean.</summary>
[Collection(TorchTests.Name)]
public sealed class AverageRoundingTests
{
    [Fact]
    public void Ties_of_a_four_value_mean_go_to_the_even_integer()
    {
        using var scope = NewDisposeScope();
        var p = new QuantParams(0.1f, 0, 0, 255);
        // Means of {0, 0, 1, 1}, {1, 1, 2, 2}, {2, 2, 3, 3} and {41, 41, 42, 42} steps: 0.5, 1.5, 2.5 and 41.5, computed in
        // float as a pool does. The last is the one plain fake quantization gets wrong: its float mean, 4.1499996, is
        // below the tie, so it rounds to 41 (measured with torch's fake_quantize_per_tensor_affine), where an integer
        // kernel's sum of 166 lands exactly on 41.5 and goes to 42.
        var values = tensor(new[] { 0f, 0f, 0.1f, 0.1f, 0.1f, 0.1f, 0.2f, 0.2f, 0.2f, 0.2f, 0.3f, 0.3f, 4.1f, 4.1f, 4.2f, 4.2f }).reshape(4, 4);
        var mean = values.mean([1]);

        float[] rounded = AverageRounding.OntoGrid(mean, p, 4).data<float>().ToArray();

        Assert.Equal([0f, 2 * 0.1f, 2 * 0.1f, 42 * 0.1f], rounded);
    }
}
