using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace QuantCluster.Quantization.Training;

/// <summary>
/// Adam (Kingma and Ba 2015, with PyTorch's bias correction) and SGD with momentum, applied to gradients already set on the
/// parameters. Written here rather than taken from TorchSharp because its optimizers pass temporary Scalars to native calls
/// without keeping them alive: under GC pressure from several replicas in one process the finalizer freed a Scalar mid-call
/// (seen as "Expected false to be true ... toFloat" in addcdiv_ after a few thousand steps). Every Scalar here lives in a
/// using declaration until the native call has returned, and default alphas come from <see cref="PinnedScalars"/>.
/// </summary>
public sealed class ReplicaOptimizer : IDisposable
{
    private const double Beta1 = 0.9;
    private const double Beta2 = 0.999;
    private const double Epsilon = 1e-8;
    private const double Momentum = 0.9;

    private readonly Parameter[] _parameters;
    private readonly OptimizerChoice _choice;
    private readonly Tensor[] _first;
    private readonly Tensor[] _second;
    private long _steps;

    public ReplicaOptimizer(IReadOnlyList<Parameter> parameters, OptimizerChoice choice, double learningRate)
    {
        _parameters = [.. parameters];
        _choice = choice;
        LearningRate = learningRate;
        _first = [.. _parameters.Select(p => zeros_like(p).DetachFromDisposeScope())];
        _second = choice == OptimizerChoice.Adam ? [.. _parameters.Select(p => zeros_like(p).DetachFromDisposeScope())] : [];
    }

    public double LearningRate { get; set; }

    public void Step()
    {
        _steps++;
        using var _ = no_grad();
        if (_choice == OptimizerChoice.Adam) AdamStep();
        else SgdStep();
    }

    public void Dispose()
    {
        foreach (var t in _first.Concat(_second)) t.Dispose();
    }

    // m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2;  p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps).
    private void AdamStep()
    {
        double correction1 = 1 - Math.Pow(Beta1, _steps);
        double correction2 = 1 - Math.Pow(Beta2, _steps);
        using var beta1 = Beta1.ToScalar();
        using var oneMinusBeta1 = (1 - Beta1).ToScalar();
        using var beta2 = Beta2.ToScalar();
        using var oneMinusBeta2 = (1 - Beta2).ToScalar();
        using var sqrtCorrection2 = Math.Sqrt(correction2).ToScalar();
        using var epsilon = Epsilon.ToScalar();
        using var stepSize = (-LearningRate / correction1).ToScalar();
        for (int i = 0; i < _parameters.Length; i++)
        {
            var grad = _parameters[i].grad;
            if (grad is null) continue;
            using (grad)
            {
                _first[i].mul_(beta1).add_(grad, oneMinusBeta1);
                _second[i].mul_(beta2).addcmul_(grad, grad, oneMinusBeta2);
            }
            using var denominator = PinnedScalars.PlusInPlace(_second[i].sqrt().div_(sqrtCorrection2), epsilon);
            _parameters[i].addcdiv_(_first[i], denominator, stepSize);
        }
    }

    // buf = momentum buf + g;  p -= lr buf.
    private void SgdStep()
    {
        using var momentum = Momentum.ToScalar();
        using var rate = (-LearningRate).ToScalar();
        for (int i = 0; i < _parameters.Length; i++)
        {
            var grad = _parameters[i].grad;
            if (grad is null) continue;
            using (grad) PinnedScalars.PlusInPlace(_first[i].mul_(momentum), grad);
            _parameters[i].add_(_first[i], rate);
        }
    }
}
