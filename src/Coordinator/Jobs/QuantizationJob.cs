using System.Diagnostics;
using QuantCluster.Coordinator.Plans;
using QuantCluster.Coordinator.Reporting;
using QuantCluster.Messages;
using QuantCluster.Messages.Calibration;
using QuantCluster.Messages.Models;
using QuantCluster.Messages.Training;
using QuantCluster.Node;
using QuantCluster.Node.Blobs;
using QuantCluster.Quantization.Calibration;
using QuantCluster.Quantization.Conversion;
using QuantCluster.Quantization.Data;
using QuantCluster.Quantization.Evaluation;
using QuantCluster.Quantization.FakeQuant;
using QuantCluster.Quantization.Integer;
using QuantCluster.Quantization.Models;
using QuantCluster.Quantization.Observers;
using QuantCluster.Quantization.Observers.Clipping;
using QuantCluster.Quantization.Schemes;
using Serilog;

namespace QuantCluster.Coordinator.Jobs;

/// <summary>
/// The whole job, phase by phase: FP32 (train on the workers or load), PTQ (calibrate on the calibration actors, merge,
/// convert), fallback (layers left in FP32) and QAT when the plan or the tolerance asks for them (QAT fine-tunes on the
/// workers), then the INT8 model and the report.
/// </summary>
public sealed class QuantizationJob(Plan plan, JobData data, ClusterMembers members, ILogger log)
{
    private const int SensitivitySamples = 1000;

    private readonly string _jobId = $"{plan.Name}-{Guid.NewGuid().ToString("N")[..8]}";
    private readonly DataSource _train = DataSources.ToWire(plan.Data.Spec(plan.Data.Train));
    private readonly ActivationScheme _scheme = plan.Ptq.Activations;
    private readonly Dictionary<string, double> _seconds = [];

