using System.Diagnostics;
using System.Globalization;
using QuantCluster.Quantization;
using QuantCluster.Coordinator.Hosting;
using QuantCluster.Coordinator.Jobs;
using QuantCluster.Messages.Models;
using QuantCluster.Node.Blobs;
using QuantCluster.Quantization.Data;
using QuantCluster.Quantization.Models;
using QuantCluster.Quantization.Observers;
using QuantCluster.Quantization.Schemes;
using TorchSharp;

// Calibration throughput of the embedded cluster with --actors calibration actors: the job's two passes (min/max, then
// histograms on 2048 bins; LeNet, symmetric int8) over --samples training samples in --shards shards, every message
// through the binary serializer as in a job. One torch thread in the process, so each actor's forward passes use one
// core. A warm-up round on every actor (data loaded, model fetched, code jitted) is not timed.
// bench/calibration-throughput.sh runs it with 1 and with 2 actors in separate processes.
// Usage: calibration-throughput --actors K [--samples 8000] [--shards 4] [--rounds 3] [--data DIR] [--batch 64]
var arguments = Arguments.Parse(args);
TorchProcess.Prepare(1);
var data = new DataSource(DataSourceFormat.IdxFiles, Path.GetFullPath(Path.Combine(arguments.Data, "train-images-idx3-ubyte.gz")),
    Path.GetFullPath(Path.Combine(arguments.Data, "train-labels-idx1-ubyte.gz")), DataSourceLayout.Nchw, [], []);
await using var cluster = await EmbeddedCluster.StartAsync(workers: 0, arguments.Actors, torchThreads: 1, new DataSetCache(), verifySerialization: true, CancellationToken.None);
var members = cluster.Members;
byte[] checkpoint;
string[] points;
using (var network = new QuantizableNetwork("lenet", ActivationScheme.SymmetricInt8, seed: 42))
{
    checkpoint = ModelCheckpoint.ToBytes(network);
    points = [.. network.QuantizationPoints.Select(p => p.Name)];
}
var model = new ModelSnapshot("lenet", await BlobTransfer.StoreAsync(members.Blobs, checkpoint));

int[] samples = [.. Enumerable.Range(0, arguments.Samples)];
await CalibrateAsync("warm-up", samples[..(arguments.Batch * arguments.Actors)], arguments.Actors);
using var self = Process.GetCurrentProcess();
for (int round = 1; round <= arguments.Rounds; round++)
{
    // CPU seconds per wall second tell whether the actors ran side by side: near 1 for one actor, near 2 for two on an idle machine.
    self.Refresh();
    var cpuBefore = self.TotalProcessorTime;
    var clock = Stopwatch.StartNew();
    await CalibrateAsync($"round-{round}", samples, arguments.Shards);
    double seconds = clock.Elapsed.TotalSeconds;
    self.Refresh();
    double cpu = (self.TotalProcessorTime - cpuBefore).TotalSeconds;
    Console.WriteLine(FormattableString.Invariant(
        $"actors {arguments.Actors} round {round} samples {samples.Length} shards {arguments.Shards} seconds {seconds:0.000} samples/s {samples.Length / seconds:0} cpu_per_wall {cpu / seconds:0.00}"));
}

// What a PTQ job with a histogram method asks of the actors: the min/max pass, bins from the merged ranges, the histogram pass.
async Task CalibrateAsync(string jobId, int[] chosen, int shards)
{
    const int Bins = 2048;
    var calibration = await ShardedCalibration.StartAsync(members, jobId, model, new QuantizationSettings(ActivationScheme.SymmetricInt8, WeightGranularity.PerChannel),
        data, arguments.Batch, chosen, shards);
    var ranges = await calibration.RangesAsync(points, "", CancellationToken.None);
    var bins = ranges.Select(r => HistogramBins.For(r, Bins, magnitudes: true)).ToArray();
    await calibration.HistogramsAsync(points, bins, Bins, magnitudes: true, "", CancellationToken.None);
}

/// <summary>Command line of the benchmark.</summary>
internal sealed record Arguments(int Actors, int Samples, int Shards, int Rounds, string Data, int Batch)
{
    public static Arguments Parse(string[] args)
    {
        var result = new Arguments(1, 8000, 4, 3, "data/mnist", 64);
        for (int i = 0; i < args.Length; i++)
        {
            string value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
            int number = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : -1;
            result = args[i] switch
            {
                "--actors" when number >= 1 => result with { Actors = number },
                "--samples" when number >= 1 => result with { Samples = number },
                "--shards" when number >= 1 => result with { Shards = number },
                "--rounds" when number >= 1 => result with { Rounds = number },
                "--batch" when number >= 1 => result with { Batch = number },
                "--data" => result with { Data = value },
                _ => throw new ArgumentException($"bad option {args[i]} {value}; expected --actors, --samples, --shards, --rounds, --batch (positive numbers), --data DIR"),
            };
            i++;
        }
        return result;
    }
}
