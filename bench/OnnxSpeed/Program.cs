// ONNX Runtime FP32 vs INT8 (QDQ) at batch 256 on 1 and 2 threads, the file size ratio, and our integer executor against
// ORT INT8. Weights are calibrated on shipped digits but not trained: speed does not depend on their values.
// Usage: onnx-speed [model (default mlp-wide)] [repetitions (default 50)]
using System.Diagnostics;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using QuantCluster.Quantization;
using QuantCluster.Quantization.Calibration;
using QuantCluster.Quantization.Conversion;
using QuantCluster.Quantization.Data;
using QuantCluster.Quantization.FakeQuant;
using QuantCluster.Quantization.Integer;
using QuantCluster.Quantization.Models;
using QuantCluster.Quantization.Onnx;
using QuantCluster.Quantization.Schemes;

const int Batch = 256;
string architecture = args.Length > 0 ? args[0] : "mlp-wide";
int repetitions = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 50;
TorchProcess.Prepare(1);

string mnist = Path.Combine(FindRoot(), "data", "mnist");
var digits = DataSetLoader.Load(
    new DataSetSpec(DataFormat.IdxFiles, Path.Combine(mnist, "t10k-images-idx3-ubyte.gz"), Path.Combine(mnist, "t10k-labels-idx1-ubyte.gz"), ArrayLayout.Nchw, Normalization.None),
    ModelZoo.Signature("lenet"));
using var network = new QuantizableNetwork(architecture, ActivationScheme.AsymmetricUInt8, seed: 1);
ShardCalibrator.Observe(network, digits, [.. Enumerable.Range(0, 512)], batchSize: 128);
network.Configure(ObserverMode.Off, fakeQuantize: false, WeightGranularity.PerChannel);
var int8 = Int8Converter.Convert(network, WeightGranularity.PerChannel);
byte[] fp32Bytes = Fp32OnnxExporter.Export(network).ToByteArray();
byte[] int8Bytes = Int8OnnxExporter.Export(int8).ToByteArray();
float[] inputs = digits.Inputs([.. Enumerable.Range(0, Batch)]);

Console.WriteLine($"{architecture}, batch {Batch}, median of {repetitions} runs; model.fp32.onnx {fp32Bytes.Length:N0} B, model.int8.onnx {int8Bytes.Length:N0} B, ratio {(double)fp32Bytes.Length / int8Bytes.Length:F2}x");
double ortInt8OneThread = 0;
foreach (int threads in new[] { 1, 2 })
{
    double fp32 = MedianMs(fp32Bytes, threads);
    double q = MedianMs(int8Bytes, threads);
    if (threads == 1) ortInt8OneThread = q;
    Console.WriteLine($"ORT {threads} thread(s): FP32 {fp32:F2} ms, INT8 {q:F2} ms, INT8 speed-up {fp32 / q:F2}x");
}

var executor = new IntegerExecutor(maxDegreeOfParallelism: 1);
executor.Predict(int8, inputs, Batch);
var times = new List<double>();
for (int r = 0; r < Math.Max(5, repetitions / 5); r++)
{
    var watch = Stopwatch.StartNew();
    executor.Predict(int8, inputs, Batch);
    times.Add(watch.Elapsed.TotalMilliseconds);
}
double ours = Median(times);
Console.WriteLine($"IntegerExecutor 1 thread: {ours:F2} ms, {ours / ortInt8OneThread:F1}x the time of ORT INT8 on 1 thread");

double MedianMs(byte[] model, int threads)
{
    using var options = new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
    using var session = new InferenceSession(model, options);
    var tensor = new DenseTensor<float>(inputs, [Batch, 1, 28, 28]);
    var feed = new[] { NamedOnnxValue.CreateFromTensor(OnnxNames.Input, tensor) };
    for (int i = 0; i < 5; i++) session.Run(feed).Dispose();
    var samples = new List<double>();
    for (int i = 0; i < repetitions; i++)
    {
        var watch = Stopwatch.StartNew();
        session.Run(feed).Dispose();
        samples.Add(watch.Elapsed.TotalMilliseconds);
    }
    return Median(samples);
}

static double Median(List<double> values)
{
    values.Sort();
    return values[values.Count / 2];
}

static string FindRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (Directory.Exists(Path.Combine(dir.FullName, "data", "mnist"))) return dir.FullName;
    }
    throw new DirectoryNotFoundException($"no data/mnist above {AppContext.BaseDirectory}");
}