    public async Task<JobResult> RunAsync(CancellationToken cancel)
    {
        using var jobProperty = Serilog.Context.LogContext.PushProperty("Job", _jobId);
        using var activity = Tracing.Source.StartActivity("job");
        activity?.SetTag("quantcluster.plan", plan.Name);
        activity?.SetTag("quantcluster.job", _jobId);
        var total = Stopwatch.StartNew();
        var train = data.Train;
        var test = new EvaluationSamples(data.Test);
        var split = DataSplit.HoldOut(train.Count, plan.Data.ValidationSamples, plan.Seed);
        var decisions = DecisionSamples.Choose(train, test, split);
        log.Information("Job {Job}: {Model}, mode {Mode}, {Workers} workers, {Calibrators} calibration actors; {Train} training and {Test} test samples of {Shape} ({Format}, {Normalization}); decisions on the {Decisions}",
            _jobId, plan.Model, plan.Mode, members.Workers.Count, members.Calibrators.Count, split.Training.Length, test.Count, train.Shape, plan.Data.Train.Format,
            plan.Data.Normalization.IsNone ? "not normalized" : $"normalized: {plan.Data.Normalization.Key}", decisions.Description);

        var epochs = new List<EpochRecord>();
        var fp32 = await Timed("fp32", () => Fp32Async(epochs, cancel));
        fp32.Configure(ObserverMode.Off, fakeQuantize: false, plan.Ptq.Weights);
        double fp32Accuracy = test.OfNetwork(fp32, plan.Data.BatchSize);
        double decisionFp32 = decisions.Measure(fp32Accuracy, d => d.OfNetwork(fp32, plan.Data.BatchSize));
        if (decisions.AreTestSamples) log.Information("FP32 test accuracy {Accuracy:P2}", fp32Accuracy);
        else log.Information("FP32 test accuracy {Accuracy:P2} ({Decision:P2} on the {Decisions})", fp32Accuracy, decisionFp32, decisions.Description);

        var ranges = await Timed("ptq", () => CalibrateAsync(fp32, split, cancel));
        var sensitivity = Timed("sensitivity", () => Sensitivity(fp32, decisions));
        var variants = new List<PtqVariant>();
        var ptqModel = Int8Converter.Convert(fp32, plan.Ptq.Weights);
        foreach (var (granularity, model) in new[] { (plan.Ptq.Weights, ptqModel), (Other(plan.Ptq.Weights), Int8Converter.Convert(fp32, Other(plan.Ptq.Weights))) })
        {
            double int8Accuracy = test.OfInteger(model);
            variants.Add(new PtqVariant(SchemeNames.Of(granularity), SchemeNames.Of(_scheme), int8Accuracy, AccuracyDrop.Points(fp32Accuracy, int8Accuracy)));
        }
        double ptqAccuracy = variants[0].Accuracy;
        double decisionPtq = decisions.Measure(ptqAccuracy, d => d.OfInteger(ptqModel));
        double drop = AccuracyDrop.Points(decisionFp32, decisionPtq);
        if (decisions.AreTestSamples)
            log.Information("PTQ INT8 ({Weights} weights) test accuracy {Accuracy:P2}, {Drop:0.00} points below FP32", variants[0].Weights, ptqAccuracy, drop);
        else
            log.Information("PTQ INT8 ({Weights} weights) test accuracy {Accuracy:P2}; on the {Decisions} {Decision:P2}, {Drop:0.00} points below FP32",
                variants[0].Weights, ptqAccuracy, decisions.Description, decisionPtq, drop);

        var fallback = PathChoice.TriesFallback(plan.Mode, plan.Tolerance, plan.Ptq.Fallback, drop)
            ? Timed("fallback", () => FallbackPhase.Run(fp32, plan.Ptq, plan.Tolerance, sensitivity, decisions, test, decisionFp32, log))
            : null;
        var (path, reason) = PathChoice.Choose(plan.Mode, plan.Tolerance, plan.Ptq.Fallback, drop, fallback);
        log.Information("Path: {Path} ({Reason})", path, reason);
        Int8Model final;
        double? qatAccuracy = null;
        ConversionCheck check;
        if (path == PathChoice.Qat)
        {
            using var qat = await Timed("qat", () => QatAsync(fp32, epochs, cancel));
            (final, check) = Timed("convert", () => ConvertAndCheck(qat, test));
            qatAccuracy = check.IntegerAccuracy;
            log.Information("QAT INT8 test accuracy {Accuracy:P2} (fake-quantized {FakeQuant:P2}, predictions agree on {Agreement:P2})",
                check.IntegerAccuracy, check.FakeQuantAccuracy, check.Agreement);
        }
        else
        {
            // The delivered PTQ model, with the fallback's layers in FP32 when that is the path.
            fp32.KeepInFp32(fallback?.KeptInFp32 ?? []);
            (final, check) = Timed("convert", () => ConvertAndCheck(fp32, test));
        }
        _seconds["total"] = total.Elapsed.TotalSeconds;
        double? fallbackAccuracy = fallback is { Steps.Count: > 0 } ? fallback.TestAccuracies[^1] : null;
        double finalAccuracy = check.IntegerAccuracy;
        string? metBy = AccuracyDrop.WithinTolerance(AccuracyDrop.Points(fp32Accuracy, finalAccuracy), plan.Tolerance) ? path : null;
        var accuracy = new AccuracyFigures(fp32Accuracy, ptqAccuracy, fallbackAccuracy, qatAccuracy, finalAccuracy);
        return new JobResult(fp32, final, new JobReport(plan.Name, plan.Model, plan.Mode.ToString().ToLowerInvariant(), plan.Tolerance,
            path, reason, metBy, accuracy, variants, fallback, check, _seconds, new SizeFigures(0, 0), epochs, new Dictionary<string, string>(),
            plan.Ptq.Method.ToString().ToLowerInvariant(), sensitivity,
            new DecisionFigures(decisions.Description, decisions.HeldOut, decisions.AreTestSamples ? DecisionFigures.TestSamplesWarning : null, decisionFp32, decisionPtq, drop))
        {
            Data = DataFigures(train.Count, test.Count),
        });
    }

