namespace QuantCluster.Quantization.Models;

/// <summary>
/// How layers and quantization points are named ("layer2", "layer2.output", "input"): the one rule the network, the
/// sensitivity report, fallback and the plan loader share, derivable from an architecture without any torch code.
/// </summary>
public static class LayerNames
{
    public const string Input = "input";

    public static string Layer(int index) => $"layer{index}";

    public static string Output(string layer) => $"{layer}.output";

    /// <summary>The compute (conv and linear) layers of <paramref name="architecture"/>, in forward order.</summary>
    public static string[] ComputeLayers(IReadOnlyList<LayerSpec> architecture) =>
        [.. architecture.Select((spec, i) => (spec, i)).Where(x => x.spec is ConvSpec or LinearSpec).Select(x => Layer(x.i))];

    /// <summary>The input, then each compute layer's output, in forward order.</summary>
    public static string[] QuantizationPoints(IReadOnlyList<LayerSpec> architecture) => [Input, .. ComputeLayers(architecture).Select(Output)];
}
