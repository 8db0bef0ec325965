using Onnx;
using QuantCluster.Quantization.Graph;

namespace QuantCluster.Quantization.Onnx.Import.Converters;

/// <summary>
/// Reshape of a computed value to a constant shape (or one folded from Shape -> Gather -> Unsqueeze -> Concat, as
/// x.view(x.size(0), -1) exports). The first entry must keep the batch: the folded batch size, 0 (copy), -1 when the
/// rest holds a whole sample, or the batch the input declares; the rest becomes the per-sample target, -1 inferred.
/// </summary>
internal sealed class ReshapeConverter : IOpConverter
{
    public string OpType => "Reshape";

    public OpsetRange Opsets => OpsetRange.From(5);

    public void Convert(NodeProto node, ImportContext context)
    {
        string input = context.Value(node.Input[0]);
        var shape = context.ShapeOf(input);
        long[] target = context.Constant(node.Input[1], "the target shape").AsIntegers("the target shape");
        bool allowZero = node.Int("allowzero", 0) != 0;
        string written = $"[{string.Join(", ", target.Select(t => t == ConstantTensor.Batch ? "batch" : t.ToString()))}]";
        if (target.Length < 2) throw new NodeConversionException($"target shape {written} does not keep a batch axis and a sample");
        var sample = new long[target.Length - 1];
        for (int i = 1; i < target.Length; i++)
        {
            long t = target[i];
            sample[i - 1] = t == 0 && !allowZero
                ? (i - 1 < shape.Rank ? shape[i - 1] : throw new NodeConversionException($"target shape {written} copies axis {i}, which {shape} does not have"))
                : t;
        }
        int inferred = Array.IndexOf(sample, -1L);
        if (sample.Count(d => d == -1) > 1 || sample.Any(d => d < -1 || d == 0))
            throw new NodeConversionException($"target shape {written} is not a shape for {shape} samples");
        if (inferred >= 0)
        {
            long known = sample.Where(d => d != -1).Aggregate(1L, (p, d) => p * d);
            if (known == 0 || shape.ElementCount % known != 0) throw new NodeConversionException($"target shape {written} cannot hold a {shape} sample");
            sample[inferred] = shape.ElementCount / known;
        }
        bool keepsBatch = target[0] == ConstantTensor.Batch || (target[0] == 0 && !allowZero) || target[0] == context.StaticBatch
            || (target[0] == -1 && inferred < 0 && sample.Aggregate(1L, (p, d) => p * d) == shape.ElementCount);
        if (!keepsBatch) throw new NodeConversionException($"target shape {written} does not keep the batch axis first; only reshapes within each sample are supported");
        context.Add(new ReshapeNode(node.DisplayName(), input, node.Output[0], new Shape([.. sample.Select(d => checked((int)d))])));
    }
}
