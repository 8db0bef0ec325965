using YamlDotNet.Core;

namespace QuantCluster.Coordinator.Plans;

/// <summary>A place in a plan file, 1-based, so an error can point the user at the exact line and column to fix.</summary>
public readonly record struct PlanLocation(string File, int Line, int Column)
{
    internal static PlanLocation At(string file, Mark mark) => new(file, (int)mark.Line, (int)mark.Column);

    public override string ToString() => $"{File}:{Line}:{Column}";
}
