namespace QuantCluster.Quantization.Integer;

/// <summary>One validated layer of an <see cref="ExecutionPlan"/>, mapping one sample's quantized values to the next layer's.</summary>
internal abstract class IntegerStep
{
    public abstract int OutputSize { get; }

    /// <summary>Ints of per-call working memory the step needs; the executor gives each worker thread its own.</summary>
    public virtual int ScratchSize => 0;

    public abstract void Run(ReadOnlySpan<int> input, Span<int> output, Span<int> scratch);
}
