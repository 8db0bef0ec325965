using QuantCluster.Quantization.Data;

namespace QuantCluster.Tests.Data;

/// <summary>The held-out validation samples: drawn from the seed alone, disjoint from what trains and calibrates, and no change when none are asked for.</summary>
public sealed class DataSplitTests
{
    [Fact]
    public void The_same_seed_holds_out_the_same_samples_and_another_seed_others()
    {
        var a = DataSplit.HoldOut(8000, 1000, seed: 42);
        var b = DataSplit.HoldOut(8000, 1000, seed: 42);
        var other = DataSplit.HoldOut(8000, 1000, seed: 43);

        Assert.Equal(a.Validation, b.Validation);
        Assert.Equal(a.Training, b.Training);
        Assert.NotEqual(a.Validation, other.Validation);
    }

    [Fact]
    public void Held_out_samples_are_disjoint_from_training_and_together_they_are_every_sample()
    {
        var split = DataSplit.HoldOut(8000, 1000, seed: 42);

        Assert.Equal(1000, split.Validation.Length);
        Assert.Equal(7000, split.Training.Length);
        Assert.Empty(split.Training.Intersect(split.Validation));
        Assert.Equal(Enumerable.Range(0, 8000), split.Training.Concat(split.Validation).Order());
        // Not simply the first or last samples: the draw spreads over the file.
        Assert.InRange(split.Validation.Count(i => i < 4000), 400, 600);
    }

    [Fact]
    public void Calibration_never_draws_a_held_out_sample()
    {
        var split = DataSplit.HoldOut(8000, 4000, seed: 7);

        var calibration = split.Calibration(5000, seed: 7);

        Assert.Equal(4000, calibration.Length);
        Assert.Empty(calibration.Intersect(split.Validation));
        Assert.Equal(4000, calibration.Distinct().Count());
    }

    [Fact]
    public void Holding_out_nothing_trains_on_every_sample_and_calibrates_on_the_draw_jobs_always_made()
    {
        var split = DataSplit.HoldOut(8000, 0, seed: 42);
        var old = Enumerable.Range(0, 8000).ToArray();
        new Random(42).Shuffle(old);

        Assert.Empty(split.Validation);
        Assert.Equal(Enumerable.Range(0, 8000), split.Training);
        Assert.Equal(old[..1000], split.Calibration(1000, seed: 42));
    }

    [Fact]
    public void Training_images_leave_out_exactly_the_held_out_samples()
    {
        // Label i % 10 and pixel value i identify each sample.
        var all = TestImages.Of(1, 1, 1, [.. Enumerable.Range(0, 20).Select(i => (byte)i)], [.. Enumerable.Range(0, 20).Select(i => i % 10)]);
        var split = DataSplit.HoldOut(20, 5, seed: 3);

        var training = split.TrainingImages(all);

        var seen = training.Inputs([.. Enumerable.Range(0, training.Count)]).Select(v => (int)Math.Round(v * 255)).ToArray();
        Assert.Equal(split.Training, seen);
        Assert.Empty(seen.Intersect(split.Validation));
        Assert.Same(all.Values, training.Values); // a view: the values are not copied per replica
        Assert.Same(all, DataSplit.HoldOut(20, 0, seed: 3).TrainingImages(all));
    }
}
