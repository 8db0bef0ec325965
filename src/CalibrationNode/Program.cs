using System.CommandLine;
using QuantCluster.Node;

namespace QuantCluster.CalibrationNode;

/// <summary>Entry point of a calibration process: joins the cluster at --seed and hosts calibration actors.</summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var seed = new Option<string?>("--seed") { Description = "The coordinator's host:port (QUANTCLUSTER_SEED)" };
        var actors = new Option<int?>("--actors") { Description = "Calibration actors on this node (QUANTCLUSTER_ACTORS; default 1)" };
        var listen = new Option<string?>("--listen") { Description = "host:port this node listens on (QUANTCLUSTER_LISTEN; default 127.0.0.1:0)" };
        var hostname = new Option<string?>("--public-hostname") { Description = "The name other nodes reach this one by (QUANTCLUSTER_PUBLIC_HOSTNAME)" };
        var root = new RootCommand("QuantCluster calibration node: activation statistics over shards of calibration data") { seed, actors, listen, hostname };
        var observability = new ObservabilityCommandLine();
        observability.AddTo(root);
        root.SetAction((parsed, cancel) => CalibrationNodeHost.RunAsync(
            new MemberOptions(parsed.GetValue(seed), parsed.GetValue(listen), parsed.GetValue(hostname), () => observability.Read(parsed)), parsed.GetValue(actors), cancel));
        return await root.Parse(args).InvokeAsync();
    }
}
