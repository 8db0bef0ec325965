namespace QuantCluster.Quantization.Integer;

/// <summary>Runs an <see cref="Int8Model"/> on a batch of images with integer-only arithmetic between the input quantization and the output.</summary>
/// <remarks>
/// Floating point appears only at the two boundaries: quantizing the [0, 1] input with the model's input parameters, and
/// <see cref="Logits"/> dequantizing the last layer. Samples run in parallel, each worker with its own buffers.
/// </remarks>
public sealed class IntegerExecutor
{
    private readonly int maxDegreeOfParallelism;

    /// <param name="maxDegreeOfParallelism">Worker threads across samples; -1 lets the thread pool decide.</param>
    public IntegerExecutor(int maxDegreeOfParallelism = -1)
    {
        if (maxDegreeOfParallelism is 0 or < -1)
            throw new ArgumentOutOfRangeException(nameof(maxDegreeOfParallelism), maxDegreeOfParallelism, "Use -1 or a positive thread count.");
        this.maxDegreeOfParallelism = maxDegreeOfParallelism;
    }

    /// <summary>The class of each sample: argmax of the last layer's integers, ties to the lowest index.</summary>
    public int[] Predict(Int8Model model, float[] inputs, int count)
    {
        var plan = ExecutionPlan.Build(model);
        int[] outputs = Run(plan, inputs, count);
        var classes = new int[count];
        for (int n = 0; n < count; n++)
        {
            ReadOnlySpan<int> row = outputs.AsSpan(n * plan.OutputSize, plan.OutputSize);
            int best = 0;
            for (int j = 1; j < row.Length; j++)
            {
                if (row[j] > row[best])
                    best = j;
            }

            classes[n] = best;
        }

        return classes;
    }

    /// <summary>The last layer's quantized integers, count * (its per-sample size), in NCHW order.</summary>
    public int[] RunToIntegers(Int8Model model, float[] inputs, int count) => Run(ExecutionPlan.Build(model), inputs, count);

    /// <summary>The last layer's outputs dequantized with its output parameters.</summary>
    public float[] Logits(Int8Model model, float[] inputs, int count)
    {
        var plan = ExecutionPlan.Build(model);
        int[] outputs = Run(plan, inputs, count);
        return Array.ConvertAll(outputs, plan.Output.Dequantize);
    }

    private int[] Run(ExecutionPlan plan, float[] inputs, int count)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if ((long)count * plan.InputSize > inputs.Length)
            throw new ArgumentException($"{count} samples of {plan.InputSize} values need {(long)count * plan.InputSize} inputs, got {inputs.Length}.", nameof(inputs));

        var outputs = new int[count * plan.OutputSize];
        var options = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism };
        Parallel.For(
            0,
            count,
            options,
            () => new Workspace(plan),
            (n, _, workspace) =>
            {
                RunSample(plan, inputs.AsSpan(n * plan.InputSize, plan.InputSize), outputs.AsSpan(n * plan.OutputSize, plan.OutputSize), workspace);
                return workspace;
            },
            _ => { });
        return outputs;
    }

    private static void RunSample(ExecutionPlan plan, ReadOnlySpan<float> input, Span<int> output, Workspace workspace)
    {
        Span<int> current = workspace.Front.AsSpan(0, plan.InputSize);
        for (int i = 0; i < input.Length; i++)
            current[i] = plan.Input.Quantize(input[i]);

        foreach (IntegerStep step in plan.Steps)
        {
            Span<int> next = workspace.Back.AsSpan(0, step.OutputSize);
            step.Run(current, next, workspace.Scratch);
            workspace.Swap();
            current = next;
        }

        current.CopyTo(output);
    }

    /// <summary>One worker's buffers: two activations that swap roles each layer, plus the steps' scratch.</summary>
    private sealed class Workspace(ExecutionPlan plan)
    {
        public int[] Front { get; private set; } = new int[plan.ActivationSize];

        public int[] Back { get; private set; } = new int[plan.ActivationSize];

        public int[] Scratch { get; } = new int[plan.ScratchSize];

        public void Swap() => (Front, Back) = (Back, Front);
    }
}
