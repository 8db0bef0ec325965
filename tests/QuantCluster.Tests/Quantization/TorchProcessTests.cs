using QuantCluster.Quantization;
using static TorchSharp.torch;

namespace QuantCluster.Tests.Quantization;

/// <summary>The test host is prepared like every QuantCluster process (<see cref="TestProcess"/>).</summary>
[Collection(TorchTests.Name)]
public sealed class TorchProcessTests
{
    [Fact]
    public void Nnpack_is_off_so_every_cpu_takes_the_same_convolutions()
    {
        Assert.False(Nnpack.IsEnabled);
    }

    [Fact]
    public void Preparing_again_keeps_one_thread_and_nnpack_off()
    {
        TorchProcess.Prepare(threads: 1);

        Assert.Equal(1, get_num_threads());
        Assert.False(Nnpack.IsEnabled);
    }
}
