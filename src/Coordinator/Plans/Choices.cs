using System.Collections.Immutable;

namespace QuantCluster.Coordinator.Plans;

/// <summary>The spellings a plan may use for one setting and the value each stands for.</summary>
internal sealed class Choices<T>
{
    private readonly ImmutableArray<(string Name, T Value)> entries;

    public Choices(params (string Name, T Value)[] entries)
    {
        this.entries = [.. entries];
    }

    public IEnumerable<string> Names => entries.Select(e => e.Name);

    public string Allowed => "allowed: " + string.Join(", ", Names);

    public bool TryGet(string name, out T value)
    {
        foreach (var entry in entries)
        {
            // Exact spelling only: the docs show one form, and a second accepted form would be one more thing to learn.
            if (string.Equals(entry.Name, name, StringComparison.Ordinal))
            {
                value = entry.Value;
                return true;
            }
        }

        value = default!;
        return false;
    }
}
