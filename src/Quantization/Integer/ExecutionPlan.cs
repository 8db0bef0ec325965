using QuantCluster.Quantization.Schemes;

namespace QuantCluster.Quantization.Integer;

/// <summary>An <see cref="Int8Model"/> checked once for consistent shapes and quantization, turned into steps that need no further checks.</summary>
internal sealed class ExecutionPlan
{
    private ExecutionPlan(QuantParams input, int inputSize, IntegerStep[] steps, QuantParams output, int outputSize)
    {
        Input = input;
        InputSize = inputSize;
        Steps = steps;
        Output = output;
        OutputSize = outputSize;
        ActivationSize = Math.Max(inputSize, steps.Length == 0 ? 0 : steps.Max(s => s.OutputSize));
    }

    public QuantParams Input { get; }

    public int InputSize { get; }

    public IReadOnlyList<IntegerStep> Steps { get; }

    /// <summary>Quantization of the last layer's integers.</summary>
    public QuantParams Output { get; }

    public int OutputSize { get; }

    /// <summary>Largest per-sample activation, to size the ping-pong buffers.</summary>
    public int ActivationSize { get; }

    /// <exception cref="ArgumentException">The model is inconsistent; the message names the layer index and the mismatch.</exception>
    public static ExecutionPlan Build(Int8Model model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.InputShape is null || model.InputShape.Length == 0 || model.InputShape.Any(d => d <= 0))
            throw new ArgumentException($"Input shape [{string.Join(", ", model.InputShape ?? [])}] must be non-empty with positive dimensions.", nameof(model));
        CheckParams(model.Input, "input");
        if (model.Layers is null || model.Layers.Count == 0)
            throw new ArgumentException("The model has no layers.", nameof(model));

        int[] shape = model.InputShape;
        QuantParams current = model.Input;
        var steps = new List<IntegerStep>();
        for (int i = 0; i < model.Layers.Count; i++)
        {
            string where = $"Layer {i} ({model.Layers[i]?.GetType().Name ?? "null"})";
            switch (model.Layers[i])
            {
                case Int8Conv2d conv:
                    {
                        RequireRank(shape, 3, where);
                        CheckConv(conv, shape, where);
                        CheckChain(current, conv.Input, where);
                        var step = new ConvStep(conv, shape[1], shape[2]);
                        steps.Add(step);
                        shape = [conv.OutChannels, step.OutHeight, step.OutWidth];
                        current = conv.Output;
                        break;
                    }

                case Int8Linear linear:
                    RequireRank(shape, 1, where);
                    CheckLinear(linear, shape[0], where);
                    CheckChain(current, linear.Input, where);
                    steps.Add(new LinearStep(linear));
                    shape = [linear.OutFeatures];
                    current = linear.Output;
                    break;

                case Fp32Conv2d conv:
                    {
                        RequireRank(shape, 3, where);
                        CheckConvGeometry(conv.InChannels, conv.OutChannels, conv.Kernel, conv.Stride, conv.Padding, conv.Groups, shape, where);
                        long expected = (long)conv.OutChannels * (conv.InChannels / conv.Groups) * conv.Kernel * conv.Kernel;
                        CheckFloatWeights(conv.Weights, expected, conv.Bias, conv.OutChannels, where,
                            $"[{conv.OutChannels}, {conv.InChannels / conv.Groups}, {conv.Kernel}, {conv.Kernel}]");
                        CheckParams(conv.Output, where + " output");
                        CheckChain(current, conv.Input, where);
                        var step = new Fp32ConvStep(conv, shape[1], shape[2]);
                        steps.Add(step);
                        shape = [conv.OutChannels, step.OutHeight, step.OutWidth];
                        current = conv.Output;
                        break;
                    }

                case Fp32Linear linear:
                    RequireRank(shape, 1, where);
                    CheckFeatures(linear.InFeatures, linear.OutFeatures, shape[0], where);
                    CheckFloatWeights(linear.Weights, (long)linear.OutFeatures * linear.InFeatures, linear.Bias, linear.OutFeatures, where,
                        $"[{linear.OutFeatures}, {linear.InFeatures}]");
                    CheckParams(linear.Output, where + " output");
                    CheckChain(current, linear.Input, where);
                    steps.Add(new Fp32LinearStep(linear));
                    shape = [linear.OutFeatures];
                    current = linear.Output;
                    break;

                case Int8MaxPool2d pool:
                    {
                        RequireRank(shape, 3, where);
                        if (pool.Kernel <= 0 || pool.Stride <= 0)
                            throw new ArgumentException($"{where}: kernel {pool.Kernel} and stride {pool.Stride} must be positive.", nameof(model));
                        if (pool.Kernel > shape[1] || pool.Kernel > shape[2])
                            throw new ArgumentException($"{where}: kernel {pool.Kernel} is larger than the {shape[1]}x{shape[2]} input.", nameof(model));
                        var step = new MaxPoolStep(pool, shape[0], shape[1], shape[2]);
                        steps.Add(step);
                        shape = [shape[0], step.OutHeight, step.OutWidth];
                        break;
                    }

                case Int8GlobalAvgPool:
                    RequireRank(shape, 3, where);
                    steps.Add(new GlobalAvgPoolStep(shape[0], shape[1], shape[2]));
                    shape = [shape[0], 1, 1];
                    break;

                case Int8Flatten:
                    // Activations are stored flat in NCHW order already: only the shape changes.
                    shape = [shape.Aggregate(1, (a, b) => a * b)];
                    break;

                default:
                    throw new ArgumentException($"{where}: unsupported layer kind.", nameof(model));
            }
        }

