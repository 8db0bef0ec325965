using QuantCluster.Messages.Training;
using QuantCluster.Quantization.Training;

namespace QuantCluster.GpuWorker;

/// <summary>
/// Reconciles the plan's qat.device and qat.threads_per_worker with what this process was started with. An embedded
/// replica runs where the plan says, in a process whose threads the plan fixed; a worker process's replica runs on its
/// --devices entry with its --threads, which were fixed before the plan existed, so those win and the worker says so.
/// </summary>
public static class PlanOverrides
{
    /// <param name="ownDevice">The replica's --devices entry (cpu:0, cuda:1), or null for an embedded replica.</param>
    /// <param name="processThreads">The torch threads this process fixed at start.</param>
    /// <returns>The device to train on, and one sentence per plan key this process overrides.</returns>
    public static (TrainingDevice Device, IReadOnlyList<string> Overrides) Apply(TrainingSettings settings, string? ownDevice, int processThreads)
    {
        var overrides = new List<string>();
        var device = settings.Device;
        if (ownDevice is not null)
        {
            var own = TrainingDevice.Parse(ownDevice);
            if (!own.SamePlaceAs(device))
                overrides.Add($"the plan's qat.device is {device.TorchName}, but this replica runs on {ownDevice}: its process's --devices entry overrides the plan");
            device = own;
        }
        if (settings.Threads != processThreads)
            overrides.Add($"the plan's qat.threads_per_worker is {settings.Threads}, but this process fixed {processThreads} torch thread(s) at start, " +
                "before libtorch loaded, and cannot change them: its own --threads overrides the plan");
        return (device, overrides);
    }
}
