namespace QuantCluster.Quantization.Integer;

/// <summary>Runs an <see cref="Int8Model"/> on a batch of images with integer-only arithmetic between the input quantization and the output.</summary>
/// <remarks>
/// Floating point appears only at the two boundaries: quantizing the [0, 1] input with the model's input parameters, and
/// <see cref="Logits"/> dequantizing the last layer; and inside the layers fallback left in FP32, which take and give
/// integers like the others. Tiles of samples run in parallel, each worker with its own buffers.
/// </remarks>
public sealed class IntegerExecutor
{
    /// <summary>
    /// Samples that go through the layers together. 16 centered inputs of 1024 features (32 KB of int16) roughly fill L1, while
    /// each fully connected weight row is read once per tile instead of once per sample.
    /// </summary>
    private const int TileSize = 16;

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
        int tiles = (count + TileSize - 1) / TileSize;
        Parallel.For(
            0,
            tiles,
            options,
            () => new Workspace(plan),
            (t, _, workspace) =>
            {
                int first = t * TileSize;
                int samples = Math.Min(TileSize, count - first);
                RunTile(
                    plan,
                    inputs.AsSpan(first * plan.InputSize, samples * plan.InputSize),
                    outputs.AsSpan(first * plan.OutputSize, samples * plan.OutputSize),
                    samples,
                    workspace);
                return workspace;
            },
            _ => { });
        return outputs;
    }

    /// <summary>Takes a tile of samples through every layer together, so fully connected layers read each weight row once per tile.</summary>
    private static void RunTile(ExecutionPlan plan, ReadOnlySpan<float> input, Span<int> output, int samples, Workspace workspace)
    {
        int size = plan.InputSize;
        Span<int> current = workspace.Front.AsSpan(0, samples * size);
        for (int i = 0; i < input.Length; i++)
            current[i] = plan.Input.Quantize(input[i]);

        foreach (IntegerStep step in plan.Steps)
        {
            Span<int> next = workspace.Back.AsSpan(0, samples * step.OutputSize);
            step.RunTile(current, size, next, samples, workspace.Scratch);
            workspace.Swap();
            current = next;
            size = step.OutputSize;
        }

        current.CopyTo(output);
    }

    /// <summary>One worker's buffers for a tile: two activations that swap roles each layer, plus the steps' scratch.</summary>
    private sealed class Workspace(ExecutionPlan plan)
    {
        public int[] Front { get; private set; } = new int[plan.ActivationSize * TileSize];

        public int[] Back { get; private set; } = new int[plan.ActivationSize * TileSize];

        public int[] Scratch { get; } = new int[plan.Steps.Count == 0 ? 0 : plan.Steps.Max(s => s.TileScratchSize(TileSize))];

        public void Swap() => (Front, Back) = (Back, Front);
    }
}
