using System.CommandLine;
using QuantCluster.Node;

namespace QuantCluster.Coordinator;

/// <summary>Entry point of the coordinator process: `--plan qat.yaml` runs a whole job, embedded or across a cluster.</summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var plan = new Option<string?>("--plan") { Description = "The plan (YAML) to run (QUANTCLUSTER_PLAN)" };
        var output = new Option<string?>("--output") { Description = "Output folder; overrides the plan's `output` (QUANTCLUSTER_OUTPUT)" };
        var listen = new Option<string?>("--listen") { Description = "host:port to listen on as the cluster's seed; without it the job runs embedded in this process (QUANTCLUSTER_LISTEN)" };
        var hostname = new Option<string?>("--public-hostname") { Description = "The name other nodes reach the coordinator by (QUANTCLUSTER_PUBLIC_HOSTNAME)" };
        var workers = new Option<int?>("--workers") { Description = "Worker replicas to wait for (QUANTCLUSTER_WORKERS; default: the plan's qat.workers)" };
        var calibrators = new Option<int?>("--calibrators") { Description = "Calibration actors to wait for (QUANTCLUSTER_CALIBRATORS; default 1)" };
        var timeout = new Option<int?>("--join-timeout") { Description = "Seconds to wait for the members (QUANTCLUSTER_JOIN_TIMEOUT; default 120)" };
        var root = new RootCommand("QuantCluster: turns an FP32 model into a verified INT8 model on an actor cluster")
        {
            plan, output, listen, hostname, workers, calibrators, timeout,
        };
        var observability = new ObservabilityCommandLine();
        observability.AddTo(root);
        var security = new SecurityCommandLine();
        security.AddTo(root);
        root.SetAction(async (parsed, cancel) =>
        {
            var planPath = OptionOrEnvironment.Get(parsed.GetValue(plan), "QUANTCLUSTER_PLAN");
            if (planPath is null)
            {
                await Console.Error.WriteLineAsync("error: --plan is required (or QUANTCLUSTER_PLAN)");
                return JobCommand.BadPlan;
            }
            JobRequest request;
            try
            {
                request = new JobRequest(
                    planPath,
                    OptionOrEnvironment.Get(parsed.GetValue(output), "QUANTCLUSTER_OUTPUT"),
                    OptionOrEnvironment.Get(parsed.GetValue(listen), "QUANTCLUSTER_LISTEN"),
                    OptionOrEnvironment.Get(parsed.GetValue(hostname), "QUANTCLUSTER_PUBLIC_HOSTNAME"),
                    OptionOrEnvironment.GetInt(parsed.GetValue(workers), "--workers", "QUANTCLUSTER_WORKERS", atLeast: 1),
                    OptionOrEnvironment.GetInt(parsed.GetValue(calibrators), "--calibrators", "QUANTCLUSTER_CALIBRATORS", atLeast: 1),
                    OptionOrEnvironment.GetInt(parsed.GetValue(timeout), "--join-timeout", "QUANTCLUSTER_JOIN_TIMEOUT", atLeast: 1) is int seconds
                        ? TimeSpan.FromSeconds(seconds)
                        : null)
                {
                    Observability = observability.Read(parsed),
                    Security = security.Read(parsed),
                };
            }
            catch (ArgumentException e)
            {
                await Console.Error.WriteLineAsync($"error: {e.Message}");
                return JobCommand.BadPlan;
            }
            return await JobCommand.RunAsync(request, Console.Out, Console.Error, cancel);
        });
        return await root.Parse(args).InvokeAsync();
    }
}
