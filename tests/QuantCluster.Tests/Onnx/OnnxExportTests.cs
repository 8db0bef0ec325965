using Onnx;
using QuantCluster.Quantization.Calibration;
using QuantCluster.Quantization.Conversion;
using QuantCluster.Quantization.FakeQuant;
using QuantCluster.Quantization.Integer;
using QuantCluster.Quantization.Models;
using QuantCluster.Quantization.Onnx;
using QuantCluster.Quantization.Schemes;
using QuantCluster.Tests.Data;
using QuantCluster.Tests.Quantization;
using Xunit.Abstractions;

namespace QuantCluster.Tests.Onnx;

/// <summary>Every zoo model exports to FP32 and INT8 QDQ ONNX that ONNX Runtime loads, runs on integer kernels, and reads back.</summary>
[Collection(TorchTests.Name)]
public sealed class OnnxExportTests(ITestOutputHelper output)
{
    private const int Samples = 64;

    public static TheoryData<string, ActivationScheme> ZooModels()
    {
        var data = new TheoryData<string, ActivationScheme>();
        foreach (string name in ModelZoo.Names) data.Add(name, ActivationScheme.AsymmetricUInt8);
        data.Add("lenet", ActivationScheme.SymmetricInt8);
        return data;
    }

    [Theory]
    [MemberData(nameof(ZooModels))]
    public void Both_exports_round_trip_through_a_file_and_run_in_onnx_runtime(string architecture, ActivationScheme scheme)
    {
        using var network = Calibrated(architecture, scheme);
        var int8 = Int8Converter.Convert(network, WeightGranularity.PerChannel);
        float[] inputs = SyntheticData.Uniform(Samples, 784, seed: 5);
        using var folder = new TempFolder();

        foreach (var (file, model) in new[] { (OnnxNames.Fp32File, Fp32OnnxExporter.Export(network)), (OnnxNames.Int8File, Int8OnnxExporter.Export(int8)) })
        {
            string path = Path.Combine(folder.Path, file);
            OnnxModelFile.Write(path, model);
            var read = OnnxModelFile.Read(path);
            Assert.Equal(model, read);
            Assert.True(read.OpsetImport.Single().Version >= 13);
            using var session = OrtSession.Of(read);
            float[] logits = session.Logits(inputs, Samples);
            Assert.Equal(Samples * 10, logits.Length);
            Assert.All(logits, v => Assert.True(float.IsFinite(v)));
        }

        int[] integer = new IntegerExecutor(maxDegreeOfParallelism: 1).Predict(int8, inputs, Samples);
        using var ort = OrtSession.Of(Int8OnnxExporter.Export(int8));
        int agree = ort.Predict(inputs, Samples).Zip(integer).Count(p => p.First == p.Second);
        Assert.True(agree >= Samples - 1, $"ORT INT8 agrees with the integer executor on {agree} of {Samples}");
    }

    [Theory]
    [MemberData(nameof(ZooModels))]
    public void Onnx_runtime_runs_the_int8_graph_on_integer_kernels(string architecture, ActivationScheme scheme)
    {
        using var network = Calibrated(architecture, scheme);
        var int8 = Int8Converter.Convert(network, WeightGranularity.PerChannel);
        using var folder = new TempFolder();
        string optimized = Path.Combine(folder.Path, "optimized.onnx");

        using (OrtSession.Of(Int8OnnxExporter.Export(int8), optimized)) { }

        var nodes = OnnxModelFile.Read(optimized).Graph.Node;
        var ops = nodes.Select(n => n.OpType).ToHashSet();
        output.WriteLine($"{architecture} {scheme}: {string.Join(", ", nodes.Select(n => n.OpType))}");
        bool hasConv = network.Specs.Any(s => s is ConvSpec);
        if (hasConv) Assert.Contains("QLinearConv", ops);
        Assert.True(ops.Contains("QGemm") || ops.Contains("MatMulIntegerToFloat"), $"no int8 GEMM among {string.Join(", ", ops)}");
        string[] floatCompute = ["Gemm", "FusedGemm", "MatMul", "Conv", "FusedConv", "FusedMatMul"];
        Assert.Empty(ops.Intersect(floatCompute));
    }

