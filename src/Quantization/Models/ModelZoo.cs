using QuantCluster.Quantization.Integer;

namespace QuantCluster.Quantization.Models;

/// <summary>The architectures a plan can name, all for 1x28x28 single-channel images and 10 classes.</summary>
public static class ModelZoo
{
    public static readonly IReadOnlyList<string> Names = ["mlp", "mlp-wide", "lenet", "mobilenet-tiny"];

    /// <summary>What the named architecture takes and gives; every zoo model today is 1x28x28 in, 10 classes out.</summary>
    public static ModelSignature Signature(string name)
    {
        _ = Architecture(name); // an unknown name fails here as it would when the model is built
        return new ModelSignature([1, 28, 28], 10);
    }

    public static IReadOnlyList<LayerSpec> Architecture(string name) => name switch
    {
        "mlp" => Mlp(),
        "mlp-wide" => MlpWide(),
        "lenet" => LeNet(),
        "mobilenet-tiny" => MobileNetTiny(),
        _ => throw new ArgumentException($"unknown model '{name}'; the zoo has {string.Join(", ", Names)}", nameof(name)),
    };

    // 784-256-128-10.
    private static LayerSpec[] Mlp() =>
    [
        new FlattenSpec(),
        new LinearSpec(784, 256, FusedActivation.Relu),
        new LinearSpec(256, 128, FusedActivation.Relu),
        new LinearSpec(128, 10, FusedActivation.None),
    ];

    // 784-1024-1024-10: layers wide enough to be compute-bound, where int8 kernels pay off (bench/OnnxSpeed).
    private static LayerSpec[] MlpWide() =>
    [
        new FlattenSpec(),
        new LinearSpec(784, 1024, FusedActivation.Relu),
        new LinearSpec(1024, 1024, FusedActivation.Relu),
        new LinearSpec(1024, 10, FusedActivation.None),
    ];

    // conv 1->8 3x3, pool, conv 8->16 3x3, pool, fc 400->64, fc 64->10: 28 -> 26 -> 13 -> 11 -> 5.
    private static LayerSpec[] LeNet() =>
    [
        new ConvSpec(1, 8, 3, 1, 0, 1, false, FusedActivation.Relu),
        new MaxPoolSpec(2, 2),
        new ConvSpec(8, 16, 3, 1, 0, 1, false, FusedActivation.Relu),
        new MaxPoolSpec(2, 2),
        new FlattenSpec(),
        new LinearSpec(400, 64, FusedActivation.Relu),
        new LinearSpec(64, 10, FusedActivation.None),
    ];

    // MobileNet v1 in miniature: a stem, then depthwise-separable blocks (depthwise 3x3 + pointwise 1x1), each conv with
    // BatchNorm and ReLU6. Depthwise layers have few weights per channel and wide per-channel ranges once BN is folded,
    // which is why this family loses the most accuracy under per-tensor PTQ.
    private static LayerSpec[] MobileNetTiny() =>
    [
        new ConvSpec(1, 16, 3, 2, 1, 1, true, FusedActivation.Relu6), // 14x14
        .. DepthwiseSeparable(16, 32, 1),
        .. DepthwiseSeparable(32, 64, 2), // 7x7
        .. DepthwiseSeparable(64, 64, 1),
        new GlobalAvgPoolSpec(),
        new FlattenSpec(),
        new LinearSpec(64, 10, FusedActivation.None),
    ];

    private static LayerSpec[] DepthwiseSeparable(int inChannels, int outChannels, int stride) =>
    [
        new ConvSpec(inChannels, inChannels, 3, stride, 1, inChannels, true, FusedActivation.Relu6),
        new ConvSpec(inChannels, outChannels, 1, 1, 0, 1, true, FusedActivation.Relu6),
    ];
}
