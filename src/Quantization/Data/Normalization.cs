namespace QuantCluster.Quantization.Data;

/// <summary>
/// Per-channel (value - mean) / std, applied after scaling (bytes to [0, 1]), as torchvision's Normalize does: the model
/// sees the inputs it was trained on. Empty Mean and Std leave the values as scaled.
/// </summary>
public sealed record Normalization(float[] Mean, float[] Std)
{
    public static readonly Normalization None = new([], []);

    public bool IsNone => Mean.Length == 0;

    /// <summary>Normalizes one channel's plane in place.</summary>
    public void Apply(Span<float> plane, int channel)
    {
        if (IsNone) return;
        float mean = Mean[channel], std = Std[channel];
        for (int i = 0; i < plane.Length; i++) plane[i] = (plane[i] - mean) / std;
    }

    /// <summary>What a scaled value of 0 becomes in a channel: the fill of pixels an augmentation shifts in.</summary>
    public float OfZero(int channel) => IsNone ? 0f : (0f - Mean[channel]) / Std[channel];

    /// <summary>A value that tells two normalizations apart, for caches (records compare arrays by reference).</summary>
    public string Key => IsNone ? "none" : $"mean {string.Join(',', Mean.Select(m => m.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))} std {string.Join(',', Std.Select(s => s.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))}";
}
