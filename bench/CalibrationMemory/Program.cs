using System.Diagnostics;
using System.Globalization;
using QuantCluster.Quantization;
using QuantCluster.Bench.CalibrationMemory;
using QuantCluster.Quantization.Calibration;
using QuantCluster.Quantization.Data;
using QuantCluster.Quantization.Models;
using QuantCluster.Quantization.Observers;
using QuantCluster.Quantization.Observers.Clipping;
using QuantCluster.Quantization.Schemes;
using TorchSharp;

// One calibration shard in this process, as a calibration actor runs it: the min/max pass, bins from the ranges, the
// histogram pass and the clip search, on --samples samples. The training samples are reused in order (sample i is digit
// i mod 8,000), so 10x the samples means every digit 10 times and the data in memory stays the same: only what the
// calibration itself keeps can grow. bench/calibration-memory.sh runs it for N and 10N in separate processes.
// Usage: calibration-memory --samples N [--data DIR] [--model lenet] [--method entropy|percentile|mse] [--bins 2048] [--batch 64]
var arguments = Arguments.Parse(args);
TorchProcess.Prepare(1);
var train = DataSetLoader.Load(
    new DataSetSpec(DataFormat.IdxFiles, Path.Combine(arguments.Data, "train-images-idx3-ubyte.gz"), Path.Combine(arguments.Data, "train-labels-idx1-ubyte.gz"), ArrayLayout.Nchw, Normalization.None),
    ModelZoo.Signature("lenet"));
var scheme = ActivationScheme.SymmetricInt8;
using var network = new QuantizableNetwork(arguments.Model, scheme, seed: 42);
int[] samples = [.. Enumerable.Range(0, arguments.Samples).Select(i => i % train.Count)];
IClipSearch search = arguments.Method switch
{
    "percentile" => new PercentileClip(99.99),
    "mse" => new MseClip(),
    _ => new EntropyClip(),
};

// Everything the process holds before calibrating (libtorch, the samples, the model, the sample list) is measured first,
// so that what calibration keeps shows as the live heap after a full collection at the end minus this baseline.
long baselineGcHeap = GC.GetTotalMemory(forceFullCollection: true);
var clock = Stopwatch.StartNew();
var sampler = new PeakSampler();
var ranges = ShardCalibrator.Observe(network, train, samples, arguments.Batch);
var bins = ranges.Select(r => HistogramBins.For(r.Range, arguments.Bins, magnitudes: true)).ToArray();
var histograms = ShardCalibrator.ObserveHistograms(network, train, samples, arguments.Batch, bins);
foreach (var (_, histogram) in histograms) search.Clip(histogram);
long peakGcHeap = sampler.Stop();
clock.Stop();
long retained = GC.GetTotalMemory(forceFullCollection: true) - baselineGcHeap;
long histogramBytes = histograms.Sum(h => (long)h.Histogram.Bins.Count * sizeof(long));
Console.WriteLine(FormattableString.Invariant(
    $"samples {arguments.Samples} seconds {clock.Elapsed.TotalSeconds:0.00} peak_working_set {PeakSampler.PeakWorkingSetBytes()} peak_gc_heap {peakGcHeap} retained {retained} histogram_bytes {histogramBytes} gen2_collections {GC.CollectionCount(2)}"));

/// <summary>Command line of the benchmark.</summary>
internal sealed record Arguments(int Samples, string Data, string Model, string Method, int Bins, int Batch)
{
    public static Arguments Parse(string[] args)
    {
        var result = new Arguments(8000, "data/mnist", "lenet", "entropy", 2048, 64);
        for (int i = 0; i < args.Length; i++)
        {
            string value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
            result = args[i] switch
            {
                "--samples" => result with { Samples = int.Parse(value, CultureInfo.InvariantCulture) },
                "--data" => result with { Data = value },
                "--model" => result with { Model = value },
                "--method" when value is "entropy" or "percentile" or "mse" => result with { Method = value },
                "--bins" => result with { Bins = int.Parse(value, CultureInfo.InvariantCulture) },
                "--batch" => result with { Batch = int.Parse(value, CultureInfo.InvariantCulture) },
                _ => throw new ArgumentException($"unknown option {args[i]} {value}; expected --samples, --data, --model, --method entropy|percentile|mse, --bins, --batch"),
            };
            i++;
        }
        return result;
    }
}
