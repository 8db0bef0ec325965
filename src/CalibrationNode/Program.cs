using System.CommandLine;
using QuantCluster.Node;

namespace QuantCluster.CalibrationNode;

/// <summary>Entry point of a calibration process: joins the cluster at --seed and hosts calibration actors.</summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var actors = new Option<int?>("--actors") { Description = "Calibration actors on this node (QUANTCLUSTER_ACTORS; default 1)" };
        var root = new RootCommand("QuantCluster calibration node: activation statistics over shards of calibration data") { actors };
        var common = new MemberCommandLine();
        common.AddTo(root);
        root.SetAction((parsed, cancel) => CalibrationNodeHost.RunAsync(
            () => common.Read(parsed), parsed.GetValue(actors), cancel));
        return await root.Parse(args).InvokeAsync();
    }
}
