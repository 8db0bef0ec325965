namespace QuantCluster.Quantization.Integer;

/// <summary>One validated layer of an <see cref="ExecutionPlan"/>, mapping one sample's quantized values to the next layer's.</summary>
internal abstract class IntegerStep
{
    public abstract int OutputSize { get; }

    /// <summary>Ints of per-call working memory the step needs; the executor gives each worker thread its own.</summary>
    public virtual int ScratchSize => 0;

    public abstract void Run(ReadOnlySpan<int> input, Span<int> output, Span<int> scratch);

    /// <summary>Ints of working memory <see cref="RunTile"/> needs for <paramref name="samples"/> samples.</summary>
    public virtual int TileScratchSize(int samples) => ScratchSize;

    /// <summary>
    /// Runs <paramref name="samples"/> consecutive samples (input stride <paramref name="inputSize"/>, output stride
    /// <see cref="OutputSize"/>). One sample at a time by default; steps that can reuse their weights across samples override it.
    /// </summary>
    public virtual void RunTile(ReadOnlySpan<int> input, int inputSize, Span<int> output, int samples, Span<int> scratch)
    {
        for (int s = 0; s < samples; s++)
            Run(input.Slice(s * inputSize, inputSize), output.Slice(s * OutputSize, OutputSize), scratch);
    }
}
