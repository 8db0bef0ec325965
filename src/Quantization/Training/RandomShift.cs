using QuantCluster.Quantization.Data;

namespace QuantCluster.Quantization.Training;

/// <summary>
/// Training-time augmentation: each sample moves by up to MaxShift pixels in x and y, every channel alike, the uncovered
/// border filled with what a value of 0 becomes after normalization (black, before normalization).
/// The shift of a sample depends only on (seed, epoch, sample index), never on which replica draws it, so any number of
/// workers sees exactly the same augmented batches as one.
/// </summary>
public sealed class RandomShift(int maxShift, int seed)
{
    public int MaxShift { get; } = maxShift;

    /// <summary>The selected samples as the model takes them (scaled, normalized), shifted, contiguous [count, channels, height, width].</summary>
    public float[] Batch(LabeledImages data, int[] indices, int epoch)
    {
        if (MaxShift == 0) return data.Inputs(indices);
        var shape = data.Shape;
        int rows = shape.Height, columns = shape.Width, plane = shape.PlaneSize, size = shape.Size;
        var batch = new float[indices.Length * size];
        var source = new float[size];
        int span = (2 * MaxShift) + 1;
        for (int n = 0; n < indices.Length; n++)
        {
            int sample = indices[n];
            uint hash = Mix((uint)seed, (uint)epoch, (uint)sample);
            int dy = (int)(hash % (uint)span) - MaxShift;
            int dx = (int)(hash / (uint)span % (uint)span) - MaxShift;
            data.CopySample(sample, source);
            for (int c = 0; c < shape.Channels; c++)
            {
                var from = source.AsSpan(c * plane, plane);
                var target = batch.AsSpan((n * size) + (c * plane), plane);
                float fill = data.Normalization.OfZero(c);
                if (fill != 0f) target.Fill(fill);
                for (int y = Math.Max(0, dy); y < Math.Min(rows, rows + dy); y++)
                {
                    int sourceRow = (y - dy) * columns;
                    for (int x = Math.Max(0, dx); x < Math.Min(columns, columns + dx); x++)
                        target[(y * columns) + x] = from[sourceRow + x - dx];
                }
            }
        }
        return batch;
    }
    // A small stateless integer hash (the murmur3 finalizer over a combination), so shifts need no shared RNG state.
    private static uint Mix(uint a, uint b, uint c)
    {
        uint h = (a * 0x9E3779B1u) ^ (b * 0x85EBCA77u) ^ (c * 0xC2B2AE3Du);
        h ^= h >> 16;
        h *= 0x85EBCA6Bu;
        h ^= h >> 13;
        h *= 0xC2B2AE35u;
        h ^= h >> 16;
        return h;
    }
}
