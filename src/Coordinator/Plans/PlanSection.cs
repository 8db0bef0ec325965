using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace QuantCluster.Coordinator.Plans;

/// <summary>One mapping of a plan (the root or a section such as qat) read key by key, each read checked and located.</summary>
/// <remarks>An absent section reads as empty, so every key falls back to its default and errors point at the parent.</remarks>
internal sealed class PlanSection
{
    private readonly YamlMappingNode? mapping;
    private readonly PlanLocation where;

    private PlanSection(YamlMappingNode? mapping, PlanLocation where, string path, string source, IReadOnlyList<string> knownKeys)
    {
        this.mapping = mapping;
        this.where = where;
        Path = path;
        Source = source;
        RejectUnknownKeys(knownKeys);
    }

    /// <summary>Dotted key path of this mapping ("" for the root).</summary>
    public string Path { get; }

    public string Source { get; }

    public static PlanSection Root(YamlMappingNode root, string source, IReadOnlyList<string> knownKeys) =>
        new(root, PlanLocation.At(source, root.Start), "", source, knownKeys);

    public PlanSection Section(string key, IReadOnlyList<string> knownKeys)
    {
        var node = Find(key);
        if (node is null)
        {
            return new PlanSection(null, LocationOf(key), KeyPath(key), Source, knownKeys);
        }

        if (node is not YamlMappingNode child)
        {
            throw Error(key, $"expected a mapping of keys, found {Describe(node)}", "allowed keys: " + string.Join(", ", knownKeys));
        }

        return new PlanSection(child, PlanLocation.At(Source, child.Start), KeyPath(key), Source, knownKeys);
    }

    public string KeyPath(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

    /// <summary>Where a key's value is, or where this mapping starts when the key is absent.</summary>
    public PlanLocation LocationOf(string key) => Find(key) is { } node ? PlanLocation.At(Source, node.Start) : where;

    public bool Has(string key) => Find(key) is not null;

    /// <summary>True when the key holds a mapping, for keys that take either a scalar or a mapping (data.train).</summary>
    public bool IsMapping(string key) => Find(key) is YamlMappingNode;

    /// <summary>The keys written in this mapping, in order: for maps whose keys are names (ptq.layers), not fixed words.</summary>
    public IEnumerable<string> WrittenKeys => mapping?.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value!) ?? [];

    public PlanException Error(string key, string problem, string allowed) => new(LocationOf(key), KeyPath(key), problem, allowed);

    public string? OptionalString(string key, string allowed)
    {
        var node = Find(key);
        return node switch
        {
            null => null,
            YamlScalarNode scalar => scalar.Value!,
            _ => throw Error(key, $"expected a string, found {Describe(node)}", allowed),
        };
    }

    public string RequiredString(string key, string allowed) =>
        OptionalString(key, allowed) ?? throw MissingKey(key, allowed);

    public PlanException MissingKey(string key, string allowed) =>
        Error(key, IsWritten(key) ? $"required key '{key}' has no value" : $"missing required key '{key}'", allowed);

    public int Int(string key, int defaultValue, int min, int max)
    {
        var allowed = $"allowed: integers from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}";
        var text = ScalarText(key, "an integer", allowed);
        if (text is null)
        {
            return defaultValue;
        }

        // Parse wide so 99999999999 is reported as out of range rather than as "not an integer".
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            throw Error(key, $"expected an integer, found '{text}'", allowed);
        }

        if (value < min || value > max)
        {
            throw Error(key, $"{text} is out of range", allowed);
        }

