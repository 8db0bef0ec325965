using System.Text.Json;

namespace QuantCluster.Tests.EndToEnd;

/// <summary>
/// Whole jobs through the embedded cluster: coordinator, worker and calibration actors in one actor system with
/// serialize-messages on, so every message goes through the binary serializer as if it crossed the wire.
/// </summary>
[Collection(SequentialJobs.Name)]
public sealed class EmbeddedJobTests : IDisposable
{
    private readonly JobRunner _runner = new();

    private const string SmallQat = """
        name: small-qat
        seed: 7
        model: lenet
        mode: qat
        data:
          calibration_samples: 300
        fp32:
          epochs: 1
        ptq:
          shards: 3
        qat:
          epochs: 1
          workers: 2
          global_batch_size: 64
          freeze_observers_after: 1
        """;

    [Fact]
    public async Task A_qat_plan_runs_through_the_actors_and_writes_a_verified_int8_model()
    {
        var (code, stderr) = await _runner.RunAsync("small-qat", SmallQat);

        Assert.True(code == 0, stderr);
        var report = _runner.Report("small-qat");
        Assert.Equal("qat", report.GetProperty("path").GetString());
        var accuracy = report.GetProperty("accuracy");
        double fp32 = accuracy.GetProperty("fp32").GetDouble();
        double qat = accuracy.GetProperty("qat").GetDouble();
        Assert.InRange(fp32, 0.90, 1.0);
        Assert.InRange(accuracy.GetProperty("ptq").GetDouble(), 0.90, 1.0);
        Assert.InRange(qat, fp32 - 0.01, 1.0);
        var conversion = report.GetProperty("conversion");
        Assert.InRange(Math.Abs(conversion.GetProperty("integer_accuracy").GetDouble() - conversion.GetProperty("fake_quant_accuracy").GetDouble()), 0, 0.001);
        Assert.InRange(conversion.GetProperty("agreement").GetDouble(), 0.995, 1.0);
        foreach (var phase in new[] { "fp32", "ptq", "qat", "convert", "total" })
            Assert.True(report.GetProperty("seconds").GetProperty(phase).GetDouble() > 0, phase);
        Assert.All(report.GetProperty("epochs").EnumerateArray(), e => Assert.True(e.GetProperty("worker_peak_bytes").GetInt64() > 0));
        long fp32Bytes = report.GetProperty("bytes").GetProperty("fp32").GetInt64();
        long int8Bytes = report.GetProperty("bytes").GetProperty("int8").GetInt64();
        Assert.InRange((double)fp32Bytes / int8Bytes, 3.0, 4.5);

        var output = _runner.Output("small-qat");
        var model = global::QuantCluster.Quantization.Integer.Int8ModelFile.Read(Path.Combine(output, "model.int8.qci8"));
        Assert.Equal("lenet", model.Architecture);
        Assert.True(File.Exists(Path.Combine(output, "report.md")));
        Assert.Contains("![Per-layer sensitivity](sensitivity.png)", File.ReadAllText(Path.Combine(output, "report.md")));
        Assert.True(new FileInfo(Path.Combine(output, "sensitivity.png")).Length > 10_000);
        Assert.Contains("![Training loss and accuracy per epoch](training.png)", File.ReadAllText(Path.Combine(output, "report.md")));
        Assert.True(new FileInfo(Path.Combine(output, "training.png")).Length > 10_000);
        Assert.Contains("\"@mt\"", File.ReadAllText(Path.Combine(output, "logs", "quantcluster.json")));
        Assert.Empty(Directory.GetFiles(output, "*.tmp", SearchOption.AllDirectories));

        // The FP32 checkpoint starts a later job: same FP32 model, so the same FP32 accuracy, and no training.
        var weights = Path.Combine(output, "model.fp32.ckpt");
        var (again, againErrors) = await _runner.RunAsync("from-weights", $"name: from-weights\nmodel: lenet\nmode: ptq\nweights: {weights}\n");
        Assert.True(again == 0, againErrors);
        var reloaded = _runner.Report("from-weights");
        Assert.Equal(fp32, reloaded.GetProperty("accuracy").GetProperty("fp32").GetDouble());
        Assert.Equal(JsonValueKind.Null, reloaded.GetProperty("accuracy").GetProperty("qat").ValueKind);
        Assert.Equal("ptq", reloaded.GetProperty("path").GetString());
        Assert.Empty(reloaded.GetProperty("epochs").EnumerateArray());
        Assert.False(File.Exists(Path.Combine(_runner.Output("from-weights"), "training.png")), "a job that trained nothing drew training curves");
    }

