namespace QuantCluster.Quantization.Data;

/// <summary>
/// A labelled image data set held in memory, from which training, calibration and evaluation batches are cut: samples of
/// one shape (channels x height x width) with one class index each, normalized as the model was trained. A view
/// (<see cref="View"/>) selects samples without copying their values, so a process holds each data set once.
/// </summary>
public sealed class LabeledImages
{
    private readonly SampleValues _values;

    // Which of the values' samples this set's sample i is; null when it is sample i itself.
    private readonly int[]? _samples;

    /// <param name="values">Count x shape.Size values, sample after sample; kept, not copied.</param>
    /// <param name="labels">One class index (0 or more) per sample; kept, not copied.</param>
    public LabeledImages(ImageShape shape, SampleValues values, int[] labels, Normalization normalization)
        : this(shape, values, labels, normalization, null)
    {
        if ((long)labels.Length * shape.Size != values.Length)
            throw new ArgumentException($"{values.Length} values do not make {labels.Length} samples of {shape}", nameof(values));
        if (normalization.Mean.Length != (normalization.IsNone ? 0 : shape.Channels) || normalization.Std.Length != normalization.Mean.Length)
            throw new ArgumentException($"a normalization needs one mean and one std per channel ({shape.Channels})", nameof(normalization));
        int bad = Array.FindIndex(labels, l => l < 0);
        if (bad >= 0) throw new ArgumentException($"label {labels[bad]} at index {bad} is negative", nameof(labels));
    }

    private LabeledImages(ImageShape shape, SampleValues values, int[] labels, Normalization normalization, int[]? samples)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(normalization);
        Shape = shape;
        _values = values;
        Labels = labels;
        Normalization = normalization;
        _samples = samples;
    }

    public int Count => Labels.Length;

    public ImageShape Shape { get; }

    public int[] Labels { get; }

    public Normalization Normalization { get; }

    /// <summary>The values this set reads from (shared with every view of it).</summary>
    public SampleValues Values => _values;

    /// <summary>Sample i, as the model takes it: scaled, then normalized; target holds Shape.Size values.</summary>
    public void CopySample(int index, Span<float> target)
    {
        if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index), index, $"outside 0-{Count - 1}");
        int size = Shape.Size, plane = Shape.PlaneSize;
        int source = _samples is null ? index : _samples[index];
        _values.CopyScaled((long)source * size, target[..size]);
        for (int c = 0; c < Shape.Channels; c++) Normalization.Apply(target.Slice(c * plane, plane), c);
    }

    /// <summary>The selected samples as one input batch: indices.Count x channels x height x width floats, contiguous.</summary>
    public float[] Inputs(IReadOnlyList<int> indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        int size = Shape.Size;
        var batch = new float[checked(indices.Count * size)];
        for (int i = 0; i < indices.Count; i++)
        {
            int index = indices[i];
            if ((uint)index >= (uint)Count)
                throw new ArgumentOutOfRangeException(nameof(indices), index, $"indices[{i}] is {index}, outside 0-{Count - 1}");
            CopySample(index, batch.AsSpan(i * size, size));
        }
        return batch;
    }

    /// <summary>The selected samples, in the order given, sharing this set's values (only the index and the labels are new).</summary>
    public LabeledImages View(int[] indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        var samples = new int[indices.Length];
        var labels = new int[indices.Length];
        for (int i = 0; i < indices.Length; i++)
        {
            int index = indices[i];
            if ((uint)index >= (uint)Count)
                throw new ArgumentOutOfRangeException(nameof(indices), index, $"indices[{i}] is {index}, outside 0-{Count - 1}");
            samples[i] = _samples is null ? index : _samples[index];
            labels[i] = Labels[index];
        }
        return new LabeledImages(Shape, _values, labels, Normalization, samples);
    }
}
