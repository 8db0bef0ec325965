using QuantCluster.Quantization;
using static TorchSharp.torch;

namespace QuantCluster.Tests.Quantization;

/// <summary>The test host is prepared like every QuantCluster process (<see cref="TestProcess"/>).</summary>
[Collection(TorchTests.Name)]
public sealed class TorchProcessTests
{
    [Fact]
    public void Nnpack_is_off_so_every_cpu_takes_the_same_convolutions_and_prints_no_warning()
    {
        using var output = nn.functional.conv2d(ones(2, 3, 8, 8), ones(4, 3, 3, 3));

        Assert.False(Nnpack.IsEnabled);
        Assert.Equal(27f, output[0, 0, 0, 0].item<float>());
    }

    [Fact]
    public void Preparing_again_keeps_one_thread_and_nnpack_off()
    {
        TorchProcess.Prepare(threads: 1);

        Assert.Equal(1, get_num_threads());
        Assert.False(Nnpack.IsEnabled);
    }
}
