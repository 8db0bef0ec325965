using System.CommandLine;
using QuantCluster.Node;

namespace QuantCluster.GpuWorker;

/// <summary>Entry point of a worker process: joins the cluster at --seed and hosts one training replica per device.</summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var devices = new Option<string?>("--devices") { Description = "Devices, one replica each: cpu:0,cpu:1 or cuda:0,cuda:1 (QUANTCLUSTER_DEVICES; default cpu:0)" };
        var threads = new Option<int?>("--threads") { Description = "torch threads per replica (QUANTCLUSTER_THREADS; default 1)" };
        var ringTransport = new Option<string?>("--ring-transport")
        {
            Description = "auto: shared memory to ring neighbours on this host, TCP to others; tcp: TCP only (QUANTCLUSTER_RING_TRANSPORT; default auto)",
        };
        var root = new RootCommand("QuantCluster worker: data-parallel training replicas") { devices, threads, ringTransport };
        var common = new MemberCommandLine();
        common.AddTo(root);
        root.SetAction((parsed, cancel) => WorkerNode.RunAsync(
            () => common.Read(parsed), parsed.GetValue(devices), parsed.GetValue(threads), parsed.GetValue(ringTransport), cancel));
        return await root.Parse(args).InvokeAsync();
    }
}
