using System.Runtime.InteropServices;
using System.Text;
using QuantCluster.Quantization.Schemes;

namespace QuantCluster.Quantization.Integer;

/// <summary>The body of the QCI8 format (docs/int8-format.md): everything between the header and the checksum.</summary>
internal static class Int8ModelCodec
{
    private const int MaxRank = 8;

    /// <summary>Layer kind tags; values are part of the file format and never reused.</summary>
    private enum LayerTag : byte
    {
        Conv2d = 1,
        Linear = 2,
        MaxPool2d = 3,
        GlobalAvgPool = 4,
        Flatten = 5,
        Fp32Conv2d = 6,
        Fp32Linear = 7,
    }

    /// <summary>The first format version whose readers know the FP32 fallback layers (tags 6 and 7).</summary>
    private const int Fp32LayersSince = 2;

    public static void WriteBody(BinaryWriter w, Int8Model model)
    {
        byte[] name = Encoding.UTF8.GetBytes(model.Architecture ?? string.Empty);
        w.Write(name.Length);
        w.Write(name);
        WriteInts(w, model.InputShape ?? throw new ArgumentException("The model has no input shape.", nameof(model)));
        WriteParams(w, model.Input);
        w.Write(model.Layers.Count);
        for (int i = 0; i < model.Layers.Count; i++)
        {
            switch (model.Layers[i])
            {
                case Int8Conv2d c:
                    w.Write((byte)LayerTag.Conv2d);
                    WriteGeometry(w, new ConvGeometry(c.InChannels, c.OutChannels, c.Kernel, c.Stride, c.Padding, c.Groups));
                    WriteChannelData(w, c.Weights, c.Bias, c.WeightScales, c.Requantizers, c.Input, c.Output, c.Activation, c.ClampMin, c.ClampMax);
                    break;
                case Int8Linear l:
                    w.Write((byte)LayerTag.Linear);
                    w.Write(l.InFeatures);
                    w.Write(l.OutFeatures);
                    WriteChannelData(w, l.Weights, l.Bias, l.WeightScales, l.Requantizers, l.Input, l.Output, l.Activation, l.ClampMin, l.ClampMax);
                    break;
                case Fp32Conv2d c:
                    w.Write((byte)LayerTag.Fp32Conv2d);
                    WriteGeometry(w, new ConvGeometry(c.InChannels, c.OutChannels, c.Kernel, c.Stride, c.Padding, c.Groups));
                    WriteFloatData(w, c.Weights, c.Bias, c.Input, c.Output, c.Activation);
                    break;
                case Fp32Linear l:
                    w.Write((byte)LayerTag.Fp32Linear);
                    w.Write(l.InFeatures);
                    w.Write(l.OutFeatures);
                    WriteFloatData(w, l.Weights, l.Bias, l.Input, l.Output, l.Activation);
                    break;
                case Int8MaxPool2d p:
                    w.Write((byte)LayerTag.MaxPool2d);
                    w.Write(p.Kernel);
                    w.Write(p.Stride);
                    break;
                case Int8GlobalAvgPool:
                    w.Write((byte)LayerTag.GlobalAvgPool);
                    break;
                case Int8Flatten:
                    w.Write((byte)LayerTag.Flatten);
                    break;
                default:
                    throw new ArgumentException($"Layer {i} ({model.Layers[i]?.GetType().Name ?? "null"}) has no QCI8 encoding.", nameof(model));
            }
        }
    }

    /// <param name="version">The file's format version: version 1 has the same layout without the FP32 layer tags.</param>
    /// <exception cref="InvalidDataException">A field holds an impossible value.</exception>
    /// <exception cref="EndOfStreamException">The body ends inside a field.</exception>
    public static Int8Model ReadBody(BinaryReader r, int version)
    {
        int nameLength = ReadCount(r, "architecture name length", 1);
        string architecture = Encoding.UTF8.GetString(r.ReadBytes(nameLength));
        int rank = ReadCount(r, "input rank", 4);
        if (rank is 0 or > MaxRank)
            throw new InvalidDataException($"input rank {rank} is outside [1, {MaxRank}]");
        var shape = new int[rank];
        for (int i = 0; i < rank; i++)
            shape[i] = ReadPositive(r, $"input dimension {i}");
        QuantParams input = ReadParams(r);
        int layerCount = ReadCount(r, "layer count", 1);
        var layers = new Int8Layer[layerCount];
        for (int i = 0; i < layerCount; i++)
        {
            byte tag = r.ReadByte();
            string where = $"layer {i}";
            if (tag is (byte)LayerTag.Fp32Conv2d or (byte)LayerTag.Fp32Linear && version < Fp32LayersSince)
                throw new InvalidDataException($"{where} has layer tag {tag} ({(LayerTag)tag}), which format version {version} does not have");
            layers[i] = (LayerTag)tag switch
            {
                LayerTag.Conv2d => ReadConv(r, where),
                LayerTag.Fp32Conv2d => ReadFp32Conv(r, where),
                LayerTag.Fp32Linear => ReadFp32Linear(r, where),
                LayerTag.Linear => ReadLinear(r, where),
                LayerTag.MaxPool2d => new Int8MaxPool2d(ReadPositive(r, where + " kernel"), ReadPositive(r, where + " stride")),
                LayerTag.GlobalAvgPool => new Int8GlobalAvgPool(),
                LayerTag.Flatten => new Int8Flatten(),
                _ => throw new InvalidDataException($"{where} has unknown layer tag {tag}"),
            };
        }

        return new Int8Model(architecture, shape, input, layers);
    }

