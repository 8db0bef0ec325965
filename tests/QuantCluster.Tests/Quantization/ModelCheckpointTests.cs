using System.Security.Cryptography;
using System.Text;
using QuantCluster.Quantization.Models;
using QuantCluster.Quantization.Schemes;
using QuantCluster.Quantization.Training;

namespace QuantCluster.Tests.Quantization;

[Collection(TorchTests.Name)]
public sealed class ModelCheckpointTests
{
    private const string Source = "worker-3:/runs/a/model.fp32.ckpt";

    [Theory]
    [InlineData("lenet")]
    [InlineData("mobilenet-tiny")]
    public void Round_trip_keeps_the_parameter_hash(string architecture)
    {
        using var original = new QuantizableNetwork(architecture, ActivationScheme.AsymmetricUInt8, seed: 77);
        using var fresh = new QuantizableNetwork(architecture, ActivationScheme.AsymmetricUInt8, seed: 0);

        using var restored = ModelCheckpoint.FromBytes(ModelCheckpoint.ToBytes(original), Source, ActivationScheme.AsymmetricUInt8, architecture);

        Assert.Equal(architecture, restored.Architecture);
        Assert.Equal(ParameterHash.Of(original), ParameterHash.Of(restored));
        // FromBytes builds with seed 0 before loading: the hash really came from the bytes.
        Assert.NotEqual(ParameterHash.Of(fresh), ParameterHash.Of(restored));
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.05)]
    [InlineData(0.999)]
    public void Flipped_byte_is_reported_as_corrupt(double position)
    {
        byte[] bytes = LeNetBytes();
        bytes[(int)(bytes.Length * position)] ^= 0x10;

        AssertRejected(bytes, "corrupt");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(1000)]
    public void Truncated_checkpoint_is_reported_as_truncated(int missing)
    {
        byte[] bytes = LeNetBytes();

        AssertRejected(bytes[..^missing], "truncated");
    }

    [Fact]
    public void Checkpoint_too_short_for_a_header_is_not_a_checkpoint()
    {
        AssertRejected(LeNetBytes()[..20], "not a QuantCluster checkpoint");
    }

    [Fact]
    public void Wrong_magic_is_not_a_checkpoint()
    {
        byte[] bytes = LeNetBytes();
        "PK\u0003\u0004"u8.CopyTo(bytes);

        AssertRejected(bytes, "QCCK");
    }

    [Fact]
    public void Checkpoint_of_another_architecture_names_both()
    {
        using var mlp = new QuantizableNetwork("mlp", ActivationScheme.AsymmetricUInt8, seed: 1);

        var error = AssertRejected(ModelCheckpoint.ToBytes(mlp), "'mlp'");

        Assert.Contains("'lenet'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void State_of_another_architecture_under_a_valid_header_does_not_fit()
    {
        using var mlp = new QuantizableNetwork("mlp", ActivationScheme.AsymmetricUInt8, seed: 1);
        byte[] mlpState = StateOf(ModelCheckpoint.ToBytes(mlp), "mlp");

        var error = AssertRejected(Forge("lenet", mlpState), "does not fit");

        Assert.Contains("'lenet'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_architecture_is_named()
    {
        byte[] state = StateOf(LeNetBytes(), "lenet");

        AssertRejected(Forge("resnet-152", state), "unknown architecture 'resnet-152'");
    }

    [Fact]
    public void File_round_trip_names_the_path_in_errors()
    {
        string folder = Path.Combine(Path.GetTempPath(), $"qc-ckpt-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            string path = Path.Combine(folder, "model.fp32.ckpt");
            using (var network = new QuantizableNetwork("lenet", ActivationScheme.AsymmetricUInt8, seed: 2))
            {
                ModelCheckpoint.WriteFile(path, network);
                using var read = ModelCheckpoint.ReadFile(path, ActivationScheme.AsymmetricUInt8, "lenet");
                Assert.Equal(ParameterHash.Of(network), ParameterHash.Of(read));
            }
            byte[] bytes = File.ReadAllBytes(path);
            File.WriteAllBytes(path, bytes[..^5]);

            var error = Assert.Throws<InvalidDataException>(() => ModelCheckpoint.ReadFile(path, ActivationScheme.AsymmetricUInt8));

            Assert.Contains(path, error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static byte[] LeNetBytes()
    {
        using var network = new QuantizableNetwork("lenet", ActivationScheme.AsymmetricUInt8, seed: 3);
        return ModelCheckpoint.ToBytes(network);
    }

    private static InvalidDataException AssertRejected(byte[] bytes, string problem)
    {
        var error = Assert.Throws<InvalidDataException>(() =>
        {
            using var network = ModelCheckpoint.FromBytes(bytes, Source, ActivationScheme.AsymmetricUInt8, "lenet");
        });
        Assert.StartsWith(Source + ": ", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        return error;
    }

    // The layout ModelCheckpoint documents: "QCCK", version, architecture, length-prefixed state, SHA-256 of all before.
    private static byte[] StateOf(byte[] checkpoint, string architecture)
    {
        int offset = 4 + 4 + 1 + Encoding.UTF8.GetByteCount(architecture);
        long length = BitConverter.ToInt64(checkpoint, offset);
        return checkpoint.AsSpan(offset + 8, (int)length).ToArray();
    }

    private static byte[] Forge(string architecture, byte[] state)
    {
        using var body = new MemoryStream();
        using (var writer = new BinaryWriter(body, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write("QCCK"u8);
            writer.Write(1);
            writer.Write(architecture);
            writer.Write((long)state.Length);
            writer.Write(state);
        }
        body.Write(SHA256.HashData(body.ToArray()));
        return body.ToArray();
    }
}
