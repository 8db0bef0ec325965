namespace QuantCluster.Node;

/// <summary>The exception an error line should quote: the innermost one, since libraries wrap the cause (Akka nests a failed bind five AggregateExceptions deep) in messages that only say "see InnerException".</summary>
public static class ErrorCause
{
    public static Exception Of(Exception e)
    {
        while (e.InnerException is { } inner) e = inner;
        return e;
    }
}