    [Fact]
    public async Task Two_workers_reach_the_accuracy_of_one_worker_summing_in_memory_or_at_the_coordinator()
    {
        // The embedded cluster is one process, so `ring` sums its replicas' shares in memory, with no socket.
        var one = await RunWithWorkers(1, "ring");
        var inMemory = await RunWithWorkers(2, "ring");
        var coordinator = await RunWithWorkers(2, "coordinator");

        // One and two replicas add a step's gradient in other orders, and training carries the rounding on into other
        // weights: the bound is on accuracy, with the margin docs/architecture.md gives for other summation orders.
        Assert.InRange(Math.Abs(one.Fp32 - inMemory.Fp32) * 100, 0, SummationOrderTolerance.Points);
        Assert.InRange(Math.Abs(one.Qat - inMemory.Qat) * 100, 0, SummationOrderTolerance.Points);
        // Two ranks add the same two shares whichever way they travel: the models, and so the figures, are identical.
        Assert.Equal(inMemory, coordinator);
    }

    [Fact]
    public async Task A_bad_plan_exits_2_and_writes_nothing()
    {
        var (code, stderr) = await _runner.RunAsync("bad", "name: bad\nmodel: lenet\nqat:\n  workers: two\n");

        Assert.Equal(2, code);
        Assert.Contains("qat.workers", stderr);
        Assert.Contains(":4:", stderr);
        Assert.False(Directory.Exists(_runner.Output("bad")));
    }

    [Fact]
    public async Task Data_the_model_cannot_take_exits_2_before_any_node_starts_and_writes_nothing()
    {
        // An .npz of 3x32x32 samples for lenet, which takes 1x28x28.
        string npz = Path.Combine(_runner.Root, "rgb.npz");
        await File.WriteAllBytesAsync(npz, Data.NpyBytes.Npz(
            ("images", Data.NpyBytes.Of(new byte[2 * 3 * 32 * 32], 2, 3, 32, 32)), ("labels", Data.NpyBytes.Of(new byte[] { 0, 1 }, 2))));

        var (code, stderr) = await _runner.RunAsync("rgb", $"name: rgb\nmodel: lenet\ndata:\n  train: {npz}\n");

        Assert.Equal(2, code);
        Assert.StartsWith($"{Path.Combine(_runner.Root, "rgb.yaml")}:4:10: data.train: {npz}: array 'images': samples are 3x32x32, the model takes 1x28x28", stderr);
        Assert.DoesNotContain("   at ", stderr); // no stack trace
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.False(Directory.Exists(_runner.Output("rgb")));
    }

    [Fact]
    public async Task A_corrupt_weights_file_fails_the_job_with_a_message_naming_it()
    {
        var weights = Path.Combine(_runner.Root, "broken.ckpt");
        await File.WriteAllBytesAsync(weights, "QCCK not really a checkpoint"u8.ToArray());

        var (code, stderr) = await _runner.RunAsync("corrupt", $"name: corrupt\nmodel: lenet\nweights: {weights}\nmode: ptq\n");

        Assert.Equal(1, code);
        Assert.Contains("broken.ckpt", stderr);
        Assert.False(File.Exists(Path.Combine(_runner.Output("corrupt"), "model.int8.qci8")));
        Assert.False(File.Exists(Path.Combine(_runner.Output("corrupt"), "report.json")));
    }

    public void Dispose() => _runner.Dispose();

    private async Task<(double Fp32, double Qat)> RunWithWorkers(int workers, string exchange)
    {
        string name = $"workers-{workers}-{exchange}";
        var plan = SmallQat.Replace("name: small-qat", $"name: {name}")
            .Replace("workers: 2", $"workers: {workers}\n  gradient_exchange: {exchange}");
        var (code, stderr) = await _runner.RunAsync(name, plan);
        Assert.True(code == 0, stderr);
        JsonElement accuracy = _runner.Report(name).GetProperty("accuracy");
        return (accuracy.GetProperty("fp32").GetDouble(), accuracy.GetProperty("qat").GetDouble());
    }
}