    private async Task<QuantizableNetwork> Fp32Async(List<EpochRecord> epochs, CancellationToken cancel)
    {
        if (plan.Weights is not null)
        {
            log.Information("FP32: loading {Weights}", plan.Weights);
            // Our own checkpoint announces itself with its magic; anything else is taken for PyTorch weights.
            return ModelCheckpoint.IsCheckpoint(plan.Weights)
                ? ModelCheckpoint.ReadFile(plan.Weights, _scheme, plan.Model)
                : PyTorchWeights.Load(plan.Weights, plan.Model, _scheme);
        }
        using var initial = new QuantizableNetwork(plan.Model, _scheme, plan.Seed);
        var start = await SnapshotAsync(initial);
        var settings = new TrainingSettings(false, Quantization(plan.Ptq.Weights), plan.Fp32.Optimizer.ToString().ToLowerInvariant(),
            plan.Fp32.LearningRate, plan.Fp32.BatchSize, plan.Seed, plan.Qat.ThreadsPerWorker, plan.Qat.Device, plan.Fp32.Epochs, plan.Data.AugmentShift,
            plan.Data.ValidationSamples);
        var (model, records) = await new DistributedTraining(members, _jobId, _train, plan.Qat.GradientExchange == GradientExchange.Ring, log)
            .RunAsync("fp32", start, settings, plan.Fp32.Epochs, _ => (false, false), cancel);
        epochs.AddRange(records);
        return await LoadAsync(model, cancel);
    }

    /// <summary>
    /// Splits the calibration samples (training samples, never held-out ones) into shards, has the calibration actors observe
    /// them, and merges the ranges into the network. Histogram methods then run a second pass on bins derived from the merged
    /// ranges, add the shards' counts and set each point's range to the clip the method finds.
    /// </summary>
    private async Task<IReadOnlyList<RangeStatistics>> CalibrateAsync(QuantizableNetwork network, DataSplit split, CancellationToken cancel)
    {
        var samples = split.Calibration(plan.Data.CalibrationSamples, plan.Seed);
        int count = samples.Length;
        int shards = Math.Min(plan.Ptq.Shards, count);
        var calibration = await ShardedCalibration.StartAsync(members, _jobId, await SnapshotAsync(network), Quantization(plan.Ptq.Weights),
            _train, plan.Data.BatchSize, samples, shards);
        var points = network.QuantizationPoints.Select(p => p.Name).ToArray();
        var merged = await calibration.RangesAsync(points, Tracing.CurrentParent(), cancel);
        log.Information("PTQ: {Samples} calibration samples in {Shards} shards on {Calibrators} calibration actors; {Points} activation ranges merged",
            count, shards, members.Calibrators.Count, points.Length);

        var searches = points.Select(p => ClipSearches.For(plan.Ptq.For(p))).ToArray();
        if (searches.Any(s => s is not null))
        {
            bool magnitudes = _scheme == ActivationScheme.SymmetricInt8;
            var bins = merged.Select(r => HistogramBins.For(r, plan.Ptq.Bins, magnitudes)).ToArray();
            var histograms = await calibration.HistogramsAsync(points, bins, plan.Ptq.Bins, magnitudes, Tracing.CurrentParent(), cancel);
            var clipped = merged.Select((observed, i) =>
                searches[i] is { } search ? ClipToObserved.Apply(observed, search.Clip(histograms[i]), magnitudes) : observed).ToArray();
            for (int i = 0; i < points.Length; i++)
                log.Information("PTQ: {Point} observed [{Min}, {Max}], {Method} clip [{ClipMin}, {ClipMax}]",
                    points[i], merged[i].Min, merged[i].Max, plan.Ptq.For(points[i]).Method, clipped[i].Min, clipped[i].Max);
            merged = clipped;
        }
        for (int i = 0; i < points.Length; i++) network.QuantizationPoints[i].Point.Range = merged[i];
        return merged;
    }

    /// <summary>
    /// Per-layer sensitivity of the calibrated network on the first decision samples (a fixed cap keeps its cost bounded: 2
    /// passes per layer); it ranks fallback's layers, so it is a decision too.
    /// </summary>
    private SensitivityFigures Sensitivity(QuantizableNetwork calibrated, DecisionSamples decisions)
    {
        int count = Math.Min(SensitivitySamples, decisions.Samples.Count);
        var layers = SensitivityAnalysis.Measure(calibrated, decisions.Samples.Images, [.. Enumerable.Range(0, count)], plan.Data.BatchSize, plan.Ptq.Weights);
        foreach (var l in layers)
            log.Information("Sensitivity {Layer}: SQNR {Sqnr:0.0} dB, accuracy {Only:P2} with only it quantized, {AllBut:P2} with all but it, {LeftInFp32:P2} with only its weights in FP32",
                l.Layer, l.SqnrDb, l.AccuracyOnlyThisQuantized, l.AccuracyAllButThisQuantized, l.AccuracyLeftInFp32);
        return new SensitivityFigures(count, layers);
    }

