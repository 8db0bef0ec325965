using QuantCluster.Coordinator.Jobs;
using QuantCluster.Quantization.Data;
using QuantCluster.Quantization.Models;

namespace QuantCluster.Coordinator.Plans;

/// <summary>
/// Reads a loaded plan's training and test data against its model, before any node starts: a file that does not parse, a
/// shape the model cannot take, a label outside its classes or a validation count the training set cannot spare is one
/// located plan error (exit 2, nothing written), never a failure halfway through the job.
/// </summary>
public static class PlanDataSets
{
    /// <param name="cache">The process's data sets; the embedded cluster's actors read the same copies.</param>
    public static JobData Open(Plan plan, DataSetCache cache)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(cache);
        var model = ModelZoo.Signature(plan.Model);
        var train = Load(plan, plan.Data.Train, model, cache);
        var test = Load(plan, plan.Data.Test, model, cache);
        CheckTrainingLeft(plan.Data, train.Count);
        return new JobData(train, test);
    }

    private static LabeledImages Load(Plan plan, DataFiles split, ModelSignature model, DataSetCache cache)
    {
        try
        {
            return cache.Get(plan.Data.Spec(split), model);
        }
        catch (Exception e) when (e is DataFormatException or IOException or UnauthorizedAccessException)
        {
            throw new PlanException(split.Location, split.KeyPath, e.Message,
                $"allowed: samples of {model.ShapeText} (channels x height x width, what {plan.Model} takes) labelled 0-{model.Classes - 1}; see docs/plan.md for the data forms");
        }
    }

    /// <summary>
    /// Held-out samples come out of training, so at least half the training samples must remain: beyond that FP32 training
    /// and QAT would lose more than the decisions gain.
    /// </summary>
    private static void CheckTrainingLeft(DataPlan data, int count)
    {
        int most = count / 2;
        if (data.ValidationSamples > most)
        {
            throw new PlanException(
                data.ValidationLocation,
                "data.validation_samples",
                $"{data.ValidationSamples} would leave {count - data.ValidationSamples} of the {count} training samples to train on",
                $"allowed: integers from 0 to {most}, so at least half the training samples train");
        }
    }
}
