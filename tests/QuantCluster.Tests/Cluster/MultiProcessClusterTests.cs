using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using QuantCluster.Tests.EndToEnd;

namespace QuantCluster.Tests.Cluster;

/// <summary>A coordinator, two worker processes and a calibration process, each its own OS process, joined over loopback.</summary>
[Collection(SequentialJobs.Name)]
public sealed class MultiProcessClusterTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "quantcluster-cluster-" + Guid.NewGuid().ToString("N")[..8]);

    public MultiProcessClusterTests() => Directory.CreateDirectory(_folder);

    [Fact]
    public async Task A_plan_runs_across_processes_and_matches_the_embedded_run()
    {
        var plan = Path.Combine(_folder, "cluster.yaml");
        await File.WriteAllTextAsync(plan, """
            name: cluster
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
              workers: 2
            """);
        string seed = $"127.0.0.1:{FreePort()}";
        using var worker0 = new NodeProcess("QuantCluster.GpuWorker.dll", "--seed", seed, "--devices", "cpu:0");
        using var worker1 = new NodeProcess("QuantCluster.GpuWorker.dll", "--seed", seed, "--devices", "cpu:0");
        using var calibration = new NodeProcess("QuantCluster.CalibrationNode.dll", "--seed", seed);
        using var coordinator = new NodeProcess("quantcluster.dll", "--plan", plan, "--output", Path.Combine(_folder, "cluster"),
            "--listen", seed, "--workers", "2", "--calibrators", "1", "--join-timeout", "60");

        int code = await coordinator.WaitAsync(TimeSpan.FromMinutes(4));

        Assert.True(code == 0, coordinator.Output + worker0.Output + calibration.Output);
        Assert.Contains("2/2 worker replica(s), 1/1 calibration actor(s)", coordinator.Output);
        var cluster = Report(Path.Combine(_folder, "cluster"));

        using var runner = new JobRunner();
        var (embeddedCode, stderr) = await runner.RunAsync("cluster", await File.ReadAllTextAsync(plan));
        Assert.True(embeddedCode == 0, stderr);
        var embedded = runner.Report("cluster");

        Assert.Equal(embedded.GetProperty("path").GetString(), cluster.GetProperty("path").GetString());
        double clusterQat = cluster.GetProperty("accuracy").GetProperty("qat").GetDouble();
        double embeddedQat = embedded.GetProperty("accuracy").GetProperty("qat").GetDouble();
        Assert.InRange(Math.Abs(clusterQat - embeddedQat) * 100, 0, 0.2);
    }

    [Fact]
    public async Task The_coordinator_names_the_missing_members_when_they_do_not_join()
    {
        var plan = Path.Combine(_folder, "lonely.yaml");
        await File.WriteAllTextAsync(plan, "name: lonely\nmodel: lenet\n");
        using var coordinator = new NodeProcess("quantcluster.dll", "--plan", plan, "--output", Path.Combine(_folder, "lonely"),
            "--listen", $"127.0.0.1:{FreePort()}", "--workers", "2", "--calibrators", "1", "--join-timeout", "3");

        int code = await coordinator.WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(1, code);
        Assert.Contains("0 of 2 worker replicas (none)", coordinator.Output);
        Assert.Contains("--seed 127.0.0.1:", coordinator.Output);
        Assert.False(File.Exists(Path.Combine(_folder, "lonely", "report.json")));
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

    private static JsonElement Report(string folder) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "report.json"))).RootElement;

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
