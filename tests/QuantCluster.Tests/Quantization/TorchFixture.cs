using QuantCluster.Quantization.FakeQuant;
using static TorchSharp.torch;

namespace QuantCluster.Tests.Quantization;

/// <summary>
/// Shared by every torch test: one thread (two torch threads on two loaded cores can be 20-100x slower) and one set of
/// compiled fake-quantize kernels, so each test does not pay for the TorchScript compilation.
/// </summary>
public sealed class TorchFixture : IDisposable
{
    public TorchFixture()
    {
        set_num_threads(1);
        Kernels = new FakeQuantKernels();
    }

    public FakeQuantKernels Kernels { get; }

    public void Dispose() => Kernels.Dispose();
}

/// <summary>Torch tests run one after another in this collection: they share the fixture and the process-wide thread setting.</summary>
[CollectionDefinition(Name)]
public sealed class TorchTests : ICollectionFixture<TorchFixture>
{
    public const string Name = "torch";
}
