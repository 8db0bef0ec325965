using QuantCluster.Messages.Training;
using QuantCluster.Quantization.Schemes;
using Xunit.Sdk;

namespace QuantCluster.Tests.Messages;

/// <summary>Guards the guard: a comparer that passed everything would make every round-trip test vacuous.</summary>
public sealed class WireAssertTests
{
    [Fact]
    public void Negative_zero_differs_from_zero()
    {
        Assert.Throws<TrueException>(() =>
            WireAssert.BitExact(new AveragedGradients("j", 0, 0, [-0.0f], 0, 1), new AveragedGradients("j", 0, 0, [0.0f], 0, 1)));
    }

    [Fact]
    public void Nan_payloads_differ()
    {
        float[] quiet = [BitConverter.Int32BitsToSingle(0x7FC00000)];
        float[] withPayload = [BitConverter.Int32BitsToSingle(0x7FC00001)];

        Assert.Throws<TrueException>(() =>
            WireAssert.BitExact(new AveragedGradients("j", 0, 0, quiet, 0, 1), new AveragedGradients("j", 0, 0, withPayload, 0, 1)));
    }

    [Fact]
    public void Scalar_and_nested_fields_are_compared()
    {
        Assert.Throws<TrueException>(() =>
            WireAssert.BitExact(new EpochCompleted("j", 0, 1, 0.5, 1, 2, "h", 1.0, 0), new EpochCompleted("j", 0, 1, 0.5, 1, 2, "h", 1.5, 0)));
        Assert.Throws<TrueException>(() =>
            WireAssert.BitExact(MessageSamples.Training, MessageSamples.Training with { Quantization = new(ActivationScheme.SymmetricInt8, WeightGranularity.PerTensor) }));
    }
}
