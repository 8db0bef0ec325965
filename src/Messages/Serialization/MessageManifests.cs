using System.Collections.Frozen;
using QuantCluster.Messages.Blobs;
using QuantCluster.Messages.Calibration;
using QuantCluster.Messages.Membership;
using QuantCluster.Messages.Models;
using QuantCluster.Messages.Training;

namespace QuantCluster.Messages.Serialization;

/// <summary>The wire name of every message type: the one list the serializer and its Akka bindings are built from.</summary>
/// <remarks>
/// Manifests are short and never derived from CLR names, so renaming or moving a record does not break nodes still running
/// the previous build. Never reuse or change a manifest; add a new one.
/// </remarks>
internal static class MessageManifests
{
    public static FrozenDictionary<Type, string> ByType { get; } = new Dictionary<Type, string>
    {
        [typeof(JobFailed)] = "JobFailed",
        [typeof(DataSource)] = "DataSource",
        [typeof(ModelSnapshot)] = "ModelSnapshot",
        [typeof(QuantizationSettings)] = "QuantizationSettings",
        [typeof(ShardSamples)] = "ShardSamples",
        [typeof(CalibrateShard)] = "CalibrateShard",
        [typeof(ShardStatistics)] = "ShardStatistics",
        [typeof(CalibrateHistograms)] = "CalibrateHistograms",
        [typeof(ShardHistograms)] = "ShardHistograms",
        [typeof(TrainingSettings)] = "TrainingSettings",
        [typeof(PrepareTraining)] = "PrepareTraining",
        [typeof(WorkerReady)] = "WorkerReady",
        [typeof(RunEpoch)] = "RunEpoch",
        [typeof(EpochCompleted)] = "EpochCompleted",
        [typeof(LocalGradients)] = "LocalGradients",
        [typeof(AveragedGradients)] = "AveragedGradients",
        [typeof(FetchModel)] = "FetchModel",
        [typeof(RegisterMember)] = "RegisterMember",
        [typeof(MemberRegistered)] = "MemberRegistered",
        [typeof(MemberRefused)] = "MemberRefused",
        [typeof(BlobRef)] = "BlobRef",
        [typeof(OpenRing)] = "OpenRing",
        [typeof(RingEndpoint)] = "RingEndpoint",
        [typeof(ConnectRing)] = "ConnectRing",
        [typeof(RingReady)] = "RingReady",
        [typeof(FetchBlobChunk)] = "FetchBlobChunk",
        [typeof(BlobChunk)] = "BlobChunk",
    }.ToFrozenDictionary();

    public static FrozenDictionary<string, Type> ByManifest { get; } =
        ByType.ToFrozenDictionary(pair => pair.Value, pair => pair.Key, StringComparer.Ordinal);
}
