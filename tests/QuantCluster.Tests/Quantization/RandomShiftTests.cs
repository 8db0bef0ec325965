using QuantCluster.Quantization.Data;
using QuantCluster.Quantization.Training;

namespace QuantCluster.Tests.Quantization;

public sealed class RandomShiftTests
{
    private const int Size = 28 * 28;

    // Pixels 1-255, so a background (0) pixel can only come from the shift's fill.
    private readonly LabeledImages data = SyntheticData.Images(200, seed: 41, minPixel: 1);

    [Fact]
    public void Same_sample_gives_the_same_image_whichever_batch_it_is_in()
    {
        var shift = new RandomShift(2, seed: 9);

        float[] alone = shift.Batch(data, [5], epoch: 3);
        float[] second = shift.Batch(data, [17, 5, 99], epoch: 3);
        float[] last = shift.Batch(data, [0, 1, 2, 3, 5], epoch: 3);

        Assert.Equal(alone, second.AsSpan(Size, Size).ToArray());
        Assert.Equal(alone, last.AsSpan(4 * Size, Size).ToArray());
        // A new instance with the same seed (another replica) agrees.
        Assert.Equal(alone, new RandomShift(2, seed: 9).Batch(data, [5], epoch: 3));
    }

    [Fact]
    public void Shift_depends_on_seed_and_epoch()
    {
        int[] all = [.. Enumerable.Range(0, data.Count)];
        int[] reference = Shifts(new RandomShift(2, 9), all, epoch: 0);

        Assert.Equal(reference, Shifts(new RandomShift(2, 9), all, epoch: 0));
        Assert.NotEqual(reference, Shifts(new RandomShift(2, 9), all, epoch: 1));
        Assert.NotEqual(reference, Shifts(new RandomShift(2, 10), all, epoch: 0));
    }

    [Fact]
    public void Max_shift_zero_returns_the_plain_pixels()
    {
        int[] indices = [3, 0, 199, 3];

        Assert.Equal(data.Inputs(indices), new RandomShift(0, seed: 9).Batch(data, indices, epoch: 5));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Shifted_pixels_stay_in_0_1_and_move_by_at_most_max_shift_in_each_direction(int maxShift)
    {
        var shift = new RandomShift(maxShift, seed: 9);
        int[] all = [.. Enumerable.Range(0, data.Count)];

        float[] batch = shift.Batch(data, all, epoch: 1);

        Assert.All(batch, v => Assert.InRange(v, 0f, 1f));
        int[] shifts = Shifts(shift, all, epoch: 1);
        // Shifts found lie within maxShift (Shifts searches no further); the extremes in both directions and both axes are drawn.
        int[] dx = [.. shifts.Select(s => (s % 17) - 8).Distinct()], dy = [.. shifts.Select(s => (s / 17) - 8).Distinct()];
        Assert.Contains(-maxShift, dx);
        Assert.Contains(maxShift, dx);
        Assert.Contains(-maxShift, dy);
        Assert.Contains(maxShift, dy);
    }

    /// <summary>The (dx, dy) of each sample, found by matching against every shift of the plain image; fails if none within maxShift fits.</summary>
    private int[] Shifts(RandomShift shift, int[] indices, int epoch)
    {
        float[] shifted = shift.Batch(data, indices, epoch);
        float[] plain = data.Inputs(indices);
        var found = new int[indices.Length];
        for (int n = 0; n < indices.Length; n++)
        {
            var image = shifted.AsSpan(n * Size, Size);
            var original = plain.AsSpan(n * Size, Size);
            int? match = null;
            for (int dy = -shift.MaxShift; dy <= shift.MaxShift && match is null; dy++)
            {
                for (int dx = -shift.MaxShift; dx <= shift.MaxShift && match is null; dx++)
                {
                    if (IsShiftOf(image, original, dx, dy)) match = ((dy + 8) * 17) + dx + 8;
                }
            }
            Assert.True(match.HasValue, $"sample {indices[n]}: not a shift of at most {shift.MaxShift} pixels");
            found[n] = match.Value;
        }
        return found;
    }

    private static bool IsShiftOf(ReadOnlySpan<float> image, ReadOnlySpan<float> original, int dx, int dy)
    {
        for (int y = 0; y < 28; y++)
        {
            for (int x = 0; x < 28; x++)
            {
                int sy = y - dy, sx = x - dx;
                float expected = sy is >= 0 and < 28 && sx is >= 0 and < 28 ? original[(sy * 28) + sx] : 0f;
                if (image[(y * 28) + x] != expected) return false;
            }
        }
        return true;
    }

    [Fact]
    public void Every_channel_of_a_sample_moves_alike_and_the_border_is_normalized_zero()
    {
        // Three channels of 5x5; channel c of the sample holds the same picture as channel 0 plus 10c, so equal shifts keep that offset.
        var rng = new Random(3);
        var picture = Enumerable.Range(0, 25).Select(_ => (byte)rng.Next(1, 200)).ToArray();
        byte[] values = [.. picture, .. picture.Select(p => (byte)(p + 10)), .. picture.Select(p => (byte)(p + 20))];
        var normalization = new Normalization([0.1f, 0.2f, 0.3f], [0.5f, 0.5f, 0.5f]);
        var rgb = new LabeledImages(new ImageShape(3, 5, 5), new ByteValues(values), [0], normalization);
        var shift = new RandomShift(2, seed: 1);

        for (int epoch = 0; epoch < 8; epoch++)
        {
            float[] batch = shift.Batch(rgb, [0], epoch);
            var unnormalized = Enumerable.Range(0, 3).Select(c => batch.AsSpan(c * 25, 25).ToArray().Select(v => (v * 0.5f) + normalization.Mean[c]).ToArray()).ToArray();
            for (int p = 0; p < 25; p++)
            {
                bool border = Math.Abs(unnormalized[0][p]) < 1e-6f;
                for (int c = 1; c < 3; c++)
                {
                    if (border) Assert.Equal(0f, unnormalized[c][p], 1e-6f); // shifted-in pixels are 0 before normalization in every channel
                    else Assert.Equal(unnormalized[0][p] + (10 * c / 255f), unnormalized[c][p], 1e-5f);
                }
            }
        }
    }
}
