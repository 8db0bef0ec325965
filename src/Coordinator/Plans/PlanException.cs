namespace QuantCluster.Coordinator.Plans;

/// <summary>A plan that cannot run, told in one line: where, which key, what is wrong and what would be accepted.</summary>
public sealed class PlanException : Exception
{
    public PlanException(PlanLocation? location, string keyPath, string problem, string allowed)
        : base(Format(location, keyPath, problem, allowed))
    {
        Location = location;
        KeyPath = keyPath;
        Problem = problem;
        Allowed = allowed;
    }

    public PlanException()
        : this(null, "(plan)", "invalid plan", "see docs/plan.md")
    {
    }

    public PlanException(string message)
        : base(OneLine(message))
    {
        KeyPath = "(plan)";
        Problem = OneLine(message);
        Allowed = "see docs/plan.md";
    }

    public PlanException(string message, Exception innerException)
        : base(OneLine(message), innerException)
    {
        KeyPath = "(plan)";
        Problem = OneLine(message);
        Allowed = "see docs/plan.md";
    }

    /// <summary>Null when the error is not tied to a place in the file (e.g. the plan file itself is missing).</summary>
    public PlanLocation? Location { get; }

    public string KeyPath { get; }

    public string Problem { get; }

    public string Allowed { get; }

    private static string Format(PlanLocation? location, string keyPath, string problem, string allowed)
    {
        var where = location is { } l ? $"{l}: " : "";
        return OneLine($"{where}{keyPath}: {problem}; {allowed}");
    }

    // Callers print the message as a single log line; YamlDotNet and file paths can carry line breaks.
    private static string OneLine(string text) =>
        text.Replace("\r\n", " ", StringComparison.Ordinal).Replace('\n', ' ').Replace('\r', ' ');
}
