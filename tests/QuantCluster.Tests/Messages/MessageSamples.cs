using QuantCluster.Messages;
using QuantCluster.Messages.Blobs;
using QuantCluster.Messages.Calibration;
using QuantCluster.Messages.Membership;
using QuantCluster.Messages.Models;
using QuantCluster.Messages.Training;

namespace QuantCluster.Tests.Messages;

/// <summary>Every message record in QuantCluster.Messages, and one instance of each with values worth round-tripping.</summary>
internal static class MessageSamples
{
    /// <summary>Found by reflection, so a record added later is covered by the tests before anyone remembers to list it.</summary>
    public static IReadOnlyList<Type> RecordTypes { get; } = typeof(JobFailed).Assembly.GetExportedTypes()
        .Where(type => type.IsClass && type.GetMethod("<Clone>$") is not null)
        .OrderBy(type => type.FullName, StringComparer.Ordinal)
        .ToArray();

    /// <summary>Floats whose bits a careless encoder would change: NaN payloads and signs, -0.0, infinities, subnormals.</summary>
    /// <remarks>A fresh array per call, so no test can change what another one sees.</remarks>
    public static float[] AwkwardFloats =>
    [
        BitConverter.Int32BitsToSingle(0x7FC00001), // quiet NaN with a payload
        BitConverter.Int32BitsToSingle(unchecked((int)0xFFC00000)), // negative NaN
        BitConverter.Int32BitsToSingle(0x7F800001), // signalling NaN
        -0.0f, 0.0f, float.PositiveInfinity, float.NegativeInfinity,
        float.Epsilon, -float.Epsilon, float.MaxValue, float.MinValue, 1.5f, -3.25e-20f,
    ];

    public static ModelSnapshot Model => new("lenet5-qat", Blob);

    public static BlobRef Blob => new("akka.tcp://quantcluster@10.0.0.7:4053/user/blobs", "5f0c", 110_635, "A1B2C3");

    public static QuantizationSettings Quantization => new("asymmetric-uint8", "per-channel");

    public static ShardSamples Samples => new(Blob with { Length = 240_000 }, 30_000, 29_999);

    public static DataSource Data => new(DataSourceFormat.IdxFiles, "/data/t10k-images-idx3-ubyte", "/data/t10k-labels-idx1-ubyte", DataSourceLayout.Nchw, [0.1307f], [0.3081f]);

    public static TrainingSettings Training =>
        new(true, Quantization, "adam", 1e-3, 256, -17, 1, "cpu", 12, 2, 1_000);

    public static IEnumerable<object> All()
    {
        yield return new JobFailed("job-ü-42", "worker-1@10.0.0.7:4053", "CUDA out of memory\nat rank 3 — \"retry\"");
        yield return Data;
        yield return Model;
        yield return Quantization;
        yield return Samples;
        yield return new CalibrateShard("job-1", 3, Model, Quantization, Data, Samples, 64, Trace);
        yield return new ShardStatistics("job-1", 3, ["conv1.out", "fc.out", ""], [-1.5f, -0.0f, float.NaN], [2.5f, 0.0f, float.PositiveInfinity], 10_000);
        yield return new CalibrateHistograms("job-1", 6, Model, Quantization, Data, Samples with { Offset = int.MaxValue }, 64,
            [-1.5f, -0.0f, float.NegativeInfinity], [2.5f, float.Epsilon, float.MaxValue], 2048, true, Trace);
        yield return new ShardHistograms("job-1", 6, ["input", "layer0.output"], 2, Blob with { Length = 32 }, 17);
        yield return Training;
        yield return new PrepareTraining("job-2", 1, 4, Model, Training, Data, Trace);
        yield return new WorkerReady("job-2", 1, "sha256:0f1e2d");
        yield return new RunEpoch("job-2", 7, false, true, Trace);
        yield return new EpochCompleted("job-2", 1, 7, -0.0, 1234, 2000, "sha256:abc", BitConverter.Int64BitsToDouble(0x7FF8000000000123), long.MaxValue);
        yield return new LocalGradients("job-2", 7, 31, 2, AwkwardFloats, 16_384, 40_000);
        yield return new AveragedGradients("job-2", 7, 31, AwkwardFloats.Reverse().ToArray(), 32_768, 40_000);
        yield return new FetchModel("job-3");
        yield return new RegisterMember("worker", "akka.tcp://quantcluster@10.0.0.7:4053", "cuda:1", "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08");
        yield return new MemberRefused("worker", "cuda:1", "its cluster secret is not this cluster's");
        yield return new MemberRegistered("calibration", "");
        yield return Blob;
        yield return new OpenRing("job-2", 1, 4, "job-2-qat", 1, 2, 3, 9);
        yield return new RingEndpoint("job-2", 1, "10.0.0.7", 40123);
        yield return new ConnectRing("job-2", "worker-2.quantcluster", 65535);
        yield return new RingReady("job-2", 3);
        yield return new FetchBlobChunk("5f0c", 3);
        yield return new BlobChunk("5f0c", 3, [0x00, 0xFF, 0x80]);
    }

    /// <summary>The same records with every array empty, the edge a length-prefixed encoding most often gets wrong.</summary>
    public static IEnumerable<object> WithEmptyArrays()
    {
        yield return new BlobChunk("", 0, []);
        yield return new CalibrateShard("job-1", 0, Model, Quantization, Data, Samples with { Count = 0 }, 1, "");
        yield return new ShardStatistics("job-1", 0, [], [], [], 0);
        yield return new CalibrateHistograms("job-1", 0, Model, Quantization, Data, Samples with { Count = 0 }, 1, [], [], 0, false, "");
        yield return new ShardHistograms("job-1", 0, [], 0, Blob with { Length = 0 }, 0);
        yield return new LocalGradients("job-2", 0, 0, 0, [], 0, 0);
        yield return new AveragedGradients("job-2", 0, 0, [], 0, 0);
    }

    public static float[] Gradient(int count, int seed)
    {
        var random = new Random(seed);
        var values = new float[count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (float)((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-8, 3)));
        }

        return values;
    }

    private const string Trace = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
}