    private static Int8Conv2d ReadConv(BinaryReader r, string where)
    {
        var g = ReadConvGeometry(r, where);
        var d = ReadChannelData(r, where, g.WeightCount, g.OutChannels);
        return new Int8Conv2d(g.InChannels, g.OutChannels, g.Kernel, g.Stride, g.Padding, g.Groups,
            d.Weights, d.Bias, d.Scales, d.Requantizers, d.Input, d.Output, d.Activation, d.ClampMin, d.ClampMax);
    }

    private static Fp32Conv2d ReadFp32Conv(BinaryReader r, string where)
    {
        var g = ReadConvGeometry(r, where);
        var d = ReadFloatData(r, where, g.WeightCount, g.OutChannels);
        return new Fp32Conv2d(g.InChannels, g.OutChannels, g.Kernel, g.Stride, g.Padding, g.Groups, d.Weights, d.Bias, d.Input, d.Output, d.Activation);
    }

    private static ConvGeometry ReadConvGeometry(BinaryReader r, string where)
    {
        int inChannels = ReadPositive(r, where + " in channels");
        int outChannels = ReadPositive(r, where + " out channels");
        int kernel = ReadPositive(r, where + " kernel");
        int stride = ReadPositive(r, where + " stride");
        int padding = r.ReadInt32();
        if (padding < 0)
            throw new InvalidDataException($"{where} padding {padding} is negative");
        int groups = ReadPositive(r, where + " groups");
        if (inChannels % groups != 0 || outChannels % groups != 0)
            throw new InvalidDataException($"{where}: {groups} groups do not divide {inChannels} input and {outChannels} output channels");
        return new ConvGeometry(inChannels, outChannels, kernel, stride, padding, groups);
    }

    private static Int8Linear ReadLinear(BinaryReader r, string where)
    {
        int inFeatures = ReadPositive(r, where + " in features");
        int outFeatures = ReadPositive(r, where + " out features");
        var d = ReadChannelData(r, where, (long)inFeatures * outFeatures, outFeatures);
        return new Int8Linear(inFeatures, outFeatures,
            d.Weights, d.Bias, d.Scales, d.Requantizers, d.Input, d.Output, d.Activation, d.ClampMin, d.ClampMax);
    }

    private static Fp32Linear ReadFp32Linear(BinaryReader r, string where)
    {
        int inFeatures = ReadPositive(r, where + " in features");
        int outFeatures = ReadPositive(r, where + " out features");
        var d = ReadFloatData(r, where, (long)inFeatures * outFeatures, outFeatures);
        return new Fp32Linear(inFeatures, outFeatures, d.Weights, d.Bias, d.Input, d.Output, d.Activation);
    }

