using System.Text.Json;
using System.Text.RegularExpressions;
using QuantCluster.Quantization.Models;
using QuantCluster.Quantization.Schemes;
using QuantCluster.Tests.EndToEnd;
using Xunit.Abstractions;

namespace QuantCluster.Tests.Cluster;

/// <summary>A coordinator, worker processes and a calibration process, each its own OS process, joined over loopback.</summary>
[Collection(SequentialJobs.Name)]
[Trait(TestTiers.Name, TestTiers.MultiProcess)]
public sealed class MultiProcessClusterTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "quantcluster-cluster-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly ITestOutputHelper _output;

    public MultiProcessClusterTests(ITestOutputHelper output)
    {
        _output = output;
        Directory.CreateDirectory(_folder);
    }

    [Fact]
    public async Task Worker_layouts_give_the_same_model_up_to_float_summation_order()
    {
        var plan = Path.Combine(_folder, "layouts.yaml");
        await File.WriteAllTextAsync(plan, """
            name: layouts
            seed: 11
            model: lenet
            mode: qat
            data:
              calibration_samples: 200
            ptq:
              method: percentile
              bins: 8192
            fp32:
              epochs: 1
            qat:
              epochs: 1
              workers: 3
            """);
        using var runner = new JobRunner();
        var (embeddedCode, stderr) = await runner.RunAsync("layouts", await File.ReadAllTextAsync(plan));
        Assert.True(embeddedCode == 0, stderr);
        var oneProcess = Layout(runner.Output("layouts"));

        // Two processes whose ring is TCP both ways (one of them allows nothing else); three whose links mix shared memory
        // (0 to 1) and TCP (1 to 2 and 2 to 0, the third process allowing only TCP). The transport never changes the bits.
        var twoPlusOne = await RunClusterAsync(plan, "two-plus-one", [("cpu:0,cpu:1", "auto"), ("cpu:0", "tcp")]);
        var threeProcesses = await RunClusterAsync(plan, "three-processes", [("cpu:0", "auto"), ("cpu:0", "auto"), ("cpu:0", "tcp")]);
        Assert.Equal(["tcp/tcp", "tcp/tcp"], twoPlusOne.Transports);
        Assert.Equal(["shared memory/tcp", "tcp/shared memory", "tcp/tcp"], threeProcesses.Transports);

        // Replicas 0 and 1 share a process in both of the first two layouts, so both sum every element as (r0 + r1) + r2:
        // the same bits, epoch after epoch.
        Assert.Equal(oneProcess.Hashes, twoPlusOne.Hashes);
        Assert.Equal(oneProcess.Qat, twoPlusOne.Qat);
        // Three processes sum segment j of the ring as r_j + r_(j+1) + r_(j+2): other roundings, which training carries
        // on into different weights (as any change of rounding does), so the bound is on accuracy (docs/architecture.md).
        Assert.Equal(oneProcess.Path, threeProcesses.Path);
        Assert.InRange(Math.Abs(oneProcess.Qat - threeProcesses.Qat) * 100, 0, SummationOrderTolerance.Points);
        // Reported rather than asserted: how far the weights drift is the optimizer's business, not the exchange's.
        _output.WriteLine($"three processes vs one: hashes {(oneProcess.Hashes.SequenceEqual(threeProcesses.Hashes) ? "equal" : "differ")}, " +
            $"largest FP32 weight difference {LargestWeightDifference(runner.Output("layouts"), Path.Combine(_folder, "three-processes")):E2}, " +
            $"QAT accuracy {threeProcesses.Qat:P2} vs {oneProcess.Qat:P2}");
    }

    [Fact]
    public async Task The_coordinator_names_the_missing_members_when_they_do_not_join()
    {
        var plan = Path.Combine(_folder, "lonely.yaml");
        await File.WriteAllTextAsync(plan, "name: lonely\nmodel: lenet\n");
        using var coordinator = new NodeProcess("quantcluster.dll", "--plan", plan, "--output", Path.Combine(_folder, "lonely"),
            "--listen", $"127.0.0.1:{LoopbackPorts.Free()}", "--workers", "2", "--calibrators", "1", "--join-timeout", "3");

        int code = await coordinator.WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(1, code);
        Assert.Contains("0 of 2 worker replicas (none)", coordinator.Output);
        Assert.Contains("--seed 127.0.0.1:", coordinator.Output);
        Assert.False(File.Exists(Path.Combine(_folder, "lonely", "report.json")));
    }

    [Fact]
    public async Task Two_runs_of_one_plan_train_to_the_same_bits()
    {
        // Separate processes, because what made runs differ was per-thread torch state set when libtorch loads. Before
        // TorchThreads fixed it, six runs of examples/mlp.yaml gave four different epoch-1 hashes.
        var plan = Path.Combine(_folder, "twice.yaml");
        await File.WriteAllTextAsync(plan, "name: twice\nseed: 5\nmodel: mlp\nmode: ptq\nfp32:\n  epochs: 2\ndata:\n  calibration_samples: 200\n");
        var hashes = new List<string?[]>();
        foreach (var name in new[] { "first", "second" })
        {
            using var coordinator = new NodeProcess("quantcluster.dll", "--plan", plan, "--output", Path.Combine(_folder, name));
            int code = await coordinator.WaitAsync(TimeSpan.FromMinutes(3));
            Assert.True(code == 0, coordinator.Output);
            var report = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_folder, name, "report.json"))).RootElement;
            hashes.Add([.. report.GetProperty("epochs").EnumerateArray().Select(e => e.GetProperty("parameter_hash").GetString())]);
        }

        Assert.Equal(2, hashes[0].Length);
        Assert.Equal(hashes[0], hashes[1]);
    }

    [Fact]
    public async Task A_worker_given_an_unknown_ring_transport_says_so_and_exits()
    {
        using var worker = new NodeProcess("QuantCluster.GpuWorker.dll", "--seed", $"127.0.0.1:{LoopbackPorts.Free()}", "--ring-transport", "udp");

        int code = await worker.WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(2, code);
        Assert.Contains("--ring-transport (QUANTCLUSTER_RING_TRANSPORT): 'udp' is not one of auto, tcp", worker.Output);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A node's log file may still be closing; the folder is in the temp directory.
        }
    }

    /// <summary>Starts one worker process per entry (its --devices), a calibration process and the coordinator, and reads the report.</summary>
    /// <remarks>Ranks follow the nodes' addresses, so worker processes listen on ports in the order given: the first takes the first ranks.</remarks>
    private async Task<LayoutResult> RunClusterAsync(string plan, string name, (string Devices, string RingTransport)[] processes)
    {
        string seed = $"127.0.0.1:{LoopbackPorts.Free()}";
        var ports = processes.Select(_ => LoopbackPorts.Free()).Order().ToArray();
        var workers = processes.Select((p, i) => new NodeProcess("QuantCluster.GpuWorker.dll", "--seed", seed, "--devices", p.Devices,
            "--ring-transport", p.RingTransport, "--listen", $"127.0.0.1:{ports[i]}")).ToList();
        try
        {
            using var calibration = new NodeProcess("QuantCluster.CalibrationNode.dll", "--seed", seed);
            int replicas = processes.Sum(p => p.Devices.Split(',').Length);
            using var coordinator = new NodeProcess("quantcluster.dll", "--plan", plan, "--output", Path.Combine(_folder, name),
                "--listen", seed, "--workers", $"{replicas}", "--calibrators", "1", "--join-timeout", "60");

            int code = await coordinator.WaitAsync(TimeSpan.FromMinutes(4));

            Assert.True(code == 0, coordinator.Output + string.Concat(workers.Select(w => w.Output)) + calibration.Output);
            Assert.Contains($"{replicas}/{replicas} worker replica(s), 1/1 calibration actor(s)", coordinator.Output);
            Assert.Contains(processes.Length == 1
                ? $"the {replicas} workers share one process and sum their gradients in memory"
                : $"ring all-reduce connected over {processes.Length} processes holding {replicas} workers", coordinator.Output);
            // Members end with their coordinator, so a container restarts them fresh for the next job.
            foreach (var member in workers.Append(calibration)) Assert.Equal(0, await member.WaitAsync(TimeSpan.FromMinutes(1)));
            // Each process logs how its frames travel, to the next process and from the previous one.
            var transports = workers.Select(w => Regex.Match(w.Output, "by (tcp|shared memory), from [^\"\n]*? by (tcp|shared memory)"))
                .Select(m => m.Success ? $"{m.Groups[1]}/{m.Groups[2]}" : "no ring").ToArray();
            return Layout(Path.Combine(_folder, name)) with { Transports = transports };
        }
        finally
        {
            foreach (var worker in workers) worker.Dispose();
        }
    }

    private static LayoutResult Layout(string folder)
    {
        var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "report.json"))).RootElement;
        return new LayoutResult(report.GetProperty("path").GetString(), report.GetProperty("accuracy").GetProperty("qat").GetDouble(),
            [.. report.GetProperty("epochs").EnumerateArray().Select(e => e.GetProperty("parameter_hash").GetString())]);
    }

    private static double LargestWeightDifference(string first, string second)
    {
        using var a = ModelCheckpoint.ReadFile(Path.Combine(first, "model.fp32.ckpt"), ActivationScheme.AsymmetricUInt8);
        using var b = ModelCheckpoint.ReadFile(Path.Combine(second, "model.fp32.ckpt"), ActivationScheme.AsymmetricUInt8);
        using var scope = TorchSharp.torch.NewDisposeScope();
        return a.parameters().Zip(b.parameters()).Max(p => (p.First - p.Second).abs().max().item<float>());
    }

    private sealed record LayoutResult(string? Path, double Qat, IReadOnlyList<string?> Hashes)
    {
        /// <summary>Per worker process, in rank order: "to next/from previous" transport, as the process logged it.</summary>
        public IReadOnlyList<string> Transports { get; init; } = [];
    }
}
