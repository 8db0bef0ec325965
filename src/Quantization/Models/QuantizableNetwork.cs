using QuantCluster.Quantization.FakeQuant;
using QuantCluster.Quantization.Schemes;
using TorchSharp;
using static TorchSharp.torch;

namespace QuantCluster.Quantization.Models;

/// <summary>
/// A zoo architecture as a torch module with a quantization point on its input and on every compute layer's output.
/// The same module serves every phase: FP32 training (nothing on), calibration (observers on), QAT (fake quantization on),
/// and conversion (read folded weights and ranges). Forward reads top to bottom like the architecture's list.
/// </summary>
public sealed class QuantizableNetwork : nn.Module<Tensor, Tensor>
{
    private readonly ActivationFakeQuantize input;
    private readonly nn.Module<Tensor, Tensor>[] layers;
    private readonly FakeQuantKernels _kernels;

    /// <summary>Builds the zoo architecture with torch's default initialisation drawn from the given seed.</summary>
    public QuantizableNetwork(string architecture, ActivationScheme scheme, long seed)
        : this(architecture, ModelZoo.Architecture(architecture), ModelZoo.Signature(architecture), scheme, seed)
    {
    }

    /// <summary>A sequential architecture given by its layers and what it takes and gives, for models outside the zoo.</summary>
    public QuantizableNetwork(string architecture, IReadOnlyList<LayerSpec> specs, ModelSignature signature, ActivationScheme scheme, long seed)
        : base("network")
    {
        Architecture = architecture;
        Specs = specs;
        Signature = signature;
        _kernels = new FakeQuantKernels();
        random.manual_seed(seed);
        input = new ActivationFakeQuantize("input", scheme, _kernels);
        layers = Specs.Select((spec, i) => CreateLayer(LayerNames.Layer(i), spec, scheme)).ToArray();
        RegisterComponents();
        for (int i = 0; i < layers.Length; i++) register_module(LayerNames.Layer(i), layers[i]);
        var previous = input;
        foreach (var layer in ComputeLayers)
        {
            layer.InputPoint = previous;
            previous = layer.Output;
        }
    }

    public string Architecture { get; }

    public IReadOnlyList<LayerSpec> Specs { get; }

    /// <summary>The input shape (channels x height x width) and the classes this network scores.</summary>
    public ModelSignature Signature { get; }

    public ActivationFakeQuantize Input => input;

    /// <summary>Layer i holds Specs[i]: a <see cref="QuantizableLayer"/> for convolutions and fully connected layers.</summary>
    public IReadOnlyList<nn.Module<Tensor, Tensor>> Layers => layers;

    public IEnumerable<QuantizableLayer> ComputeLayers => layers.OfType<QuantizableLayer>();

    /// <summary>The compute layers' names ("layer0", "layer2", ...) in forward order: what sensitivity, fallback and plans call them.</summary>
    public IReadOnlyList<string> ComputeLayerNames => [.. ComputeLayers.Select(l => l.GetName())];

    /// <summary>The compute layers left in FP32, in forward order.</summary>
    public IReadOnlyList<string> Fp32Layers => [.. ComputeLayers.Where(l => l.KeptInFp32).Select(l => l.GetName())];

    /// <summary>Every activation quantization point in forward order: the input, then each compute layer's output.</summary>
    public IReadOnlyList<(string Name, ActivationFakeQuantize Point)> QuantizationPoints =>
        [(LayerNames.Input, input), .. ComputeLayers.Select(l => (LayerNames.Output(l.GetName()), l.Output))];

    public override Tensor forward(Tensor x)
    {
        x = input.forward(x);
        var lastPoint = input;
        for (int i = 0; i < layers.Length; i++)
        {
            x = Specs[i] switch
            {
                MaxPoolSpec pool => nn.functional.max_pool2d(x, pool.Kernel, pool.Stride),
                FlattenSpec => x.flatten(1),
                // The integer model averages quantized values and keeps the input's parameters; rounding the float mean
                // onto the same grid makes the fake-quantized model compute the same thing.
                GlobalAvgPoolSpec => lastPoint.FakeQuantEnabled
                    ? lastPoint.Apply(nn.functional.adaptive_avg_pool2d(x, 1), lastPoint.Params)
                    : nn.functional.adaptive_avg_pool2d(x, 1),
                _ => layers[i].call(x),
            };
            if (layers[i] is QuantizableLayer compute) lastPoint = compute.Output;
        }
        return x;
    }

    /// <summary>Sets what every quantization point and weight quantizer does.</summary>
    public void Configure(ObserverMode observer, bool fakeQuantize, WeightGranularity weights)
    {
        foreach (var (_, point) in QuantizationPoints)
        {
            point.Observer = observer;
            point.FakeQuantEnabled = fakeQuantize;
        }
        foreach (var layer in ComputeLayers)
        {
            layer.FakeQuantWeights = fakeQuantize;
            layer.WeightQuantizer.Granularity = weights;
        }
    }

    /// <summary>Leaves exactly the named compute layers in FP32 (accuracy-driven fallback); an empty list quantizes every layer again.</summary>
    /// <exception cref="ArgumentException">A name is not one of <see cref="ComputeLayerNames"/>.</exception>
    public void KeepInFp32(IReadOnlyCollection<string> layerNames)
    {
        var unknown = layerNames.Except(ComputeLayerNames, StringComparer.Ordinal).ToArray();
        if (unknown.Length > 0)
            throw new ArgumentException($"{string.Join(", ", unknown)} is not a compute layer of {Architecture}; its compute layers are {string.Join(", ", ComputeLayerNames)}", nameof(layerNames));
        foreach (var layer in ComputeLayers) layer.KeptInFp32 = layerNames.Contains(layer.GetName(), StringComparer.Ordinal);
    }

    public void FreezeBatchNorm(bool frozen)
    {
        foreach (var conv in ComputeLayers.OfType<QuantizableConv>()) conv.BatchNormFrozen = frozen;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _kernels.Dispose();
        base.Dispose(disposing);
    }

    private nn.Module<Tensor, Tensor> CreateLayer(string name, LayerSpec spec, ActivationScheme scheme) => spec switch
    {
        ConvSpec conv => new QuantizableConv(name, conv, scheme, _kernels),
        LinearSpec linear => new QuantizableLinear(name, linear, scheme, _kernels),
        _ => nn.Identity(),
    };
}
