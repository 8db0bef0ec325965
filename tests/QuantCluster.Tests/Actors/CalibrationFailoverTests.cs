using Akka.Actor;
using Akka.Configuration;
using QuantCluster.CalibrationNode;
using QuantCluster.Coordinator.Jobs;
using QuantCluster.Messages.Calibration;
using QuantCluster.Messages.Models;
using QuantCluster.Messages.Serialization;
using QuantCluster.Node.Blobs;
using QuantCluster.Quantization.Data;
using QuantCluster.Quantization.Models;
using QuantCluster.Quantization.Schemes;
using QuantCluster.Tests.Onnx;
using QuantCluster.Tests.Quantization;

namespace QuantCluster.Tests.Actors;

/// <summary>A calibration actor lost during PTQ: its shards move to the others at once, and the merged statistics are the fault-free run's, bit for bit.</summary>
[Collection(TorchTests.Name)]
public sealed class CalibrationFailoverTests() : Akka.TestKit.Xunit2.TestKit(ConfigurationFactory.ParseString("akka.actor.serialize-messages = on").WithFallback(MessageSerialization.Hocon))
{
    [Fact]
    public async Task A_lost_calibration_actors_shards_run_elsewhere_and_merge_to_the_same_bits()
    {
        var blobs = Sys.ActorOf(BlobStoreActor.Props("test node"));
        var live = Sys.ActorOf(CalibrationActor.Props("calibration that stays", blobs, new DataSetCache()));
        var lost = Sys.ActorOf(CalibrationActor.Props("calibration that dies", blobs, new DataSetCache()));
        Watch(lost);
        Sys.Stop(lost);
        ExpectTerminated(lost);
        using var network = new QuantizableNetwork("lenet", ActivationScheme.AsymmetricUInt8, seed: 5);
        var model = new ModelSnapshot("lenet", await BlobTransfer.StoreAsync(blobs, ModelCheckpoint.ToBytes(network)));
        var points = network.QuantizationPoints.Select(p => p.Name).ToArray();
        int[] samples = [.. Enumerable.Range(0, 400)];

        async Task<(float Min, float Max)[]> RangesWith(params IActorRef[] calibrators)
        {
            var members = new ClusterMembers([], calibrators, blobs, Sys);
            var calibration = await ShardedCalibration.StartAsync(members, "job", model, new QuantizationSettings("asymmetric-uint8", "per-channel"),
                ShippedMnist.TrainSource(), batchSize: 100, samples, shards: 4);
            return [.. (await calibration.RangesAsync(points, "", CancellationToken.None)).Select(r => (r.Min, r.Max))];
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var withLoss = await RangesWith(lost, live);
        var faultFree = await RangesWith(live);

        Assert.Equal(faultFree, withLoss);
        // The loss is noticed by DeathWatch, not by the 10-minute calibration timeout.
        Assert.True(clock.Elapsed < TimeSpan.FromMinutes(2), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task With_every_calibration_actor_lost_the_job_fails_naming_the_shard()
    {
        var blobs = Sys.ActorOf(BlobStoreActor.Props("test node"));
        var lost = Sys.ActorOf(CalibrationActor.Props("calibration that dies", blobs, new DataSetCache()));
        Watch(lost);
        Sys.Stop(lost);
        ExpectTerminated(lost);
        using var network = new QuantizableNetwork("mlp", ActivationScheme.AsymmetricUInt8, seed: 5);
        var model = new ModelSnapshot("mlp", await BlobTransfer.StoreAsync(blobs, ModelCheckpoint.ToBytes(network)));
        var calibration = await ShardedCalibration.StartAsync(new ClusterMembers([], [lost], blobs, Sys), "job", model,
            new QuantizationSettings("asymmetric-uint8", "per-channel"), ShippedMnist.TrainSource(), batchSize: 100, [.. Enumerable.Range(0, 100)], shards: 1);

        var error = await Assert.ThrowsAsync<JobFailedException>(() => calibration.RangesAsync([.. network.QuantizationPoints.Select(p => p.Name)], "", CancellationToken.None));

        Assert.Contains("every calibration actor is gone", error.Message);
    }
}
