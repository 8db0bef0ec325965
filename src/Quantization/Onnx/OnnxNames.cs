namespace QuantCluster.Quantization.Onnx;

/// <summary>The names and file names the exported ONNX models use, shared by the writers and their readers.</summary>
public static class OnnxNames
{
    public const string Input = "input";
    public const string Output = "logits";
    public const string Fp32File = "model.fp32.onnx";
    public const string Int8File = "model.int8.onnx";
}
