using QuantCluster.Quantization.Training;

namespace QuantCluster.Coordinator.Plans;

/// <summary>Reads the plan's qat section: data-parallel fine-tuning with fake quantization.</summary>
internal static class QatSection
{
    public static readonly IReadOnlyList<string> Keys =
    [
        "epochs", "optimizer", "learning_rate", "workers", "global_batch_size",
        "freeze_observers_after", "freeze_bn_after", "device", "threads_per_worker", "gradient_exchange",
    ];

    public static QatPlan Read(PlanSection qat)
    {
        var epochs = qat.Int("epochs", 2, 0, 1000);
        var optimizer = qat.Choice("optimizer", OptimizerChoice.Adam, PlanVocabulary.Optimizers);
        var learningRate = qat.Double("learning_rate", 0.0001, 0, minExclusive: true, 10);
        var workers = qat.Int("workers", 2, 1, 256);
        var globalBatch = qat.Int("global_batch_size", 64, 1, 65536);
        var freezeObservers = qat.Int("freeze_observers_after", 1, 0, 1000);
        var freezeBn = qat.Int("freeze_bn_after", 1, 0, 1000);
        var device = ReadDevice(qat);
        var threads = qat.Int("threads_per_worker", 1, 1, 64);
        var exchange = qat.Choice("gradient_exchange", GradientExchange.Ring, PlanVocabulary.GradientExchanges);

        if (globalBatch < workers)
        {
            // Point at whichever of the two the user actually wrote; a default has no line of its own.
            var key = qat.Has("global_batch_size") || !qat.Has("workers") ? "global_batch_size" : "workers";
            throw qat.Error(
                key,
                $"global_batch_size {globalBatch} is smaller than workers {workers}, so some workers would get no samples",
                "allowed: global_batch_size >= workers");
        }

        return new QatPlan(epochs, optimizer, learningRate, workers, globalBatch, freezeObservers, freezeBn, device, threads)
        {
            DeviceLocation = qat.Has("device") ? qat.LocationOf("device") : null,
            GradientExchange = exchange,
        };
    }

    private static string ReadDevice(PlanSection qat)
    {
        var device = qat.OptionalString("device", DeviceSelection.Allowed) ?? "cpu";
        if (!DeviceSelection.IsValidSyntax(device))
        {
            var suggestion = KeySuggestion.DidYouMean(device, ["cpu", "cuda", "auto"]);
            throw qat.Error("device", $"unknown device '{device}'{suggestion}", DeviceSelection.Allowed);
        }

        return device;
    }
}
