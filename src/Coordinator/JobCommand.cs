using QuantCluster.Coordinator.Hosting;
using QuantCluster.Coordinator.Jobs;
using QuantCluster.Coordinator.Plans;
using QuantCluster.Coordinator.Reporting;
using QuantCluster.Messages;
using QuantCluster.Node;
using QuantCluster.Quantization;
using QuantCluster.Quantization.Data;
using Serilog;
using Spectre.Console;

namespace QuantCluster.Coordinator;

/// <summary>Runs one plan end to end and maps every kind of failure to a message and an exit code (2 bad plan, 1 failed job).</summary>
public static class JobCommand
{
    public const int Succeeded = 0;
    public const int Failed = 1;
    public const int BadPlan = 2;

    /// <summary>The embedded cluster runs this many calibration actors.</summary>
    public const int EmbeddedCalibrators = 2;

    public static async Task<int> RunAsync(JobRequest request, TextWriter stdout, TextWriter stderr, CancellationToken cancel)
    {
        Plan plan;
        DistributedOptions? distributed;
        JobData data;
        var dataSets = new DataSetCache();
        try
        {
            plan = PlanLoader.Load(request.PlanPath, request.Output);
            // The data is read and checked against the model before the output folder exists or any node starts.
            data = PlanDataSets.Open(plan, dataSets);
            distributed = Distributed(request, plan);
            var device = DeviceSelection.Resolve(plan.Qat.Device, TorchBuild.IsCuda, TorchBuild.CudaDeviceCount(), plan.Qat.DeviceLocation);
            plan = plan with { Qat = plan.Qat with { Device = device } };
        }
        catch (Exception e) when (e is PlanException or ArgumentException)
        {
            await stderr.WriteLineAsync(e.Message);
            return BadPlan;
        }

        try
        {
            OutputFolder.Check(plan.Output);
        }
        catch (OutputFolderException e)
        {
            await stderr.WriteLineAsync($"error: {e.Message}");
            return BadPlan;
        }

        Directory.CreateDirectory(plan.Output);
        var log = LogSetup.Create(plan.Output, ClusterRoles.Coordinator, request.Observability.ConsoleJson, node: request.Listen ?? "embedded");
        Log.Logger = log;
        using var telemetry = Telemetry.Start(ClusterRoles.Coordinator, request.Listen ?? "embedded", request.Observability.Export, request.Observability.Prometheus);
        try
        {
            // One intra-op thread per worker: replicas share the process's cores, and oversubscribed torch threads are far slower.
            TorchProcess.Prepare(plan.Qat.ThreadsPerWorker);
            await using var cluster = distributed is null
                ? await EmbeddedCluster.StartAsync(plan.Qat.Workers, EmbeddedCalibrators, plan.Qat.ThreadsPerWorker, dataSets, verifySerialization: true, cancel)
                : await DistributedCluster.StartAsync(distributed, log, cancel);
            using var result = await new QuantizationJob(plan, data, cluster.Members, log).RunAsync(cancel);
            var report = OutputWriter.Write(plan.Output, result);
            log.Information("Done: {Path} path; FP32 {Fp32:P2}, PTQ {Ptq:P2}, QAT {Qat}, delivered {Final:P2}; INT8 model {Bytes} bytes ({Ratio:0.0}x smaller) in {Output}",
                report.Path, report.Accuracy.Fp32, report.Accuracy.Ptq, report.Accuracy.Qat is double q ? q.ToString("P2") : "not run", report.Accuracy.Final,
                report.Bytes.Int8, (double)report.Bytes.Fp32 / report.Bytes.Int8, Path.GetFullPath(plan.Output));
            // A table for a person at a terminal; logs and pipes already have the line above.
            if (request.Observability is { ConsoleJson: false } && stdout == Console.Out && !Console.IsOutputRedirected)
                AnsiConsole.Write(SummaryTable.Of(report, Path.GetFullPath(plan.Output)));
            return Succeeded;
        }
        catch (Exception e) when (e is JobFailedException or MemberLostException or DataFormatException or InvalidDataException or FileNotFoundException)
        {
            log.Error("Job failed: {Reason}", e.Message);
            await stderr.WriteLineAsync($"error: {e.Message}");
            return Failed;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Anything else is a fault of ours or of the surroundings (a full disk mid-write): the log keeps the stack
            // trace for us, the person at the terminal gets one line.
            var cause = ErrorCause.Of(e);
            log.Error(e, "Job failed: {Reason}", cause.Message);
            await stderr.WriteLineAsync($"error: {cause.GetType().Name}: {cause.Message} (details in {Path.Combine(plan.Output, LogSetup.JsonLogFile)})");
            return Failed;
        }
        finally
        {
            await Log.CloseAndFlushAsync();
        }
    }

    private static DistributedOptions? Distributed(JobRequest request, Plan plan)
    {
        if (request.Listen is null) return null;
        var listen = NodeAddress.Parse(request.Listen, "--listen");
        if (listen.Port == 0) throw new ArgumentException("--listen: the coordinator is the seed node; give it a fixed port (e.g. 127.0.0.1:4053)");
        int workers = request.Workers ?? plan.Qat.Workers;
        int calibrators = request.Calibrators ?? 1;
        return new DistributedOptions(listen, request.PublicHostname, workers, calibrators, request.JoinTimeout ?? TimeSpan.FromSeconds(120), request.Security);
    }
}
