using QuantCluster.Quantization.Graph;
using QuantCluster.Quantization.Onnx.Import;
using QuantCluster.Tests.Onnx.Import;
using QuantCluster.Tests.Quantization;
using static TorchSharp.torch;

namespace QuantCluster.Tests.Graph;

/// <summary>An imported network can be trained: its weights are parameters, BatchNorm's statistics are buffers, gradients flow through every branch.</summary>
[Collection(TorchTests.Name)]
public sealed class GraphNetworkTests
{
    [Fact]
    public void Weights_are_parameters_and_batchnorm_statistics_are_buffers_named_after_their_nodes()
    {
        var graph = OnnxModelImporter.Import(ShippedOnnxModels.PathOf("resnet-3x32x32-opset13-bn.onnx"));
        using var network = new GraphNetwork(graph);

        long weights = graph.Nodes.Sum(n => n switch
        {
            ConvNode conv => conv.Weight.LongLength + (conv.Bias?.Length ?? 0),
            LinearNode linear => linear.Weight.LongLength + (linear.Bias?.Length ?? 0),
            BatchNormNode bn => 2L * bn.Channels,
            _ => 0,
        });
        Assert.Equal(weights, network.parameters().Sum(p => p.numel()));
        Assert.All(network.parameters(), p => Assert.True(p.requires_grad));
        var bn = graph.Nodes.OfType<BatchNormNode>().First();
        var buffers = network.named_buffers().ToDictionary(b => b.name, b => b.buffer);
        string mean = Assert.Single(buffers.Keys, k => k.EndsWith(".running_mean", StringComparison.Ordinal) && k.StartsWith("bn1_", StringComparison.Ordinal));
        Assert.Equal(bn.RunningMean, buffers[mean].data<float>().ToArray());
    }

    [Fact]
    public void A_training_step_reaches_every_weight_and_updates_batchnorm_statistics()
    {
        var graph = OnnxModelImporter.Import(ShippedOnnxModels.PathOf("resnet-3x32x32-opset13-bn.onnx"));
        using var network = new GraphNetwork(graph);
        using var scope = NewDisposeScope();
        var before = network.named_buffers().Where(b => b.name.EndsWith(".running_mean", StringComparison.Ordinal)).Select(b => b.buffer.clone()).ToArray();
        network.train();
        random.manual_seed(1);

        var logits = network.call(rand(8, 3, 32, 32));
        nn.functional.cross_entropy(logits, tensor(new long[] { 0, 1, 2, 3, 4, 5, 6, 7 })).backward();

        Assert.All(network.named_parameters(), p => Assert.True(p.parameter.grad is not null && p.parameter.grad.abs().sum().item<float>() > 0, $"{p.name} got no gradient"));
        var after = network.named_buffers().Where(b => b.name.EndsWith(".running_mean", StringComparison.Ordinal)).Select(b => b.buffer).ToArray();
        Assert.All(before.Zip(after), pair => Assert.False(pair.First.allclose(pair.Second)));
    }
}
