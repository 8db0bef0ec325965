namespace QuantCluster.Quantization.Schemes;

/// <summary>Affine quantization parameters of one tensor (or one channel): real = Scale * (q - ZeroPoint), q in [QMin, QMax].</summary>
public readonly record struct QuantParams(float Scale, int ZeroPoint, int QMin, int QMax)
{
    public int Quantize(float real) => Math.Clamp((int)MathF.Round(real / Scale, MidpointRounding.ToEven) + ZeroPoint, QMin, QMax);

    public float Dequantize(int q) => Scale * (q - ZeroPoint);
}