    private async Task<QuantizableNetwork> QatAsync(QuantizableNetwork calibrated, List<EpochRecord> epochs, CancellationToken cancel)
    {
        var settings = new TrainingSettings(true, Quantization(plan.Ptq.Weights), plan.Qat.Optimizer.ToString().ToLowerInvariant(),
            plan.Qat.LearningRate, plan.Qat.GlobalBatchSize, plan.Seed, plan.Qat.ThreadsPerWorker, plan.Qat.Device, plan.Qat.Epochs, plan.Data.AugmentShift,
            plan.Data.ValidationSamples);
        var (model, records) = await new DistributedTraining(members, _jobId, _train, plan.Qat.GradientExchange == GradientExchange.Ring, log).RunAsync("qat", await SnapshotAsync(calibrated), settings,
            plan.Qat.Epochs, epoch => (epoch < plan.Qat.FreezeObserversAfter, epoch >= plan.Qat.FreezeBnAfter), cancel);
        epochs.AddRange(records);
        return await LoadAsync(model, cancel);
    }

    /// <summary>Converts a fake-quantizable network and measures how closely the integer model follows it.</summary>
    private (Int8Model Model, ConversionCheck Check) ConvertAndCheck(QuantizableNetwork network, EvaluationSamples test)
    {
        network.Configure(ObserverMode.Off, fakeQuantize: true, plan.Ptq.Weights);
        var fakeQuant = TorchPredictor.Predict(network, test.Images, plan.Data.BatchSize);
        var model = Int8Converter.Convert(network, plan.Ptq.Weights);
        var integer = test.PredictInteger(model);
        network.Configure(ObserverMode.Off, fakeQuantize: false, plan.Ptq.Weights);
        return (model, new ConversionCheck("fake-quantized model",
            Accuracy.Of(fakeQuant, test.Images.Labels), Accuracy.Of(integer, test.Images.Labels), Accuracy.Agreement(fakeQuant, integer)));
    }

    private DataFigures DataFigures(int trainSamples, int testSamples)
    {
        var signature = ModelZoo.Signature(plan.Model);
        var normalization = plan.Data.Normalization;
        return new DataFigures(plan.Data.Train.Format.ToString(), plan.Data.Train.Images, trainSamples, plan.Data.Test.Images, testSamples,
            signature.InputShape, signature.Classes, plan.Data.Layout.ToString().ToLowerInvariant(),
            normalization.IsNone ? null : normalization.Mean, normalization.IsNone ? null : normalization.Std);
    }

    private QuantizationSettings Quantization(WeightGranularity weights) => new(SchemeNames.Of(_scheme), SchemeNames.Of(weights));

    private async Task<ModelSnapshot> SnapshotAsync(QuantizableNetwork network) =>
        new(network.Architecture, await BlobTransfer.StoreAsync(members.Blobs, ModelCheckpoint.ToBytes(network)));

    private async Task<QuantizableNetwork> LoadAsync(ModelSnapshot model, CancellationToken cancel) =>
        ModelCheckpoint.FromBytes(await BlobTransfer.FetchAsync(members.System, model.Checkpoint, cancel), "model from worker 0", _scheme, plan.Model);

    private static WeightGranularity Other(WeightGranularity g) => g == WeightGranularity.PerChannel ? WeightGranularity.PerTensor : WeightGranularity.PerChannel;

    // Each phase is a span of the job's trace (what the member nodes do for it hangs below) and a figure in the report.
    private async Task<T> Timed<T>(string phase, Func<Task<T>> run)
    {
        using var span = Tracing.Source.StartActivity($"phase.{phase}");
        var clock = Stopwatch.StartNew();
        try
        {
            return await run();
        }
        finally
        {
            _seconds[phase] = clock.Elapsed.TotalSeconds;
        }
    }

    private T Timed<T>(string phase, Func<T> run)
    {
        using var span = Tracing.Source.StartActivity($"phase.{phase}");
        var clock = Stopwatch.StartNew();
        try
        {
            return run();
        }
        finally
        {
            _seconds[phase] = clock.Elapsed.TotalSeconds;
        }
    }
}

/// <summary>What a job produced: the FP32 network, the final INT8 model and the figures (file sizes filled in by the writer).</summary>
public sealed record JobResult(QuantizableNetwork Fp32, Int8Model Int8, JobReport Report) : IDisposable
{
    public void Dispose() => Fp32.Dispose();
}
