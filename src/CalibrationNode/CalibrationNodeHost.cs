using QuantCluster.Node;
using QuantCluster.Quantization;
using QuantCluster.Quantization.Data;
using Serilog;

namespace QuantCluster.CalibrationNode;

/// <summary>A calibration process: calibration actors, each announced to the coordinator.</summary>
public static class CalibrationNodeHost
{
    public static Task<int> RunAsync(Func<MemberOptions> options, int? actors, CancellationToken cancel) =>
        MemberNode.RunAsync(ClusterRoles.Calibration, options, () =>
        {
            int count = OptionOrEnvironment.GetInt(actors, "--actors", "QUANTCLUSTER_ACTORS", atLeast: 1) ?? 1;
            TorchProcess.Prepare(1);
            return node =>
            {
                var data = new DataSetCache();
                for (int i = 0; i < count; i++)
                    node.System.ActorOf(CalibrationActor.Props($"calibration {node.Self} #{i}", node.Blobs, data, node.Registration($"cpu:{i}")), $"calibration-{i}");
                Log.Information("{Count} calibration actor(s)", count);
            };
        }, cancel);
}
