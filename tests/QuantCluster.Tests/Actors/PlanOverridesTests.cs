using QuantCluster.GpuWorker;
using QuantCluster.Messages.Models;
using QuantCluster.Messages.Training;
using QuantCluster.Quantization.Schemes;
using QuantCluster.Quantization.Training;

namespace QuantCluster.Tests.Actors;

/// <summary>Every node honours qat.device and qat.threads_per_worker or says which of its own flags overrides them.</summary>
public sealed class PlanOverridesTests
{
    private static TrainingSettings Settings(DeviceKind kind, int index, int threads) =>
        new(true, new QuantizationSettings(ActivationScheme.AsymmetricUInt8, WeightGranularity.PerChannel), OptimizerChoice.Adam, 1e-3, 64, 7, threads, kind, 1, 0, 0, index);

    [Fact]
    public void An_embedded_replica_runs_on_the_plans_device_with_nothing_to_override()
    {
        var (device, overrides) = PlanOverrides.Apply(Settings(DeviceKind.Cuda, 1, threads: 2), ownDevice: null, processThreads: 2);

        Assert.Equal("cuda:1", device.TorchName);
        Assert.Empty(overrides);
    }

    [Fact]
    public void A_worker_process_keeps_its_devices_entry_and_threads_and_says_so()
    {
        var (device, overrides) = PlanOverrides.Apply(Settings(DeviceKind.Cuda, 0, threads: 4), ownDevice: "cpu:1", processThreads: 1);

        Assert.Equal("cpu", device.TorchName);
        Assert.Collection(overrides,
            d => Assert.Equal("the plan's qat.device is cuda:0, but this replica runs on cpu:1: its process's --devices entry overrides the plan", d),
            t => Assert.StartsWith("the plan's qat.threads_per_worker is 4, but this process fixed 1 torch thread(s) at start", t, StringComparison.Ordinal));
    }

    [Fact]
    public void Cpu_indices_only_tell_replicas_apart_so_cpu_1_honours_a_cpu_plan()
    {
        var (device, overrides) = PlanOverrides.Apply(Settings(DeviceKind.Cpu, 0, threads: 1), ownDevice: "cpu:1", processThreads: 1);

        Assert.Equal("cpu", device.TorchName);
        Assert.Empty(overrides);
    }
}