        return (int)value;
    }

    /// <param name="minExclusive">True when min itself is not allowed (a learning rate of 0 trains nothing).</param>
    public double Double(string key, double defaultValue, double min, bool minExclusive, double max)
    {
        var lower = minExclusive ? $"> {Show(min)}" : $">= {Show(min)}";
        var allowed = $"allowed: numbers {lower} and <= {Show(max)}";
        var text = ScalarText(key, "a number", allowed);
        if (text is null)
        {
            return defaultValue;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            throw Error(key, $"expected a number, found '{text}'", allowed);
        }

        if (value < min || (minExclusive && value == min) || value > max)
        {
            throw Error(key, $"{text} is out of range", allowed);
        }

        return value;
    }

    /// <summary>A YAML list of words, each one of <paramref name="allowed"/> and written once; null when the key is absent.</summary>
    /// <remarks>An error points at the offending item, not at the key.</remarks>
    public IReadOnlyList<string>? WordList(string key, IReadOnlyList<string> allowed)
    {
        var node = Find(key);
        if (node is null)
        {
            return null;
        }

        var allowedText = "allowed: a list of " + string.Join(", ", allowed);
        if (node is not YamlSequenceNode list)
        {
            throw Error(key, $"expected a list, found {Describe(node)}", allowedText);
        }

        var words = new List<string>();
        foreach (var item in list.Children)
        {
            var at = PlanLocation.At(Source, item.Start);
            if (item is not YamlScalarNode { Value: { } word } scalar || IsNull(scalar))
            {
                throw new PlanException(at, KeyPath(key), $"expected a word, found {Describe(item)}", allowedText);
            }

            if (!allowed.Contains(word, StringComparer.Ordinal))
            {
                throw new PlanException(at, KeyPath(key), $"unknown value '{word}'{KeySuggestion.DidYouMean(word, allowed)}", allowedText);
            }

            if (words.Contains(word, StringComparer.Ordinal))
            {
                throw new PlanException(at, KeyPath(key), $"'{word}' is listed twice", "list each once");
            }

            words.Add(word);
        }

        return words;
    }

    /// <summary>A YAML list of finite numbers; null when the key is absent. An error points at the offending item.</summary>
    public float[]? NumberList(string key, string allowed)
    {
        var node = Find(key);
        if (node is null)
        {
            return null;
        }

        if (node is not YamlSequenceNode list)
        {
            throw Error(key, $"expected a list of numbers, found {Describe(node)}", allowed);
        }

        var numbers = new float[list.Children.Count];
        for (int i = 0; i < numbers.Length; i++)
        {
            var item = list.Children[i];
            if (item is not YamlScalarNode { Value: { } text }
                || !float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out numbers[i])
                || !float.IsFinite(numbers[i]))
            {
                throw new PlanException(PlanLocation.At(Source, item.Start), KeyPath(key), $"expected a number, found {Describe(item)}", allowed);
            }
        }

        return numbers;
    }

    public T Choice<T>(string key, T defaultValue, Choices<T> choices)
    {
        var text = ScalarText(key, "one of the allowed words", choices.Allowed);
        return text is null ? defaultValue : Lookup(key, text, choices);
    }

    public T RequiredChoice<T>(string key, Choices<T> choices)
    {
        var text = ScalarText(key, "one of the allowed words", choices.Allowed) ?? throw MissingKey(key, choices.Allowed);
        return Lookup(key, text, choices);
    }

    public static string Describe(YamlNode node) => node switch
    {
        YamlScalarNode scalar when IsNull(scalar) => "nothing",
        YamlScalarNode scalar => $"'{scalar.Value}'",
        YamlSequenceNode => "a list",
        YamlMappingNode => "a mapping",
        _ => "an unsupported YAML node",
    };

    private T Lookup<T>(string key, string text, Choices<T> choices)
    {
        if (choices.TryGet(text, out var value))
        {
            return value;
        }

        throw Error(key, $"unknown value '{text}'{KeySuggestion.DidYouMean(text, choices.Names)}", choices.Allowed);
    }

    private string? ScalarText(string key, string expected, string allowed)
    {
        var node = Find(key);
        return node switch
        {
            null => null,
            YamlScalarNode scalar => scalar.Value!,
            _ => throw Error(key, $"expected {expected}, found {Describe(node)}", allowed),
        };
    }

    private bool IsWritten(string key) => mapping is not null && mapping.Children.ContainsKey(new YamlScalarNode(key));

    // `key:`, `key: ~` and `key: null` mean "not given", so a user can blank a line instead of deleting it.
    private YamlNode? Find(string key)
    {
        if (mapping is null || !mapping.Children.TryGetValue(new YamlScalarNode(key), out var node))
        {
            return null;
        }

        return node is YamlScalarNode scalar && IsNull(scalar) ? null : node;
    }

    private static bool IsNull(YamlScalarNode scalar) =>
        scalar.Style == YamlDotNet.Core.ScalarStyle.Plain && scalar.Value is "" or "~" or "null" or "Null" or "NULL" or null;

    private void RejectUnknownKeys(IReadOnlyList<string> knownKeys)
    {
        if (mapping is null)
        {
            return;
        }

        foreach (var keyNode in mapping.Children.Keys)
        {
            var allowed = "allowed keys: " + string.Join(", ", knownKeys);
            if (keyNode is not YamlScalarNode { Value: { } key })
            {
                throw new PlanException(PlanLocation.At(Source, keyNode.Start), KeyPath("?"), "keys must be plain words", allowed);
            }

            if (!knownKeys.Contains(key, StringComparer.Ordinal))
            {
                throw new PlanException(
                    PlanLocation.At(Source, keyNode.Start),
                    KeyPath(key),
                    $"unknown key '{key}'{KeySuggestion.DidYouMean(key, knownKeys)}",
                    allowed);
            }
        }
    }

    private static string Show(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
