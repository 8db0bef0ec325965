using System.Diagnostics;
using System.Globalization;
using QuantCluster.Quantization;
using QuantCluster.Quantization.Calibration;
using QuantCluster.Quantization.Data;
using QuantCluster.Quantization.FakeQuant;
using QuantCluster.Quantization.Models;
using QuantCluster.Quantization.Schemes;
using QuantCluster.Quantization.Training;
using TorchSharp;

// Training throughput of one replica (world size 1, rank 0) on LeNet: the per-step work of a QAT worker without the
// gradient exchange. Compared against bench/pytorch_lenet.py by bench/training-throughput.sh.
// Usage: training-throughput [--data DIR] [--epochs N] [--augment-shift N] [--mode fp32|qat|both]
var arguments = Arguments.Parse(args);
TorchProcess.Prepare(1);
var train = DataSetLoader.Load(
    new DataSetSpec(DataFormat.IdxFiles, Path.Combine(arguments.Data, "train-images-idx3-ubyte.gz"), Path.Combine(arguments.Data, "train-labels-idx1-ubyte.gz"), ArrayLayout.Nchw, Normalization.None),
    ModelZoo.Signature("lenet"));
Console.WriteLine(FormattableString.Invariant(
    $"# LeNet, {train.Count} training samples, global batch {Throughput.BatchSize}, Adam lr {Throughput.LearningRate}, torch threads {torch.get_num_threads()}, augment shift {arguments.AugmentShift}, 1 warm-up + {arguments.Epochs} timed epochs"));
if (arguments.Mode is "fp32" or "both") Throughput.Measure("fp32", fakeQuantize: false, train, arguments).Print();
if (arguments.Mode is "qat" or "both") Throughput.Measure("qat", fakeQuantize: true, train, arguments).Print();

/// <summary>Command line of the benchmark; defaults match bench/pytorch_lenet.py.</summary>
internal sealed record Arguments(string Data, int Epochs, int AugmentShift, string Mode)
{
    public static Arguments Parse(string[] args)
    {
        var result = new Arguments("data/mnist", 2, 0, "both");
        for (int i = 0; i < args.Length; i++)
        {
            string value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
            result = args[i] switch
            {
                "--data" => result with { Data = value },
                "--epochs" => result with { Epochs = int.Parse(value, CultureInfo.InvariantCulture) },
                "--augment-shift" => result with { AugmentShift = int.Parse(value, CultureInfo.InvariantCulture) },
                "--mode" when value is "fp32" or "qat" or "both" => result with { Mode = value },
                _ => throw new ArgumentException($"unknown option {args[i]} {value}; expected --data, --epochs, --augment-shift, --mode fp32|qat|both"),
            };
            i++;
        }
        return result;
    }
}

/// <summary>One measured configuration: samples per second over the timed epochs and where the time went.</summary>
internal sealed record Throughput(string Name, int Samples, double Seconds, double ComputeSeconds, double ApplySeconds, double Accuracy)
{
    public const int BatchSize = 64;
    public const double LearningRate = 0.001;
    private const int Seed = 1;
    private const int CalibrationSamples = 500;

    public double SamplesPerSecond => Samples / Seconds;

    public static Throughput Measure(string name, bool fakeQuantize, LabeledImages train, Arguments arguments)
    {
        using var network = new QuantizableNetwork("lenet", ActivationScheme.AsymmetricUInt8, Seed);
        if (fakeQuantize)
        {
            // As the job does before QAT: min/max ranges from a calibration pass, so fake quantization has parameters.
            var indices = Enumerable.Range(0, Math.Min(CalibrationSamples, train.Count)).ToArray();
            ShardCalibrator.Observe(network, train, indices, CalibrationSamples);
        }
        var options = new TrainingOptions(fakeQuantize, ActivationScheme.AsymmetricUInt8, WeightGranularity.PerChannel,
            OptimizerChoice.Adam, LearningRate, 1 + arguments.Epochs, BatchSize, Seed, "cpu", arguments.AugmentShift);
        using var trainer = new ReplicaTrainer(network, train, options, rank: 0, worldSize: 1);
        RunEpoch(trainer, 0, fakeQuantize);
        int samples = 0, correct = 0;
        var compute = new Stopwatch();
        var apply = new Stopwatch();
        var total = Stopwatch.StartNew();
        for (int epoch = 1; epoch <= arguments.Epochs; epoch++)
        {
            RunEpoch(trainer, epoch, fakeQuantize, compute, apply);
            samples += trainer.Samples;
            correct += trainer.Correct;
        }
        total.Stop();
        return new Throughput(name, samples, total.Elapsed.TotalSeconds, compute.Elapsed.TotalSeconds, apply.Elapsed.TotalSeconds, (double)correct / samples);
    }

    public void Print() => Console.WriteLine(FormattableString.Invariant(
        $"{Name} samples/s {SamplesPerSecond:0} ({Samples} samples in {Seconds:0.00} s: ComputeShare {ComputeSeconds:0.00} s, ApplySum {ApplySeconds:0.00} s; training accuracy {Accuracy:P1})"));

    // QAT keeps its observers on in every epoch, as PyTorch's prepare_qat does until they are disabled.
    private static void RunEpoch(ReplicaTrainer trainer, int epoch, bool observe, Stopwatch? compute = null, Stopwatch? apply = null)
    {
        trainer.BeginEpoch(epoch, observeActivations: observe, freezeBatchNorm: false);
        for (int step = 0; step < trainer.Steps; step++)
        {
            compute?.Start();
            var share = trainer.ComputeShare(step);
            compute?.Stop();
            apply?.Start();
            trainer.ApplySum(share);
            apply?.Stop();
        }
    }
}
