using QuantCluster.Quantization.FakeQuant;

namespace QuantCluster.Tests.Quantization;

/// <summary>
/// Shared by every torch test: one set of compiled fake-quantize kernels, so each test does not pay for the TorchScript
/// compilation. The thread count is fixed for the whole test host by <see cref="TestProcess"/>.
/// </summary>
public sealed class TorchFixture : IDisposable
{
    public FakeQuantKernels Kernels { get; } = new();

    public void Dispose() => Kernels.Dispose();
}

/// <summary>Torch tests run one after another in this collection: they share the fixture and the process-wide thread setting.</summary>
[CollectionDefinition(Name)]
public sealed class TorchTests : ICollectionFixture<TorchFixture>
{
    public const string Name = "torch";
}
