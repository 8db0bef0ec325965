using System.Collections;
using QuantCluster.Quantization.Schemes;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace QuantCluster.Quantization.Models;

/// <summary>
/// Loads FP32 weights saved by PyTorch (a state_dict from torch.save, or safetensors) onto a zoo model by parameter name:
/// layer{i}.weight and layer{i}.bias for a compute layer at index i of the architecture, plus layer{i}.bn.weight, .bias,
/// .running_mean and .running_var for a convolution with BatchNorm (docs/import.md).
/// </summary>
public static class PyTorchWeights
{
    public static QuantizableNetwork Load(string path, string architecture, ActivationScheme scheme)
    {
        var network = new QuantizableNetwork(architecture, scheme, seed: 0);
        try
        {
            using var scope = NewDisposeScope();
            var source = Read(path);
            Apply(network, source, path);
            return network;
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    /// <summary>The names and shapes a file must hold for the architecture, mapped to the network's own state names.</summary>
    public static IReadOnlyList<(string External, string Internal, long[] Shape)> Expected(string architecture)
    {
        var expected = new List<(string, string, long[])>();
        var specs = ModelZoo.Architecture(architecture);
        for (int i = 0; i < specs.Count; i++)
        {
            string p = LayerNames.Layer(i);
            switch (specs[i])
            {
                case LinearSpec l:
                    expected.Add(($"{p}.weight", $"{p}.linear.weight", [l.OutFeatures, l.InFeatures]));
                    expected.Add(($"{p}.bias", $"{p}.linear.bias", [l.OutFeatures]));
                    break;
                case ConvSpec c:
                    expected.Add(($"{p}.weight", $"{p}.conv.weight", [c.OutChannels, c.InChannels / c.Groups, c.Kernel, c.Kernel]));
                    if (!c.BatchNorm)
                    {
                        expected.Add(($"{p}.bias", $"{p}.conv.bias", [c.OutChannels]));
                        break;
                    }
                    foreach (string b in new[] { "weight", "bias", "running_mean", "running_var" })
                        expected.Add(($"{p}.bn.{b}", $"{p}.bn.{b}", [c.OutChannels]));
                    break;
            }
        }
        return expected;
    }

    private static Dictionary<string, Tensor> Read(string path)
    {
        byte[] head = new byte[9];
        using (var probe = File.OpenRead(path))
        {
            if (probe.Read(head) < head.Length) throw new InvalidDataException($"{path}: too short to be a PyTorch state_dict or safetensors file");
        }
        try
        {
            // safetensors: an 8-byte little-endian header length, then a JSON header; torch.save writes a zip or a pickle.
            if (head[8] == (byte)'{') return Safetensors.LoadStateDict(path);
            using var stream = File.OpenRead(path);
            var table = PyTorchUnpickler.UnpickleStateDict(stream);
            var result = new Dictionary<string, Tensor>();
            foreach (DictionaryEntry entry in table)
            {
                if (entry.Value is Tensor t) result[(string)entry.Key] = t;
            }
            return result;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidDataException($"{path}: not a readable PyTorch state_dict or safetensors file ({e.GetType().Name}: {e.Message})", e);
        }
    }

    private static void Apply(QuantizableNetwork network, Dictionary<string, Tensor> source, string path)
    {
        var expected = Expected(network.Architecture);
        var known = expected.Select(e => e.External).ToHashSet();
        var problems = new List<string>();
        problems.AddRange(expected.Where(e => !source.ContainsKey(e.External)).Select(e => $"missing {e.External} [{string.Join(", ", e.Shape)}]"));
        // PyTorch's BatchNorm saves a step counter that inference does not use.
        problems.AddRange(source.Keys.Where(k => !known.Contains(k) && !k.EndsWith(".bn.num_batches_tracked", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal).Select(k => $"unexpected {k}"));
        problems.AddRange(expected.Where(e => source.TryGetValue(e.External, out var t) && !t.shape.SequenceEqual(e.Shape))
            .Select(e => $"mis-shaped {e.External}: [{string.Join(", ", source[e.External].shape)}], expected [{string.Join(", ", e.Shape)}]"));
        if (problems.Count > 0)
            throw new InvalidDataException($"{path}: does not fit a '{network.Architecture}' model: {string.Join("; ", problems)} (names in docs/import.md)");

        var state = network.state_dict();
        using var _ = no_grad();
        foreach (var (external, name, _) in expected)
            state[name].copy_(source[external].to(float32));
    }
}
