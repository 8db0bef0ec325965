using QuantCluster.Messages;
using QuantCluster.Messages.Blobs;
using QuantCluster.Messages.Calibration;
using QuantCluster.Messages.Membership;
using QuantCluster.Messages.Models;
using QuantCluster.Messages.Training;
using QuantCluster.Node.Blobs;

namespace QuantCluster.Tests.Messages;

/// <summary>
/// Every message record at the largest size the cluster sends it: arrays at the slice or chunk size their sender cuts
/// them to, strings at the longest a host name (253), a file path (4,096) or an actor path can be.
/// </summary>
internal static class LargestMessages
{
    /// <summary>Far more quantization points than the zoo's largest model (mobilenet-tiny, 9), which sets the size of the range messages.</summary>
    public const int Points = 1_000;

    private static readonly string Host = new('h', 253);
    private static readonly string Node = $"akka.tcp://quantcluster@{Host}:65535";
    private static readonly string JobId = new string('j', 256) + "-0123abcd";
    private static readonly string Trace = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    private static readonly string Sha256 = new('F', 64);
    private static readonly string[] PointNames = [.. Enumerable.Range(0, Points).Select(i => $"layer{i}.output")];
    private static readonly float[] PerPoint = new float[Points];

    private static BlobRef Blob => new($"{Node}/user/blobs", Guid.Empty.ToString("N"), BlobTransfer.MaximumBytes, Sha256);

    private static DataSource Data => new(DataSourceFormat.NpyFiles, new string('i', 4_096), new string('l', 4_096), DataSourceLayout.Nhwc, [0.5f, 0.5f, 0.5f], [0.25f, 0.25f, 0.25f]);

    private static ModelSnapshot Model => new("mobilenet-tiny", Blob);

    private static QuantizationSettings Quantization => new("asymmetric-uint8", "per-channel");

    private static ShardSamples Samples => new(Blob, int.MaxValue, int.MaxValue);

    private static TrainingSettings Training => new(true, Quantization, "adam", 1e-3, 65_536, int.MinValue, 64, "cuda:15", 1_000, 4, 1_000_000);

    public static IEnumerable<object> All()
    {
        // A reason is an exception's message, cut where the failure is reported; '€' takes three bytes in UTF-8, the most a char can.
        yield return new JobFailed(JobId, Node, JobFailed.BoundedReason(new string('€', 1_000_000)));
        yield return Data;
        yield return Model;
        yield return Quantization;
        yield return Samples;
        yield return new CalibrateShard(JobId, int.MaxValue, Model, Quantization, Data, Samples, int.MaxValue, Trace);
        yield return new ShardStatistics(JobId, int.MaxValue, PointNames, PerPoint, PerPoint, int.MaxValue);
        yield return new CalibrateHistograms(JobId, int.MaxValue, Model, Quantization, Data, Samples, int.MaxValue,
            PerPoint, PerPoint, 1 << 20, true, Trace);
        yield return new ShardHistograms(JobId, int.MaxValue, PointNames, 1 << 20, Blob, int.MaxValue);
        yield return Training;
        yield return new PrepareTraining(JobId, int.MaxValue, int.MaxValue, Model, Training, Data, Trace);
        yield return new WorkerReady(JobId, int.MaxValue, Sha256);
        yield return new RunEpoch(JobId, int.MaxValue, true, true, Trace);
        yield return new EpochCompleted(JobId, int.MaxValue, int.MaxValue, double.MaxValue, int.MaxValue, int.MaxValue, Sha256, double.MaxValue, long.MaxValue);
        yield return new LocalGradients(JobId, int.MaxValue, int.MaxValue, int.MaxValue, new float[GradientChunks.Floats], int.MaxValue, int.MaxValue);
        yield return new AveragedGradients(JobId, int.MaxValue, int.MaxValue, new float[GradientChunks.Floats], int.MaxValue, int.MaxValue);
        yield return new FetchModel(JobId);
        yield return new RegisterMember("calibration", Node, "cuda:2147483647", new string('F', 64));
        yield return new MemberRefused("calibration", "cuda:2147483647", new string('x', 1000));
        yield return new MemberRegistered("calibration", "cuda:2147483647");
        yield return Blob;
        yield return new OpenRing(JobId, int.MaxValue, int.MaxValue, JobId + "-fp32", int.MaxValue, int.MaxValue, int.MaxValue, int.MaxValue);
        yield return new RingEndpoint(JobId, int.MaxValue, Host, 65_535);
        yield return new ConnectRing(JobId, Host, 65_535);
        yield return new RingReady(JobId, int.MaxValue);
        yield return new FetchBlobChunk(Guid.Empty.ToString("N"), int.MaxValue);
        yield return new BlobChunk(Guid.Empty.ToString("N"), int.MaxValue, new byte[BlobStoreActor.ChunkBytes]);
    }
}
