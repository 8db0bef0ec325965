namespace QuantCluster.Quantization.Graph;

/// <summary>The element-wise activations a graph can hold; each fixes how its output can be quantized later.</summary>
public enum ActivationKind
{
    /// <summary>max(0, x).</summary>
    Relu,

    /// <summary>min(max(x, Min), Max); ReLU6 is Clip with bounds 0 and 6.</summary>
    Clip,

    /// <summary>1 / (1 + exp(-x)).</summary>
    Sigmoid,

    /// <summary>max(0, min(1, Alpha * x + Beta)); torch's hardsigmoid has Alpha 1/6 and Beta 1/2.</summary>
    HardSigmoid,

    /// <summary>x * max(0, min(1, x / 6 + 1/2)).</summary>
    HardSwish,
}
