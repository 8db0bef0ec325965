using System.Text.Json;
using QuantCluster.Quantization.Integer;
using QuantCluster.Quantization.Models;
using QuantCluster.Quantization.Onnx;
using QuantCluster.Tests.Onnx;
using QuantCluster.Tests.Quantization;

namespace QuantCluster.Tests.EndToEnd;

/// <summary>A whole auto job on a model with one fragile layer: PTQ misses, fallback repairs it, QAT is not needed.</summary>
[Collection(SequentialJobs.Name)]
public sealed class FallbackJobTests : IDisposable
{
    private readonly JobRunner _runner = new();

    [Fact]
    public async Task Auto_leaves_the_fragile_layer_in_fp32_instead_of_running_qat_and_reports_the_cost()
    {
        string weights = Path.Combine(_runner.Root, "fragile.ckpt");
        using (var network = FragileMlp.Train(ShippedMnist.Load("train"))) ModelCheckpoint.WriteFile(weights, network);

        var (code, stderr) = await _runner.RunAsync("fragile", $"""
            name: fragile
            model: mlp
            mode: auto
            tolerance: 1.0
            weights: {weights}
            ptq:
              fallback:
                max_layers: 2
            """);

        Assert.True(code == 0, stderr);
        var report = _runner.Report("fragile");
        Assert.Equal("ptq-fallback", report.GetProperty("path").GetString());
        Assert.Equal("ptq-fallback", report.GetProperty("tolerance_met_by").GetString());
        var accuracy = report.GetProperty("accuracy");
        double fp32 = accuracy.GetProperty("fp32").GetDouble();
        Assert.True(accuracy.GetProperty("ptq").GetDouble() < fp32 - 0.2, "PTQ did not suffer from the fragile layer");
        Assert.Equal(JsonValueKind.Null, accuracy.GetProperty("qat").ValueKind);
        Assert.InRange(fp32 - accuracy.GetProperty("final").GetDouble(), -0.01, 0.01);
        Assert.Equal(accuracy.GetProperty("final").GetDouble(), accuracy.GetProperty("ptq_fallback").GetDouble());

        var fallback = report.GetProperty("fallback");
        Assert.True(fallback.GetProperty("met_tolerance").GetBoolean());
        Assert.Equal([FragileMlp.FragileLayer], Strings(fallback.GetProperty("kept_in_fp32")));
        var step = Assert.Single(fallback.GetProperty("steps").EnumerateArray());
        Assert.Equal(FragileMlp.FragileLayer, step.GetProperty("layer").GetString());
        Assert.Equal(FragileMlp.FragileLayer, Strings(fallback.GetProperty("candidates"))[0]);
        // layer1's 784 x 256 weights take 4 bytes instead of 1; its 256 weight scales and requantizers (12 bytes each) go.
        long allInt8 = fallback.GetProperty("bytes_all_int8").GetInt64();
        long withFallback = fallback.GetProperty("bytes_with_fallback").GetInt64();
        Assert.InRange(withFallback - allInt8, (3 * 784 * 256) - (12 * 256) - 100, 3 * 784 * 256);
        Assert.Equal(withFallback, report.GetProperty("bytes").GetProperty("int8").GetInt64());
        Assert.InRange(report.GetProperty("conversion").GetProperty("agreement").GetDouble(), 0.995, 1.0);
        Assert.True(report.GetProperty("seconds").GetProperty("fallback").GetDouble() > 0);

        // The delivered files are the mixed model, and ONNX Runtime keeps its FP32 layer in float.
        string output = _runner.Output("fragile");
        var model = Int8ModelFile.Read(Path.Combine(output, "model.int8.qci8"));
        Assert.IsType<Fp32Linear>(model.Layers[1]);
        var test = ShippedMnist.Load("t10k");
        float[] pixels = test.Inputs([.. Enumerable.Range(0, test.Count)]);
        int[] integer = new IntegerExecutor().Predict(model, pixels, test.Count);
        using var ort = OrtSession.Of(OnnxModelFile.Read(Path.Combine(output, OnnxNames.Int8File)));
        int[] onnx = ort.Predict(pixels, test.Count);
        Assert.True(integer.Zip(onnx).Count(p => p.First == p.Second) >= test.Count * 995 / 1000, "ONNX Runtime disagrees with the executor");

        string markdown = File.ReadAllText(Path.Combine(output, "report.md"));
        Assert.Contains("met by **ptq-fallback**", markdown, StringComparison.Ordinal);
        Assert.Contains("## FP32 fallback", markdown, StringComparison.Ordinal);
        Assert.Contains($"| PTQ INT8, {FragileMlp.FragileLayer} in FP32 |", markdown, StringComparison.Ordinal);
    }

    public void Dispose() => _runner.Dispose();

    private static string[] Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];
}
