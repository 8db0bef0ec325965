namespace QuantCluster.Quantization.Data;

/// <summary>
/// Every sample's values, sample after sample, each channel-major, in the type the file held them: uint8 data stays one
/// byte per value (a quarter of the memory of floats) and is scaled to [0, 1] only as batches are cut.
/// </summary>
public abstract class SampleValues
{
    /// <summary>How many values are held.</summary>
    public abstract long Length { get; }

    /// <summary>Memory the values take.</summary>
    public abstract long Bytes { get; }

    /// <summary>Writes target.Length values from <paramref name="start"/> on, scaled: bytes / 255, floats as they are.</summary>
    public abstract void CopyScaled(long start, Span<float> target);
}

/// <summary>uint8 values, scaled by 1/255 when read.</summary>
public sealed class ByteValues(byte[] values) : SampleValues
{
    // value / 255f for every byte: exact (a multiply by 1/255f can differ in the last bit) and cheaper than a division.
    private static readonly float[] UnitScale = [.. Enumerable.Range(0, 256).Select(b => b / 255f)];

    public byte[] Values { get; } = values;

    public override long Length => Values.LongLength;

    public override long Bytes => Values.LongLength;

    public override void CopyScaled(long start, Span<float> target)
    {
        var source = Values.AsSpan(checked((int)start), target.Length);
        for (int i = 0; i < target.Length; i++) target[i] = UnitScale[source[i]];
    }
}

/// <summary>float32 values, taken as they are.</summary>
public sealed class FloatValues(float[] values) : SampleValues
{
    public float[] Values { get; } = values;

    public override long Length => Values.LongLength;

    public override long Bytes => Values.LongLength * sizeof(float);

    public override void CopyScaled(long start, Span<float> target) => Values.AsSpan(checked((int)start), target.Length).CopyTo(target);
}