        int inputSize = model.InputShape.Aggregate(1, (a, b) => a * b);
        return new ExecutionPlan(model.Input, inputSize, [.. steps], current, shape.Aggregate(1, (a, b) => a * b));
    }

    private static void RequireRank(int[] shape, int rank, string where)
    {
        if (shape.Length != rank)
        {
            string hint = rank == 1 ? " (add an Int8Flatten before it)" : string.Empty;
            throw new ArgumentException($"{where}: expects a rank-{rank} sample but receives [{string.Join(", ", shape)}]{hint}.");
        }
    }

    private static void CheckConv(Int8Conv2d conv, int[] shape, string where)
    {
        CheckConvGeometry(conv.InChannels, conv.OutChannels, conv.Kernel, conv.Stride, conv.Padding, conv.Groups, shape, where);
        long expected = (long)conv.OutChannels * (conv.InChannels / conv.Groups) * conv.Kernel * conv.Kernel;
        CheckWeightsAndChannels(conv.Weights, expected, conv.OutChannels, conv.Bias, conv.WeightScales, conv.Requantizers, where,
            $"[{conv.OutChannels}, {conv.InChannels / conv.Groups}, {conv.Kernel}, {conv.Kernel}]");
        CheckOutput(conv.Output, conv.ClampMin, conv.ClampMax, where);
    }

    private static void CheckConvGeometry(int inChannels, int outChannels, int kernel, int stride, int padding, int groups, int[] shape, string where)
    {
        if (inChannels != shape[0])
            throw new ArgumentException($"{where}: InChannels {inChannels} but the input has {shape[0]} channels.");
        if (kernel <= 0 || stride <= 0 || padding < 0 || groups <= 0 || outChannels <= 0)
            throw new ArgumentException($"{where}: kernel {kernel}, stride {stride}, groups {groups} and out channels {outChannels} must be positive and padding {padding} non-negative.");
        if (inChannels % groups != 0 || outChannels % groups != 0)
            throw new ArgumentException($"{where}: {groups} groups do not divide {inChannels} input and {outChannels} output channels.");
        if (shape[1] + (2 * padding) < kernel || shape[2] + (2 * padding) < kernel)
            throw new ArgumentException($"{where}: kernel {kernel} is larger than the padded {shape[1]}x{shape[2]} input.");
    }

    private static void CheckLinear(Int8Linear linear, int features, string where)
    {
        CheckFeatures(linear.InFeatures, linear.OutFeatures, features, where);
        CheckWeightsAndChannels(linear.Weights, (long)linear.OutFeatures * linear.InFeatures, linear.OutFeatures, linear.Bias,
            linear.WeightScales, linear.Requantizers, where, $"[{linear.OutFeatures}, {linear.InFeatures}]");
        CheckOutput(linear.Output, linear.ClampMin, linear.ClampMax, where);
    }

    private static void CheckFeatures(int inFeatures, int outFeatures, int features, string where)
    {
        if (inFeatures != features)
            throw new ArgumentException($"{where}: InFeatures {inFeatures} but the input has {features} features.");
        if (outFeatures <= 0)
            throw new ArgumentException($"{where}: OutFeatures {outFeatures} must be positive.");
    }

    // A NaN or infinite weight would turn every output it touches into garbage that still quantizes to some integer.
    private static void CheckFloatWeights(float[] weights, long expected, float[] bias, int outputs, string where, string dims)
    {
        if (weights is null || weights.Length != expected)
            throw new ArgumentException($"{where}: {weights?.Length ?? 0} weights but {dims} needs {expected}.");
        if (bias is null || bias.Length != outputs)
            throw new ArgumentException($"{where}: {bias?.Length ?? 0} biases for {outputs} output channels.");
        int bad = Array.FindIndex(weights, w => !float.IsFinite(w));
        if (bad >= 0)
            throw new ArgumentException($"{where}: weight {bad} is {weights[bad]}; float weights must be finite.");
        bad = Array.FindIndex(bias, b => !float.IsFinite(b));
        if (bad >= 0)
            throw new ArgumentException($"{where}: bias {bad} is {bias[bad]}; float biases must be finite.");
    }

    private static void CheckWeightsAndChannels(
        sbyte[] weights, long expected, int outputs, int[] bias, float[] scales, Requantizer[] requantizers, string where, string dims)
    {
        if (weights is null || weights.Length != expected)
            throw new ArgumentException($"{where}: {weights?.Length ?? 0} weights but {dims} needs {expected}.");
        if (bias is null || bias.Length != outputs)
            throw new ArgumentException($"{where}: {bias?.Length ?? 0} biases for {outputs} output channels.");
        if (scales is null || scales.Length != outputs)
            throw new ArgumentException($"{where}: {scales?.Length ?? 0} weight scales for {outputs} output channels.");
        if (requantizers is null || requantizers.Length != outputs)
            throw new ArgumentException($"{where}: {requantizers?.Length ?? 0} requantizers for {outputs} output channels.");
        for (int c = 0; c < outputs; c++)
        {
            Requantizer r = requantizers[c];
            if (r.Multiplier < 0 || r.Shift < -31 || r.Shift > 31)
                throw new ArgumentException($"{where}: requantizer {c} ({r.Multiplier}, {r.Shift}) is out of range.");
        }
    }

    private static void CheckOutput(QuantParams output, int clampMin, int clampMax, string where)
    {
        CheckParams(output, where + " output");
        if (clampMin > clampMax || clampMin < output.QMin || clampMax > output.QMax)
            throw new ArgumentException($"{where}: clamp [{clampMin}, {clampMax}] is not inside the output range [{output.QMin}, {output.QMax}].");
    }

    private static void CheckParams(QuantParams p, string what)
    {
        // Bounding activations to 16 bits keeps each (x - zp) * w product small, so int32 accumulators hold thousands of them.
        if (!(p.Scale > 0) || !float.IsFinite(p.Scale) || p.QMin > p.QMax || p.QMin < short.MinValue || p.QMax > short.MaxValue
            || p.ZeroPoint < p.QMin || p.ZeroPoint > p.QMax)
            throw new ArgumentException($"{what}: quantization (scale {p.Scale}, zero point {p.ZeroPoint}, range [{p.QMin}, {p.QMax}]) is invalid.");
    }

    private static void CheckChain(QuantParams produced, QuantParams expected, string where)
    {
        // The requantizers bake in the scales; the zero point and range are what the integer kernels consume directly.
        bool scaleClose = Math.Abs(produced.Scale - expected.Scale) <= 1e-6 * Math.Max(produced.Scale, expected.Scale);
        if (produced.ZeroPoint != expected.ZeroPoint || produced.QMin != expected.QMin || produced.QMax != expected.QMax || !scaleClose)
            throw new ArgumentException($"{where}: its Input quantization {expected} differs from what the previous layer produces, {produced}.");
    }
}
