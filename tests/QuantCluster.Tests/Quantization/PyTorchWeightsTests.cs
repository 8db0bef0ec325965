using QuantCluster.Quantization.Models;
using QuantCluster.Quantization.Schemes;
using QuantCluster.Tests.Data;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace QuantCluster.Tests.Quantization;

/// <summary>PyTorch state_dicts and safetensors files load onto zoo models by name, and bad files get one error that lists every problem.</summary>
[Collection(TorchTests.Name)]
public sealed class PyTorchWeightsTests
{
    [Theory]
    [InlineData("mlp", true)]
    [InlineData("mobilenet-tiny", false)]
    [InlineData("lenet", true)]
    public void A_state_dict_loads_onto_the_zoo_model_by_name(string architecture, bool safetensors)
    {
        using var folder = new TempFolder();
        var state = Random(architecture, seed: 3);
        string path = Save(folder, state, safetensors);

        using var network = PyTorchWeights.Load(path, architecture, ActivationScheme.AsymmetricUInt8);

        var loaded = network.state_dict();
        foreach (var (external, name, _) in PyTorchWeights.Expected(architecture))
            Assert.True(loaded[name].allclose(state[external], rtol: 0, atol: 0), external);
        Assert.False(ModelCheckpoint.IsCheckpoint(path));
    }

    [Fact]
    public void Missing_unexpected_and_mis_shaped_parameters_are_listed_in_one_error()
    {
        using var folder = new TempFolder();
        var state = Random("mlp", seed: 4);
        state.Remove("layer2.bias");
        state["layer3.weight"] = zeros(10, 127);
        state["head.weight"] = zeros(3);
        string path = Save(folder, state, safetensors: true);

        var error = Assert.Throws<InvalidDataException>(() => PyTorchWeights.Load(path, "mlp", ActivationScheme.AsymmetricUInt8));

        Assert.Contains("missing layer2.bias [128]", error.Message);
        Assert.Contains("unexpected head.weight", error.Message);
        Assert.Contains("mis-shaped layer3.weight: [10, 127], expected [10, 128]", error.Message);
    }

    [Fact]
    public void Corrupt_and_truncated_files_get_an_error_naming_the_file()
    {
        using var folder = new TempFolder();
        byte[] good = File.ReadAllBytes(Save(folder, Random("mlp", seed: 5), safetensors: false));
        foreach (var (name, bytes) in new[] { ("truncated.pt", good[..(good.Length / 3)]), ("garbage.pt", "definitely not a state dict"u8.ToArray()), ("tiny.pt", new byte[] { 1, 2 }) })
        {
            string path = folder.Write(name, bytes);
            var error = Assert.Throws<InvalidDataException>(() => PyTorchWeights.Load(path, "mlp", ActivationScheme.AsymmetricUInt8));
            Assert.Contains(name, error.Message);
        }
    }

    private static Dictionary<string, Tensor> Random(string architecture, int seed)
    {
        random.manual_seed(seed);
        var state = PyTorchWeights.Expected(architecture).ToDictionary(e => e.External, e => e.External.EndsWith("running_var", StringComparison.Ordinal) ? rand(e.Shape) : randn(e.Shape));
        if (architecture == "mobilenet-tiny") state["layer0.bn.num_batches_tracked"] = tensor(100L);
        return state;
    }

    private static string Save(TempFolder folder, Dictionary<string, Tensor> state, bool safetensors)
    {
        string path = Path.Combine(folder.Path, safetensors ? "weights.safetensors" : "weights.pt");
        if (safetensors) Safetensors.SaveStateDict(path, state);
        else PyTorchPickler.PickleStateDict(path, state);
        return path;
    }
}
