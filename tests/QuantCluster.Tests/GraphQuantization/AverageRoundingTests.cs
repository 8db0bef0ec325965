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
        // Means of {0, 0, 1, 1}, {1, 1, 2, 2} and {2, 2, 3, 3} steps: 0.5, 1.5 and 2.5, computed in float as a pool does.
        var values = tensor(new[] { 0f, 0f, 0.1f, 0.1f, 0.1f, 0.1f, 0.2f, 0.2f, 0.2f, 0.2f, 0.3f, 0.3f }).reshape(3, 4);
        var mean = values.mean([1]);

        float[] rounded = AverageRounding.OntoGrid(mean, p, 4).data<float>().ToArray();

        Assert.Equal([0f, 2 * 0.1f, 2 * 0.1f], rounded);
    }
}
