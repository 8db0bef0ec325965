namespace QuantCluster.Quantization.Data;

/// <summary>
/// Which training samples train (FP32 and QAT) and calibrate, and which are held out to validate the job's decisions
/// (PTQ against the tolerance, the fallback's layers, auto's move to QAT), so the test samples are never selected on.
/// Every node derives the same split from the seed, so no index list needs to travel.
/// </summary>
/// <param name="Training">The samples training and calibration use, in ascending order (all of them when nothing is held out).</param>
/// <param name="Validation">The held-out samples, in the order the seed drew them; disjoint from <paramref name="Training"/>.</param>
public sealed record DataSplit(int[] Training, int[] Validation)
{
    // Salts the seed so the held-out samples do not follow the calibration draw, which shuffles with the plain seed.
    private const int Salt = 0x5A11D;

    /// <summary>Holds out <paramref name="validationSamples"/> of <paramref name="count"/> training samples, drawn from the seed; 0 holds out none.</summary>
    public static DataSplit HoldOut(int count, int validationSamples, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfNegative(validationSamples);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(validationSamples, count);
        var order = Enumerable.Range(0, count).ToArray();
        if (validationSamples == 0) return new DataSplit(order, []);
        new Random(seed ^ Salt).Shuffle(order);
        var training = order[validationSamples..];
        Array.Sort(training);
        return new DataSplit(training, order[..validationSamples]);
    }

    /// <summary>
    /// The first <paramref name="count"/> training samples in the seed's shuffled order (fewer when fewer remain); never a
    /// held-out sample. With nothing held out this is the draw calibration always made, so old plans calibrate as before.
    /// </summary>
    public int[] Calibration(int count, int seed)
    {
        var shuffled = (int[])Training.Clone();
        new Random(seed).Shuffle(shuffled);
        return shuffled[..Math.Min(count, shuffled.Length)];
    }

    /// <summary>The samples that train: <paramref name="all"/> itself when nothing is held out, otherwise a view without the held-out ones (no values copied).</summary>
    public LabeledImages TrainingImages(LabeledImages all) => Validation.Length == 0 ? all : all.View(Training);
}
