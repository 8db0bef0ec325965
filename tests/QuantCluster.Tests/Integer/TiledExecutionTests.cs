using QuantCluster.Quantization.Integer;
using QuantCluster.Quantization.Schemes;

namespace QuantCluster.Tests.Integer;

/// <summary>
/// The executor takes samples through the layers in tiles, fully connected layers as a register-blocked GEMM. Run one at a time,
/// a sample takes the per-row dot products of the matrix-vector path, so whatever the batch, every integer must match that.
/// </summary>
public sealed class TiledExecutionTests
{
    private readonly IntegerExecutor executor = new();

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(16)]
    [InlineData(33)]
    [InlineData(50)]
    public void A_batch_of_any_size_gives_exactly_the_per_sample_integers(int batch)
    {
        // Feature counts that are neither multiples of 16 (the vector width) nor of 4 (the row block) exercise every tail.
        var rng = new Random(1000 + batch);
        const int Features = 37;
        float[] images = TestLayers.RandomImages(rng, batch, Features);
        int[][] q = [.. Enumerable.Range(0, batch).Select(n => FloatReference.Quantize(TestLayers.ImageInput, images.AsSpan(n * Features, Features)))];
        var fc1 = TestLayers.Linear(rng, TestLayers.ImageInput, q, Features, 70, FusedActivation.Relu);
        int[][] h1 = Forward(fc1, q);
        var fc2 = TestLayers.Linear(rng, fc1.Output, h1, 70, 45, FusedActivation.Relu);
        var fc3 = TestLayers.Linear(rng, fc2.Output, Forward(fc2, h1), 45, 10, signedOutput: true);
        var model = new Int8Model("mlp", [Features], TestLayers.ImageInput, [fc1, fc2, fc3]);

        int[] tiled = executor.RunToIntegers(model, images, batch);

        int[] perSample = [.. Enumerable.Range(0, batch).SelectMany(n => executor.RunToIntegers(model, images[(n * Features)..((n + 1) * Features)], 1))];
        Assert.Equal(perSample, tiled);
    }

    private static int[][] Forward(Int8Linear layer, int[][] inputs) =>
        [.. inputs.Select(s => FloatReference.Requantize(FloatReference.LinearReal(layer, s), layer.Output, layer.ClampMin, layer.ClampMax))];
}