    [Theory]
    [InlineData("lenet", new[] { "layer2", "layer5" })]
    [InlineData("mlp", new[] { "layer1" })]
    [InlineData("mobilenet-tiny", new[] { "layer0", "layer3" })]
    public void Fp32_layers_stay_float_in_onnx_runtime_and_it_agrees_with_the_executor(string architecture, string[] fp32Layers)
    {
        using var network = Calibrated(architecture, ActivationScheme.AsymmetricUInt8);
        network.KeepInFp32(fp32Layers);
        var mixed = Int8Converter.Convert(network, WeightGranularity.PerChannel);
        float[] inputs = SyntheticData.Uniform(Samples, 784, seed: 5);
        using var folder = new TempFolder();
        string optimized = Path.Combine(folder.Path, "optimized.onnx");

        float[] ortLogits;
        using (var session = OrtSession.Of(Int8OnnxExporter.Export(mixed), optimized)) ortLogits = session.Logits(inputs, Samples);

        var ops = OnnxModelFile.Read(optimized).Graph.Node.Select(n => n.OpType).ToList();
        output.WriteLine($"{architecture} with {string.Join(", ", fp32Layers)} in FP32: {string.Join(", ", ops)}");
        string[] floatCompute = ["Gemm", "FusedGemm", "MatMul", "Conv", "FusedConv", "FusedMatMul"];
        string[] int8Compute = ["QLinearConv", "QGemm", "MatMulIntegerToFloat"];
        int computeLayers = network.ComputeLayerNames.Count;
        Assert.Equal(fp32Layers.Length, ops.Count(floatCompute.Contains));
        Assert.Equal(computeLayers - fp32Layers.Length, ops.Count(int8Compute.Contains));

        var executor = new IntegerExecutor(maxDegreeOfParallelism: 1);
        float[] ours = executor.Logits(mixed, inputs, Samples);
        float lsb = ((Int8Linear)mixed.Layers[^1]).Output.Scale;
        int steps = ours.Zip(ortLogits).Count(p => Math.Abs(p.First - p.Second) > lsb * 0.5);
        Assert.True(steps <= ours.Length / 100, $"{steps} of {ours.Length} logits differ between ONNX Runtime and the executor");
        Assert.All(ours.Zip(ortLogits), p => Assert.InRange(Math.Abs(p.First - p.Second), 0, (lsb * 1.001) + 1e-6));
        int agree = OrtArgMax(ortLogits).Zip(executor.Predict(mixed, inputs, Samples)).Count(p => p.First == p.Second);
        Assert.True(agree >= Samples - 1, $"ORT agrees with the integer executor on {agree} of {Samples}");
    }

    [Fact]
    public void Corrupt_and_truncated_files_get_errors_that_name_the_file()
    {
        using var network = Calibrated("lenet", ActivationScheme.AsymmetricUInt8);
        byte[] bytes = Google.Protobuf.MessageExtensions.ToByteArray(Int8OnnxExporter.Export(Int8Converter.Convert(network, WeightGranularity.PerChannel)));
        using var folder = new TempFolder();

        byte[] garbage = [.. bytes];
        for (int i = 0; i < 64; i++) garbage[i] = 0xFF;
        foreach (var (name, content) in new[] { ("truncated.onnx", bytes[..(bytes.Length / 2)]), ("garbage.onnx", garbage), ("empty.onnx", Array.Empty<byte>()), ("text.onnx", "not a model"u8.ToArray()) })
        {
            string path = folder.Write(name, content);
            var error = Assert.Throws<InvalidDataException>(() => OnnxModelFile.Read(path));
            Assert.Contains(name, error.Message);
            Assert.Contains("ONNX", error.Message);
        }
    }

    private static int[] OrtArgMax(float[] logits) =>
        [.. Enumerable.Range(0, logits.Length / 10).Select(n => Array.IndexOf(logits, logits.AsSpan(n * 10, 10).ToArray().Max(), n * 10) - (n * 10))];

    private static QuantizableNetwork Calibrated(string architecture, ActivationScheme scheme)
    {
        var calibration = SyntheticData.Images(128, seed: 3);
        var network = new QuantizableNetwork(architecture, scheme, seed: 4);
        ShardCalibrator.Observe(network, calibration, [.. Enumerable.Range(0, calibration.Count)], batchSize: 64);
        network.Configure(ObserverMode.Off, fakeQuantize: false, WeightGranularity.PerChannel);
        network.eval();
        return network;
    }
}
