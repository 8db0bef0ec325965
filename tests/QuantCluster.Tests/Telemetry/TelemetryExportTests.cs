using QuantCluster.Coordinator;
using QuantCluster.Messages;
using QuantCluster.Node;
using QuantCluster.Tests.EndToEnd;

namespace QuantCluster.Tests.Telemetry;

/// <summary>A process's traces and metrics reach an OTLP receiver, tagged with its role, and its metrics can be scraped by Prometheus.</summary>
[Collection(SequentialJobs.Name)]
public sealed class TelemetryExportTests : IDisposable
{
    private readonly JobRunner _runner = new();

    [Fact]
    public async Task A_job_exports_a_span_per_phase_and_its_metrics_over_otlp_as_the_coordinator()
    {
        await using var receiver = new OtlpReceiver();
        var plan = Path.Combine(_runner.Root, "traced.yaml");
        await File.WriteAllTextAsync(plan, "name: traced\nmodel: mlp\nmode: ptq\nfp32:\n  epochs: 1\n");
        var variables = new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Endpoint,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        };
        var saved = variables.Keys.ToDictionary(k => k, Environment.GetEnvironmentVariable);
        int code;
        try
        {
            foreach (var (name, value) in variables) Environment.SetEnvironmentVariable(name, value);
            using var stderr = new StringWriter();
            var request = new JobRequest(plan, _runner.Output("traced")) { Observability = ObservabilityOptions.Default with { Export = TelemetryExport.Otlp } };
            code = await JobCommand.RunAsync(request, TextWriter.Null, stderr, CancellationToken.None);
            Assert.True(code == 0, stderr.ToString());
        }
        finally
        {
            foreach (var (name, value) in saved) Environment.SetEnvironmentVariable(name, value);
        }

        // The providers flush when the job's telemetry is disposed, before RunAsync returns.
        string traces = receiver.Text("/v1/traces");
        Assert.Contains("quantcluster-coordinator", traces);
        foreach (var span in new[] { "job", "phase.fp32", "phase.ptq", "phase.sensitivity", "phase.convert", "worker.epoch", "worker.step", "allreduce", "calibration.shard" })
            Assert.Contains(span, traces);
        Assert.Contains("quantcluster.calibration.samples", receiver.Text("/v1/metrics"));
    }

    [Fact]
    public async Task Metrics_are_served_for_prometheus_on_the_address_given()
    {
        int port = LoopbackPorts.Free();
        using (Node.Telemetry.Start(ClusterRoles.Worker, "test-node", TelemetryExport.None, new NodeAddress("127.0.0.1", port)))
        {
            Metrics.CalibrationSamples.Add(5);
            using var http = new HttpClient();
            string scraped = await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/metrics"));

            Assert.Contains("quantcluster_calibration_samples", scraped);
            Assert.Contains("service_name=\"quantcluster-worker\"", scraped);
        }
    }

    public void Dispose() => _runner.Dispose();
}
