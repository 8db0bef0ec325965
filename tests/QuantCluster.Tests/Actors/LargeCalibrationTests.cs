using Akka.Actor;
using Akka.Configuration;
using QuantCluster.CalibrationNode;
using QuantCluster.Messages;
using QuantCluster.Messages.Calibration;
using QuantCluster.Messages.Models;
using QuantCluster.Messages.Serialization;
using QuantCluster.Node;
using QuantCluster.Node.Blobs;
using QuantCluster.Quantization.Data;
using QuantCluster.Quantization.Models;
using QuantCluster.Quantization.Schemes;
using QuantCluster.Tests.Quantization;

namespace QuantCluster.Tests.Actors;

/// <summary>
/// Calibration at a realistic worst case, 60,000 samples and 8,192 bins, through a calibration actor with every message
/// checked against Akka.Remote's default 128,000-byte frame: the index list (240 KB) and the counts (256 KB) must travel
/// as blobs, or a message is refused and the round fails.
/// </summary>
[Collection(TorchTests.Name)]
public sealed class LargeCalibrationTests() : Akka.TestKit.Xunit2.TestKit(ConfigurationFactory.ParseString("akka.actor.serialize-messages = on").WithFallback(MessageSerialization.Hocon))
{
    private const int Samples = 60_000;
    private const int Bins = 8_192;
    private const int BatchSize = 500;
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Sixty_thousand_samples_and_8192_bins_fit_the_default_frame()
    {
        var blobs = Sys.ActorOf(BlobStoreActor.Props("test node"));
        var calibrator = Sys.ActorOf(CalibrationActor.Props("calibration under test", blobs, new DataSetCache()));
        using var network = new QuantizableNetwork("mlp", ActivationScheme.AsymmetricUInt8, seed: 3);
        var model = new ModelSnapshot("mlp", await BlobTransfer.StoreAsync(blobs, ModelCheckpoint.ToBytes(network)));
        int[] indices = [.. Enumerable.Range(0, Samples).Select(i => i % 8_000)]; // each shipped training digit 7.5 times
        var samples = new ShardSamples(await BlobArrays.StoreAsync(blobs, indices), 0, Samples);
        var quantization = new QuantizationSettings(ActivationScheme.AsymmetricUInt8, WeightGranularity.PerChannel);
        var data = new DataSource(DataSourceFormat.IdxFiles, ShippedFile("train-images-idx3-ubyte.gz"), ShippedFile("train-labels-idx1-ubyte.gz"), DataSourceLayout.Nchw, [], []);

        var ranges = await CallAsync<ShardStatistics>(calibrator, new CalibrateShard("job", 0, model, quantization, data, samples, BatchSize, ""));
        var histograms = await CallAsync<ShardHistograms>(calibrator,
            new CalibrateHistograms("job", 0, model, quantization, data, samples, BatchSize, ranges.Min, ranges.Max, Bins, false, ""));
        var counts = await BlobArrays.FetchInt64Async(Sys, histograms.Counts, CancellationToken.None);

        Assert.Equal(Samples, ranges.Samples);
        Assert.Equal(Samples, histograms.Samples);
        Assert.Equal(ranges.Points, histograms.Points);
        Assert.Equal(ranges.Points.Length * Bins, counts.Length);
        for (int p = 0; p < ranges.Points.Length; p++)
        {
            long total = counts.AsSpan(p * Bins, Bins).ToArray().Sum();
            Assert.True(total > 0 && total % Samples == 0, $"{ranges.Points[p]}: {total} values is not a whole number per sample");
        }
        // What the blobs spared the messages: the indices (240,000 bytes) and the counts alone are each over the frame,
        // and every request and reply above was checked against it (CallAsync).
    }

    // The request is checked before it is sent (a refused Tell would only show as a timeout), the reply as it arrives
    // (serialize-messages does not cover Ask replies).
    private async Task<T> CallAsync<T>(IActorRef target, object request)
    {
        Sys.Serialization.FindSerializerFor(request).ToBinary(request);
        return AskReplies.Verified(Sys, await target.Ask<object>(request, Timeout)) switch
        {
            T expected => expected,
            JobFailed failure => throw new Xunit.Sdk.XunitException($"the calibration actor failed: {failure.Reason}"),
            var answer => throw new Xunit.Sdk.XunitException($"unexpected answer {answer.GetType().Name}"),
        };
    }

    private static string ShippedFile(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "data", "mnist", name);
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"no data/mnist/{name} above {AppContext.BaseDirectory}");
    }
}
