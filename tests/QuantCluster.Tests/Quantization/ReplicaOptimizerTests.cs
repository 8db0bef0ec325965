using QuantCluster.Quantization.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace QuantCluster.Tests.Quantization;

/// <summary>Our own Adam and SGD against PyTorch's update formulas, written out in doubles.</summary>
[Collection(TorchTests.Name)]
public sealed class ReplicaOptimizerTests
{
    private const int Steps = 3;
    private const double LearningRate = 0.1;
    private static readonly double[] Start = [0.5, -1.0, 2.0, 0.0];
    // loss = sum(c * p^2), so g = 2 c p: the gradient changes with every step, as in training.
    private static readonly double[] Curvature = [1.0, 0.5, 3.0, 2.0];

    [Fact]
    public void Adam_matches_the_pytorch_formula_after_three_steps()
    {
        double[] p = [.. Start], m = new double[p.Length], v = new double[p.Length];
        for (int t = 1; t <= Steps; t++)
        {
            for (int i = 0; i < p.Length; i++)
            {
                double g = 2 * Curvature[i] * p[i];
                m[i] = (0.9 * m[i]) + (0.1 * g);
                v[i] = (0.999 * v[i]) + (0.001 * g * g);
                double mHat = m[i] / (1 - Math.Pow(0.9, t));
                double vHat = v[i] / (1 - Math.Pow(0.999, t));
                p[i] -= LearningRate * mHat / (Math.Sqrt(vHat) + 1e-8);
            }
        }

        AssertClose(p, Train(OptimizerChoice.Adam));
    }

    [Fact]
    public void Sgd_with_momentum_matches_the_pytorch_formula_after_three_steps()
    {
        double[] p = [.. Start], buffer = new double[p.Length];
        for (int t = 1; t <= Steps; t++)
        {
            for (int i = 0; i < p.Length; i++)
            {
                double g = 2 * Curvature[i] * p[i];
                // PyTorch: the first step's buffer is g itself, then buf = momentum * buf + g (dampening 0).
                buffer[i] = t == 1 ? g : (0.9 * buffer[i]) + g;
                p[i] -= LearningRate * buffer[i];
            }
        }

        AssertClose(p, Train(OptimizerChoice.Sgd));
    }

    [Theory]
    [InlineData(OptimizerChoice.Adam)]
    [InlineData(OptimizerChoice.Sgd)]
    public void Parameter_without_gradient_is_left_alone(OptimizerChoice choice)
    {
        using var trained = new Parameter(tensor(new[] { 1f, 2f }));
        using var untouched = new Parameter(tensor(new[] { 3f, 4f }));
        using var optimizer = new ReplicaOptimizer([trained, untouched], choice, LearningRate);

        using (var loss = trained.sum()) loss.backward();
        optimizer.Step();

        Assert.Equal(new[] { 3f, 4f }, untouched.data<float>().ToArray());
        Assert.NotEqual(new[] { 1f, 2f }, trained.data<float>().ToArray());
    }

    private static float[] Train(OptimizerChoice choice)
    {
        using var parameter = new Parameter(tensor(Start.Select(d => (float)d).ToArray()));
        using var curvature = tensor(Curvature.Select(d => (float)d).ToArray());
        using var optimizer = new ReplicaOptimizer([parameter], choice, LearningRate);
        for (int t = 0; t < Steps; t++)
        {
            using (var grad = parameter.grad) grad?.zero_();
            using (var loss = (curvature * parameter * parameter).sum()) loss.backward();
            optimizer.Step();
        }
        return parameter.data<float>().ToArray();
    }

    private static void AssertClose(double[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-6, $"[{i}]: expected {expected[i]:R}, got {actual[i]:R}");
    }
}