    private static void WriteFloatData(BinaryWriter w, float[] weights, float[] bias, QuantParams input, QuantParams output, FusedActivation activation)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(bias);
        WriteFloats(w, weights);
        WriteFloats(w, bias);
        WriteParams(w, input);
        WriteParams(w, output);
        w.Write((byte)activation);
    }

    private static FloatData ReadFloatData(BinaryReader r, string where, long weightCount, int channels)
    {
        int count = ReadCount(r, where + " weight count", 4);
        if (count != weightCount)
            throw new InvalidDataException($"{where} has {count} weights but its dimensions need {weightCount}");
        var weights = new float[count];
        r.BaseStream.ReadExactly(MemoryMarshal.AsBytes(weights.AsSpan()));
        int biasCount = ReadCount(r, where + " bias count", 4);
        ExpectChannels(biasCount, channels, where, "biases");
        var bias = new float[biasCount];
        r.BaseStream.ReadExactly(MemoryMarshal.AsBytes(bias.AsSpan()));
        QuantParams input = ReadParams(r);
        QuantParams output = ReadParams(r);
        return new FloatData(weights, bias, input, output, ReadActivation(r, where));
    }

    private static void WriteChannelData(
        BinaryWriter w, sbyte[] weights, int[] bias, float[] scales, Requantizer[] requantizers,
        QuantParams input, QuantParams output, FusedActivation activation, int clampMin, int clampMax)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(bias);
        ArgumentNullException.ThrowIfNull(scales);
        ArgumentNullException.ThrowIfNull(requantizers);
        w.Write(weights.Length);
        w.Write(MemoryMarshal.AsBytes(weights.AsSpan()));
        WriteInts(w, bias);
        WriteFloats(w, scales);
        w.Write(requantizers.Length);
        foreach (Requantizer q in requantizers)
        {
            w.Write(q.Multiplier);
            w.Write(q.Shift);
        }

        WriteParams(w, input);
        WriteParams(w, output);
        w.Write((byte)activation);
        w.Write(clampMin);
        w.Write(clampMax);
    }

    private static ChannelData ReadChannelData(BinaryReader r, string where, long weightCount, int channels)
    {
        int count = ReadCount(r, where + " weight count", 1);
        if (count != weightCount)
            throw new InvalidDataException($"{where} has {count} weights but its dimensions need {weightCount}");
        var weights = new sbyte[count];
        // ReadCount guaranteed the bytes are there; one bulk read keeps large layers fast.
        r.BaseStream.ReadExactly(MemoryMarshal.AsBytes(weights.AsSpan()));

        int[] bias = ReadInts(r);
        ExpectChannels(bias.Length, channels, where, "biases");
        int scaleCount = ReadCount(r, where + " scale count", 4);
        ExpectChannels(scaleCount, channels, where, "weight scales");
        var scales = new float[scaleCount];
        r.BaseStream.ReadExactly(MemoryMarshal.AsBytes(scales.AsSpan()));
        int requantizerCount = ReadCount(r, where + " requantizer count", 8);
        ExpectChannels(requantizerCount, channels, where, "requantizers");
        var requantizers = new Requantizer[requantizerCount];
        for (int i = 0; i < requantizerCount; i++)
            requantizers[i] = new Requantizer(r.ReadInt32(), r.ReadInt32());

        QuantParams input = ReadParams(r);
        QuantParams output = ReadParams(r);
        return new ChannelData(weights, bias, scales, requantizers, input, output, ReadActivation(r, where), r.ReadInt32(), r.ReadInt32());
    }

    private static FusedActivation ReadActivation(BinaryReader r, string where)
    {
        byte activation = r.ReadByte();
        if (!Enum.IsDefined((FusedActivation)activation))
            throw new InvalidDataException($"{where} has unknown activation {activation}");
        return (FusedActivation)activation;
    }

    private static void ExpectChannels(int count, int channels, string where, string what)
    {
        if (count != channels)
            throw new InvalidDataException($"{where} has {count} {what} for {channels} output channels");
    }

    private static void WriteParams(BinaryWriter w, QuantParams p)
    {
        w.Write(p.Scale);
        w.Write(p.ZeroPoint);
        w.Write(p.QMin);
        w.Write(p.QMax);
    }

    private static QuantParams ReadParams(BinaryReader r) => new(r.ReadSingle(), r.ReadInt32(), r.ReadInt32(), r.ReadInt32());

    private static void WriteInts(BinaryWriter w, int[] values)
    {
        w.Write(values.Length);
        w.Write(MemoryMarshal.AsBytes(values.AsSpan()));
    }

    // In bulk, the bytes BinaryWriter.Write(float) gives one value at a time on the little-endian machines torch runs on.
    private static void WriteFloats(BinaryWriter w, float[] values)
    {
        w.Write(values.Length);
        w.Write(MemoryMarshal.AsBytes(values.AsSpan()));
    }

    private static int[] ReadInts(BinaryReader r)
    {
        int count = ReadCount(r, "int array length", 4);
        var values = new int[count];
        r.BaseStream.ReadExactly(MemoryMarshal.AsBytes(values.AsSpan()));
        return values;
    }

    /// <summary>A non-negative count whose elements (of elementSize bytes each) fit in what is left of the body, so a corrupt count cannot allocate gigabytes.</summary>
    private static int ReadCount(BinaryReader r, string what, int elementSize)
    {
        int count = r.ReadInt32();
        long remaining = r.BaseStream.Length - r.BaseStream.Position;
        if (count < 0 || (long)count * elementSize > remaining)
            throw new InvalidDataException($"{what} {count} is impossible with {remaining} bytes left in the body");
        return count;
    }

    private static int ReadPositive(BinaryReader r, string what)
    {
        int value = r.ReadInt32();
        if (value <= 0)
            throw new InvalidDataException($"{what} {value} must be positive");
        return value;
    }

    private static void WriteGeometry(BinaryWriter w, ConvGeometry g)
    {
        w.Write(g.InChannels);
        w.Write(g.OutChannels);
        w.Write(g.Kernel);
        w.Write(g.Stride);
        w.Write(g.Padding);
        w.Write(g.Groups);
    }

    private readonly record struct ConvGeometry(int InChannels, int OutChannels, int Kernel, int Stride, int Padding, int Groups)
    {
        public long WeightCount => (long)OutChannels * (InChannels / Groups) * Kernel * Kernel;
    }

    private readonly record struct FloatData(float[] Weights, float[] Bias, QuantParams Input, QuantParams Output, FusedActivation Activation);

    private readonly record struct ChannelData(
        sbyte[] Weights, int[] Bias, float[] Scales, Requantizer[] Requantizers,
        QuantParams Input, QuantParams Output, FusedActivation Activation, int ClampMin, int ClampMax);
}
